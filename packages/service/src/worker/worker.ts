// The anchoring worker: one leader at a time (PostgreSQL advisory lock; an in-process flag on PGlite) runs a
// small loop over kinds of work — bulk jobs, then each organisation's chain work in a lane of its own (key
// authorisations and event registrations left by their request, batches, single credentials, revocations:
// lanes.ts), then e-mails — each kind in its own module. Every transaction goes through one tracked chain
// operation (`operations/track.ts`): recorded before it is sent, replaced when stuck, reconciled with what the
// chain says after a crash, and settled only when the chain shows what was sent, so a crash at any point never
// anchors a credential twice nor a root twice.

import { createMailer, type Mailer } from "../delivery/email-sender";
import { organisationSigner } from "../keys/directory";
import { errorText } from "../logger";
import { OperationError } from "../operations/errors";
import { LeadershipLostError } from "../store/db";
import type { Organisation } from "../store/types";
import { databaseUnavailableReason } from "../store/unavailable";
import { runBatches } from "./batches";
import { runJobs } from "./jobs";
import { runKeySteps } from "./keys";
import { createLanes } from "./lanes";
import { createLeadership, LEADER_LOCK_KEY } from "./leader";
import { createLoop } from "./loop";
import { runRegistrations } from "./registrations";
import { retrySchedule } from "./retry";
import { runRevocations } from "./revocations";
import { runSingles } from "./singles";
import {
  emptySummary,
  type StartWorkerOptions,
  type TickSummary,
  type WorkContext,
  type Worker,
  type WorkerDeps,
} from "./types";

export { LEADER_LOCK_KEY } from "./leader";
export type { BulkJobInput, StartWorkerOptions, TickSummary, Worker, WorkerDeps } from "./types";

/** Rows written before encryption encrypted per batch, and the most time one pass spends on them. */
const LEGACY_BATCH = 500;
const LEGACY_PASS_MS = 2_000;

/** The kinds of an organisation's chain work, in order in its lane: what settles earlier transactions first. */
const LANE_KINDS = [runKeySteps, runRegistrations, runBatches, runSingles, runRevocations];

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
  const { store, clock } = deps;
  const config = deps.config.worker;
  const log = deps.logger.child({ component: "worker" });
  const leaderKey = options.leaderKey ?? LEADER_LOCK_KEY;
  const mailer = mailerOf(deps, options);

  const leadership = createLeadership({ db: store.db, log, key: leaderKey });
  let lastExpiry = 0;
  let lastPrivacy = Number.NEGATIVE_INFINITY;
  let legacyLeft: number | null = null;
  let legacyDone = false;
  const retry = retrySchedule(config);
  // Every database write of a pass commits only while this replica's lock session still holds the lock (a lane
  // that outlives its pass keeps the pass's fenced context).
  const fencedPass = () => leadership.fenced(() => runOnce(Number.POSITIVE_INFINITY));
  const loop = createLoop({
    config,
    log,
    // The loop's passes wait for their lanes only so long: a lane still running goes on by itself.
    runOnce: () => leadership.fenced(() => runOnce(config.laneWaitMs)),
    outstanding: () => store.anchoring.outstanding(),
  });
  /** Whether this replica leads now (asked of the database at the start of a pass). */
  const ensureLeader = () => leadership.confirm();
  /** Whether it still leads (before every unit of work; a lock lost mid-pass is not taken again in that pass). */
  const stillLeader = () => leadership.confirm({ acquire: false });

  const organisations = new Map<string, Organisation>();
  const ctx: WorkContext = {
    deps,
    log,
    config,
    stopping: () => loop.stopping,
    stillLeader,
    async organisation(organisationId) {
      let organisation = organisations.get(organisationId);
      if (!organisation) {
        organisation = (await store.organisations.get(organisationId)) ?? undefined;
        if (!organisation) throw new OperationError("inconsistent", `no organisation ${organisationId}`);
        organisations.set(organisationId, organisation);
      }
      return organisation;
    },
    async keyed(organisationId, address) {
      const organisation = await ctx.organisation(organisationId);
      return { ...(await organisationSigner(deps, organisation, address)), organisation };
    },
    async attempt(kind, id, summary, fn) {
      if (!retry.due(id)) return false;
      if (!(await stillLeader())) return false;
      try {
        await fn();
        retry.succeeded(id);
        return true;
      } catch (error) {
        // A registration left behind by its request does not hold up a drain, as before it was tracked.
        if (kind !== "registration") summary.errors += 1;
        retry.failed(id);
        const database = databaseUnavailableReason(error);
        if (error instanceof LeadershipLostError)
          log.warn(
            { kind, item: id },
            "leadership lost mid-work: nothing recorded; the leader takes it over",
          );
        else if (database)
          log.warn({ kind, item: id, cause: database }, "the database is unavailable; will retry");
        else log.warn({ kind, item: id, err: errorText(error) }, "chain call failed; will retry");
        return false;
      }
    },
  };

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

  /**
   * Data protection, once a minute of the service's clock: the retention rule erases (through the same path as
   * a request, with a receipt) what is past its organisation's retention, data keys still sealed with a
   * retired KEK are re-sealed with the current one, a batch at a time (KEK rotation without downtime), and
   * credentials stored before prefix search get its keyed hashes.
   */
  async function privacyHousekeeping(): Promise<void> {
    const at = clock.now().getTime();
    if (at - lastPrivacy < 60_000) return;
    lastPrivacy = at;
    let erased = 0;
    for (let round = 0; round < 10 && !loop.stopping; round++) {
      const due = await store.privacy.dueForErasure(100);
      for (const { organisationId, id } of due) {
        await store.credentials.erase(organisationId, id, { reason: "retention", erasedBy: "retention" });
        erased += 1;
      }
      if (due.length < 100) break;
    }
    if (erased > 0) log.info({ erased }, "personal data erased by the retention rule");
    let resealed = 0;
    for (let round = 0; round < 20 && !loop.stopping; round++) {
      const n = await store.privacy.reseal(500);
      resealed += n;
      if (n < 500) break;
    }
    if (resealed > 0) log.info({ resealed, kek: store.privacy.keyring.current.id }, "data keys re-sealed");
    // Credentials stored before prefix search get its keyed hashes, a batch at a time (whole words find them
    // meanwhile).
    let indexed = 0;
    for (let round = 0; round < 20 && !loop.stopping; round++) {
      const n = await store.privacy.indexPrefixes(500);
      indexed += n;
      if (n < 500) break;
    }
    if (indexed > 0) log.info({ indexed }, "name prefixes added to the search index");
  }

  /**
   * Rows written before personal data was encrypted, encrypted in bounded batches (the store opens without
   * waiting for them). Returns whether any is left: until none is, the pass does no other work, as the other
   * kinds' writes expect every row they change to be encrypted. Progress is logged as counts only.
   */
  async function encryptLegacy(): Promise<boolean> {
    if (legacyDone) return false;
    if (legacyLeft === null) {
      legacyLeft = await store.privacy.legacyLeft();
      if (legacyLeft > 0)
        log.info(
          { left: legacyLeft },
          "encrypting personal data written before encryption, in the background",
        );
    }
    const started = Date.now();
    let encrypted = 0;
    while (legacyLeft > 0 && !loop.stopping && Date.now() - started < LEGACY_PASS_MS) {
      const n = await store.privacy.encryptLegacy(LEGACY_BATCH);
      if (n === 0) {
        legacyLeft = 0;
        break;
      }
      encrypted += n;
      legacyLeft = Math.max(0, legacyLeft - n);
    }
    if (legacyLeft > 0) {
      if (encrypted > 0) log.info({ encrypted, left: legacyLeft }, "personal data encrypted; more to do");
      return true;
    }
    // Counted again before saying done: another process may have written older rows meanwhile (a replica
    // not yet upgraded).
    legacyLeft = await store.privacy.legacyLeft();
    if (legacyLeft > 0) return true;
    legacyDone = true;
    if (encrypted > 0) log.info({ encrypted }, "every row written before encryption is encrypted");
    return false;
  }

  async function sendMail(summary: TickSummary): Promise<void> {
    if (!mailer || loop.stopping) return;
    try {
      summary.emails = (await mailer.runOnce()).sent;
    } catch (error) {
      summary.errors += 1;
      log.warn({ err: errorText(error) }, "sending e-mails failed; will retry");
    }
  }

  const lanes = createLanes({
    bound: config.lanes,
    log,
    work: async (organisationId, summary) => {
      for (const kind of LANE_KINDS) {
        if (loop.stopping) return;
        // A kind that fails between its items (its signer cannot be resolved, the database is away) does not
        // keep the organisation's other kinds from their turn.
        try {
          await kind(ctx, summary, organisationId);
        } catch (error) {
          if (error instanceof LeadershipLostError) throw error;
          summary.errors += 1;
          log.warn(
            { organisation: organisationId, kind: kind.name, err: errorText(error) },
            "worker step failed",
          );
        }
      }
    },
    onLateEnd: () => loop.wake(),
  });

  async function runOnce(laneWaitMs: number): Promise<TickSummary> {
    const summary = emptySummary(false);
    lanes.collect(summary);
    if (!(await ensureLeader())) return summary;
    summary.leader = true;
    await housekeeping();
    try {
      if (await encryptLegacy()) return summary;
    } catch (error) {
      summary.errors += 1;
      log.warn({ err: errorText(error) }, "encrypting rows written before encryption failed; will retry");
      return summary;
    }
    try {
      await privacyHousekeeping();
    } catch (error) {
      summary.errors += 1;
      log.warn({ err: errorText(error) }, "retention or key re-sealing failed; will retry");
    }
    // Jobs first: they only prepare credentials (no transaction), which the lanes then anchor.
    await runJobs(ctx, summary);
    if (loop.stopping) return summary;
    await lanes.run(await store.anchoring.organisationsWithWork(), summary, laneWaitMs);
    await sendMail(summary);
    return summary;
  }

  if (options.autoStart !== false) loop.start();

  return {
    wake: loop.wake,
    runOnce: fencedPass,
    drain: (timeoutMs = 60_000) => loop.drain(timeoutMs),
    async stop(stopOptions = {}) {
      await loop.stop(stopOptions.abandon === true);
      if (stopOptions.abandon !== true) await lanes.idle();
      mailer?.close();
      await leadership.release();
    },
    get isLeader() {
      return leadership.state().role === "leader";
    },
    leadership,
  };
}
