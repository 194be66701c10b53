// Prepared statements on PGlite. `PGlite.query` parses, plans and describes its statement on every call, in six
// calls into the WebAssembly module (parse, describe, bind, describe, execute, sync): for the short statements
// of a request, most of the work. Here a statement is parsed once per database under a name, with the types of
// its parameters, and each later call sends bind, describe, execute and sync in one message. Parameters are
// serialized and rows parsed by PGlite's own serializers and parsers for the same types, so every row is what
// `PGlite.query` gives. The locks are PGlite's own: a statement outside a transaction waits for any transaction,
// one inside runs in it. Those locks (`_runExclusiveQuery`, `_runExclusiveTransaction`, `_checkReady`) and
// `execProtocolStream` are PGlite's undocumented members, which is why its version is pinned exactly: on an
// upgrade, run test/pglite-statements.test.ts (rows, errors and concurrency against `PGlite.query`) first.

import type { PGlite, Transaction } from "@electric-sql/pglite";

/** Statements that are prepared: data reads and writes (a schema change is run as it is, see below). */
export const PREPARABLE = /^\s*(SELECT|INSERT|UPDATE|DELETE|WITH)\b/i;

/** At most this many statements are kept prepared; a statement beyond them is run as `PGlite.query` runs it. */
const MAX_PREPARED = 512;

type Prepared = { name: string; types: number[] };

/** The parts of PGlite's module used here (it is loaded when a PGlite store opens). */
export type PgliteModule = Pick<typeof import("@electric-sql/pglite"), "parse" | "protocol">;

/** The parts of PGlite used here (its locks and type conversions are public members of the class). */
type Engine = Pick<
  PGlite,
  | "query"
  | "execProtocolStream"
  | "serializers"
  | "parsers"
  | "syncToFs"
  | "_checkReady"
  | "_runExclusiveQuery"
  | "_runExclusiveTransaction"
>;

export type StatementRunner = {
  /** Runs `sql` with `params`, in the transaction `tx` when given (its handle runs what is not prepared). */
  run<R>(sql: string, params: readonly unknown[] | undefined, tx?: Transaction): Promise<R[]>;
  /** Must be called before a statement that may change the schema is run (a prepared row type may change). */
  forget(): void;
};

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

export function pgliteStatements(db: Engine, { parse, protocol }: PgliteModule): StatementRunner {
  const serialize = protocol.serialize;
  const prepared = new Map<string, Prepared>();
  let generation = 0;
  let counter = 0;
  /** Names of statements to close before the next one is prepared (after a schema change). */
  let stale: string[] = [];

  /** Parses `sql` under a new name and learns its parameters' types (once per statement and database). */
  async function prepare(sql: string): Promise<Prepared> {
    if (stale.length > 0) {
      const closing = stale;
      stale = [];
      await db.execProtocolStream(
        concat([...closing.map((name) => serialize.close({ type: "S", name })), serialize.sync()]),
        { syncToFs: false },
      );
    }
    const name = `intyg_${generation}_${counter++}`;
    const messages = await db.execProtocolStream(
      concat([
        serialize.parse({ name, text: sql }),
        serialize.describe({ type: "S", name }),
        serialize.sync(),
      ]),
      { syncToFs: false },
    );
    const statement = { name, types: parse.parseDescribeStatementResults(messages) };
    prepared.set(sql, statement);
    return statement;
  }

  async function execute<R>(sql: string, params: readonly unknown[]): Promise<R[]> {
    const statement = prepared.get(sql) ?? (await prepare(sql));
    // As PGlite.query does: a serializer for the parameter's type, else its text; null stays null.
    const values = params.map((param, i) => {
      if (param === null || param === undefined) return null;
      const serializer = db.serializers[statement.types[i]!];
      return serializer ? serializer(param) : String(param);
    });
    // Streamed: the rows are parsed as PGlite writes them, not gathered and copied first.
    const messages = await db.execProtocolStream(
      concat([
        serialize.bind({ statement: statement.name, values: values as (string | null)[] }),
        serialize.describe({ type: "P" }),
        serialize.execute({}),
        serialize.sync(),
      ]),
      { syncToFs: false },
    );
    return parse.parseResults(messages, db.parsers)[0]!.rows as R[];
  }

  return {
    async run<R>(sql: string, params: readonly unknown[] | undefined, tx?: Transaction): Promise<R[]> {
      const args = params ? [...params] : [];
      if (!PREPARABLE.test(sql) || (!prepared.has(sql) && prepared.size >= MAX_PREPARED)) {
        return (await (tx ?? db).query<R>(sql, args)).rows;
      }
      await db._checkReady();
      if (tx?.closed) throw new Error("Transaction is closed");
      if (tx) return db._runExclusiveQuery(() => execute<R>(sql, args));
      return db._runExclusiveTransaction(() =>
        db._runExclusiveQuery(async () => {
          const rows = await execute<R>(sql, args);
          await db.syncToFs();
          return rows;
        }),
      );
    },
    forget() {
      // A prepared statement whose table changed is planned again by PostgreSQL, but one whose row type changed
      // (`SELECT *` of a table given a column) fails: every statement is prepared anew after a schema change.
      stale.push(...[...prepared.values()].map((statement) => statement.name));
      prepared.clear();
      generation++;
    },
  };
}
