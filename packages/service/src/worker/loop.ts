// The worker's loop: passes one after another while there is work, a poll interval apart when idle, backing
// off after failed passes; `wake` cuts a wait short, and `drain` resolves with the first idle pass after it.

import type { WorkerConfig } from "../config";
import { errorText, type Logger } from "../logger";
import { OperationError } from "../operations/errors";
import { LeadershipLostError } from "../store/db";
import { databaseUnavailableReason } from "../store/unavailable";
import { backoff } from "./retry";
import type { TickSummary } from "./types";

export type LoopParameters = {
  config: Pick<WorkerConfig, "pollIntervalMs" | "retryBaseMs" | "retryMaxMs">;
  log: Logger;
  runOnce(): Promise<TickSummary>;
  /** How much work is left (-1 when unknown): a drain resolves only at 0. */
  outstanding(): Promise<number>;
  /**
   * The least time between the starts of two passes, ms (default {@link GATHER_MS}): a wake or a busy pass does
   * not start the next one sooner, so credentials issued meanwhile are anchored together.
   */
  gatherMs?: number;
};

/**
 * Under a stream of single issuances every request wakes the worker: without a pause each pass would anchor the
 * one or two credentials written since the last, and its queries (jobs, lanes, e-mails) would take a share of
 * the database from the requests. Short beside a chain's block time.
 */
export const GATHER_MS = 50;

export type Loop = {
  start(): void;
  /**
   * Cuts the wait before the next pass short. `ready`: what was stored is ready to send as it is (a batch signed
   * at issuance), so the next pass does not wait out the gathering pause for more to join it.
   */
  wake(ready?: boolean): void;
  drain(timeoutMs: number): Promise<void>;
  /** Stops after the pass in progress (resolved when it ends; at once with `abandon`). */
  stop(abandon: boolean): Promise<void>;
  readonly stopping: boolean;
};

const isBusy = (summary: TickSummary | null) =>
  summary !== null &&
  summary.batchesAnchored + summary.singlesAnchored + summary.revocations + summary.jobs > 0;

/** Resolves after `ms`, or sooner when the function handed to `keep` is called; `keep(null)` once it resolves. */
function cuttableDelay(ms: number, keep: (cut: (() => void) | null) => void): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      keep(null);
      resolve();
    };
    const timer = setTimeout(done, ms);
    keep(done);
  });
}

export function createLoop(parameters: LoopParameters): Loop {
  const { config, log } = parameters;
  let stopping = false;
  let woken = false;
  let wakeUp: (() => void) | null = null;
  let running: Promise<void> | null = null;
  let consecutiveFailures = 0;
  /** Drain waiters: resolved by the first idle pass that started after they asked. */
  const idleWaiters = new Map<() => void, number>();
  let passNumber = 0;
  const gatherMs = parameters.gatherMs ?? GATHER_MS;
  let passStarted = Number.NEGATIVE_INFINITY;
  /** Cuts the pause before a pass short (when stopping, or woken with work ready to send). */
  let endGather: (() => void) | null = null;
  /** Woken with work ready to send since the last pass began: the next one starts without the pause. */
  let ready = false;

  /** Waits until `gatherMs` have passed since the last pass began (a plain wake does not end it; stop does). */
  function gather(): Promise<void> {
    const left = passStarted + gatherMs - performance.now();
    if (left <= 0 || stopping || ready) return Promise.resolve();
    return cuttableDelay(left, (cut) => {
      endGather = cut;
    });
  }

  function sleep(ms: number): Promise<void> {
    if (woken) {
      woken = false;
      return Promise.resolve();
    }
    return cuttableDelay(ms, (cut) => {
      wakeUp = cut;
    });
  }

  async function resolveIdleWaiters(summary: TickSummary | null, pass: number): Promise<void> {
    if (!summary?.leader || summary.errors > 0 || idleWaiters.size === 0) return;
    if ((await parameters.outstanding().catch(() => -1)) !== 0) return;
    for (const [resolve, from] of idleWaiters) {
      if (pass < from) continue;
      idleWaiters.delete(resolve);
      resolve();
    }
  }

  async function run(): Promise<void> {
    while (!stopping) {
      await gather();
      if (stopping) break;
      passStarted = performance.now();
      ready = false;
      let summary: TickSummary | null = null;
      const pass = ++passNumber;
      try {
        woken = false;
        summary = await parameters.runOnce();
        consecutiveFailures = summary.errors > 0 ? consecutiveFailures + 1 : 0;
      } catch (error) {
        consecutiveFailures += 1;
        const database = databaseUnavailableReason(error);
        if (database) log.warn({ cause: database }, "the database is unavailable; backing off");
        else if (error instanceof LeadershipLostError)
          log.warn("leadership lost mid-pass: nothing recorded; the leader takes it over");
        else log.warn({ err: errorText(error) }, "worker pass failed; backing off");
      }
      const busy = isBusy(summary);
      if (!busy) await resolveIdleWaiters(summary, pass);
      if (stopping) break;
      if (busy) continue;
      await sleep(consecutiveFailures > 0 ? backoff(config, consecutiveFailures) : config.pollIntervalMs);
    }
  }

  const wake = (readyToSend = false) => {
    woken = true;
    if (readyToSend) {
      ready = true;
      endGather?.();
    }
    wakeUp?.();
  };

  return {
    start() {
      running = run();
    },
    wake,
    drain(timeoutMs) {
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          idleWaiters.delete(done);
          reject(new OperationError("drain-timeout", "the worker did not drain in time"));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          resolve();
        };
        idleWaiters.set(done, passNumber + 1);
        wake();
      });
    },
    async stop(abandon) {
      stopping = true;
      wakeUp?.();
      endGather?.();
      if (running && !abandon) await running;
    },
    get stopping() {
      return stopping;
    },
  };
}
