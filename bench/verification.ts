// Verification throughput: one credential (latency), and 1,000 / 10,000 credentials of one batch, verified
// against a local `hardhat node` (online: batched JSON-RPC reads pinned to one block) and on a registry snapshot
// (offline), in credentials per second; and 1,000 single (unbatched) credentials for contrast — each of those
// carries its own signature. Baseline of the same process and run: viem `recoverAddress` per second (the raw
// public-key recovery rate). Target (README § Throughput): 1,000 credentials in ≤ 2 s.
// Inputs are the credentials' JSON texts, as a verifier receives them.
//
//   pnpm bench verification          (INTYG_BENCH_QUICK=1 skips the 10,000-credential cases)

import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { buildBatch, type Credential, signBatch, signCredential } from "@intyg/credential";
import { localChain } from "@intyg/devchain";
import { intygRegistryAbi } from "@intyg/registry";
import {
  parseSnapshot,
  recordSnapshot,
  type VerificationReport,
  verifyCredential,
  verifyCredentials,
} from "@intyg/verifier";
import { prestartVerificationThreads, verifyCredentialsInParallel } from "@intyg/verifier/pool";
import {
  createPublicClient,
  createWalletClient,
  encodeFunctionData,
  type Hex,
  http,
  keccak256,
  type PublicClient,
  recoverAddress,
} from "viem";
import { buildCli } from "../packages/cli/src/build";
import { account, type BenchChain, type BenchEvent, createBenchEvent, startBenchChain } from "./chain";
import { type CoreCeiling, coreCeiling } from "./cores";
import { counted, engineInUse, keccakCeilingMs, rawRecoveryRate } from "./count";
import {
  createReport,
  machine,
  markdownTable,
  profiled,
  quickMode,
  ratePerSecond,
  round,
  since,
  writeResult,
} from "./lib";
import { easPeer, openAttestationBatch, verifyEas, verifyOpenAttestation } from "./peers";

const TARGET = { credentials: 1000, maxMs: 2000 };
const LATENCY_RUNS = 20;
const POOL_ROUNDS = 3;
/** Untimed runs of each way before a row's rounds (see the rows). */
const POOL_WARMUP_RUNS = 2;
const CASE_RUNS = 3;
/** Runs of the keccak ceiling and of the verification it is compared with (the best of each). */
const CEILING_RUNS = 5;

// -- baseline --------------------------------------------------------------------------------------------------

async function recoveryRate(): Promise<number> {
  const signer = account(2);
  const hash = keccak256("0x1234");
  const signature = await signer.sign({ hash });
  return ratePerSecond(() => recoverAddress({ hash, signature }), 1500);
}

// -- credentials on chain --------------------------------------------------------------------------------------

type Issued = BenchEvent;

async function deadline(chain: BenchChain): Promise<bigint> {
  return (await chain.publicClient.getBlock()).timestamp + 3600n;
}

/** `count` credentials in one batch, the root signed once and anchored (anchorBatch). */
async function issueBatch(issued: Issued, count: number, from: number): Promise<string[]> {
  const docs = Array.from({ length: count }, (_, i) => issued.unsigned(from + i));
  const signed = await signBatch(buildBatch(docs), {
    account: account(2),
    deadline: await deadline(issued.chain),
  });
  await issued.chain.write(2, "anchorBatch", [signed.root, signed.eventId, signed.validUntil, signed.size]);
  return signed.credentials.map((c) => JSON.stringify(c));
}

/** `count` single credentials, each signed and anchored on its own (issue by the signing key). */
async function issueSingles(issued: Issued, count: number, from: number): Promise<string[]> {
  const { chain } = issued;
  const signer = account(2);
  const until = await deadline(chain);
  const credentials: Credential[] = [];
  for (let i = 0; i < count; i++) {
    credentials.push(await signCredential(issued.unsigned(from + i), { account: signer, deadline: until }));
  }
  // Sent back to back with explicit nonces and gas (no estimation), then the last receipt awaited.
  const viemChain = localChain(chain.rpcUrl, chain.chainId);
  const wallet = createWalletClient({ chain: viemChain, transport: http(chain.rpcUrl), account: signer });
  let nonce = await chain.publicClient.getTransactionCount({ address: signer.address, blockTag: "pending" });
  const block = await chain.publicClient.getBlock();
  const maxFeePerGas = (block.baseFeePerGas ?? 1_000_000_000n) * 2n + 1_000_000_000n;
  let last: Hex | undefined;
  for (const credential of credentials) {
    last = await wallet.sendTransaction({
      to: chain.registry,
      data: encodeFunctionData({
        abi: intygRegistryAbi,
        functionName: "issue",
        args: [credential.commitment.root as Hex, issued.eventId, 0n],
      }),
      gas: 200_000n,
      maxFeePerGas,
      maxPriorityFeePerGas: 1_000_000_000n,
      nonce: nonce++,
      chain: viemChain,
    });
  }
  const receipt = await chain.publicClient.waitForTransactionReceipt({ hash: last!, pollingInterval: 20 });
  if (receipt.status !== "success") throw new Error("issue reverted");
  return credentials.map((c) => JSON.stringify(c));
}

// -- verification ----------------------------------------------------------------------------------------------

/** A client like the verifier's own (batching HTTP transport), counting HTTP requests. */
function countingClient(rpcUrl: string) {
  const counter = { requests: 0 };
  const client = createPublicClient({
    transport: http(rpcUrl, {
      batch: { batchSize: 500, wait: 0 },
      timeout: 30_000,
      retryCount: 1,
      onFetchRequest: () => {
        counter.requests++;
      },
    }),
  }) as PublicClient;
  return { client, counter };
}

function assertVerified(reports: VerificationReport[], what: string): void {
  const failed = reports.find((r) => !r.verified);
  if (failed) {
    throw new Error(
      `${what}: a credential did not verify: ${failed.checks
        .filter((c) => c.status !== "passed")
        .map((c) => `${c.id} ${c.status} ${c.code}: ${c.message}`)
        .join("; ")}`,
    );
  }
}

type Row = {
  case: string;
  source: "online" | "snapshot";
  credentials: number;
  ms: number;
  credentialsPerSecond: number;
  httpRequests: number | null;
  /** Every run's time, where the case ran more than once (the row is the median run). */
  runsMs?: number[];
};

async function runCase(
  name: string,
  texts: string[],
  source: "online" | "snapshot",
  options: { chain: BenchChain; snapshot: unknown },
): Promise<Row> {
  global.gc?.();
  const counting = source === "online" ? countingClient(options.chain.rpcUrl) : null;
  const start = performance.now();
  const reports = await profiled(`${name}-${source}`, () =>
    verifyCredentials(
      texts,
      counting
        ? { client: counting.client, registry: options.chain.registry }
        : { snapshot: options.snapshot as never, registry: options.chain.registry },
    ),
  );
  const ms = since(start);
  assertVerified(reports, `${name} ${source}`);
  return {
    case: name,
    source,
    credentials: texts.length,
    ms,
    credentialsPerSecond: Math.round(texts.length / (ms / 1000)),
    httpRequests: counting ? counting.counter.requests : null,
  };
}

/** One credential, verified as a one-off (a fresh client and caches each time), `LATENCY_RUNS` times. */
async function latency(
  name: string,
  text: string,
  source: "online" | "snapshot",
  chain: BenchChain,
  snapshot: unknown,
) {
  const times: number[] = [];
  for (let i = 0; i < LATENCY_RUNS; i++) {
    const start = performance.now();
    const report = await verifyCredential(
      text,
      source === "online"
        ? { rpcUrl: chain.rpcUrl, registry: chain.registry }
        : { snapshot: snapshot as never, registry: chain.registry },
    );
    times.push(since(start));
    assertVerified([report], name);
  }
  const sorted = [...times].sort((a, b) => a - b);
  return {
    case: name,
    source,
    firstMs: times[0]!,
    medianMs: sorted[Math.floor(sorted.length / 2)]!,
    minMs: sorted[0]!,
    maxMs: sorted[sorted.length - 1]!,
    runs: LATENCY_RUNS,
  };
}

// Five: a round moves by a fifth either way on these hosts, and the median of three was one round.
const ROUNDS = 5;
const PEER_SINGLES = 200;
const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Offline verification of `texts` (one run, a fresh signer cache), in ms. */
async function offlineMs(texts: string[], chain: BenchChain, snapshot: unknown): Promise<number> {
  global.gc?.();
  const start = performance.now();
  const reports = await verifyCredentials(texts, { snapshot: snapshot as never, registry: chain.registry });
  const ms = since(start);
  assertVerified(reports, "offline");
  return ms;
}

function timed(fn: () => unknown): number {
  global.gc?.();
  const start = performance.now();
  fn();
  return since(start);
}

type WorkRow = {
  case: string;
  credentials: number;
  keccakPerCredential: number;
  recoveriesPerCredential: number;
  signatureChecksPerCredential: number;
  keccakCeilingMs: number;
  ms: number;
  shareOfKeccakCeiling: number;
  /** The engine the format hashed with (WebAssembly once compiled), its ceiling and the share of it. */
  engine: string;
  engineCeilingMs: number;
  shareOfEngineCeiling: number;
};

/** Counts the work of verifying `texts` offline and prices its hashes at js-sha3's raw rate and the engine's. */
async function workRow(
  name: string,
  texts: string[],
  chain: BenchChain,
  snapshot: unknown,
): Promise<WorkRow> {
  const times: number[] = [];
  // Best of as many runs as the ceiling (`keccakCeilingMs`) takes: the same statistic on both sides of the ratio.
  // Timed before the work is counted: the counting hooks replace the hashing functions for a run, and the code
  // that calls them runs slower until V8 has optimised it again (165 → 184 ms, then 155 ms, for 1,000 of a batch
  // in a scratch run), which had been timed here.
  for (let i = 0; i < CEILING_RUNS; i++) times.push(await offlineMs(texts, chain, snapshot));
  const ms = Math.min(...times);
  const { work } = await counted(() =>
    verifyCredentials(texts, { snapshot: snapshot as never, registry: chain.registry }),
  );
  const ceiling = keccakCeilingMs(work, CEILING_RUNS);
  const engine = engineInUse();
  const engineCeiling = keccakCeilingMs(work, CEILING_RUNS, engine);
  // And run again untimed, so that the rows after this one do not start on that code either.
  for (let i = 0; i < 2; i++) await offlineMs(texts, chain, snapshot);
  return {
    case: name,
    credentials: texts.length,
    keccakPerCredential: round(work.keccak / texts.length, 2),
    recoveriesPerCredential: round(work.recoveries / texts.length, 4),
    signatureChecksPerCredential: round(work.signatureChecks / texts.length, 4),
    keccakCeilingMs: round(ceiling, 1),
    ms,
    shareOfKeccakCeiling: round(ceiling / ms, 2),
    engine: engine.name,
    engineCeilingMs: round(engineCeiling, 1),
    shareOfEngineCeiling: round(engineCeiling / ms, 2),
  };
}

async function main() {
  const started = performance.now();
  const recoveries = Math.round(await recoveryRate());
  console.log(`baseline: viem recoverAddress ${recoveries}/s`);
  const chain = await startBenchChain();
  try {
    const issued = await createBenchEvent(chain);
    let t = performance.now();
    const batch1000 = await issueBatch(issued, 1000, 0);
    const batch10000 = quickMode() ? [] : await issueBatch(issued, 10_000, 100_000);
    const singles1000 = await issueSingles(issued, 1000, 200_000);
    const warm = await issueBatch(issued, 50, 300_000);
    const setupMs = since(t);
    t = performance.now();
    const snapshot = await recordSnapshot({ rpcUrl: chain.rpcUrl, registry: chain.registry });
    const snapshotMs = since(t);
    const snapshotText = JSON.stringify(snapshot);
    t = performance.now();
    parseSnapshot(snapshotText);
    const snapshotParseMs = since(t);
    console.log(
      `setup ${Math.round(setupMs)} ms; snapshot recorded in ${snapshotMs} ms (${snapshotText.length} bytes, parsed in ${snapshotParseMs} ms)`,
    );

    const ctx = { chain, snapshot };
    // Warm-up: every code path once (JIT), on a small batch and a few singles.
    await runCase("warm-up", warm, "online", ctx);
    await runCase("warm-up", warm, "snapshot", ctx);
    await runCase("warm-up", singles1000.slice(0, 20), "online", ctx);

    const latencies = [
      await latency("1 credential of a batch", batch1000[0]!, "online", chain, snapshot),
      await latency("1 credential of a batch", batch1000[0]!, "snapshot", chain, snapshot),
      await latency("1 single credential", singles1000[0]!, "online", chain, snapshot),
    ];
    for (const l of latencies) console.log(JSON.stringify(l));

    const rows: Row[] = [];
    const cases: [string, string[]][] = [
      ["1,000 of one batch", batch1000],
      ...(batch10000.length ? ([["10,000 of one batch", batch10000]] as [string, string[]][]) : []),
      ["1,000 single credentials", singles1000],
    ];
    // Each case CASE_RUNS times, the median run kept (one run alone moved by half on a busy host).
    for (const [name, texts] of cases) {
      for (const source of ["online", "snapshot"] as const) {
        const runs: Row[] = [];
        for (let r = 0; r < CASE_RUNS; r++) runs.push(await runCase(name, texts, source, ctx));
        const row = [...runs].sort((a, b) => a.ms - b.ms)[(runs.length - 1) >> 1]!;
        rows.push({ ...row, runsMs: runs.map((r) => r.ms) });
        console.log(JSON.stringify(rows.at(-1)));
      }
    }

    // Same-run peers, interleaved: OpenAttestation's offline checks of one wrapped batch against Intyg's offline
    // verification of one batch; EAS's off-chain signature check against Intyg's single credentials, both next to
    // the raw recovery rate of the same round.
    const oaTexts = openAttestationBatch(1000, chain.registry);
    verifyOpenAttestation(oaTexts.slice(0, 50));
    const eas = easPeer(chain.chainId, chain.registry);
    const easTexts: string[] = [];
    for (let i = 0; i < PEER_SINGLES; i++) easTexts.push(await eas.sign(i));
    verifyEas(eas, easTexts.slice(0, 10));
    const singlesForPeers = singles1000.slice(0, PEER_SINGLES);
    // The worker thread loads once, as in a service or a CLI run that starts it while reading its files; its load
    // time is reported apart, and every two-thread figure below is with it loaded.
    const loadStart = performance.now();
    const loadedWorkers = await prestartVerificationThreads(2);
    const workerLoadMs = since(loadStart);
    if (loadedWorkers !== 1) throw new Error("The verification worker did not load");
    const pooledOptions = { snapshot: snapshot as never, registry: chain.registry };
    const offlineTwoThreadsMs = async (texts: string[]) => {
      global.gc?.();
      const start = performance.now();
      const reports = await verifyCredentialsInParallel(texts, pooledOptions, { threads: 2 });
      const ms = since(start);
      assertVerified(reports, "offline, two threads");
      return ms;
    };
    await offlineTwoThreadsMs(batch1000);
    const peerRounds: {
      round: number;
      intygBatchMs: number;
      intygBatchTwoThreadsMs: number;
      openAttestationMs: number;
      batchVsOpenAttestation: number;
      batchTwoThreadsVsOpenAttestation: number;
      intygSinglesMs: number;
      easMs: number;
      singlesVsEas: number;
      rawRecoveriesPerSecond: number;
      singlesVsRawRecovery: number;
    }[] = [];
    for (let r = 1; r <= ROUNDS; r++) {
      // Alternate who goes first, so that neither always runs on a warmer or quieter machine.
      const intygFirst = r % 2 === 1;
      let intygBatchMs = 0;
      let openAttestationMs = 0;
      let intygBatchTwoThreadsMs = 0;
      if (intygFirst) {
        intygBatchMs = await offlineMs(batch1000, chain, snapshot);
        intygBatchTwoThreadsMs = await offlineTwoThreadsMs(batch1000);
        openAttestationMs = timed(() => verifyOpenAttestation(oaTexts));
      } else {
        openAttestationMs = timed(() => verifyOpenAttestation(oaTexts));
        intygBatchTwoThreadsMs = await offlineTwoThreadsMs(batch1000);
        intygBatchMs = await offlineMs(batch1000, chain, snapshot);
      }
      const rawRecoveriesPerSecond = Math.round(await rawRecoveryRate(700));
      let intygSinglesMs = 0;
      let easMs = 0;
      if (intygFirst) {
        intygSinglesMs = await offlineMs(singlesForPeers, chain, snapshot);
        easMs = timed(() => verifyEas(eas, easTexts));
      } else {
        easMs = timed(() => verifyEas(eas, easTexts));
        intygSinglesMs = await offlineMs(singlesForPeers, chain, snapshot);
      }
      const row = {
        round: r,
        intygBatchMs,
        intygBatchTwoThreadsMs,
        openAttestationMs,
        batchVsOpenAttestation: round(openAttestationMs / intygBatchMs, 2),
        batchTwoThreadsVsOpenAttestation: round(openAttestationMs / intygBatchTwoThreadsMs, 2),
        intygSinglesMs,
        easMs,
        singlesVsEas: round(easMs / intygSinglesMs, 2),
        rawRecoveriesPerSecond,
        singlesVsRawRecovery: round(PEER_SINGLES / (intygSinglesMs / 1000) / rawRecoveriesPerSecond, 2),
      };
      peerRounds.push(row);
      console.log(JSON.stringify(row));
    }

    // The work per credential, counted, and the keccak ceiling it implies.
    const work = [
      await workRow("1,000 of one batch", batch1000, chain, snapshot),
      ...(batch10000.length ? [await workRow("10,000 of one batch", batch10000, chain, snapshot)] : []),
      await workRow("1,000 single credentials", singles1000, chain, snapshot),
    ];
    for (const w of work) console.log(JSON.stringify(w));

    // Both cores: the worker pool against one thread, on the same credentials, offline and online, the two
    // interleaved over POOL_ROUNDS rounds (the median speed-up counts).
    type PoolRow = {
      case: string;
      source: "online" | "snapshot";
      credentials: number;
      oneThreadMs: number;
      twoThreadsMs: number;
      oneThreadCpuMs: number;
      twoThreadsCpuMs: number;
      speedup: number;
      speedups: number[];
    };
    const poolRows: PoolRow[] = [];
    // This machine's own two-thread ceiling now, before and after the rows: independent threads, nothing shared.
    const ceilings: CoreCeiling[] = [
      await coreCeiling("keccak", batch1000[0]!),
      await coreCeiling("parse", batch1000[0]!),
    ];
    const poolCases: [string, string[]][] = [
      ["1,000 of one batch", batch1000],
      ...(batch10000.length ? ([["10,000 of one batch", batch10000]] as [string, string[]][]) : []),
      ["1,000 single credentials", singles1000],
    ];
    // CPU time of this process (all its threads), beside the wall time: on a machine whose cores are busy with
    // other work the wall time says little, while the CPU time shows what the second thread costs in all.
    const cpuMs = (from: NodeJS.CpuUsage) => {
      const used = process.cpuUsage(from);
      return round((used.user + used.system) / 1000, 1);
    };
    for (const [name, texts] of poolCases) {
      for (const source of ["snapshot", "online"] as const) {
        const options =
          source === "online"
            ? { rpcUrl: chain.rpcUrl, registry: chain.registry }
            : { snapshot: snapshot as never, registry: chain.registry };
        const one = async () => {
          global.gc?.();
          const start = performance.now();
          const cpu = process.cpuUsage();
          assertVerified(await verifyCredentials(texts, options), `${name} one thread`);
          return { ms: since(start), cpu: cpuMs(cpu) };
        };
        const two = async () => {
          global.gc?.();
          const start = performance.now();
          const cpu = process.cpuUsage();
          assertVerified(
            await verifyCredentialsInParallel(texts, options, { threads: 2 }),
            `${name} two threads`,
          );
          return { ms: since(start), cpu: cpuMs(cpu) };
        };
        // Untimed first: the worker's code compiles in its first runs, as this thread's did in the rows above (two
        // threads took 868, 658 and 580 ms over a cold worker's first three runs of 1,000 singles, then 462-603).
        for (let w = 0; w < POOL_WARMUP_RUNS; w++) {
          await two();
          await one();
        }
        const rounds: { one: { ms: number; cpu: number }; two: { ms: number; cpu: number } }[] = [];
        for (let r = 0; r < POOL_ROUNDS; r++) {
          if (r % 2 === 0) {
            const a = await one();
            rounds.push({ one: a, two: await two() });
          } else {
            const b = await two();
            rounds.push({ one: await one(), two: b });
          }
        }
        const speedups = rounds.map((x) => round(x.one.ms / x.two.ms, 2));
        const row: PoolRow = {
          case: name,
          source,
          credentials: texts.length,
          oneThreadMs: median(rounds.map((x) => x.one.ms)),
          twoThreadsMs: median(rounds.map((x) => x.two.ms)),
          oneThreadCpuMs: median(rounds.map((x) => x.one.cpu)),
          twoThreadsCpuMs: median(rounds.map((x) => x.two.cpu)),
          speedup: median(speedups),
          speedups,
        };
        poolRows.push(row);
        console.log(JSON.stringify(row));
      }
    }

    ceilings.push(await coreCeiling("keccak", batch1000[0]!), await coreCeiling("parse", batch1000[0]!));
    for (const c of ceilings) console.log(JSON.stringify(c));
    const ceilingOf = (kind: CoreCeiling["kind"]) =>
      ceilings.filter((c) => c.kind === kind).map((c) => c.speedup);
    const machineCeiling = median(ceilings.map((c) => c.speedup));

    // The CLI's many-files mode: `intyg verify DIR --snapshot FILE` on the batch's credentials as files, a process
    // each time (start-up and reading the files included), with --threads 1 against the default (every core).
    const cliTexts = batch10000.length ? batch10000 : batch1000;
    const cliDir = mkdtempSync(path.join(tmpdir(), "intyg-bench-cli-"));
    const cliRows: { credentials: number; oneThreadMs: number; twoThreadsMs: number; speedup: number }[] = [];
    try {
      const files = path.join(cliDir, "credentials");
      mkdirSync(files);
      for (const [i, text] of cliTexts.entries()) writeFileSync(path.join(files, `${i}.json`), text);
      const snapshotFile = path.join(cliDir, "snapshot.json");
      writeFileSync(snapshotFile, snapshotText);
      // As a user runs it after `pnpm install`: from its bundle, built now so that it is current.
      const built = await buildCli();
      if (built.racy.length > 0)
        throw new Error(`The CLI's bundle is not current: ${built.racy.join(", ")} changed`);
      const bin = path.join(__dirname, "..", "packages", "cli", "bin", "intyg.js");
      const cli = (threads: string[]) => {
        const start = performance.now();
        const result = spawnSync(
          process.execPath,
          [bin, "verify", files, "--snapshot", snapshotFile, "--registry", chain.registry, ...threads],
          { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 },
        );
        const ms = since(start);
        if (result.status !== 0) throw new Error(`intyg verify exited ${result.status}: ${result.stderr}`);
        return ms;
      };
      cli(["--threads", "1"]);
      for (let r = 0; r < POOL_ROUNDS; r++) {
        const first = r % 2 === 0 ? cli(["--threads", "1"]) : cli([]);
        const second = r % 2 === 0 ? cli([]) : cli(["--threads", "1"]);
        const [oneThreadMs, twoThreadsMs] = r % 2 === 0 ? [first, second] : [second, first];
        cliRows.push({
          credentials: cliTexts.length,
          oneThreadMs,
          twoThreadsMs,
          speedup: round(oneThreadMs / twoThreadsMs, 2),
        });
        console.log(JSON.stringify(cliRows[cliRows.length - 1]));
      }
    } finally {
      rmSync(cliDir, { recursive: true, force: true });
    }

    const out = rows.map((r) => ({
      ...r,
      vsRecoveryRate: round(r.credentialsPerSecond / recoveries, 2),
      meetsTarget: r.credentials === TARGET.credentials ? r.ms <= TARGET.maxMs : undefined,
    }));
    const result = {
      benchmark: "verification",
      machine: machine(),
      command: "pnpm bench verification",
      target: TARGET,
      baseline: {
        viemRecoverAddressPerSecond: recoveries,
        msFor1000Recoveries: Math.round(1_000_000 / recoveries),
      },
      setup: {
        issueMs: Math.round(setupMs),
        snapshotRecordMs: snapshotMs,
        snapshotBytes: snapshotText.length,
        snapshotParseMs,
      },
      latency: latencies,
      rows: out,
      peers: {
        rounds: peerRounds,
        median: {
          batchVsOpenAttestation: median(peerRounds.map((r) => r.batchVsOpenAttestation)),
          batchTwoThreadsVsOpenAttestation: median(peerRounds.map((r) => r.batchTwoThreadsVsOpenAttestation)),
          singlesVsEas: median(peerRounds.map((r) => r.singlesVsEas)),
          singlesVsRawRecovery: median(peerRounds.map((r) => r.singlesVsRawRecovery)),
        },
      },
      work,
      workerLoadMs,
      coreCeilings: ceilings,
      pool: poolRows,
      cli: { rounds: cliRows, medianSpeedup: median(cliRows.map((r) => r.speedup)) },
      summary: {
        batch1000OnlineMs: out.find((r) => r.case === "1,000 of one batch" && r.source === "online")?.ms,
        batch1000SnapshotMs: out.find((r) => r.case === "1,000 of one batch" && r.source === "snapshot")?.ms,
        credentialsPerSecond: Object.fromEntries(
          out.map((r) => [`${r.case} ${r.source}`, r.credentialsPerSecond]),
        ),
        viemRecoverAddressPerSecond: recoveries,
        totalSeconds: Math.round((performance.now() - started) / 1000),
      },
    };
    const report = createReport("Verification");
    report.print(
      `\nBaseline (same process): viem recoverAddress ${recoveries}/s (1,000 recoveries in ${Math.round(1_000_000 / recoveries)} ms)\n`,
    );
    report.print(
      markdownTable(
        [
          "case",
          "source",
          "credentials",
          "ms",
          "credentials/s",
          "× recovery rate",
          "HTTP requests",
          "target ≤ 2 s",
          `runs (ms; the median is the row)`,
        ],
        out.map((r) => [
          r.case,
          r.source,
          r.credentials,
          r.ms,
          r.credentialsPerSecond,
          r.vsRecoveryRate,
          r.httpRequests,
          r.meetsTarget === undefined ? "" : r.meetsTarget ? "yes" : "no",
          (r.runsMs ?? [r.ms]).join(", "),
        ]),
      ),
    );
    const med = result.peers.median;
    report.print(
      `\nSame-run peers, offline, ${ROUNDS} interleaved rounds: 1,000 credentials of one batch against OpenAttestation (\`validateSchema\` + \`verifySignature\` on 1,000 documents of one wrapped batch), and ${PEER_SINGLES} single credentials against the EAS SDK (\`verifyOffchainAttestationSignature\`) and the raw secp256k1 recovery rate of the round. Intyg on one thread, and on two (\`verifyCredentialsInParallel\`, its worker thread loaded; OpenAttestation's checks have no parallel mode). Ratios above 1 mean Intyg is faster.\n`,
    );
    report.print(
      markdownTable(
        [
          "round",
          "Intyg 1,000 of a batch (ms)",
          "Intyg on two threads (ms)",
          "OpenAttestation 1,000 (ms)",
          "× OpenAttestation (target ≥ 1.5)",
          "× OpenAttestation, two threads",
          `Intyg ${PEER_SINGLES} singles (ms)`,
          `EAS ${PEER_SINGLES} (ms)`,
          "× EAS",
          "raw recoveries/s",
          "singles × raw recovery (target ≥ 0.9)",
        ],
        peerRounds.map((r) => [
          r.round,
          r.intygBatchMs,
          r.intygBatchTwoThreadsMs,
          r.openAttestationMs,
          r.batchVsOpenAttestation,
          r.batchTwoThreadsVsOpenAttestation,
          r.intygSinglesMs,
          r.easMs,
          r.singlesVsEas,
          r.rawRecoveriesPerSecond,
          r.singlesVsRawRecovery,
        ]),
      ),
    );
    report.print(
      `\nMedians: × OpenAttestation ${med.batchVsOpenAttestation} (two threads ${med.batchTwoThreadsVsOpenAttestation}), × EAS ${med.singlesVsEas}, singles × raw recovery ${med.singlesVsRawRecovery}.\n`,
    );
    report.print(
      `\nWork per credential (offline, counted by hooks in the benchmark only) and the share of the single-core keccak ceiling: the counted hashes, on inputs of the same sizes, priced at js-sha3's raw rate in this run (target ≥ 0.6 for batches; the ceiling and the verification each the best of ${CEILING_RUNS} runs), and at the raw rate of the engine the format hashed with (hash-wasm's WebAssembly Keccak, 3–5× js-sha3's rate: a stricter ceiling, as less time is left to hashing).\n`,
    );
    report.print(
      markdownTable(
        [
          "case",
          "credentials",
          "keccak / credential",
          "recoveries / credential",
          "signature checks / credential",
          "js-sha3 ceiling (ms)",
          "ms",
          "share of js-sha3 ceiling",
          "engine",
          "engine ceiling (ms)",
          "share of engine ceiling",
        ],
        work.map((w) => [
          w.case,
          w.credentials,
          w.keccakPerCredential,
          w.recoveriesPerCredential,
          w.signatureChecksPerCredential,
          w.keccakCeilingMs,
          w.ms,
          w.shareOfKeccakCeiling,
          w.engine,
          w.engineCeilingMs,
          w.shareOfEngineCeiling,
        ]),
      ),
    );
    report.print(
      `\nBoth cores: \`verifyCredentialsInParallel\` (node:worker_threads, 2 threads taking chunks from one queue; every thread reads the block the run pinned) against \`verifyCredentials\` on one thread (target ≥ 1.7×), ${POOL_ROUNDS} interleaved rounds per row after ${POOL_WARMUP_RUNS} untimed runs each way (a worker's code compiles in its first runs, as this thread's did in the rows before; medians; each round's speed-up in the last column). The worker thread was loaded once before (${Math.round(workerLoadMs)} ms), as a service, or a CLI run while it reads its files, does; with it loaded a run takes it from 250 credentials per thread, a member of a batch counting as a quarter (so 1,000 of one batch stay on one thread). CPU time is the process's, all threads together (the node's own is not in it): where it stays close to one thread's, the second thread adds little work, and only cores busy with other work keep the wall time from halving.\n\nThis machine's own two-thread ceiling in this run (\`bench/cores.ts\`: the same fixed work on one thread, then on two at once with nothing shared, 3 interleaved rounds each, measured before and after the rows): ${ceilingOf("keccak").join(" and ")}× hashing (js-sha3, no allocation), ${ceilingOf("parse").join(" and ")}× parsing credentials (\`JSON.parse\`, allocation and garbage collection as in verifying); 2 on two free cores. The last column gives each speed-up as a share of the median of these (${machineCeiling}×).\n`,
    );
    report.print(
      markdownTable(
        [
          "case",
          "source",
          "credentials",
          "one thread (ms)",
          "two threads (ms)",
          "speed-up",
          "CPU one thread (ms)",
          "CPU two threads (ms)",
          "speed-up per round",
          "share of the machine's ceiling",
        ],
        poolRows.map((r) => [
          r.case,
          r.source,
          r.credentials,
          r.oneThreadMs,
          r.twoThreadsMs,
          r.speedup,
          r.oneThreadCpuMs,
          r.twoThreadsCpuMs,
          r.speedups.join(", "),
          round(r.speedup / machineCeiling, 2),
        ]),
      ),
    );
    report.print(
      `\nThe CLI's many-files mode: \`intyg verify DIR --snapshot FILE\` on ${cliTexts.length.toLocaleString("en")} credential files of one batch, one process per run (Node and the CLI's bundle loading, reading the files and printing the table included), \`--threads 1\` against the default of every core (target ≥ 1.7×), ${POOL_ROUNDS} interleaved rounds; median speed-up ${result.cli.medianSpeedup}.\n`,
    );
    report.print(
      markdownTable(
        ["round", "credentials", "--threads 1 (ms)", "every core (ms)", "speed-up"],
        cliRows.map((r, i) => [i + 1, r.credentials, r.oneThreadMs, r.twoThreadsMs, r.speedup]),
      ),
    );
    report.print("\nOne credential, verified as a one-off (fresh client and caches):\n");
    report.print(
      markdownTable(
        ["case", "source", "first (ms)", "median (ms)", "min (ms)", "max (ms)", "runs"],
        latencies.map((l) => [l.case, l.source, l.firstMs, l.medianMs, l.minMs, l.maxMs, l.runs]),
      ),
    );
    const file = writeResult("verification", result, report.markdown());
    console.log(`\nwritten ${file}`);
  } finally {
    await chain.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
