import { readFileSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import type { Pool, PoolClient } from "pg";
import { StoreError } from "../errors";

/** Something that runs parameterised SQL ($1, $2 … placeholders) and returns rows. */
export interface Queryable {
  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<R[]>;
}

/** A leadership lease: held until released or the connection ends. */
export interface LeaderLock {
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
  tryLeaderLock(key: number): Promise<LeaderLock | null>;
  close(): Promise<void>;
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
  const { PGlite } = await import("@electric-sql/pglite");
  const base = await pgliteAssets();
  let db: PGlite;
  if (options.dataDir) {
    await mkdir(options.dataDir, { recursive: true });
    db = await PGlite.create({ ...base, dataDir: options.dataDir });
  } else {
    db = await PGlite.create({ ...base, loadDataDir: await pgliteTemplate() });
  }
  // PGlite is one session in this process: leadership is an in-process flag.
  const leaders = new Set<number>();
  const run = async <R>(q: { query: PGlite["query"] }, sql: string, params?: readonly unknown[]) =>
    (await q.query<R>(sql, params ? [...params] : undefined)).rows;
  return {
    dialect: "pglite",
    query: (sql, params) => run(db, sql, params),
    transaction: (fn) => db.transaction((tx) => fn({ query: (sql, params) => run(tx, sql, params) })),
    async tryLeaderLock(key) {
      if (leaders.has(key)) return null;
      leaders.add(key);
      return {
        release: async () => {
          leaders.delete(key);
        },
      };
    },
    close: () => db.close(),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// PostgreSQL

const RETRYABLE = new Set(["40001", "40P01"]);

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
      await admin.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
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

  return {
    dialect: "postgres",
    query: (sql, params) => run(pool, sql, params),
    async transaction(fn) {
      for (let attempt = 0; ; attempt++) {
        const client = await pool.connect();
        try {
          await client.query("BEGIN");
          const result = await fn({ query: (sql, params) => run(client, sql, params) });
          await client.query("COMMIT");
          return result;
        } catch (error) {
          await client.query("ROLLBACK").catch(() => undefined);
          const code = (error as { code?: string }).code;
          if (code && RETRYABLE.has(code) && attempt < 5) {
            await new Promise((resolve) => setTimeout(resolve, 10 * 2 ** attempt));
            continue;
          }
          throw error;
        } finally {
          client.release();
        }
      }
    },
    async tryLeaderLock(key) {
      // A dedicated connection: a session-level advisory lock lives as long as the session.
      const client = new Client(connectionOptions);
      client.on("error", () => undefined);
      await client.connect();
      // Scoped to the schema: deployments (and test runs) sharing a database in different schemas each
      // have their own leader.
      const rows = (
        await client.query("SELECT pg_try_advisory_lock($1::int, hashtext(current_schema())) AS locked", [
          key,
        ])
      ).rows as { locked: boolean }[];
      if (!rows[0]?.locked) {
        await client.end();
        return null;
      }
      return {
        async release() {
          await client
            .query("SELECT pg_advisory_unlock($1::int, hashtext(current_schema()))", [key])
            .catch(() => undefined);
          await client.end().catch(() => undefined);
        },
      };
    },
    close: () => pool.end(),
  };
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
