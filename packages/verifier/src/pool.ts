// Verification of many credentials on every core (Node only: node:worker_threads; not part of the browser
// build, so import it as `@intyg/verifier/pool`). Large runs are cut into contiguous slices, one per thread;
// each thread runs `verifyCredentials` on its slice with the same options, the same `now`, and, reading a node,
// the one block this run pinned before the threads start. Small runs, and runs given a client, reader or signer
// cache (which cannot cross threads), stay on this thread.

import os from "node:os";
import path from "node:path";
import { Worker } from "node:worker_threads";
import type { VerifyOptions } from "./options";
import { createRegistryClient } from "./registry/rpc";
import type { VerificationReport } from "./types";
import { verifyCredentials } from "./verify";

export type ParallelOptions = {
  /** Threads to use at most, this one included (default: the cores available). */
  threads?: number;
  /**
   * Fewest credentials per thread (default 1,500): starting a thread (loading the verifier) costs about as much
   * as verifying a few hundred credentials, so smaller runs stay on one thread.
   */
  minPerThread?: number;
};

const DEFAULT_MIN_PER_THREAD = 1500;

/** How many threads a run of `count` credentials is worth. */
export function threadsFor(count: number, parallel: ParallelOptions = {}): number {
  const cores = parallel.threads ?? os.availableParallelism();
  const minPer = parallel.minPerThread ?? DEFAULT_MIN_PER_THREAD;
  return Math.max(1, Math.min(cores, Math.floor(count / minPer)));
}

// The worker loads the verifier from source, as every package here is loaded (tsx), unless its process already
// compiles TypeScript (run with `--import tsx`, whose hooks the worker inherits).
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
if (!require.extensions[".ts"]) require(workerData.tsx).register();
const { verifyCredentials } = require(workerData.verify);
verifyCredentials(workerData.inputs, workerData.options).then(
  (reports) => parentPort.postMessage({ reports }),
  (error) => parentPort.postMessage({ error: String(error && error.message ? error.message : error) }),
);
`;

function runInWorker(inputs: readonly unknown[], options: VerifyOptions): Promise<VerificationReport[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        tsx: require.resolve("tsx/cjs/api"),
        verify: path.join(__dirname, "verify.ts"),
        inputs,
        options,
      },
    });
    let settled = false;
    worker.once("message", (message: { reports?: VerificationReport[]; error?: string }) => {
      settled = true;
      void worker.terminate();
      if (message.reports) resolve(message.reports);
      else reject(new Error(`A verification thread failed: ${message.error}`));
    });
    worker.once("error", (error) => {
      settled = true;
      reject(error);
    });
    worker.once("exit", (code) => {
      if (!settled) reject(new Error(`A verification thread stopped (exit code ${code})`));
    });
  });
}

/**
 * {@link verifyCredentials} on several threads when the run is large enough to pay for them: the same reports, in
 * order. A batch's credentials split across threads cost one recovery per thread instead of one. Never throws
 * for bad input (each input gets its report); a thread that cannot start falls back to this thread.
 */
export async function verifyCredentialsInParallel(
  inputs: readonly unknown[],
  options: VerifyOptions = {},
  parallel: ParallelOptions = {},
): Promise<VerificationReport[]> {
  const threads = threadsFor(inputs.length, parallel);
  if (threads < 2 || options.client || options.reader || options.signerCache) {
    return verifyCredentials(inputs, options);
  }
  // One `now` for every thread, and one block: the latest when this run starts, unless one was given.
  const nowMs =
    options.now === undefined
      ? Date.now()
      : typeof options.now === "number"
        ? options.now
        : options.now.getTime();
  const shared: VerifyOptions = { ...options, now: nowMs };
  if (options.rpcUrl && options.snapshot === undefined && options.blockNumber === undefined) {
    try {
      shared.blockNumber = await createRegistryClient(options.rpcUrl).getBlockNumber();
    } catch {
      // The node cannot be reached: one thread says so in every report, as a run of one thread would.
      return verifyCredentials(inputs, options);
    }
  }
  const size = Math.ceil(inputs.length / threads);
  const slices = Array.from({ length: threads }, (_, i) => inputs.slice(i * size, (i + 1) * size));
  // This thread takes the last slice while the workers start and run the others.
  const [mine, ...theirs] = [slices[slices.length - 1]!, ...slices.slice(0, -1)];
  const results = await Promise.all([
    ...theirs.map((slice) => runInWorker(slice, shared).catch(() => verifyCredentials(slice, shared))),
    verifyCredentials(mine, shared),
  ]);
  return results.flat();
}
