// Everything on loopback in one process, for the demo and the CLI's end-to-end tests (like the service's
// startDev for `pnpm start`, but with a temporary database, any free port, and the service's limits and worker
// open to the caller): a hardhat node, the registry deployed, the demo organisation accredited with the
// service's signing key authorised, the issuer service (embedded PGlite in a temporary directory) and an
// admin API key for the organisation.
// Dev accounts: #0 governance, #1 the organisation's admin, #2 the signing key, #3 the relayer.

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  DEV_PRIVATE_KEYS,
  type DevChain,
  deployRegistry,
  freePort,
  seedOrganisation,
  startDevChain,
} from "@intyg/devchain";
import {
  bootstrap,
  createLogger,
  DEMO_ORGANISATION,
  defaultConfig,
  privateKeySigner,
  publishProfileHash,
  type RunningService,
  type ServiceConfig,
  startService,
} from "@intyg/service";
import type { Address } from "viem";

export type LocalStack = {
  serviceUrl: string;
  rpcUrl: string;
  chainId: number;
  registry: Address;
  apiKey: string;
  service: RunningService;
  /** Stops the service, the chain, and removes the temporary database. */
  stop(): Promise<void>;
};

export type LocalStackOptions = {
  /** Above this many attendees a bulk request becomes a job (202) to poll. */
  bulkSyncLimit?: number;
  /** The service's log level (default: silent). */
  logLevel?: string;
  /** Service settings to override. */
  config?: Partial<ServiceConfig>;
  /** Run the anchoring worker in the service (default true). */
  worker?: boolean;
};

export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const cleanup: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const step of cleanup.reverse()) await step().catch(() => undefined);
    cleanup.length = 0;
  };
  try {
    const chain: DevChain = await startDevChain();
    cleanup.push(() => chain.stop());
    const registry = await deployRegistry({ rpcUrl: chain.rpcUrl, governorKey: DEV_PRIVATE_KEYS[0] });
    const organisationId = await seedOrganisation({
      rpcUrl: chain.rpcUrl,
      registry,
      governorKey: DEV_PRIVATE_KEYS[0],
      adminKey: DEV_PRIVATE_KEYS[1],
      signingKey: DEV_PRIVATE_KEYS[2],
      profile: DEMO_ORGANISATION,
    });
    // A no-op when the accredited profile hash is the one of this profile already (seedOrganisation hashes it).
    await publishProfileHash({
      rpcUrl: chain.rpcUrl,
      registry,
      organisationId,
      adminKey: DEV_PRIVATE_KEYS[1],
      profile: DEMO_ORGANISATION,
    });
    const dataDir = await mkdtemp(path.join(tmpdir(), "intyg-local-"));
    cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
    const port = await freePort();
    const config = defaultConfig({
      rpcUrl: chain.rpcUrl,
      registry,
      host: "127.0.0.1",
      port,
      dataDir,
      logLevel: options.logLevel ?? "silent",
      ...(options.bulkSyncLimit ? { bulkSyncLimit: options.bulkSyncLimit } : {}),
      ...options.config,
    });
    const service = await startService({
      config,
      signer: privateKeySigner(DEV_PRIVATE_KEYS[2]),
      relayer: privateKeySigner(DEV_PRIVATE_KEYS[3]),
      logger: createLogger({ level: config.logLevel }),
      ...(options.worker === false ? { worker: false } : {}),
    });
    cleanup.push(() => service.stop());
    const { secret } = await bootstrap(service.store, {
      profile: DEMO_ORGANISATION,
      chainOrganisationId: organisationId,
      keyName: "local",
    });
    return {
      serviceUrl: service.url,
      rpcUrl: chain.rpcUrl,
      chainId: chain.chainId,
      registry,
      apiKey: secret,
      service,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
