// Leadership of the anchoring worker: true or absent. The advisory lock lives on a dedicated database session;
// before every unit of work `confirm()` asks the server whether that session still holds it, and at the first
// doubt (an error, a lost session, a failed check) the lease is dropped and this replica does nothing until it
// wins the lock again. On PGlite (one process) leadership is an in-process flag and always holds.

import { randomBytes } from "node:crypto";
import type { Logger } from "../logger";
import type { Database, LeaderLock } from "../store/db";
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

export interface Leadership {
  /** True only if this replica holds the lock now (checked on the server); never throws. */
  confirm(): Promise<boolean>;
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

  async function check(): Promise<boolean> {
    if (lock) {
      if (await lock.verify()) return true;
      log.warn(
        { replica, cause: lock.lostBecause },
        "anchoring leadership lost: stopping until the lock is won again",
      );
      await lock.release();
      lock = null;
      since = null;
      // The lock may be free again at once; trying now costs a query and keeps a single replica leading.
    }
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
    confirm() {
      pending ??= check().finally(() => {
        pending = null;
      });
      return pending;
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
