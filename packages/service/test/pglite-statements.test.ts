import { PGlite } from "@electric-sql/pglite";
import { expect } from "chai";
import { type Database, openPglite } from "../src/store/db";

// The PGlite store runs its statements prepared (store/pglite-statements.ts): each must give the rows and errors
// that PGlite's own query gives, inside and outside transactions, and after the schema changes.

const SCHEMA = `CREATE TABLE t (id uuid PRIMARY KEY, n bigint, i int, at timestamptz, doc jsonb, tags text[],
  flag boolean, note text)`;

const ROWS: unknown[][] = [
  [
    "0b6f1a52-4f55-4d0e-9d7a-1b2c3d4e5f60",
    2n ** 53n + 7n,
    -3,
    new Date("2026-01-02T03:04:05.678Z"),
    { a: [1, "x", null], b: { c: true } },
    ["é", "a,b", 'q"uote', ""],
    true,
    null,
  ],
  ["7d1c2b3a-0000-4000-8000-000000000001", 0n, 0, new Date(0), [], [], false, "line\nbreak ✓"],
];

const INSERT = `INSERT INTO t (id, n, i, at, doc, tags, flag, note) VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8)
  RETURNING *`;
const SELECT =
  "SELECT *, n * 2 AS twice, doc -> 'a' AS a FROM t WHERE ($1::uuid IS NULL OR id = $1) ORDER BY id";

describe("PGlite prepared statements", () => {
  let db: Database;
  let reference: PGlite;

  before(async () => {
    db = await openPglite();
    reference = await PGlite.create();
    await db.query(SCHEMA);
    await reference.query(SCHEMA);
  });

  after(async () => {
    await db.close();
    await reference.close();
  });

  it("gives the rows PGlite's own query gives, every time a statement runs (parameters of every kind)", async () => {
    for (const row of ROWS) {
      const params = row.map((value, i) => (i === 4 ? JSON.stringify(value) : value));
      const ours = await db.query(INSERT, params);
      const theirs = (await reference.query(INSERT, params)).rows;
      expect(ours).to.deep.equal(theirs);
    }
    for (let round = 0; round < 7; round++) {
      for (const id of [null, ROWS[0]![0], ROWS[1]![0]]) {
        const ours = await db.query(SELECT, [id]);
        expect(ours).to.deep.equal((await reference.query(SELECT, [id])).rows);
        expect(ours.length).to.equal(id === null ? 2 : 1);
      }
    }
  });

  it("runs in a transaction and rolls back with it; an error keeps its code and spares later statements", async () => {
    const id = "11111111-2222-4333-8444-555555555555";
    const failed = await db
      .transaction(async (tx) => {
        await tx.query(INSERT, [id, 1n, 1, new Date(), "{}", [], true, null]);
        expect(await tx.query("SELECT id FROM t WHERE id = $1", [id])).to.have.length(1);
        await tx.query(INSERT, [id, 1n, 1, new Date(), "{}", [], true, null]);
      })
      .catch((error: { code?: string }) => error);
    expect((failed as { code?: string }).code).to.equal("23505");
    expect(await db.query("SELECT id FROM t WHERE id = $1", [id])).to.deep.equal([]);
    // The session is usable after the error, prepared statements included.
    expect(await db.query(SELECT, [null])).to.have.length(2);
    const bad = await db.query("SELECT * FROM missing_table WHERE id = $1", [id]).catch((e) => e);
    expect((bad as { code?: string }).code).to.equal("42P01");
  });

  it("sees a column added after its statements were prepared (a migration), in and out of transactions", async () => {
    expect(Object.keys((await db.query(SELECT, [ROWS[0]![0]]))[0]!)).not.to.include("added");
    await db.transaction(async (tx) => {
      await tx.query("ALTER TABLE t ADD COLUMN added text NOT NULL DEFAULT 'yes'");
      expect((await tx.query<{ added: string }>(SELECT, [ROWS[0]![0]]))[0]!.added).to.equal("yes");
    });
    const rows = await db.query<{ added: string }>(SELECT, [null]);
    expect(rows.map((row) => row.added)).to.deep.equal(["yes", "yes"]);
  });

  it("runs concurrent statements and transactions one at a time, each seeing its own writes", async () => {
    await db.query("CREATE TABLE c (k text PRIMARY KEY, v int NOT NULL)");
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        i % 2
          ? db.query(
              "INSERT INTO c (k, v) VALUES ($1, 1) ON CONFLICT (k) DO UPDATE SET v = c.v + 1 RETURNING v",
              ["x"],
            )
          : db.transaction(async (tx) => {
              const [row] = await tx.query<{ v: number }>("SELECT v FROM c WHERE k = $1", ["x"]);
              await tx.query("INSERT INTO c (k, v) VALUES ($1, $2)", [`t${i}`, row?.v ?? 0]);
            }),
      ),
    );
    const [x] = await db.query<{ v: number }>("SELECT v FROM c WHERE k = $1", ["x"]);
    expect(x!.v).to.equal(20);
    expect(await db.query("SELECT k FROM c WHERE k LIKE 't%'")).to.have.length(20);
  });
});
