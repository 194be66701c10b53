// Leadership of the anchoring worker: true or absent. The advisory lock lives on a dedicated database session;
// before every unit of work `confirm()` asks the server whether that session still holds it, and at the first
// doubt (an error, a lost session, a failed check) the lease is dropped and this replica does nothing until it
// wins the lock again. On PGlite (one process) leadership is an in-process flag and always holds.

import { randomBytes } from "node:crypto";
import type { Logger } from "../logger";
import { type Database, type LeaderLock, runFenced } from "../store/db";
import { databaseUnavailableReason, outageLog } from "../store/unavailable";

/** The advisory lock every anchoring worker of one database competes for. */
export const LEADER_LOCK_KEY = 0x1ee7_0002;

export type LeadershipRole = "leader" | "follower";

export type LeadershipState = {
  /** This replica's name in the database (the lock session's application_name) and the logs. */
  replica: string;
  role: LeadershipRole;
  /** When this replica last became leader (ISO 8601), while it leads. */
  since: string | null;
};

export type LeadershipOptions = {
  db: Pick<Database, "dialect" | "tryLeaderLock" | "leaderOf">;
  log: Logger;
  key?: number;
  /** This replica's name (default: `intyg-<pid>-<4 random bytes>`). */
  replica?: string;
};

export type ConfirmOptions = {
  /**
   * Try to win the lock when not holding it (default true). A worker passes false inside a pass: a replica that
   * lost the lock mid-pass waits for the next pass, which starts by reconciling what is in flight.
   */
  acquire?: boolean;
};

export interface Leadership {
  /** True only if this replica holds the lock now (checked on the server); never throws. */
  confirm(options?: ConfirmOptions): Promise<boolean>;
  /**
   * Runs `fn` with its database writes fenced (PostgreSQL): each transaction commits only while this replica's
   * lock session still holds the lock, so a replica that lost it records nothing, whatever it was doing.
   */
  fenced<T>(fn: () => Promise<T>): Promise<T>;
  /** Gives the lock up (on stop). */
  release(): Promise<void>;
  state(): LeadershipState;
  /** The replica that holds the lock now, as the database says; null when none does. */
  current(): Promise<string | null>;
}

export function createLeadership(options: LeadershipOptions): Leadership {
  const { db, log } = options;
  const key = options.key ?? LEADER_LOCK_KEY;
  const replica = options.replica ?? `intyg-${process.pid}-${randomBytes(4).toString("hex")}`;
  const unavailable = outageLog(
    (fields, message) => log.warn({ ...fields, replica }, message),
    "the database is unavailable: not leading until it answers",
  );
  let lock: LeaderLock | null = null;
  let since: Date | null = null;
  /** One confirm at a time: the lock session runs one query at a time. */
  let pending: Promise<boolean> | null = null;

  async function check(acquire: boolean): Promise<boolean> {
    if (lock) {
      if (await lock.verify()) return true;
      log.warn(
        { replica, cause: lock.lostBecause },
        "anchoring leadership lost: stopping until the lock is won again",
      );
      await lock.release();
      lock = null;
      since = null;
      return false;
    }
    if (!acquire) return false;
    try {
      lock = await db.tryLeaderLock(key, { name: replica });
    } catch (error) {
      const reason = databaseUnavailableReason(error);
      if (reason) unavailable(reason);
      else log.warn({ replica, err: String(error) }, "the leader lock could not be tried");
      return false;
    }
    if (!lock) return false;
    since = new Date();
    log.info({ replica, dialect: db.dialect }, "became the anchoring leader");
    return true;
  }

  return {
    async confirm(confirmOptions = {}) {
      const acquire = confirmOptions.acquire !== false;
      // One check at a time on the lock session; a caller that may acquire waits for a check that may not.
      while (pending) {
        const result = await pending;
        if (result || !acquire) return result;
      }
      pending = check(acquire).finally(() => {
        pending = null;
      });
      return pending;
    },
    fenced(fn) {
      if (db.dialect === "pglite") return fn();
      return runFenced(() => {
        const held = lock;
        return held && held.lostBecause === null && held.session !== null
          ? { key, session: held.session }
          : null;
      }, fn);
    },
    async release() {
      await pending?.catch(() => undefined);
      if (!lock) return;
      const held = lock;
      lock = null;
      since = null;
      await held.release();
      log.info({ replica }, "gave up the anchoring leadership");
    },
    state: () => ({
      replica,
      role: lock && lock.lostBecause === null ? "leader" : "follower",
      since: since && lock ? since.toISOString() : null,
    }),
    current: () => db.leaderOf(key),
  };
}
