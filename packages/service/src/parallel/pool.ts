// Worker threads for the CPU work of large issuances (./tasks.ts): a bulk of a thousand credentials is a second
// of building and sealing, which on this thread would hold up every other request meanwhile and leave the other
// cores idle. Each chunk goes to the least busy thread. Until the threads have loaded (they start with the
// service), and if one fails, a chunk runs on this thread instead: the same results, only slower. Threads do not
// keep the process alive.

import path from "node:path";
import { Worker } from "node:worker_threads";
import { TASKS, type TaskName } from "./tasks";

// The worker loads the tasks from source, and runs them once on made-up credentials before it says it is ready
// (./tasks.ts `warmUp`: a cold thread takes twice as long over its first thousand). It loads them as every
// package here is loaded (tsx), unless its process already compiles TypeScript (run with `--import tsx`, whose
// hooks the worker inherits). It answers with JSON text (the tasks' results are plain JSON): parsing it costs
// this thread less than taking in a structured clone.
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
if (!require.extensions[".ts"]) require(workerData.tsx).register();
const { TASKS, tasksReady, warmUp } = require(workerData.tasks);
parentPort.on("message", (job) => {
  try {
    parentPort.postMessage({ id: job.id, json: JSON.stringify(TASKS[job.task](job.input)) });
  } catch (error) {
    parentPort.postMessage({ id: job.id, error: String(error && error.stack ? error.stack : error) });
  }
});
tasksReady().then(() => {
  try {
    warmUp();
  } catch {
    // Only a slower first bulk: the real work reports its own errors.
  }
  parentPort.postMessage({ ready: true });
});
`;

type Pending = { resolve(value: unknown): void; reject(error: Error): void };

class TaskThread {
  ready = false;
  alive = true;
  busy = 0;
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;

  constructor(onGone: (thread: TaskThread) => void) {
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { tsx: require.resolve("tsx/cjs/api"), tasks: path.join(__dirname, "tasks.ts") },
    });
    this.worker.on("message", (message: { ready?: boolean; id?: number; json?: string; error?: string }) => {
      if (message.ready) {
        // Referenced while it loads (so that awaiting it keeps a process up), then not while idle: a process whose
        // work is done ends with its threads loaded.
        if (this.pending.size === 0) this.worker.unref();
        this.ready = true;
        return;
      }
      const pending = this.pending.get(message.id!);
      if (!pending) return;
      this.pending.delete(message.id!);
      this.busy--;
      if (this.pending.size === 0) this.worker.unref();
      if (message.json !== undefined) pending.resolve(JSON.parse(message.json));
      else pending.reject(new Error(`An issuance thread failed: ${message.error}`));
    });
    const stop = (error: Error) => {
      this.alive = false;
      for (const pending of this.pending.values()) pending.reject(error);
      this.pending.clear();
      onGone(this);
    };
    this.worker.on("error", stop);
    this.worker.on("exit", (code) => stop(new Error(`An issuance thread stopped (exit code ${code})`)));
  }

  run(task: TaskName, input: unknown): Promise<unknown> {
    const id = this.nextId++;
    this.busy++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.ref();
      this.worker.postMessage({ id, task, input });
    });
  }

  terminate(): Promise<number> {
    return this.worker.terminate();
  }
}

const threads = new Set<TaskThread>();
let wanted = 0;
/** Tasks done on a thread, and tasks a thread failed (then done here), since the process started. */
const counts = { onThreads: 0, failedOnThreads: 0 };

/** How many tasks the threads did and how many they failed: what shows whether they are used at all. */
export function issuanceThreadCounts(): Readonly<typeof counts> {
  return { ...counts };
}

/**
 * Starts the issuance threads (idempotent; `count` 0 stops using them). They load in the background: a
 * chunk asked for before one is ready runs on this thread.
 */
export function startIssuanceThreads(count: number): void {
  wanted = count;
  while (threads.size < wanted) {
    try {
      threads.add(new TaskThread((gone) => threads.delete(gone)));
    } catch {
      break;
    }
  }
}

/** Stops the issuance threads (tests, shutdown); later work runs on this thread until they are started again. */
export async function stopIssuanceThreads(): Promise<void> {
  wanted = 0;
  const all = [...threads];
  threads.clear();
  await Promise.all(all.map((thread) => thread.terminate().catch(() => 0)));
}

/** Whether a worker thread is loaded and can take a chunk now. */
export function issuanceThreadsReady(): boolean {
  for (const thread of threads) if (thread.ready && thread.alive) return true;
  return false;
}

function leastBusy(): TaskThread | null {
  let best: TaskThread | null = null;
  for (const thread of threads) {
    if (!thread.ready || !thread.alive) continue;
    if (!best || thread.busy < best.busy) best = thread;
  }
  return best;
}

/**
 * Runs `task` on `input` in a worker thread when one is loaded, else (or when that thread fails) on this one.
 * Both give the same result.
 */
export async function runIssuanceTask<T extends TaskName>(
  task: T,
  input: Parameters<(typeof TASKS)[T]>[0],
): Promise<ReturnType<(typeof TASKS)[T]>> {
  const thread = leastBusy();
  if (thread) {
    try {
      const result = (await thread.run(task, input)) as ReturnType<(typeof TASKS)[T]>;
      counts.onThreads++;
      return result;
    } catch {
      counts.failedOnThreads++;
      // The thread failed or stopped: this thread does the chunk (a real error in the input throws again here).
    }
  }
  return (TASKS[task] as (value: typeof input) => ReturnType<(typeof TASKS)[T]>)(input);
}
