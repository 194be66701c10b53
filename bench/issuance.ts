// Issuance throughput: bulk issuance of 1,000 and 10,000 credentials over HTTP to the real issuer service
// (startService: Hono on loopback, the anchoring worker, a real `hardhat node`), on the embedded PGlite store
// and on PostgreSQL, timed from the request until every credential is anchored on chain; then single-credential
// requests under concurrency (autocannon in a child process: requests per second, p50/p99 latency).
// Baselines of the same process and run: viem `signTypedData` of an IssueRequest per second and node's OpenSSL
// ECDSA (secp256k1, SHA-256) signatures per second. Target (README § Throughput): 1,000 credentials in ≤ 2 s on 2 cores.
//
//   pnpm bench issuance                 (INTYG_BENCH_QUICK=1 skips the 10,000-credential cases;
//                                        INTYG_BENCH_STORES=pglite runs one store; INTYG_BENCH_LOAD_SECONDS=10;
//                                        INTYG_ISSUANCE_THREADS=0 keeps building and sealing on the event loop)

import { spawn } from "node:child_process";
import { generateKeyPairSync, randomBytes, sign } from "node:crypto";
import { Writable } from "node:stream";
import { buildIssueRequest, issueRequestTypedData } from "@intyg/credential";
import { DEV_PRIVATE_KEYS } from "@intyg/devchain";
import {
  bootstrap,
  createLogger,
  createStore,
  defaultConfig,
  dropPostgresSchema,
  issuanceThreadsReady,
  privateKeySigner,
  type RunningService,
  type Store,
  startService,
} from "@intyg/service";
import { account, attendeeSubject, type BenchChain, CONFERENCE, PROFILE, startBenchChain } from "./chain";
import {
  createReport,
  machine,
  markdownTable,
  percentile,
  profiled,
  quickMode,
  ratePerSecond,
  round,
  since,
  sleep,
  writeResult,
} from "./lib";

// A PostgreSQL store needs a key-encryption key for the personal data it seals: one for this run unless given.
process.env.INTYG_KEK ??= `bench:${randomBytes(32).toString("base64")}`;

const DATABASE_URL = process.env.INTYG_BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const STORES = (process.env.INTYG_BENCH_STORES ?? "pglite,postgres").split(",") as StoreKind[];
const LOAD_SECONDS = Number(process.env.INTYG_BENCH_LOAD_SECONDS ?? 10);
const LOAD_CONNECTIONS = Number(process.env.INTYG_BENCH_LOAD_CONNECTIONS ?? 10);
const SIZES = quickMode() ? [1_000] : [1_000, 10_000];
/** Bulk issuances of 1,000 per store (the median is reported; 10,000 runs once). */
const ROUNDS_1000 = Number(process.env.INTYG_BENCH_BULK_ROUNDS ?? 3);
const TARGET = { credentials: 1000, maxMs: 2000 };
/**
 * The stricter targets for 1,000 on a quiet machine, per store: time until anchored, and credentials per second
 * as a share of the same run's viem signing rate.
 */
const QUIET_TARGET: Record<StoreKind, { maxMs: number; minVsViemSignRate: number }> = {
  pglite: { maxMs: 1000, minVsViemSignRate: 0.6 },
  postgres: { maxMs: 600, minVsViemSignRate: 0.9 },
};

type StoreKind = "pglite" | "postgres";

function attendee(i: number) {
  return { subject: attendeeSubject(i), reference: `ref-${i}` };
}

// -- baselines -------------------------------------------------------------------------------------------------

async function baselines() {
  const signer = account(2);
  const typedData = (n: number) =>
    issueRequestTypedData(
      31337,
      "0x5FbDB2315678afecb367f032d93F642f64180aa3",
      buildIssueRequest({
        commitment: `0x${n.toString(16).padStart(64, "0")}`,
        eventId: (1n << 32n) | 1n,
        validUntil: 0n,
        batchSize: 1000,
        deadline: 2_000_000_000n,
      }),
    );
  const viemSign = await ratePerSecond((n) => signer.signTypedData(typedData(n)), 1500);
  const { privateKey } = generateKeyPairSync("ec", { namedCurve: "secp256k1" });
  const message = randomBytes(32);
  const nodeSign = await ratePerSecond((n) => {
    message[0] = n & 0xff;
    return sign("sha256", message, privateKey);
  }, 1500);
  return {
    viemSignTypedDataPerSecond: Math.round(viemSign),
    nodeEcdsaSecp256k1SignPerSecond: Math.round(nodeSign),
  };
}

// -- the service -----------------------------------------------------------------------------------------------

/** Log lines of the worker, with the time they were written (phases of a bulk issuance). */
type Marks = { msg: string; at: number; size?: number; count?: number }[];

async function openStore(kind: StoreKind): Promise<{ store: Store; drop(): Promise<void> }> {
  if (kind === "pglite") return { store: await createStore({}), drop: async () => {} };
  const schema = `intyg_bench_${process.pid}_${randomBytes(4).toString("hex")}`;
  const store = await createStore({ databaseUrl: DATABASE_URL, schema });
  // The key vault lives in a schema of its own beside the store's (`<schema>_keys`): both go.
  const drop = async () => {
    await dropPostgresSchema(DATABASE_URL, schema);
    await dropPostgresSchema(DATABASE_URL, `${schema}_keys`);
  };
  return { store, drop };
}

/** Marks the start and end of the store calls of an issuance (INTYG_BENCH_TRACE=1; =all for every
 * repository call and every statement of 5 ms or more): where the time goes. */
function traceStore(store: Store, marks: Marks) {
  const wrap = (object: Record<string, unknown>, name: string, label: string) => {
    const original = object[name] as (...args: unknown[]) => Promise<unknown>;
    object[name] = async (...args: unknown[]) => {
      marks.push({ msg: `${label} start`, at: performance.now() });
      try {
        return await original.apply(object, args);
      } finally {
        marks.push({ msg: `${label} end`, at: performance.now() });
      }
    };
  };
  if (process.env.INTYG_BENCH_TRACE === "all") {
    // Every repository call, and every statement with the start of its SQL: the finest account of the time.
    for (const [repository, object] of Object.entries(store))
      if (object && typeof object === "object" && !["db", "clock"].includes(repository))
        for (const name of Object.keys(object))
          if (typeof (object as Record<string, unknown>)[name] === "function")
            wrap(object as never, name, `${repository}.${name}`);
    type Queries = { query: (sql: string, ...rest: unknown[]) => Promise<unknown> };
    const traced = (target: Queries) => {
      const query = target.query;
      target.query = async (sql: string, ...rest: unknown[]) => {
        const at = performance.now();
        try {
          return await query.call(target, sql, ...rest);
        } finally {
          const ms = performance.now() - at;
          if (ms >= 5)
            marks.push({ msg: `  ${round(ms, 1)} ms: ${sql.replace(/\s+/g, " ").slice(0, 90)}`, at });
        }
      };
      return target;
    };
    type Transactions = { transaction: (fn: (tx: Queries) => Promise<unknown>) => Promise<unknown> };
    const db = traced(store.db as unknown as Queries) as Queries & Transactions;
    const transaction = db.transaction;
    db.transaction = (fn) => transaction.call(db, (tx) => fn(traced(tx)));
    return;
  }
  wrap(store.issuance as never, "commit", "issuance.commit");
  wrap(store.jobs as never, "complete", "jobs.complete");
  wrap(store.anchoring as never, "createBatch", "anchoring.createBatch");
  wrap(store.operations as never, "recordHash", "operations.recordHash");
  wrap(store.operations as never, "settle", "operations.settle");
}

type Running = {
  service: RunningService;
  apiKey: string;
  marks: Marks;
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
  json<T>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<T>;
  stop(): Promise<void>;
};

async function startIssuer(chain: BenchChain, kind: StoreKind): Promise<Running> {
  const { store, drop } = await openStore(kind);
  const marks: Marks = [];
  if (process.env.INTYG_BENCH_TRACE) traceStore(store, marks);
  // The service logs at its default level (info, one line per request); the worker's lines mark the phases.
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      const line = chunk.toString();
      if (line.includes('"component":"worker"')) {
        const at = performance.now();
        const parsed = JSON.parse(line) as { msg: string; size?: number; count?: number };
        marks.push({ msg: parsed.msg, at, size: parsed.size, count: parsed.count });
      }
      callback();
    },
  });
  const config = defaultConfig({
    rpcUrl: chain.rpcUrl,
    registry: chain.registry,
    port: 0,
    publicUrl: "http://127.0.0.1:8787",
    // The per-key limit (1,200 a minute) would turn the load test into a test of the limiter.
    rateLimit: { requests: 1_000_000_000, windowMs: 60_000 },
    // INTYG_ISSUANCE_THREADS=0 measures the service with building and sealing on its event loop.
    ...(process.env.INTYG_ISSUANCE_THREADS
      ? { issuanceThreads: Number(process.env.INTYG_ISSUANCE_THREADS) }
      : {}),
    // And so would the organisation's limits (one organisation issues everything here).
    organisationLimits: {
      requests: 1_000_000_000,
      windowMs: 60_000,
      credentials: 1_000_000_000,
      credentialWindowMs: 3_600_000,
    },
  });
  const service = await startService({
    config,
    signer: privateKeySigner(DEV_PRIVATE_KEYS[2]),
    relayer: privateKeySigner(DEV_PRIVATE_KEYS[3]),
    logger: createLogger({ level: "info", destination: destination as never }),
    store,
  });
  // The issuance threads load while the service starts (in a deployment, long before its first bulk): the
  // measured issuances begin once they have, as they begin once the JIT is warm.
  for (
    let waited = 0;
    process.env.INTYG_ISSUANCE_THREADS !== "0" && !issuanceThreadsReady() && waited < 30_000;
    waited += 50
  )
    await sleep(50);
  const { secret } = await bootstrap(
    store,
    { profile: PROFILE, chainOrganisationId: chain.organisationId },
    { rpcUrl: chain.rpcUrl, registry: chain.registry },
  );
  const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    fetch(`${service.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${secret}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const json = async <T>(method: string, path: string, body?: unknown, headers?: Record<string, string>) => {
    const response = await call(method, path, body, headers);
    const text = await response.text();
    if (response.status >= 300)
      throw new Error(`${method} ${path}: ${response.status} ${text.slice(0, 500)}`);
    return JSON.parse(text) as T;
  };
  return {
    service,
    apiKey: secret,
    marks,
    call,
    json,
    async stop() {
      await service.stop();
      await store.close();
      await drop();
    },
  };
}

async function createEvent(issuer: Running, name: string): Promise<string> {
  const event = await issuer.json<{ id: string; status: string }>("POST", "/v1/events", {
    kind: "event",
    details: { ...CONFERENCE, name },
  });
  if (event.status !== "registered") throw new Error(`event ${event.id} is ${event.status}`);
  return event.id;
}

type Counts = Record<string, number>;

async function counts(issuer: Running, eventId: string): Promise<Counts> {
  return (await issuer.json<{ credentials: Counts }>("GET", `/v1/events/${eventId}`)).credentials ?? {};
}

/** Polls the event's credential counts until `n` are anchored; the first times `n` were stored and anchored. */
async function untilAnchored(issuer: Running, eventId: string, n: number, start: number, timeoutMs: number) {
  let storedMs: number | null = null;
  for (;;) {
    const c = await counts(issuer, eventId);
    const total = Object.values(c).reduce((a, b) => a + b, 0);
    if (storedMs === null && total >= n) storedMs = since(start);
    if ((c.anchored ?? 0) >= n) return { storedMs: storedMs ?? since(start), anchoredMs: since(start) };
    if ((c.failed ?? 0) > 0) throw new Error(`credentials failed: ${JSON.stringify(c)}`);
    if (performance.now() - start > timeoutMs) throw new Error(`not anchored in time: ${JSON.stringify(c)}`);
    await sleep(10);
  }
}

/**
 * Asks `/healthz` every 20 ms until stopped (one request at a time): how long other requests wait while a bulk
 * issuance runs (its building and sealing should leave the event loop free).
 */
function probeHealth(issuer: Running) {
  const latencies: number[] = [];
  let errors = 0;
  let running = true;
  const done = (async () => {
    while (running) {
      const start = performance.now();
      try {
        const response = await fetch(`${issuer.service.url}/healthz`);
        await response.arrayBuffer();
      } catch {
        // A kept-alive connection the server closed while its event loop was held (PGlite's one session during a
        // large insert): counted, and its time until the failure kept as a probe's.
        errors++;
      }
      latencies.push(performance.now() - start);
      await sleep(20);
    }
  })();
  return async () => {
    running = false;
    await done;
    const sorted = latencies.sort((a, b) => a - b);
    return {
      healthProbes: sorted.length,
      healthP50Ms: round(percentile(sorted, 50), 1),
      healthP99Ms: round(percentile(sorted, 99), 1),
      healthMaxMs: round(sorted.at(-1) ?? Number.NaN, 1),
      healthErrors: errors,
    };
  };
}

async function bulk(issuer: Running, size: number, store: StoreKind) {
  const eventId = await createEvent(issuer, `Bulk ${size} ${store}`);
  const attendees = Array.from({ length: size }, (_, i) => attendee(i));
  global.gc?.();
  issuer.marks.length = 0;
  const start = performance.now();
  const cpu = process.cpuUsage();
  let respondedMs = 0;
  const stopProbe = size >= 10_000 ? probeHealth(issuer) : null;
  const { response, storedMs, anchoredMs } = await profiled(`bulk-${store}-${size}`, async () => {
    const response = await issuer.call(
      "POST",
      `/v1/events/${eventId}/credentials/bulk`,
      { attendees },
      { "idempotency-key": `bulk-${eventId}` },
    );
    respondedMs = since(start);
    const text = await response.text();
    if (response.status !== 201 && response.status !== 202) {
      throw new Error(`bulk ${size}: ${response.status} ${text.slice(0, 500)}`);
    }
    return { response, ...(await untilAnchored(issuer, eventId, size, start, 600_000)) };
  });
  const markAt = (msg: string) => {
    const mark = issuer.marks.find((m) => m.msg === msg);
    return mark ? round(mark.at - start, 1) : null;
  };
  const cpuUsed = process.cpuUsage(cpu);
  const health = stopProbe ? await stopProbe() : null;
  const batches = issuer.marks.filter((m) => m.msg === "batch anchored").length;
  if (process.env.INTYG_BENCH_TRACE) {
    console.log(issuer.marks.map((m) => `  ${round(m.at - start, 1)} ms ${m.msg}`).join("\n"));
  }
  return {
    store,
    size,
    status: response.status,
    respondedMs,
    storedMs,
    jobDoneMs: markAt("bulk job done"),
    batchRecordedMs: markAt("batch recorded"),
    anchoredMs,
    /** CPU time of this process (service, worker, PGlite, the polling client) over the whole issuance. */
    processCpuMs: Math.round((cpuUsed.user + cpuUsed.system) / 1000),
    batches,
    credentialsPerSecond: Math.round(size / (anchoredMs / 1000)),
    /** `/healthz` answered while the bulk ran (10,000 only): p50, p99 and slowest, ms. */
    ...(health ?? {}),
  };
}

// -- single credentials under concurrency ----------------------------------------------------------------------

type AutocannonResult = {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number; max: number };
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  "2xx": number;
};

function autocannon(url: string, apiKey: string, body: string): Promise<AutocannonResult> {
  const args = [
    require.resolve("autocannon/autocannon.js"),
    "--json",
    "-c",
    String(LOAD_CONNECTIONS),
    "-d",
    String(LOAD_SECONDS),
    "-m",
    "POST",
    "-H",
    `authorization=Bearer ${apiKey}`,
    "-H",
    "content-type=application/json",
    "-b",
    body,
    url,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      err += d.toString();
    });
    child.on("error", reject);
    child.on("exit", (code) => {
      if (code !== 0) return reject(new Error(`autocannon exited ${code}: ${err.slice(-1000)}`));
      try {
        resolve(JSON.parse(out) as AutocannonResult);
      } catch {
        reject(new Error(`autocannon output: ${out.slice(0, 500)} ${err.slice(-500)}`));
      }
    });
  });
}

async function singles(issuer: Running, store: StoreKind) {
  const eventId = await createEvent(issuer, `Singles ${store}`);
  // Warm the route (JIT, prepared paths) with a few requests before the measured run.
  for (let i = 0; i < 20; i++) await issuer.json("POST", `/v1/events/${eventId}/credentials`, attendee(i));
  const warm = (await counts(issuer, eventId)).pending ?? 0;
  global.gc?.();
  const start = performance.now();
  const cpu = process.cpuUsage();
  const result = await profiled(`singles-${store}`, () =>
    autocannon(
      `${issuer.service.url}/v1/events/${eventId}/credentials`,
      issuer.apiKey,
      JSON.stringify(attendee(1)),
    ),
  );
  const loadMs = since(start);
  const cpuUsed = process.cpuUsage(cpu);
  const issued = result["2xx"] + 20;
  // Every credential the load issued is then anchored (the worker batches them while the load runs).
  const { anchoredMs } = await untilAnchored(issuer, eventId, issued, start, 600_000);
  return {
    store,
    connections: LOAD_CONNECTIONS,
    seconds: LOAD_SECONDS,
    requests: result.requests.total,
    ok: result["2xx"],
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    requestsPerSecond: round(result.requests.average, 1),
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    latencyMaxMs: result.latency.max,
    allAnchoredAfterMs: round(anchoredMs - loadMs, 0),
    /**
     * CPU time of this process (service, worker, database; not autocannon) per request of the load: comparable
     * across runs on a busy machine, where requests per second are not (its fixed share, the worker polling the
     * chain, weighs more at a lower rate).
     */
    cpuMsPerRequest: round((cpuUsed.user + cpuUsed.system) / 1000 / Math.max(1, result.requests.total), 2),
    warmup: warm,
  };
}

// -- main ------------------------------------------------------------------------------------------------------

async function main() {
  const started = performance.now();
  const base = await baselines();
  console.log(
    `baseline: viem signTypedData ${base.viemSignTypedDataPerSecond}/s, node ECDSA secp256k1 sign ${base.nodeEcdsaSecp256k1SignPerSecond}/s`,
  );
  const chain = await startBenchChain();
  const bulkRows: (Awaited<ReturnType<typeof bulk>> & {
    roundsAnchoredMs: number[];
    firstAnchoredMs: number | null;
  })[] = [];
  const singleRows: Awaited<ReturnType<typeof singles>>[] = [];
  try {
    for (const kind of STORES) {
      const issuer = await startIssuer(chain, kind);
      try {
        // First small issuances warm every path (JIT, PGlite's caches, the chain client): one the worker
        // gathers into a batch, one large enough to be a batch of its own at issuance.
        await bulk(issuer, 50, kind);
        await bulk(issuer, 100, kind);
        for (const size of SIZES) {
          // 1,000: a first round after the start (the service's first large issuance: its paths compile, PGlite's
          // memory grows), reported apart, then the rounds whose median is the row.
          const first = size === 1_000 ? await bulk(issuer, size, kind) : null;
          if (first) console.log(`${kind} bulk ${size} (first): ${JSON.stringify(first)}`);
          const rounds: Awaited<ReturnType<typeof bulk>>[] = [];
          for (let r = 0; r < (size === 1_000 ? Math.max(1, ROUNDS_1000) : 1); r++) {
            rounds.push(await bulk(issuer, size, kind));
            console.log(`${kind} bulk ${size}: ${JSON.stringify(rounds.at(-1))}`);
          }
          // The median round by time until anchored, with every round's time beside it.
          const median = [...rounds].sort((a, b) => a.anchoredMs - b.anchoredMs)[(rounds.length - 1) >> 1]!;
          bulkRows.push({
            ...median,
            roundsAnchoredMs: rounds.map((r) => r.anchoredMs),
            firstAnchoredMs: first?.anchoredMs ?? null,
          });
        }
        if (LOAD_SECONDS > 0) {
          const row = await singles(issuer, kind);
          singleRows.push(row);
          console.log(`${kind} singles: ${JSON.stringify(row)}`);
        }
      } finally {
        await issuer.stop();
      }
    }
  } finally {
    await chain.stop();
  }

  const signMsFor1000 = 1_000_000 / base.viemSignTypedDataPerSecond;
  const rows = bulkRows.map((r) => ({
    ...r,
    vsViemSignRate: round(r.credentialsPerSecond / base.viemSignTypedDataPerSecond, 2),
    vsNodeSignRate: round(r.credentialsPerSecond / base.nodeEcdsaSecp256k1SignPerSecond, 2),
    meetsTarget: r.size === TARGET.credentials ? r.anchoredMs <= TARGET.maxMs : undefined,
    meetsQuietTarget: r.size === TARGET.credentials ? r.anchoredMs <= QUIET_TARGET[r.store].maxMs : undefined,
    meetsSignRateTarget:
      r.size === TARGET.credentials
        ? r.credentialsPerSecond / base.viemSignTypedDataPerSecond >= QUIET_TARGET[r.store].minVsViemSignRate
        : undefined,
  }));
  const singlesOut = singleRows.map((r) => ({
    ...r,
    vsViemSignRate: round(r.requestsPerSecond / base.viemSignTypedDataPerSecond, 2),
  }));
  const result = {
    benchmark: "issuance",
    machine: machine(),
    command: "pnpm bench issuance",
    target: TARGET,
    baseline: { ...base, msFor1000ViemSignatures: Math.round(signMsFor1000) },
    rows,
    singles: singlesOut,
    summary: {
      bulk1000Ms: Object.fromEntries(rows.filter((r) => r.size === 1000).map((r) => [r.store, r.anchoredMs])),
      bulkCredentialsPerSecond: Object.fromEntries(
        rows.map((r) => [`${r.store}_${r.size}`, r.credentialsPerSecond]),
      ),
      singleRequestsPerSecond: Object.fromEntries(singlesOut.map((r) => [r.store, r.requestsPerSecond])),
      viemSignTypedDataPerSecond: base.viemSignTypedDataPerSecond,
      totalSeconds: Math.round((performance.now() - started) / 1000),
    },
  };
  const report = createReport("Issuance");

  report.print(
    `\nBaseline (same process): viem signTypedData ${base.viemSignTypedDataPerSecond}/s (1,000 in ${Math.round(signMsFor1000)} ms); node ECDSA secp256k1 sign ${base.nodeEcdsaSecp256k1SignPerSecond}/s\n`,
  );
  report.print(
    markdownTable(
      [
        "store",
        "credentials",
        "HTTP response (ms)",
        "batch recorded (ms)",
        "all anchored (ms)",
        "credentials/s",
        "× viem sign rate",
        "× node sign rate",
        "target ≤ 2 s",
        "quiet-machine target (time; × viem sign rate)",
        "rounds (all anchored, ms; the first after the start apart)",
      ],
      rows.map((r) => [
        r.store,
        r.size,
        r.respondedMs,
        r.batchRecordedMs ?? "at issuance",
        r.anchoredMs,
        r.credentialsPerSecond,
        r.vsViemSignRate,
        r.vsNodeSignRate,
        r.meetsTarget === undefined ? "" : r.meetsTarget ? "yes" : "no",
        r.meetsQuietTarget === undefined
          ? ""
          : `≤ ${QUIET_TARGET[r.store].maxMs} ms: ${r.meetsQuietTarget ? "yes" : "no"}; ≥ ${QUIET_TARGET[r.store].minVsViemSignRate}: ${r.meetsSignRateTarget ? "yes" : "no"}`,
        `${r.roundsAnchoredMs.join(", ")}${r.firstAnchoredMs === null ? "" : ` (first: ${r.firstAnchoredMs})`}`,
      ]),
    ),
  );
  report.print(
    `\n1,000: the median of ${Math.max(1, ROUNDS_1000)} rounds by time until anchored (every round in the last column), after a first round of 1,000 after the start, reported apart (its code still compiling); 10,000: one round. A bulk of 100 to 2,000 credentials of one validity is a batch of its own: its tree is built and its root signed while the request is served, and the batch is written with its members ("at issuance"); the worker only sends it. A larger one (10,000, a job) is written pending and batched by the worker. Quiet-machine targets: ≤ 1 s on the embedded store and ≤ 0.6 s on PostgreSQL, at ≥ 0.6× and ≥ 0.9× the viem signing rate of the same run.\n`,
  );
  const probed = rows.filter((r) => "healthP99Ms" in r);
  if (probed.length > 0) {
    report.print("\n`/healthz` asked every 20 ms while a bulk issuance ran, until all were anchored:\n");
    report.print(
      markdownTable(
        ["store", "credentials", "probes", "p50 (ms)", "p99 (ms)", "max (ms)", "connection errors"],
        probed.map((r) => [
          r.store,
          r.size,
          r.healthProbes,
          r.healthP50Ms,
          r.healthP99Ms,
          r.healthMaxMs,
          r.healthErrors,
        ]),
      ),
    );
  }
  report.print(
    `\nSingle-credential requests, ${LOAD_CONNECTIONS} connections for ${LOAD_SECONDS} s (autocannon in a child process):\n`,
  );
  report.print(
    markdownTable(
      [
        "store",
        "requests/s",
        "p50 (ms)",
        "p99 (ms)",
        "max (ms)",
        "non-2xx",
        "errors",
        "× viem sign rate",
        "all anchored after load (ms)",
        "CPU ms / request",
      ],
      singlesOut.map((r) => [
        r.store,
        r.requestsPerSecond,
        r.latencyP50Ms,
        r.latencyP99Ms,
        r.latencyMaxMs,
        r.non2xx,
        r.errors,
        r.vsViemSignRate,
        r.allAnchoredAfterMs,
        r.cpuMsPerRequest,
      ]),
    ),
  );
  const file = writeResult("issuance", result, report.markdown());
  console.log(`\nwritten ${file}`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
