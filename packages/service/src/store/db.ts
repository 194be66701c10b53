import { AsyncLocalStorage } from "node:async_hooks";
import { readFileSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { PGlite, Transaction } from "@electric-sql/pglite";
import type { Pool, PoolClient } from "pg";
import { StoreError } from "../errors";
import { PREPARABLE, pgliteStatements } from "./pglite-statements";
import { DatabaseUnavailableError, databaseUnavailableReason } from "./unavailable";

/** Something that runs parameterised SQL ($1, $2 … placeholders) and returns rows. */
export interface Queryable {
  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<R[]>;
}

/** A leadership lease: held until released or the connection ends. */
export interface LeaderLock {
  /**
   * Whether the lock is still held, asked of the server on the lock's own session (PostgreSQL); false once the
   * session has failed in any way — the lease is then worthless and must be released.
   */
  verify(): Promise<boolean>;
  /** Why the lease was lost, once `verify()` has answered false; null while held. */
  readonly lostBecause: string | null;
  /** The server process id of the lock's session (PostgreSQL): what fenced writes check; null on PGlite. */
  readonly session: number | null;
  release(): Promise<void>;
}

/** The database under the store: embedded PGlite or a PostgreSQL server, with the same SQL. */
export interface Database extends Queryable {
  readonly dialect: "pglite" | "postgres";
  /** Runs `fn` in one transaction; retried on serialization failures and deadlocks (PostgreSQL). */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * Tries to become the single leader for `key` (a 31-bit integer) within this store's schema
   * (pg_try_advisory_lock on a dedicated connection).
   */
  tryLeaderLock(key: number, options?: { name?: string }): Promise<LeaderLock | null>;
  /** The name (given to `tryLeaderLock`) of whoever holds the lock `key` now, "" when unnamed, null when nobody. */
  leaderOf(key: number): Promise<string | null>;
  /**
   * When the transaction that holds the database's only session began (`performance.now()`), or null: on the
   * embedded store every other statement waits for it. Absent on PostgreSQL, whose sessions are many.
   */
  busySince?(): number | null;
  close(): Promise<void>;
}

/** The leader lock a fenced write must find held: its key and its session (pid); null when there is none. */
export type Fence = () => { key: number; session: number } | null;

/** Refused: a fenced write found that its leader lock is no longer held by the session that took it. */
export class LeadershipLostError extends Error {
  override name = "LeadershipLostError";
}

const fences = new AsyncLocalStorage<Fence>();

/** A statement that only reads: a SELECT (a data-modifying WITH is not matched, so it stays fenced). */
const READ_ONLY = /^\s*SELECT\b/i;

/**
 * Runs `fn` with every transaction it makes on PostgreSQL fenced: just before COMMIT the transaction checks, on
 * the server, that the leader lock is still held by the session that won it, and rolls back otherwise. A worker
 * that lost its lock (its session ended, another replica leads) thus cannot record anything, even through a
 * transaction that reconnected. PGlite has no fence: one process, one leader.
 */
export function runFenced<T>(fence: Fence, fn: () => Promise<T>): Promise<T> {
  return fences.run(fence, fn);
}

export type PgliteOptions = {
  /** A directory for the data; in memory when omitted. */
  dataDir?: string;
};

export type PostgresOptions = {
  connectionString: string;
  /** Every table lives in this schema (created when missing); `public` when omitted. */
  schema?: string;
  /** Maximum pool size. */
  max?: number;
  /**
   * Never fenced by the worker's leader lock (the key vault: its writes are data keys, harmless to repeat or to
   * leave behind, and its schema is not the one the lock is taken in).
   */
  unfenced?: boolean;
};

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

// ---------------------------------------------------------------------------------------------------------------
// PGlite

type PgliteAssets = {
  pgliteWasmModule: WebAssembly.Module;
  initdbWasmModule: WebAssembly.Module;
  fsBundle: Blob;
};

let assets: Promise<PgliteAssets> | undefined;
let template: Promise<Blob> | undefined;

/** PGlite's WebAssembly modules, compiled once per process. */
function pgliteAssets(): Promise<PgliteAssets> {
  assets ??= (async () => {
    const dir = path.dirname(require.resolve("@electric-sql/pglite"));
    const [pgliteWasmModule, initdbWasmModule] = await Promise.all([
      WebAssembly.compile(readFileSync(path.join(dir, "pglite.wasm"))),
      WebAssembly.compile(readFileSync(path.join(dir, "initdb.wasm"))),
    ]);
    return {
      pgliteWasmModule,
      initdbWasmModule,
      fsBundle: new Blob([readFileSync(path.join(dir, "pglite.data"))]),
    };
  })();
  return assets;
}

/** An initialised, empty cluster, dumped once per process: in-memory databases start from it (initdb is slow). */
function pgliteTemplate(): Promise<Blob> {
  template ??= (async () => {
    const { PGlite } = await import("@electric-sql/pglite");
    const db = await PGlite.create({ ...(await pgliteAssets()) });
    const dump = await db.dumpDataDir("none");
    await db.close();
    return dump;
  })();
  return template;
}

export async function openPglite(options: PgliteOptions = {}): Promise<Database> {
  const pglite = await import("@electric-sql/pglite");
  const { PGlite } = pglite;
  const base = await pgliteAssets();
  let db: PGlite;
  if (options.dataDir) {
    await mkdir(options.dataDir, { recursive: true });
    db = await PGlite.create({ ...base, dataDir: options.dataDir });
  } else {
    db = await PGlite.create({ ...base, loadDataDir: await pgliteTemplate() });
  }
  // PGlite is one session in this process: leadership is an in-process flag.
  const leaders = new Map<number, string>();
  // A prepared statement is planned for its parameters on every call, as an unnamed one is: a generic plan
  // (PostgreSQL's choice after five calls) can be far slower for `$2::uuid IS NULL OR event_id = $2`.
  await db.exec("SET plan_cache_mode = force_custom_plan");
  const statements = pgliteStatements(db, pglite);
  const run = <R>(sql: string, params: readonly unknown[] | undefined, tx?: Transaction) => {
    if (!PREPARABLE.test(sql)) statements.forget();
    return statements.run<R>(sql, params, tx);
  };
  // When the running transaction began (not counting those queued behind it).
  let running: number | null = null;
  return {
    dialect: "pglite",
    query: (sql, params) => run(sql, params),
    transaction: (fn) =>
      db.transaction(async (tx) => {
        running = performance.now();
        try {
          return await fn({ query: (sql, params) => run(sql, params, tx) });
        } finally {
          running = null;
        }
      }),
    busySince: () => running,
    async tryLeaderLock(key, lockOptions) {
      if (leaders.has(key)) return null;
      leaders.set(key, lockOptions?.name ?? "");
      let held = true;
      return {
        verify: async () => held,
        session: null,
        get lostBecause() {
          return held ? null : "released";
        },
        release: async () => {
          if (held) leaders.delete(key);
          held = false;
        },
      };
    },
    leaderOf: async (key) => leaders.get(key) ?? null,
    close: () => db.close(),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// PostgreSQL

const RETRYABLE = new Set(["40001", "40P01"]);
/** How often a transaction whose connection was lost before COMMIT is run again (a restart, a terminated session). */
const RECONNECT_ATTEMPTS = 3;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A connection error as a DatabaseUnavailableError (other errors unchanged). */
function unavailable(error: unknown, reason = databaseUnavailableReason(error)): unknown {
  return reason && !(error instanceof DatabaseUnavailableError)
    ? new DatabaseUnavailableError(reason, { cause: error })
    : error;
}

/** The pg_locks row (alias `l`) of the advisory lock $1 of the current schema (a two-key lock: objsubid 2). */
const ADVISORY_LOCK_ROW = `l.locktype = 'advisory' AND l.granted AND l.classid = $1::int::oid
  AND l.objid = hashtext(current_schema())::oid AND l.objsubid = 2
  AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`;

export async function openPostgres(options: PostgresOptions): Promise<Database> {
  const { Pool, Client } = await import("pg");
  const schema = options.schema;
  if (schema !== undefined && !SCHEMA_NAME.test(schema))
    throw new StoreError(`invalid schema name: ${schema}`);
  const connectionOptions = {
    connectionString: options.connectionString,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  };
  if (schema) {
    const admin = new Client({ connectionString: options.connectionString });
    await admin.connect();
    try {
      // Two replicas starting together may race here: the loser's "already exists" is success.
      await admin.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`).catch((error: { code?: string }) => {
        if (error.code !== "23505" && error.code !== "42P06") throw error;
      });
    } finally {
      await admin.end();
    }
  }
  const pool: Pool = new Pool({ ...connectionOptions, max: options.max ?? 10 });
  pool.on("error", () => {
    // An idle client lost its connection; the pool replaces it. Nothing to do here.
  });
  const run = async <R>(q: Pool | PoolClient, sql: string, params?: readonly unknown[]) =>
    (await q.query(sql, params ? [...params] : undefined)).rows as R[];

  /** Before COMMIT of a fenced transaction: the leader lock must still be held by its session. */
  const checkFence = async (client: PoolClient, fence: Fence) => {
    const lock = fence();
    const held =
      lock !== null &&
      (
        await run<{ held: boolean }>(
          client,
          `SELECT EXISTS (SELECT 1 FROM pg_locks l WHERE l.pid = $2 AND ${ADVISORY_LOCK_ROW}) AS held`,
          [lock.key, lock.session],
        )
      )[0]?.held === true;
    if (!held) throw new LeadershipLostError("the leader lock is no longer held: nothing recorded");
  };

  const database: Database = {
    dialect: "postgres",
    async query(sql, params) {
      // A fenced caller's single writes are fenced too; a plain read needs no fence (it records nothing) and
      // is spared the transaction and the lock check around it.
      if (!options.unfenced && fences.getStore() && !READ_ONLY.test(sql))
        return database.transaction((tx) => tx.query(sql, params));
      try {
        return await run(pool, sql, params);
      } catch (error) {
        throw unavailable(error);
      }
    },
    async transaction(fn) {
      for (let attempt = 0; ; attempt++) {
        let client: PoolClient;
        try {
          client = await pool.connect();
        } catch (error) {
          if (databaseUnavailableReason(error) && attempt < RECONNECT_ATTEMPTS) {
            await pause(100 * 4 ** attempt);
            continue;
          }
          throw unavailable(error);
        }
        // pg emits 'error' on a checked-out client whose connection ends (a restart, pg_terminate_backend): with
        // no listener that ends the process. The query in progress, if any, fails on its own.
        let lost: Error | null = null;
        const onError = (error: Error) => {
          lost ??= error;
        };
        client.on("error", onError);
        let committing = false;
        let broken = false;
        try {
          await client.query("BEGIN");
          const result = await fn({ query: (sql, params) => run(client, sql, params) });
          const fence = options.unfenced ? undefined : fences.getStore();
          if (fence) await checkFence(client, fence);
          committing = true;
          await client.query("COMMIT");
          return result;
        } catch (error) {
          // The client's own error names the cause; the failed query only says the client is unusable.
          const reason = (lost && databaseUnavailableReason(lost)) ?? databaseUnavailableReason(error);
          broken = reason !== null || lost !== null;
          if (!broken) await client.query("ROLLBACK").catch(() => undefined);
          const code = (error as { code?: string }).code;
          if (!broken && code && RETRYABLE.has(code) && attempt < 5) {
            await pause(10 * 2 ** attempt);
            continue;
          }
          if (reason) {
            // Lost before COMMIT: the server rolled the transaction back with the session, so it runs again.
            // Lost during COMMIT: it may or may not have committed, so it is not run again blindly.
            if (!committing && attempt < RECONNECT_ATTEMPTS) {
              await pause(100 * 4 ** attempt);
              continue;
            }
            throw new DatabaseUnavailableError(
              committing ? `${reason}; the outcome of COMMIT is unknown` : reason,
              { cause: error },
            );
          }
          throw error;
        } finally {
          client.off("error", onError);
          // A client whose connection failed is destroyed, not handed to the next caller.
          client.release(broken || lost !== null ? (lost ?? true) : undefined);
        }
      }
    },
    async tryLeaderLock(key, lockOptions = {}) {
      // A dedicated session: a session-level advisory lock lives as long as the session, so the session is
      // watched — its first error, end or failed check means the lock may be someone else's now.
      const client = new Client({
        ...connectionOptions,
        ...(lockOptions.name ? { application_name: lockOptions.name } : {}),
        // A check that hangs (a half-open connection) counts as lost, not as held.
        query_timeout: 5_000,
        keepAlive: true,
      });
      let lostBecause: string | null = null;
      const lose = (reason: string) => {
        lostBecause ??= reason;
      };
      client.on("error", (error) => lose(databaseUnavailableReason(error) ?? "the lock session failed"));
      client.on("end", () => lose("the lock session ended"));
      let locked = false;
      let session = 0;
      try {
        await client.connect();
        // Scoped to the schema: deployments (and test runs) sharing a database in different schemas each
        // have their own leader.
        const rows = (
          await client.query(
            "SELECT pg_try_advisory_lock($1::int, hashtext(current_schema())) AS locked, pg_backend_pid() AS session",
            [key],
          )
        ).rows as { locked: boolean; session: number }[];
        locked = rows[0]?.locked === true;
        session = rows[0]?.session ?? 0;
      } catch (error) {
        await client.end().catch(() => undefined);
        throw unavailable(error);
      }
      if (!locked) {
        await client.end().catch(() => undefined);
        return null;
      }
      let released = false;
      return {
        session,
        get lostBecause() {
          return released ? (lostBecause ?? "released") : lostBecause;
        },
        async verify() {
          if (!released && lostBecause === null) {
            try {
              const rows = (
                await client.query(
                  `SELECT EXISTS (SELECT 1 FROM pg_locks l WHERE l.pid = pg_backend_pid() AND ${ADVISORY_LOCK_ROW}) AS held`,
                  [key],
                )
              ).rows as { held: boolean }[];
              if (rows[0]?.held === true && lostBecause === null) return true;
              lose("the lock is no longer held by its session");
            } catch (error) {
              lose(databaseUnavailableReason(error) ?? "the lock check failed");
            }
          }
          // Dropped at the first doubt: ending the session frees the lock on the server if it still had it.
          await client.end().catch(() => undefined);
          return false;
        },
        async release() {
          if (released) return;
          released = true;
          if (lostBecause === null) {
            await client
              .query("SELECT pg_advisory_unlock($1::int, hashtext(current_schema()))", [key])
              .catch(() => undefined);
          }
          await client.end().catch(() => undefined);
        },
      };
    },
    async leaderOf(key) {
      try {
        const rows = await run<{ name: string | null }>(
          pool,
          `SELECT a.application_name AS name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
           WHERE ${ADVISORY_LOCK_ROW}`,
          [key],
        );
        return rows.length === 0 ? null : (rows[0]!.name ?? "");
      } catch (error) {
        throw unavailable(error);
      }
    },
    close: () => pool.end(),
  };
  return database;
}

/** Drops a schema and everything in it (tests create one per run). */
export async function dropPostgresSchema(connectionString: string, schema: string): Promise<void> {
  if (!SCHEMA_NAME.test(schema)) throw new StoreError(`invalid schema name: ${schema}`);
  const { Client } = await import("pg");
  const client = new Client({ connectionString });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}
