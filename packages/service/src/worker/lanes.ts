// Lanes: each organisation's chain work runs in a lane of its own, so that one organisation's transaction that
// hangs (a receipt that does not come, a replacement with higher fees, an RPC that times out for its key) holds
// up only that organisation. Why lanes per organisation rather than one fair queue of transactions: every
// organisation sends from its own key with its own nonce sequence, and within one key the order matters (a
// stuck nonce holds back every later one, and the tracked-operation protocol — recorded before it is sent,
// replaced when stuck, reconciled with the chain — works item after item). One lane per organisation keeps that
// order and the protocol unchanged inside the lane, while lanes run side by side:
//
// - at most `lanes` run at once, least recently started first, so a busy organisation does not starve others;
// - an organisation has at most one lane running: a pass skips an organisation whose lane is still running;
// - a pass waits for the lanes it started for at most `waitMs`; a lane still running then goes on by itself
//   (inside the same fenced context: its writes still commit only while this replica leads), and what it did is
//   counted in a later pass's summary.

import { errorText, type Logger } from "../logger";
import { emptySummary, type TickSummary } from "./types";

export type LaneWork = (organisationId: string, summary: TickSummary) => Promise<void>;

export type Lanes = {
  /**
   * Starts a lane for each of `organisations` that has none running (up to the bound) and waits for them for
   * at most `waitMs` (Infinity: until they end); what they did is added to `summary`, or, for a lane that ends
   * later, to a later pass's summary ({@link Lanes.collect}).
   */
  run(organisations: readonly string[], summary: TickSummary, waitMs: number): Promise<void>;
  /** Adds what lanes that outlived their pass did since, to `summary`. */
  collect(summary: TickSummary): void;
  /** Resolves when no lane is running. */
  idle(): Promise<void>;
  /** Organisations whose lane is running now. */
  readonly running: ReadonlySet<string>;
};

export type LaneParameters = {
  /** The most lanes at once. */
  bound: number;
  work: LaneWork;
  log: Logger;
  /** Called when a lane that outlived its pass ends (the loop then looks for more work at once). */
  onLateEnd(): void;
};

const COUNTS = [
  "batchesAnchored",
  "credentialsAnchored",
  "singlesAnchored",
  "revocations",
  "jobs",
  "emails",
  "errors",
] as const;

function add(into: TickSummary, from: TickSummary): void {
  for (const field of COUNTS) into[field] += from[field];
}

export function createLanes(parameters: LaneParameters): Lanes {
  const { bound, work, log } = parameters;
  const running = new Map<string, Promise<void>>();
  const lastStarted = new Map<string, number>();
  const late = emptySummary(true);
  let starts = 0;

  function start(organisationId: string): {
    done: Promise<void>;
    summary: TickSummary;
    ended: () => boolean;
  } {
    const summary = emptySummary(true);
    let ended = false;
    lastStarted.set(organisationId, ++starts);
    const done = work(organisationId, summary)
      .catch((error) => {
        // Each unit of work catches its own failures (ctx.attempt); this is a lane that failed between them.
        summary.errors += 1;
        log.warn({ organisation: organisationId, err: errorText(error) }, "an organisation's lane failed");
      })
      .finally(() => {
        ended = true;
        running.delete(organisationId);
      });
    running.set(organisationId, done);
    return { done, summary, ended: () => ended };
  }

  return {
    async run(organisations, summary, waitMs) {
      const candidates = organisations
        .filter((id) => !running.has(id))
        .sort((a, b) => (lastStarted.get(a) ?? 0) - (lastStarted.get(b) ?? 0));
      const started = candidates.slice(0, Math.max(0, bound - running.size)).map(start);
      if (started.length === 0) return;
      const all = Promise.all(started.map((lane) => lane.done));
      let timer: NodeJS.Timeout | undefined;
      if (Number.isFinite(waitMs)) {
        await Promise.race([
          all,
          new Promise<void>((resolve) => {
            timer = setTimeout(resolve, waitMs);
          }),
        ]);
        clearTimeout(timer);
      } else await all;
      for (const lane of started) {
        if (lane.ended()) add(summary, lane.summary);
        else
          void lane.done.then(() => {
            add(late, lane.summary);
            parameters.onLateEnd();
          });
      }
    },
    collect(summary) {
      add(summary, late);
      for (const field of COUNTS) late[field] = 0;
    },
    async idle() {
      while (running.size > 0) await Promise.all(running.values());
    },
    get running() {
      return new Set(running.keys());
    },
  };
}
