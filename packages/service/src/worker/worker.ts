// The anchoring worker: one leader at a time (PostgreSQL advisory lock; an in-process flag on PGlite) runs a
// small loop over kinds of work — event registrations left by their request, bulk jobs, batches, single
// credentials, revocations, e-mails — each in its own module. Every transaction goes through one tracked chain
// operation (`operations/track.ts`): recorded before it is sent, replaced when stuck, reconciled with what the
// chain says after a crash, and settled only when the chain shows what was sent, so a crash at any point never
// anchors a credential twice nor a root twice.

import { createMailer, type Mailer } from "../delivery/email-sender";
import { errorText } from "../logger";
import { OperationError } from "../operations/errors";
import { runBatches } from "./batches";
import { runJobs } from "./jobs";
import { runRegistrations } from "./registrations";
import { backoff, retrySchedule } from "./retry";
import { runRevocations } from "./revocations";
import { runSingles } from "./singles";
import type { StartWorkerOptions, TickSummary, WorkContext, Worker, WorkerDeps } from "./types";

export type { BulkJobInput, StartWorkerOptions, TickSummary, Worker, WorkerDeps } from "./types";

/** The advisory lock every anchoring worker of one database competes for. */
export const LEADER_LOCK_KEY = 0x1ee7_0002;

/** The kinds of work of one pass, in order: what settles earlier transactions first. */
const KINDS = [runRegistrations, runJobs, runBatches, runSingles, runRevocations];

const emptySummary = (): TickSummary => ({
  leader: false,
  batchesAnchored: 0,
  credentialsAnchored: 0,
  singlesAnchored: 0,
  revocations: 0,
  jobs: 0,
  emails: 0,
  errors: 0,
});

function mailerOf(deps: WorkerDeps, options: StartWorkerOptions): Mailer | null {
  const email = deps.config.email;
  if (!email || options.mail === false) return null;
  return createMailer({
    store: deps.store,
    logger: deps.logger,
    config: {
      publicUrl: deps.config.publicUrl,
      verifyUrl: deps.config.verifyUrl ?? `${deps.config.publicUrl}/verify`,
      email,
    },
    ...(options.mailTransport ? { transport: options.mailTransport } : {}),
  });
}

export function startWorker(deps: WorkerDeps, options: StartWorkerOptions = {}): Worker {
  const { store, signer, chain, clock } = deps;
  const config = deps.config.worker;
  const log = deps.logger.child({ component: "worker" });
  const leaderKey = options.leaderKey ?? LEADER_LOCK_KEY;
  const mailer = mailerOf(deps, options);

  let lock: { release(): Promise<void> } | null = null;
  let stopping = false;
  let wakeUp: (() => void) | null = null;
  let woken = false;
  let loop: Promise<void> | null = null;
  let consecutiveFailures = 0;
  let lastExpiry = 0;
  const retry = retrySchedule(config);

  let ownOrganisationId: number | null = null;
  const ctx: WorkContext = {
    deps,
    log,
    config,
    stopping: () => stopping,
    /** The organisation of the signing key (read once): the namespace of what this worker anchored. */
    async ownOrganisation() {
      ownOrganisationId ??= (await chain.signingKey(chain.keyAddress)).organisationId;
      return ownOrganisationId;
    },
    async attempt(kind, id, summary, fn) {
      if (!retry.due(id)) return false;
      try {
        await fn();
        retry.succeeded(id);
        return true;
      } catch (error) {
        // A registration left behind by its request does not hold up a drain, as before it was tracked.
        if (kind !== "registration") summary.errors += 1;
        retry.failed(id);
        log.warn({ kind, item: id, err: errorText(error) }, "chain call failed; will retry");
        return false;
      }
    },
  };

  async function ensureLeader(): Promise<boolean> {
    if (lock) return true;
    lock = await store.db.tryLeaderLock(leaderKey);
    if (lock) log.info({ signer: signer.address }, "became the anchoring leader");
    return lock !== null;
  }

  /** Forgets expired idempotency keys and ended rate-limit windows, once a minute. */
  async function housekeeping(): Promise<void> {
    if (Date.now() - lastExpiry <= 60_000) return;
    lastExpiry = Date.now();
    const cutoff = new Date(clock.now().getTime() - config.idempotencyTtlHours * 3600_000);
    const expired = await store.issuance.expire(cutoff);
    if (expired > 0) log.info({ expired }, "idempotency keys expired");
    // Rate-limit windows that have ended (every replica's requests count in the store).
    const windows = await store.rateLimits.expire(clock.now());
    if (windows > 0) log.debug({ windows }, "rate-limit windows deleted");
  }

  async function sendMail(summary: TickSummary): Promise<void> {
    if (!mailer || stopping) return;
    try {
      summary.emails = (await mailer.runOnce()).sent;
    } catch (error) {
      summary.errors += 1;
      log.warn({ err: errorText(error) }, "sending e-mails failed; will retry");
    }
  }

  async function runOnce(): Promise<TickSummary> {
    const summary = emptySummary();
    if (!(await ensureLeader())) return summary;
    summary.leader = true;
    await housekeeping();
    for (const kind of KINDS) {
      if (stopping) return summary;
      await kind(ctx, summary);
    }
    await sendMail(summary);
    return summary;
  }

  function sleep(ms: number): Promise<void> {
    if (woken) {
      woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        wakeUp = null;
        resolve();
      }, ms);
      wakeUp = () => {
        clearTimeout(timer);
        wakeUp = null;
        resolve();
      };
    });
  }

  /** Drain waiters: resolved by the first idle pass that started after they asked. */
  const idleWaiters = new Map<() => void, number>();
  let passNumber = 0;

  async function resolveIdleWaiters(summary: TickSummary | null, pass: number): Promise<void> {
    if (!summary?.leader || summary.errors > 0 || idleWaiters.size === 0) return;
    if ((await store.anchoring.outstanding().catch(() => -1)) !== 0) return;
    for (const [resolve, from] of idleWaiters) {
      if (pass < from) continue;
      idleWaiters.delete(resolve);
      resolve();
    }
  }

  async function run(): Promise<void> {
    while (!stopping) {
      let summary: TickSummary | null = null;
      const pass = ++passNumber;
      try {
        woken = false;
        summary = await runOnce();
        consecutiveFailures = summary.errors > 0 ? consecutiveFailures + 1 : 0;
      } catch (error) {
        consecutiveFailures += 1;
        log.warn({ err: errorText(error) }, "worker pass failed; backing off");
      }
      const busy =
        summary !== null &&
        summary.batchesAnchored + summary.singlesAnchored + summary.revocations + summary.jobs > 0;
      if (!busy) await resolveIdleWaiters(summary, pass);
      if (stopping) break;
      if (busy) continue;
      await sleep(consecutiveFailures > 0 ? backoff(config, consecutiveFailures) : config.pollIntervalMs);
    }
  }

  if (options.autoStart !== false) loop = run();

  return {
    wake() {
      woken = true;
      wakeUp?.();
    },
    runOnce,
    drain(timeoutMs = 60_000) {
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
        woken = true;
        wakeUp?.();
      });
    },
    async stop(stopOptions = {}) {
      stopping = true;
      wakeUp?.();
      if (loop && !stopOptions.abandon) await loop;
      mailer?.close();
      if (lock) {
        await lock.release();
        lock = null;
      }
    },
    get isLeader() {
      return lock !== null;
    },
  };
}
