// Wiring: a running service (HTTP server, anchoring worker, store, chain client) from a configuration.

import type { AddressInfo } from "node:net";
import { type ServerType, serve } from "@hono/node-server";
import { organisationProfileHash } from "@intyg/credential";
import { ORGANISATION_STATUS } from "@intyg/registry";
import { servedHolderPage, servedVerifyPage, webBuilt } from "@intyg/web";
import { type ChainClient, createChainClient } from "./chain/client";
import { type Clock, systemClock } from "./clock";
import { defaultIssuanceThreads, type ServiceConfig, type SignerSource } from "./config";
import type { OrganisationProfile } from "./format";
import { createApp } from "./http/app";
import type { CredentialVerifier } from "./http/context";
import { createKeyDirectory } from "./keys/directory";
import { createLogger, errorText, type Logger } from "./logger";
import { startIssuanceThreads } from "./parallel/pool";
import { type Keyring, serviceKeyring } from "./privacy/keyring";
import { keystoreFileSigner, privateKeySigner, type Signer } from "./signer";
import { createStore, type Store } from "./store/store";
import { createVerification } from "./verification";
import { startWorker, type Worker } from "./worker/worker";

export type StartServiceOptions = {
  config: ServiceConfig;
  signer: Signer;
  /** Relays issueSigned and funds organisations' own keys; the signing key when omitted. */
  relayer?: Signer;
  /**
   * Seals the data keys of personal data and opens organisations' own keys (INTYG_KEK). Without it a store this
   * opens loads one from the environment; with a given store and no keyring only `signer` signs.
   */
  keyring?: Keyring;
  logger?: Logger;
  clock?: Clock;
  /** An open store; one is opened from the configuration when omitted (and closed on stop). */
  store?: Store;
  verifier?: CredentialVerifier;
  /** Run the anchoring worker in this process (default true). */
  worker?: boolean;
  /** Serve the pages @intyg/web built at /verify, /holder and /organiser (default true). */
  verifyPage?: boolean;
};

export type RunningService = {
  url: string;
  port: number;
  app: ReturnType<typeof createApp>;
  store: Store;
  chain: ChainClient;
  worker: Worker | null;
  logger: Logger;
  /** Stops accepting requests, stops the worker, closes the store (when it opened it). */
  stop(): Promise<void>;
};

/** The signer a configuration names. */
export async function loadSigner(source: SignerSource): Promise<Signer> {
  return source.kind === "env"
    ? privateKeySigner(source.privateKey)
    : keystoreFileSigner(source.path, source.password);
}

/**
 * Warns about organisations whose profile (which every credential carries) does not hash to the profile hash in
 * the registry: verifiers would report a profile mismatch. The organisation's admin proposes
 * organisationProfileHash(profile, id) with proposeOrganisationProfile, and governance approves it.
 */
export async function checkProfiles(store: Store, chain: ChainClient, logger: Logger): Promise<void> {
  for (const organisation of await store.organisations.list()) {
    try {
      const onChain = await chain.organisation(organisation.chainOrganisationId);
      const expected = organisationProfileHash(
        organisation.profile as OrganisationProfile,
        organisation.chainOrganisationId,
      );
      if (onChain.status === ORGANISATION_STATUS.none) {
        logger.warn({ organisation: organisation.id }, "the organisation is not accredited in the registry");
      } else if (onChain.profileHash.toLowerCase() !== expected.toLowerCase()) {
        logger.warn(
          { organisation: organisation.id, expected, onChain: onChain.profileHash },
          "the organisation's profile hash in the registry differs from its profile: verifiers will report a mismatch",
        );
      }
    } catch (error) {
      logger.warn(
        { organisation: organisation.id, err: errorText(error) },
        "the organisation could not be checked on chain",
      );
    }
  }
}

/**
 * The verifier page and its files, as @intyg/web's build (run by `pnpm install`) left them; undefined when they
 * are missing. The service never builds them itself.
 */
function loadVerifyPage(config: ServiceConfig, chain: ChainClient, logger: Logger) {
  if (!webBuilt()) {
    logger.warn("the web pages are not built (pnpm --filter @intyg/web build); /verify answers 501");
    return undefined;
  }
  try {
    return servedVerifyPage({
      rpcUrl: config.publicRpcUrl,
      registry: chain.registry,
      chainId: chain.chainId,
    });
  } catch (error) {
    logger.warn({ err: errorText(error) }, "the verifier page could not be read; /verify answers 501");
    return undefined;
  }
}

export async function startService(options: StartServiceOptions): Promise<RunningService> {
  // A copy the app reads at request time: with port 0 the public URL is known only once listening.
  const config: ServiceConfig = { ...options.config };
  const derivedUrl = /:0$/.test(config.publicUrl);
  const derivedVerify = config.verifyUrl === `${config.publicUrl}/verify`;
  const derivedRpc = config.publicRpcUrl === `${config.publicUrl}/verify/rpc`;
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  const clock = options.clock ?? systemClock;
  const ownStore = !options.store;
  // One keyring seals both the data keys of personal data and the organisations' own keys: the one given, else
  // (for a store this opens) INTYG_KEK or INTYG_KEK_FILE, else — for the embedded database only — the
  // development keystore beside the data directory; PostgreSQL without a KEK is refused (KeyringError).
  const keyring = options.keyring ?? (ownStore ? serviceKeyring(process.env, config) : undefined);
  const store =
    options.store ??
    (await createStore({
      ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : { dataDir: config.dataDir }),
      ...(keyring ? { keyring } : {}),
      clock,
    }));
  let server: ServerType | null = null;
  let worker: Worker | null = null;
  try {
    const chain = await createChainClient({
      rpcUrl: config.rpcUrl,
      registry: config.registry,
      signer: options.signer,
      requestTimeoutMs: config.rpc.timeoutMs,
      retryCount: config.rpc.retryCount,
      receiptTimeoutMs: config.rpc.receiptTimeoutMs,
      replaceAfterMs: config.rpc.replaceAfterMs,
      maxFeePerGas: config.rpc.maxFeePerGas,
      maxFeeMultiplier: config.rpc.maxFeeMultiplier,
      ...(options.relayer ? { relayer: options.relayer } : {}),
    });
    const key = await chain.signingKey(options.signer.address).catch(() => null);
    if (!key || key.organisationId === 0) {
      logger.warn({ signer: options.signer.address }, "the signing key is not authorised in the registry");
    }
    await checkProfiles(store, chain, logger);
    const keys = createKeyDirectory({ store, ...(keyring ? { keyring } : {}) });
    const deps = { store, signer: options.signer, keys, chain, clock, logger, config };
    // They load while the service starts; until then (and for small issuances) the event loop does the work.
    startIssuanceThreads(config.issuanceThreads ?? defaultIssuanceThreads());
    if (options.worker !== false) worker = startWorker(deps);
    let verifyPage = options.verifyPage === false ? undefined : loadVerifyPage(config, chain, logger);
    const holderPage = verifyPage
      ? servedHolderPage({ registry: chain.registry, chainId: chain.chainId })
      : undefined;
    const app = createApp({
      ...deps,
      // Late-bound: with port 0 the page is configured again once the proxy's URL (/verify/rpc) is known.
      ...(verifyPage ? { verifyPage: () => verifyPage! } : {}),
      ...(holderPage ? { holderPage } : {}),
      ...(worker ? { worker } : {}),
      verifier:
        options.verifier ??
        createVerification({ rpcUrl: config.rpcUrl, registry: chain.registry, chainId: chain.chainId }),
    });
    const listening = await new Promise<{ server: ServerType; port: number }>((resolve, reject) => {
      const s = serve({ fetch: app.fetch, hostname: config.host, port: config.port }, (info: AddressInfo) =>
        resolve({ server: s, port: info.port }),
      );
      s.once("error", reject);
    });
    server = listening.server;
    const url = `http://${config.host.includes(":") ? `[${config.host}]` : config.host}:${listening.port}`;
    if (derivedUrl) {
      config.publicUrl = url;
      if (derivedVerify) config.verifyUrl = `${url}/verify`;
      if (derivedRpc) {
        config.publicRpcUrl = `${url}/verify/rpc`;
        if (verifyPage) verifyPage = loadVerifyPage(config, chain, logger) ?? verifyPage;
      }
    }
    logger.info(
      {
        url,
        dialect: store.db.dialect,
        chainId: chain.chainId,
        registry: chain.registry,
        signer: options.signer.address,
      },
      "intyg service listening",
    );
    let stopped: Promise<void> | null = null;
    return {
      url,
      port: listening.port,
      app,
      store,
      chain,
      worker,
      logger,
      stop() {
        stopped ??= (async () => {
          await new Promise<void>((resolve) => {
            server!.close(() => resolve());
            (server as unknown as { closeIdleConnections?: () => void }).closeIdleConnections?.();
          });
          if (worker) await worker.stop();
          if (ownStore) await store.close();
          logger.info("intyg service stopped");
        })();
        return stopped;
      },
    };
  } catch (error) {
    if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
    if (worker) await worker.stop().catch(() => undefined);
    if (ownStore) await store.close().catch(() => undefined);
    throw error;
  }
}
