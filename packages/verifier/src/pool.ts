// Verification of many credentials on every core (Node only: node:worker_threads; not part of the browser
// build, so import it as `@intyg/verifier/pool`). A large run is cut into chunks that this thread and the worker
// threads take from one queue as each is free: this thread starts at once, while the workers load, and a slower
// thread simply takes fewer chunks. Every chunk is verified with the same options, the same `now` and, reading a
// node, the one block this run pinned before any thread starts. Workers stay loaded for the next run (they do not
// keep the process alive). Small runs, and runs given a client, reader or signer cache (which cannot cross
// threads), stay on this thread.

import { statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { createSignerCache } from "@intyg/credential";
import { readCredentialFiles } from "./files";
import type { VerifyOptions } from "./options";
import { createRegistryClient } from "./registry/rpc";
import { parseSnapshot } from "./registry/snapshot";
import { unpackReports } from "./transfer";
import type { VerificationReport } from "./types";
import { createRunVerifier, verifyCredentials } from "./verify";
import type { WorkerJob, WorkerMessage } from "./worker";

export { CredentialFileError } from "./errors";

export type ParallelOptions = {
  /** Threads to use at most, this one included (default: the cores available). */
  threads?: number;
  /**
   * Fewest credentials per thread. By default 1,500 while the workers still have to be started (loading the
   * verifier in a thread costs about as much as verifying a thousand credentials), and 250 once they are started
   * (by an earlier run or {@link prestartVerificationThreads}, loaded or still loading): taking in a worker's
   * reports then costs this thread about a tenth of verifying them, which a thread of its own repays from a few
   * hundred on. With these defaults a member of a batch counts as a quarter of a credential (it costs a quarter
   * of one signed on its own: its batch's signature is checked once), judged from a sample of the inputs; a
   * number given here counts every credential as one.
   */
  minPerThread?: number;
  /** Called as each chunk of the run is done, with how many credentials it held and where it was verified. */
  onChunk?: (done: { credentials: number; thread: "this" | "worker" }) => void;
};

const DEFAULT_MIN_PER_THREAD = 1500;
/** Credentials per chunk at the end of a run, and how many such chunks per thread the run ends with. */
const TAIL_CHUNK = 40;
const TAIL_CHUNKS_PER_THREAD = 3;
const LOADED_MIN_PER_THREAD = 250;

/** What a member of a batch costs to verify, as a share of a credential signed on its own. */
const BATCH_MEMBER_WEIGHT = 0.25;
/** Inputs looked at to judge a run's mix of batch members and credentials signed on their own. */
const SAMPLES = 16;

/** Longest input text read to judge its kind (a credential is a few KB; a larger input simply counts as one). */
const SAMPLE_MAX_BYTES = 64 * 1024;

/**
 * Whether `input` (a credential, or its JSON text or bytes) is a member of a batch; undefined when that is not
 * plain. Never throws: a sample that cannot be read counts as a credential signed on its own.
 */
function isBatchMember(input: unknown): boolean | undefined {
  try {
    let value = input;
    const text =
      input instanceof Uint8Array && input.byteLength <= SAMPLE_MAX_BYTES
        ? new TextDecoder().decode(input)
        : input;
    if (typeof text === "string") {
      if (text.length > SAMPLE_MAX_BYTES || !text.trimStart().startsWith("{")) return undefined;
      value = JSON.parse(text);
    }
    if (!value || typeof value !== "object" || value instanceof Uint8Array) return undefined;
    const anchor = (value as { anchor?: unknown }).anchor;
    return !!anchor && typeof anchor === "object" && "batch" in anchor;
  } catch {
    return undefined;
  }
}

/**
 * How many credentials signed on their own `inputs` are worth: each member of a batch counts a quarter, judged
 * from up to {@link SAMPLES} inputs spread over the run (an input that is not plainly either counts as one).
 */
function weightOf(inputs: readonly unknown[]): number {
  const step = Math.max(1, Math.floor(inputs.length / SAMPLES));
  let sampled = 0;
  let weight = 0;
  for (let i = 0; i < inputs.length && sampled < SAMPLES; i += step, sampled++)
    weight += isBatchMember(inputs[i]) ? BATCH_MEMBER_WEIGHT : 1;
  return sampled === 0 ? 0 : (inputs.length * weight) / sampled;
}

/**
 * How many threads a run of `count` credentials is worth; given the run's `inputs`, weighed by what they cost
 * (see {@link ParallelOptions.minPerThread}).
 */
export function threadsFor(
  count: number,
  parallel: ParallelOptions = {},
  inputs?: readonly unknown[],
): number {
  const weight = inputs && parallel.minPerThread === undefined ? weightOf(inputs) : count;
  return threadsForWeight(weight, parallel);
}

/** How many threads a run worth `weight` credentials signed on their own is worth. */
function threadsForWeight(weight: number, parallel: ParallelOptions): number {
  const cores = parallel.threads ?? os.availableParallelism();
  // A thread started earlier (prestartVerificationThreads) counts as loaded while it still loads: what loading
  // it costs is spent already, and the run's queue gives it chunks only once it is ready.
  const started = [...threads].filter((thread) => thread.alive).length;
  const minPer =
    parallel.minPerThread ?? (started >= cores - 1 ? LOADED_MIN_PER_THREAD : DEFAULT_MIN_PER_THREAD);
  return Math.max(1, Math.min(cores, Math.floor(weight / minPer)));
}

// Where the worker thread's code is: in the CLI's bundle, a file the build writes beside it (the build defines
// INTYG_WORKER_BUNDLE as its name); from source, worker.ts, loaded through tsx unless this process already
// compiles TypeScript (run with `--import tsx`, whose hooks a worker inherits).
declare const INTYG_WORKER_BUNDLE: string | undefined;
const workerBundle = typeof INTYG_WORKER_BUNDLE === "string" ? INTYG_WORKER_BUNDLE : undefined;

const SOURCE_LOADER = `
const { workerData } = require("node:worker_threads");
if (!require.extensions[".ts"]) require(workerData.tsx).register();
require(workerData.entry);
`;

function startWorker(): Worker {
  if (workerBundle) return new Worker(path.join(__dirname, workerBundle));
  return new Worker(SOURCE_LOADER, {
    eval: true,
    workerData: { tsx: require.resolve("tsx/cjs/api"), entry: path.join(__dirname, "worker.ts") },
  });
}

type Pending = { resolve(reports: VerificationReport[]): void; reject(error: Error): void };

/** One worker thread with the verifier loaded, taking chunks of a run. */
class VerificationThread {
  readonly ready: Promise<boolean>;
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private lastRun = -1;
  alive = true;

  constructor() {
    this.worker = startWorker();
    let started: (ok: boolean) => void = () => {};
    this.ready = new Promise((resolve) => {
      started = resolve;
    });
    this.worker.on("message", (message: WorkerMessage) => {
      if ("ready" in message) {
        // Referenced while it loads (so that awaiting it keeps a process up), then not while idle: a process whose
        // work is done ends with its threads loaded.
        if (this.pending.size === 0) this.worker.unref();
        started(true);
        return;
      }
      const pending = this.pending.get(message.id);
      if (!pending) return;
      this.pending.delete(message.id);
      if (this.pending.size === 0) this.worker.unref();
      if (!("packed" in message)) {
        pending.reject(new Error(`A verification thread failed: ${message.error}`));
        return;
      }
      // Reports this thread cannot take in (a claim nested too deep to copy, say) are verified here again.
      try {
        pending.resolve(unpackReports(message.packed));
      } catch (error) {
        pending.reject(new Error(`A verification thread's reports could not be read: ${String(error)}`));
      }
    });
    const stop = (error: Error) => {
      this.alive = false;
      started(false);
      for (const pending of this.pending.values()) pending.reject(error);
      this.pending.clear();
      threads.delete(this);
    };
    this.worker.on("error", stop);
    this.worker.on("exit", (code) => stop(new Error(`A verification thread stopped (exit code ${code})`)));
  }

  /** Verifies a chunk: its inputs, or with `files` the files it names (which the worker reads). */
  verify(
    run: number,
    chunk: readonly unknown[],
    options: VerifyOptions,
    files: boolean,
  ): Promise<VerificationReport[]> {
    if (!this.alive) return Promise.reject(new Error("A verification thread stopped"));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.ref();
      const job: WorkerJob = {
        id,
        run,
        ...(files ? { files: chunk as string[] } : { inputs: chunk }),
        ...(run === this.lastRun ? {} : { options }),
      };
      this.worker.postMessage(job);
      this.lastRun = run;
    });
  }
}

/** The workers loaded so far, kept for later runs. */
const threads = new Set<VerificationThread>();
let runs = 0;

/** `count` workers, started now where fewer are loaded (they load while this thread works). */
function workers(count: number): VerificationThread[] {
  while (threads.size < count) {
    try {
      threads.add(new VerificationThread());
    } catch {
      break;
    }
  }
  return [...threads].slice(0, count);
}

/**
 * Starts the worker threads a later {@link verifyCredentialsInParallel} will use (`threadCount` counts this one), so
 * that they load while the caller does something else, such as reading its files. Optional: the promise, which
 * need not be awaited, gives how many are loaded.
 */
export async function prestartVerificationThreads(threadCount = os.availableParallelism()): Promise<number> {
  const ready = await Promise.all(workers(Math.max(0, threadCount - 1)).map((thread) => thread.ready));
  return ready.filter(Boolean).length;
}

/** One turn of the event loop, so that workers' answers are taken in and their next chunks sent. */
const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * {@link verifyCredentials} on several threads when the run is large enough to pay for them: the same reports, in
 * order. A batch's credentials cost one recovery per thread instead of one. Never throws for bad input (each
 * input gets its report); a chunk whose thread fails is verified on this thread.
 */
export function verifyCredentialsInParallel(
  inputs: readonly unknown[],
  options: VerifyOptions = {},
  parallel: ParallelOptions = {},
): Promise<VerificationReport[]> {
  return runInParallel({ inputs }, threadsFor(inputs.length, parallel, inputs), options, parallel);
}

/**
 * {@link verifyCredentialsInParallel} on credential files (JSON, as `intyg verify` reads them): each thread reads the
 * files of the chunks it takes, so that verifying starts on every thread as soon as it is loaded, instead of
 * after one thread has read them all. Each file is read once by the thread that verifies it (and a few regular
 * ones beforehand, to weigh the run), so a pipe among them works; a file that changes during the run is read as
 * that thread finds it. The reports are those of the files' bytes, in order; a presentation gets
 * the report of a credential run ("is-presentation"), as it would from {@link verifyCredentials}. Throws
 * {@link CredentialFileError} for a file that cannot be read (the run stops taking chunks then).
 */
export function verifyFilesInParallel(
  files: readonly string[],
  options: VerifyOptions = {},
  parallel: ParallelOptions = {},
): Promise<VerificationReport[]> {
  // Weighed as inputs are (a member of a batch counts a quarter), from a sample of the files read here; only when
  // the count alone is enough for more than one thread.
  let threadCount = threadsFor(files.length, parallel);
  if (threadCount > 1 && parallel.minPerThread === undefined) {
    const sample = sampleFiles(files);
    threadCount = threadsForWeight((files.length * weightOf(sample)) / sample.length, parallel);
  }
  return runInParallel({ files }, threadCount, options, parallel);
}

/**
 * Up to {@link SAMPLES} of `files`' contents (at least one), spread over the run. Only a regular file of at most
 * {@link SAMPLE_MAX_BYTES} is read (a larger one counts as one credential, as a larger input does), and one that
 * is not a regular file is not opened: a pipe or a device can be read only once, by the thread that verifies it.
 */
function sampleFiles(files: readonly string[]): unknown[] {
  const step = Math.max(1, Math.floor(files.length / SAMPLES));
  const sample: unknown[] = [];
  for (let i = 0; i < files.length && sample.length < SAMPLES; i += step) {
    try {
      const stats = statSync(files[i]!, { throwIfNoEntry: false });
      sample.push(
        stats?.isFile() && stats.size <= SAMPLE_MAX_BYTES ? readCredentialFiles([files[i]!])[0] : undefined,
      );
    } catch {
      sample.push(undefined);
    }
  }
  return sample;
}

/** What a run verifies: inputs as given, or files that each thread reads for the chunks it takes. */
type RunItems =
  | { inputs: readonly unknown[]; files?: undefined }
  | { files: readonly string[]; inputs?: undefined };

async function runInParallel(
  items: RunItems,
  threadCount: number,
  options: VerifyOptions,
  parallel: ParallelOptions,
): Promise<VerificationReport[]> {
  const { files } = items;
  if (threadCount < 2 || options.client || options.reader || options.signerCache) {
    return verifyCredentials(files ? readCredentialFiles(files) : items.inputs!, options);
  }
  const list: readonly unknown[] = files ?? items.inputs!;
  // One `now` for every thread, and one block: the latest when this run starts, unless one was given.
  const nowMs =
    options.now === undefined
      ? Date.now()
      : typeof options.now === "number"
        ? options.now
        : options.now.getTime();
  const shared: VerifyOptions = { ...options, now: nowMs };
  // A snapshot is checked and indexed once for the run (and sent so to the workers); one that fails is left for
  // each chunk to report, as a run on one thread would.
  if (options.snapshot !== undefined) {
    try {
      shared.snapshot = parseSnapshot(options.snapshot);
    } catch {}
  }
  if (options.rpcUrl && options.snapshot === undefined && options.blockNumber === undefined) {
    try {
      shared.blockNumber = await createRegistryClient(options.rpcUrl).getBlockNumber();
    } catch {
      // The node cannot be reached: one thread says so in every report, as a run of one thread would.
      return verifyCredentials(files ? readCredentialFiles(files) : list, options);
    }
  }
  const helpers = workers(threadCount - 1);
  const run = runs++;
  // Chunks of 100-150: the threads finish close together, and a worker's answer (its reports as JSON, about 5 KB
  // each) stays small. Chunks of 500 made two threads 1.15-1.18x one on 10,000 of a batch; of 150, 1.38-1.42x.
  const size = Math.max(100, Math.min(150, Math.ceil(list.length / (threadCount * 8))));
  // The last credentials go in smaller chunks: a thread that runs out of work waits for what the others still
  // hold (a worker holds two chunks), which at full size left this thread idle for 22-60 ms at the end of a run
  // of 10,000 of a batch (2-4 % of it).
  const tailStart = Math.max(0, list.length - TAIL_CHUNKS_PER_THREAD * threadCount * TAIL_CHUNK);
  const chunks: (readonly unknown[])[] = [];
  for (let start = 0; start < list.length; ) {
    const end = start < tailStart ? Math.min(start + size, tailStart) : start + TAIL_CHUNK;
    chunks.push(list.slice(start, end));
    start = end;
  }
  const results: VerificationReport[][] = new Array(chunks.length);
  let next = 0;
  // After a file that cannot be read, no thread takes another chunk: the run ends with that error.
  let stopped = false;
  const take = (): number => (!stopped && next < chunks.length ? next++ : -1);
  const onThisThread = createRunVerifier({ ...shared, signerCache: createSignerCache() });
  const verifyHere = (chunk: readonly unknown[]): Promise<VerificationReport[]> => {
    try {
      return onThisThread(files ? readCredentialFiles(chunk as string[]) : chunk);
    } catch (error) {
      stopped = true;
      return Promise.reject(error);
    }
  };

  const here = async () => {
    for (let i = take(); i >= 0; i = take()) {
      results[i] = await verifyHere(chunks[i]!);
      parallel.onChunk?.({ credentials: chunks[i]!.length, thread: "this" });
      await yieldToEventLoop();
    }
  };
  // Two chunks in flight per worker, so that it never waits for this thread to hand it the next one.
  const there = async (thread: VerificationThread) => {
    if (!(await thread.ready)) return;
    const pump = async () => {
      for (let i = take(); i >= 0; i = take()) {
        try {
          results[i] = await thread.verify(run, chunks[i]!, shared, files !== undefined);
          parallel.onChunk?.({ credentials: chunks[i]!.length, thread: "worker" });
        } catch {
          // Here again: a file the worker could not read fails here too, and ends the run with its error.
          results[i] = await verifyHere(chunks[i]!);
          parallel.onChunk?.({ credentials: chunks[i]!.length, thread: "this" });
        }
      }
    };
    await Promise.all([pump(), pump()]);
  };
  await Promise.all([here(), ...helpers.map(there)]);
  return results.flat();
}
