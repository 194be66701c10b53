// @intyg/stack: the whole local setup in one call, the one bring-up behind `pnpm start`, the demo and the
// end-to-end tests: a hardhat node on loopback (@intyg/devchain), the demo deployment, the issuer service on a
// fresh embedded database (PGlite) with an admin API key for the organisation and, when asked,
// `<stateDir>/dev.json`. Development only: nothing in production depends on this package.

import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  type DemoDeployment,
  type DemoProfile,
  type DevChain,
  deployDemo,
  startDevChain,
} from "@intyg/devchain";
import {
  bootstrap,
  createLogger,
  createStore,
  defaultConfig,
  type Logger,
  loadKeyring,
  privateKeySigner,
  type RunningService,
  type ServiceConfig,
  startService,
} from "@intyg/service";
import type { Address } from "viem";
import { startOperatorEndpoint } from "./operator";

export { type OperatorEndpoint, startOperatorEndpoint } from "./operator";

/** What the other tools need to reach the stack: the contents of `.intyg/dev.json`. */
export type DevInfo = {
  serviceUrl: string;
  rpcUrl: string;
  chainId: number;
  registry: Address;
  apiKey: string;
  /**
   * With `operator`: the loopback endpoint that bootstraps further organisations into the stack's database
   * (`pnpm bootstrap:local`), and its token.
   */
  operatorUrl?: string;
  operatorToken?: string;
};

export type LocalStackOptions = {
  /** The demo organisation's profile (default DEMO_ORGANISATION). */
  profile?: DemoProfile;
  /** The chain's loopback port; a free one when omitted. */
  rpcPort?: number;
  /** The service's port; a free one when omitted. */
  port?: number;
  /** The embedded database's directory, emptied first; a temporary one (removed on stop) when omitted. */
  dataDir?: string;
  /** Where to write `dev.json` (e.g. `<repository>/.intyg`); none is written when omitted. */
  stateDir?: string;
  /** The organisation's admin API key; a random one when omitted. */
  apiKey?: string;
  /** The name the API key is stored under (default "local"). */
  keyName?: string;
  /** Service settings over the defaults. */
  config?: Partial<ServiceConfig>;
  /** The whole service configuration from the deployment, instead of the defaults and `config`. */
  configure?: (deployment: {
    rpcUrl: string;
    registry: Address;
    port: number;
    dataDir: string;
  }) => ServiceConfig;
  /** Above this many attendees a bulk request becomes a job (202) to poll. */
  bulkSyncLimit?: number;
  /** The service's log level when no logger is given (default: silent). */
  logLevel?: string;
  logger?: Logger;
  /** Run the anchoring worker in the service (default true). */
  worker?: boolean;
  /**
   * Offer bootstrap of further organisations on a loopback endpoint (its URL and token in `dev.json`): the
   * embedded database cannot be opened by a second process while the stack runs.
   */
  operator?: boolean;
};

export type LocalStack = DevInfo & {
  organisationId: number;
  deployment: DemoDeployment;
  chain: DevChain;
  service: RunningService;
  /** Stops the service and the chain, closes the database and removes a temporary one. */
  stop(): Promise<void>;
};

export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const cleanup: (() => Promise<unknown>)[] = [];
  const stop = async () => {
    for (const step of cleanup.reverse()) await step().catch(() => undefined);
    cleanup.length = 0;
  };
  try {
    const chain = await startDevChain(options.rpcPort ? { port: options.rpcPort } : {});
    cleanup.push(() => chain.stop());
    const deployment = await deployDemo({ chain, ...(options.profile ? { profile: options.profile } : {}) });
    // A fresh chain each start: the database starts fresh too, so nothing points at an old registry.
    let dataDir = options.dataDir;
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
    else {
      const temporary = await mkdtemp(path.join(tmpdir(), "intyg-local-"));
      cleanup.push(() => rm(temporary, { recursive: true, force: true }));
      dataDir = temporary;
    }
    const port = options.port ?? 0;
    const config =
      options.configure?.({ rpcUrl: chain.rpcUrl, registry: deployment.registry, port, dataDir }) ??
      defaultConfig({
        rpcUrl: chain.rpcUrl,
        registry: deployment.registry,
        host: "127.0.0.1",
        port,
        dataDir,
        logLevel: options.logLevel ?? "silent",
        ...(options.bulkSyncLimit ? { bulkSyncLimit: options.bulkSyncLimit } : {}),
        ...options.config,
      });
    // One keyring (INTYG_KEK, else the development keystore beside the data) seals personal data and the
    // organisations' own keys, for the store and the service alike.
    const keyring = loadKeyring(process.env, path.dirname(path.resolve(config.dataDir)));
    const store = await createStore(
      config.databaseUrl
        ? { databaseUrl: config.databaseUrl, keyring }
        : { dataDir: config.dataDir, keyring },
    );
    cleanup.push(() => store.close());
    // The key exists before the service answers its first request.
    // The demo deployment accredited the organisation with this profile: bootstrap checks it, as in production.
    const { secret } = await bootstrap(
      store,
      {
        profile: deployment.profile,
        chainOrganisationId: deployment.organisationId,
        keyName: options.keyName ?? "local",
        ...(options.apiKey ? { apiKey: options.apiKey } : {}),
      },
      { rpcUrl: chain.rpcUrl, registry: deployment.registry },
    );
    const operator = options.operator
      ? await startOperatorEndpoint(store, { rpcUrl: chain.rpcUrl, registry: deployment.registry })
      : undefined;
    if (operator) cleanup.push(() => operator.close());
    const service = await startService({
      config,
      signer: privateKeySigner(deployment.signerKey),
      relayer: privateKeySigner(deployment.relayerKey),
      store,
      keyring,
      logger: options.logger ?? createLogger({ level: config.logLevel }),
      ...(options.worker === false ? { worker: false } : {}),
    });
    cleanup.push(() => service.stop());
    const info: DevInfo = {
      serviceUrl: service.url,
      rpcUrl: chain.rpcUrl,
      chainId: chain.chainId,
      registry: deployment.registry,
      apiKey: secret,
      ...(operator ? { operatorUrl: operator.url, operatorToken: operator.token } : {}),
    };
    if (options.stateDir) {
      await mkdir(options.stateDir, { recursive: true });
      await writeFile(path.join(options.stateDir, "dev.json"), `${JSON.stringify(info, null, 2)}\n`, {
        mode: 0o600,
      });
    }
    return { ...info, organisationId: deployment.organisationId, deployment, chain, service, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
