// The code of a verification worker thread (started by pool.ts; loaded from source through tsx, or from the
// CLI's bundle). It verifies one chunk at a time (reading its files first, in a run of files) and answers with
// the chunk's reports packed (transfer.ts). A run's options come with its first chunk; its chunks share one
// signer cache and one view of the chain.

import { parentPort } from "node:worker_threads";
import { createSignerCache } from "@intyg/credential";
import { readCredentialFiles } from "./files";
import type { VerifyOptions } from "./options";
import { type PackedReports, packReports } from "./transfer";
import type { VerificationReport } from "./types";
import { createRunVerifier } from "./verify";

/** A chunk of a run, as the pool sends it: its inputs, or the files to read them from. */
export type WorkerJob = { id: number; run: number; options?: VerifyOptions } & (
  | { inputs: readonly unknown[]; files?: undefined }
  | { files: readonly string[]; inputs?: undefined }
);

/** What a worker thread posts: that it is loaded, or a chunk's reports, or why the chunk failed. */
export type WorkerMessage =
  | { ready: true }
  | { id: number; packed: PackedReports }
  | { id: number; error: string };

const port = parentPort;
if (!port) throw new Error("The verification worker runs only in a worker thread started by the pool");

let verify: (inputs: readonly unknown[]) => Promise<VerificationReport[]> = () =>
  Promise.reject(new Error("A chunk came before its run's options"));
let queue = Promise.resolve();
port.on("message", (job: WorkerJob) => {
  queue = queue.then(async () => {
    if (job.options) verify = createRunVerifier({ ...job.options, signerCache: createSignerCache() });
    let answer: WorkerMessage;
    try {
      const inputs = job.files ? readCredentialFiles(job.files) : job.inputs;
      answer = { id: job.id, packed: packReports(await verify(inputs)) };
    } catch (error) {
      answer = { id: job.id, error: error instanceof Error ? error.message : String(error) };
    }
    port.postMessage(answer);
  });
});
port.postMessage({ ready: true } satisfies WorkerMessage);
