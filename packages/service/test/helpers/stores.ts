import { randomBytes } from "node:crypto";
import type { Clock } from "../../src/clock";
import { dropPostgresSchema } from "../../src/store/db";
import { createStore, type Store } from "../../src/store/store";

export const STORE_KINDS = ["pglite", "postgres"] as const;
export type StoreKind = (typeof STORE_KINDS)[number];

/** The PostgreSQL server of the tests (trust auth on loopback). */
export const TEST_DATABASE_URL =
  process.env.INTYG_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

/** A fresh store: PGlite in memory, or a unique PostgreSQL schema dropped on close. */
export async function openTestStore(kind: StoreKind, clock?: Clock): Promise<Store & { schema?: string }> {
  if (kind === "pglite") return createStore(clock ? { clock } : {});
  const schema = `intyg_test_${process.pid}_${randomBytes(4).toString("hex")}`;
  const store = await createStore({ databaseUrl: TEST_DATABASE_URL, schema, ...(clock ? { clock } : {}) });
  return {
    ...store,
    schema,
    async close() {
      await store.close();
      await dropPostgresSchema(TEST_DATABASE_URL, schema);
      await dropPostgresSchema(TEST_DATABASE_URL, `${schema}_keys`);
    },
  };
}
