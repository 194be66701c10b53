// A whole local setup in one call, for `pnpm start`: a hardhat node on loopback, the registry deployed, a
// demo organisation accredited with the service's signing key, the service on an embedded database, and
// `.intyg/dev.json` for the other tools.

import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import {
  DEV_PRIVATE_KEYS,
  DEV_ROLES,
  type DevChain,
  deployRegistry,
  seedOrganisation,
  startDevChain,
} from "@intyg/devchain";
import { bootstrap } from "./bootstrap";
import { publishProfileHash } from "./chain/profile";
import { defaultConfig } from "./config";
import { createLogger, type Logger } from "./logger";
import { type RunningService, startService } from "./service";
import { privateKeySigner } from "./signer";
import { createStore } from "./store/store";

export const DEMO_ORGANISATION = {
  name: "Offentliga Rummet (demo)",
  legalName: "Sveriges Kommuner och Regioner",
  organisationNumber: "222000-0315",
  url: "https://skr.se",
};

export type DevInfo = {
  serviceUrl: string;
  rpcUrl: string;
  chainId: number;
  registry: string;
  apiKey: string;
};

export type StartDevOptions = {
  /** Where `.intyg/` goes (the repository root). */
  root: string;
  /** The demo organisation's API key; a random one when omitted (INTYG_API_KEY in `pnpm start`). */
  apiKey?: string;
  /** Service port; 8787 by default, 0 for any free one. */
  port?: number;
  logger?: Logger;
};

export type RunningDev = DevInfo & { chain: DevChain; service: RunningService; stop(): Promise<void> };

export async function startDev(options: StartDevOptions): Promise<RunningDev> {
  const logger = options.logger ?? createLogger();
  const dataDir = path.join(options.root, ".intyg", "data");
  const chain = await startDevChain();
  try {
    const registry = await deployRegistry({
      rpcUrl: chain.rpcUrl,
      governorKey: DEV_PRIVATE_KEYS[DEV_ROLES.governor],
    });
    const organisationId = await seedOrganisation({
      rpcUrl: chain.rpcUrl,
      registry,
      governorKey: DEV_PRIVATE_KEYS[DEV_ROLES.governor],
      adminKey: DEV_PRIVATE_KEYS[DEV_ROLES.organisationAdmin],
      signingKey: DEV_PRIVATE_KEYS[DEV_ROLES.signingKey],
      profile: DEMO_ORGANISATION,
    });
    // A no-op when the accredited profile hash is the one of this profile already (seedOrganisation hashes it).
    await publishProfileHash({
      rpcUrl: chain.rpcUrl,
      registry,
      organisationId,
      adminKey: DEV_PRIVATE_KEYS[DEV_ROLES.organisationAdmin],
      profile: DEMO_ORGANISATION,
    });
    // A fresh chain each start: the embedded database starts fresh too, so nothing points at an old registry.
    const { rm } = await import("node:fs/promises");
    await rm(dataDir, { recursive: true, force: true });
    const store = await createStore({ dataDir });
    const { secret } = await bootstrap(store, {
      profile: DEMO_ORGANISATION,
      chainOrganisationId: organisationId,
      keyName: "demo",
      ...(options.apiKey ? { apiKey: options.apiKey } : {}),
    });
    const config = defaultConfig({ rpcUrl: chain.rpcUrl, registry, port: options.port ?? 8787, dataDir });
    const service = await startService({
      config,
      signer: privateKeySigner(DEV_PRIVATE_KEYS[DEV_ROLES.signingKey]),
      relayer: privateKeySigner(DEV_PRIVATE_KEYS[DEV_ROLES.relayer]),
      store,
      logger,
    });
    const info: DevInfo = {
      serviceUrl: service.url,
      rpcUrl: chain.rpcUrl,
      chainId: chain.chainId,
      registry,
      apiKey: secret,
    };
    await mkdir(path.join(options.root, ".intyg"), { recursive: true });
    await writeFile(path.join(options.root, ".intyg", "dev.json"), `${JSON.stringify(info, null, 2)}\n`, {
      mode: 0o600,
    });
    return {
      ...info,
      chain,
      service,
      async stop() {
        await service.stop();
        await store.close();
        await chain.stop();
      },
    };
  } catch (error) {
    await chain.stop();
    throw error;
  }
}
