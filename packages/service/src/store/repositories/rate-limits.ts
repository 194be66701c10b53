import type { Database, Queryable } from "../db";

export interface RateLimitsRepository {
  /**
   * Counts one request of `key` in the window starting at `windowStart` (one atomic statement, shared by every
   * replica on this database) and returns the window's count so far, this request included.
   */
  hit(key: string, windowStart: Date, expiresAt: Date): Promise<number>;
  /**
   * Counts one request of `first.key` and then, only if that count is within `first.limit`, one of `second.key`
   * (one atomic statement): what `hit` of the first and then, when allowed, of the second would return, without
   * a second round trip. The second count is null when the first was over its limit (nothing counted for it).
   */
  hitThen(
    first: { key: string; start: Date; end: Date; limit: number },
    second: { key: string; start: Date; end: Date },
  ): Promise<[number, number | null]>;
  /**
   * Adds `amount` to `key`'s window only if the window then stays within `limit` (one atomic statement, in the
   * caller's transaction `q`): the new count, or null when it would not (nothing is added).
   */
  charge(
    q: Queryable,
    key: string,
    amount: number,
    limit: number,
    window: { start: Date; end: Date },
  ): Promise<number | null>;
  /** Deletes windows that ended by `before` (the worker's housekeeping). Returns how many. */
  expire(before: Date): Promise<number>;
}

export function rateLimitsRepository(db: Database): RateLimitsRepository {
  return {
    /**
     * Counts one request of `key` in the window starting at `windowStart` (one atomic statement, shared by every
     * replica on this database) and returns the window's count so far, this request included.
     */
    async hit(key: string, windowStart: Date, expiresAt: Date): Promise<number> {
      const rows = await db.query<{ count: number }>(
        `INSERT INTO rate_limits AS r (api_key_id, window_start, expires_at, count) VALUES ($1, $2, $3, 1)
         ON CONFLICT (api_key_id, window_start) DO UPDATE SET count = r.count + 1
         RETURNING r.count`,
        [key, windowStart, expiresAt],
      );
      return Number(rows[0]!.count);
    },
    async hitThen(first, second) {
      const rows = await db.query<{ first: number; second: number | null }>(
        `WITH first AS (
           INSERT INTO rate_limits AS r (api_key_id, window_start, expires_at, count) VALUES ($1, $2, $3, 1)
           ON CONFLICT (api_key_id, window_start) DO UPDATE SET count = r.count + 1
           RETURNING r.count),
         second AS (
           INSERT INTO rate_limits AS r (api_key_id, window_start, expires_at, count)
           SELECT $5, $6, $7, 1 FROM first WHERE first.count <= $4::int
           ON CONFLICT (api_key_id, window_start) DO UPDATE SET count = r.count + 1
           RETURNING r.count)
         SELECT (SELECT count FROM first) AS first, (SELECT count FROM second) AS second`,
        [first.key, first.start, first.end, first.limit, second.key, second.start, second.end],
      );
      const row = rows[0]!;
      return [Number(row.first), row.second === null ? null : Number(row.second)];
    },
    async charge(q, key, amount, limit, window) {
      const rows = await q.query<{ count: number }>(
        `INSERT INTO rate_limits AS r (api_key_id, window_start, expires_at, count)
         SELECT $1, $2, $3, $4::int WHERE $4::int <= $5::int
         ON CONFLICT (api_key_id, window_start) DO UPDATE SET count = r.count + $4::int
           WHERE r.count + $4::int <= $5::int
         RETURNING r.count`,
        [key, window.start, window.end, amount, limit],
      );
      return rows[0] ? Number(rows[0].count) : null;
    },
    /** Deletes windows that ended by `before` (the worker's housekeeping). Returns how many. */
    async expire(before: Date): Promise<number> {
      const rows = await db.query<{ n: number }>(
        "WITH gone AS (DELETE FROM rate_limits WHERE expires_at <= $1 RETURNING 1) SELECT count(*)::int AS n FROM gone",
        [before],
      );
      return Number(rows[0]?.n ?? 0);
    },
  };
}
