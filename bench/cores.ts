// What this machine's two cores give: the same fixed work on one thread, then on two at once, with nothing
// shared between them (no queue, no messages during the work). The verification pool's speed-ups are measured
// against one thread, so this ceiling of the same run tells the machine's limit from the pool's own.

import { createRequire } from "node:module";
import path from "node:path";
import { Worker } from "node:worker_threads";

const credentialRequire = createRequire(path.join(__dirname, "..", "packages", "credential", "package.json"));

// Keccak of 64 bytes (js-sha3: CPU only, almost no allocation), or JSON.parse of a credential's text (allocation
// and garbage collection, as in verifying): `n` times, answering with the milliseconds it took.
const WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const { keccak256 } = require(workerData.sha3);
const bytes = new Uint8Array(64);
parentPort.on("message", (n) => {
  const start = performance.now();
  let kept = 0;
  if (workerData.kind === "keccak") for (let i = 0; i < n; i++) kept += keccak256.array(bytes)[i & 31];
  else for (let i = 0; i < n; i++) kept += JSON.parse(workerData.text).id.length;
  parentPort.postMessage({ ms: performance.now() - start, kept });
});
`;

export type CoreCeiling = {
  kind: "keccak" | "parse";
  /** One thread's time for the work, and two threads' wall time for twice the work (medians of the rounds). */
  oneMs: number;
  twoMs: number;
  /** Twice the work in the time two threads took, against one thread: 2 on two free cores. */
  speedup: number;
  speedups: number[];
};

function job(worker: Worker, n: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const failed = (error: Error) => reject(error);
    worker.once("message", (m: { ms: number }) => {
      worker.off("error", failed);
      resolve(m.ms);
    });
    worker.once("error", failed);
    worker.postMessage(n);
  });
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[values.length >> 1]!;
const round2 = (value: number): number => Math.round(value * 100) / 100;

/** The two-thread speed-up of `kind` work on this machine now, `rounds` interleaved rounds (median). */
export async function coreCeiling(kind: CoreCeiling["kind"], text: string, rounds = 3): Promise<CoreCeiling> {
  const workerData = { kind, text, sha3: credentialRequire.resolve("js-sha3") };
  const workers = [0, 1].map(() => new Worker(WORKER, { eval: true, workerData }));
  try {
    // About a third of a second of work per job on these machines, after a warm-up of each thread.
    const n = kind === "keccak" ? 120_000 : 60_000;
    await Promise.all(workers.map((w) => job(w, n / 4)));
    const ones: number[] = [];
    const twos: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const one = async () => {
        const start = performance.now();
        await job(workers[0]!, n);
        ones.push(performance.now() - start);
      };
      const two = async () => {
        const start = performance.now();
        await Promise.all(workers.map((w) => job(w, n)));
        twos.push(performance.now() - start);
      };
      if (r % 2 === 0) {
        await one();
        await two();
      } else {
        await two();
        await one();
      }
    }
    const speedups = ones.map((one, i) => round2((2 * one) / twos[i]!));
    return {
      kind,
      oneMs: round2(median(ones)),
      twoMs: round2(median(twos)),
      speedup: median(speedups),
      speedups,
    };
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
