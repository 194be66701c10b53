import { randomBytes } from "node:crypto";
import { expect } from "chai";
import { privateKeyToAccount } from "viem/accounts";
import { type ChainClient, createChainClient } from "../../src/chain/client";
import { type Clock, systemClock } from "../../src/clock";
import { DEFAULT_WORKER_CONFIG, defaultConfig, type ServiceConfig } from "../../src/config";
import { createKeyDirectory, type KeyDirectory } from "../../src/keys/directory";
import { type Logger, silentLogger } from "../../src/logger";
import { type Keyring, keyringFromText } from "../../src/privacy/keyring";
import { privateKeySigner, type Signer } from "../../src/signer";
import type { NewCredential, Store } from "../../src/store/store";
import type { Organisation } from "../../src/store/types";
import { DEMO_PROFILE, type Deployment, deployFresh } from "./chain";
import { openTestStore, type StoreKind } from "./stores";

export { DEMO_PROFILE };

export const CONFERENCE = {
  name: "Offentliga Rummet 2026",
  description: "Den offentliga sektorns största mötesplats för digitalisering",
  startDate: "2026-05-12",
  endDate: "2026-05-14",
  location: "Svenska Mässan, Göteborg",
  parts: [
    { id: "natverk", name: "Nätverksdag", kind: "networking" as const, date: "2026-05-12" },
    { id: "seminarier", name: "Seminariedagar", kind: "seminar" as const, date: "2026-05-13" },
    { id: "hackathon", name: "Hackathon: tillförlitliga data i vård och skola", kind: "hackathon" as const },
  ],
};

export type Harness = {
  kind: StoreKind;
  deployment: Deployment;
  store: Store;
  signer: Signer;
  /** The KEK of this run, and the directory of organisations' own keys it opens. */
  keyring: Keyring;
  keys: KeyDirectory;
  chain: ChainClient;
  clock: Clock;
  logger: Logger;
  config: ServiceConfig;
  organisation: Organisation;
  apiKey: string;
  close(): Promise<void>;
};

export type HarnessOptions = {
  config?: Partial<ServiceConfig>;
  logger?: Logger;
  clock?: Clock;
  deployment?: Deployment;
};

/** A store of `kind`, a fresh registry, a signer, a chain client and one organisation with an API key. */
export async function createHarness(kind: StoreKind, options: HarnessOptions = {}): Promise<Harness> {
  const deployment = options.deployment ?? (await deployFresh());
  const clock = options.clock ?? systemClock;
  const store = await openTestStore(kind, clock);
  const signer = privateKeySigner(deployment.signerKey);
  const chain = await createChainClient({
    rpcUrl: deployment.rpcUrl,
    registry: deployment.registry,
    signer,
    chainId: deployment.chainId,
    pollingIntervalMs: 50,
  });
  const config = defaultConfig({
    rpcUrl: deployment.rpcUrl,
    registry: deployment.registry,
    port: 0,
    publicUrl: "http://127.0.0.1:8787",
    ...options.config,
    worker: {
      ...DEFAULT_WORKER_CONFIG,
      pollIntervalMs: 50,
      requestTtlSeconds: 3600,
      retryBaseMs: 50,
      retryMaxMs: 500,
      ...options.config?.worker,
    },
  });
  // A KEK of this run only: organisations' own keys are sealed by it, as INTYG_KEK would in a service.
  const keyring = keyringFromText(`test:${randomBytes(32).toString("base64")}`);
  const keys = createKeyDirectory({ store, keyring });
  const organisation = await store.organisations.create({
    name: DEMO_PROFILE.name,
    chainOrganisationId: deployment.organisationId,
    profile: DEMO_PROFILE,
  });
  const { secret } = await store.apiKeys.create(organisation.id, "test");
  return {
    kind,
    deployment,
    store,
    signer,
    keyring,
    keys,
    chain,
    clock,
    logger: options.logger ?? silentLogger(),
    config,
    organisation,
    apiKey: secret,
    close: () => store.close(),
  };
}

export const signerAddress = (h: Harness) => privateKeyToAccount(h.deployment.signerKey).address;

// -- the HTTP app on top of a harness ---------------------------------------------------------------------------

import { createApp } from "../../src/http/app";
import type { CredentialVerifier } from "../../src/http/context";
import { type StartWorkerOptions, startWorker, type Worker } from "../../src/worker/worker";

export type AppHarness = Harness & {
  app: ReturnType<typeof createApp>;
  worker: Worker;
  /** app.request with the API key (unless `auth: null`) and JSON body handling. */
  call(
    method: string,
    path: string,
    options?: { body?: unknown; raw?: string; headers?: Record<string, string>; auth?: string | null },
  ): Promise<Response>;
};

export async function createAppHarness(
  kind: StoreKind,
  options: HarnessOptions & {
    verifier?: CredentialVerifier;
    autoStartWorker?: boolean;
    /** Options of the worker (e.g. its mail transport, or `mail: false`). */
    worker?: Omit<StartWorkerOptions, "autoStart">;
  } = {},
): Promise<AppHarness> {
  const h = await createHarness(kind, options);
  const worker = startWorker(h, { ...options.worker, autoStart: options.autoStartWorker ?? true });
  const app = createApp({ ...h, worker, ...(options.verifier ? { verifier: options.verifier } : {}) });
  const call: AppHarness["call"] = (method, path, callOptions = {}) => {
    const headers: Record<string, string> = { ...callOptions.headers };
    const auth = callOptions.auth === undefined ? h.apiKey : callOptions.auth;
    if (auth !== null) headers.authorization = `Bearer ${auth}`;
    let body: string | undefined;
    if (callOptions.raw !== undefined) body = callOptions.raw;
    else if (callOptions.body !== undefined) body = JSON.stringify(callOptions.body);
    if (body !== undefined && !Object.keys(headers).some((k) => k.toLowerCase() === "content-type")) {
      headers["content-type"] = "application/json";
    }
    return Promise.resolve(app.request(path, { method, headers, ...(body !== undefined ? { body } : {}) }));
  };
  return {
    ...h,
    app,
    worker,
    call,
    async close() {
      await worker.stop();
      await h.close();
    },
  };
}

/** Reads a JSON response, failing with the body when the status is not the expected one. */
export async function expectJson<T = Record<string, unknown>>(
  response: Response,
  status: number,
): Promise<T> {
  const text = await response.text();
  if (response.status !== status) {
    throw new Error(`expected ${status}, got ${response.status}: ${text.slice(0, 2000)}`);
  }
  return JSON.parse(text) as T;
}

/** Polls until `check` returns a value (not undefined), or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  timeoutMs = 30_000,
  stepMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, stepMs));
  }
}

/** Checks an RFC 9457 problem response (and the request id header) and returns its body. */
export async function expectProblem(response: Response, status: number, type?: string) {
  expect(response.status, await response.clone().text()).to.equal(status);
  expect(response.headers.get("content-type")).to.match(/^application\/problem\+json/);
  expect(response.headers.get("x-request-id")).to.be.a("string").and.not.empty;
  const problem = (await response.json()) as Record<string, unknown>;
  expect(problem.status).to.equal(status);
  expect(problem.title).to.be.a("string");
  expect(problem.detail).to.be.a("string");
  expect(problem.instance).to.be.a("string");
  expect(problem.type).to.match(/^https:\/\/intyg\.se\/problems\//);
  if (type) expect(problem.type).to.equal(`https://intyg.se/problems/${type}`);
  return problem;
}

// -- issuing without HTTP ---------------------------------------------------------------------------------------

import { createEvent } from "../../src/events";
import { type IssuanceContext, prepareCredentials } from "../../src/issuance";
import { BATCH_AT_ISSUANCE_MIN } from "../../src/issuance-batches";
import type { EventRecord } from "../../src/store/types";

export async function registeredEvent(h: Harness, details = CONFERENCE): Promise<EventRecord> {
  return createEvent(h, h.organisation, { kind: "event", details });
}

/** What issuing for `event` takes, with the harness's signer, clock and configuration. */
export function issuanceContextOf(h: Harness, event: EventRecord): IssuanceContext {
  return {
    anchorage: { chainId: h.chain.chainId, registry: h.chain.registry },
    organisation: h.organisation,
    event,
    signer: async () => h.signer,
    clock: h.clock,
    requestTtlSeconds: 3600,
    maxBatchSize: h.config.worker.maxBatchSize,
    publicUrl: h.config.publicUrl,
  };
}

/** Stores `n` pending batch credentials for `event` (for the worker to batch) and returns their ids. */
export async function queueCredentials(
  h: Harness,
  event: EventRecord,
  n: number,
  tag = "Deltagare",
): Promise<string[]> {
  const context = issuanceContextOf(h, event);
  // Prepared in pieces smaller than an issuance batches itself, and written at once: every one stays pending,
  // for the worker to build into batches.
  const credentials: NewCredential[] = [];
  for (let from = 0; from < n; from += BATCH_AT_ISSUANCE_MIN - 1) {
    const attendees = Array.from({ length: Math.min(BATCH_AT_ISSUANCE_MIN - 1, n - from) }, (_, i) => ({
      subject: { name: `${tag} ${from + i}` },
    }));
    credentials.push(...(await prepareCredentials(context, attendees)).credentials);
  }
  await h.store.issuance.commit({
    organisationId: h.organisation.id,
    requestHash: "",
    response: { status: 201, body: {} },
    credentials,
  });
  return credentials.map((c) => c.id);
}
