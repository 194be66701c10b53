// The key vault: every data key that encrypts personal data, sealed by the KEK, one row per subject (a
// credential, a bulk job, a stored bulk response). It is a database of its own — a second PGlite directory
// beside the main one, or its own PostgreSQL schema — so that a backup of the main database never holds the
// keys: destroying a key here makes that subject's ciphertext unreadable in every copy of the main database at
// once (dead tuples, WAL, replicas, backups), while the other subjects' keys still open a restored backup.

import { randomBytes } from "node:crypto";
import type { Clock } from "../clock";
import { newDataKey, openDataKey, resealDataKey, sealDataKey } from "../privacy/envelope";
import type { Keyring } from "../privacy/keyring";
import type { Database } from "./db";

export interface KeyVault {
  readonly db: Database;
  readonly keyring: Keyring;
  /** Fresh data keys for `subjects`, sealed with the current KEK and stored (replacing any key they had). */
  create(subjects: string[]): Promise<Map<string, Buffer>>;
  /** The data keys of `subjects` that still exist (a destroyed key is simply absent). */
  open(subjects: string[]): Promise<Map<string, Buffer>>;
  /** The key of `subject`, made on first use (e.g. the blind-index key). */
  openOrCreate(subject: string): Promise<Buffer>;
  /**
   * Destroys the keys of `subjects`: the sealed value is overwritten, then the row deleted, then the table's
   * dead rows are vacuumed away. Returns the subjects whose key existed.
   */
  destroy(subjects: string[]): Promise<string[]>;
  /** Re-seals up to `limit` data keys still sealed with an older KEK; returns how many (0: rotation done). */
  reseal(limit?: number): Promise<number>;
  /** How many data keys are sealed with each KEK id. */
  sealedBy(): Promise<Record<string, number>>;
  close(): Promise<void>;
}

const VAULT_SCHEMA = `CREATE TABLE IF NOT EXISTS data_keys (
  subject text PRIMARY KEY,
  kek_id text NOT NULL,
  sealed text NOT NULL,
  created_at timestamptz NOT NULL
)`;
const VAULT_INDEX = "CREATE INDEX IF NOT EXISTS data_keys_kek ON data_keys (kek_id)";

/** The AAD a data key is sealed under: bound to its subject, so a sealed key copied to another row fails. */
const aad = (subject: string) => `subject:${subject}`;

export async function openKeyVault(db: Database, keyring: Keyring, clock: Clock): Promise<KeyVault> {
  await db.transaction(async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock($1::int, hashtext(current_schema()))", [0x1ee7_0002]);
    await tx.query(VAULT_SCHEMA);
    await tx.query(VAULT_INDEX);
  });
  const insert = async (rows: { subject: string; sealed: string }[]): Promise<void> => {
    for (let i = 0; i < rows.length; i += 1000) {
      await db.query(
        `INSERT INTO data_keys (subject, kek_id, sealed, created_at)
         SELECT subject, $2, sealed, $3 FROM jsonb_to_recordset($1::jsonb) AS r(subject text, sealed text)
         ON CONFLICT (subject) DO UPDATE SET kek_id = EXCLUDED.kek_id, sealed = EXCLUDED.sealed,
                                             created_at = EXCLUDED.created_at`,
        [JSON.stringify(rows.slice(i, i + 1000)), keyring.current.id, clock.now()],
      );
    }
  };
  // Group commit: keys asked for while a write is in flight go together in the next one. Single issuances
  // arrive one by one, and a write of its own each would cost every one of them a commit of the vault.
  type Row = { subject: string; sealed: string };
  let inFlight: Promise<void> | null = null;
  let waiting: { rows: Row[]; subjects: Set<string>; done: Promise<void> } | null = null;
  const writeKeys = (rows: Row[]): Promise<void> => {
    if (!inFlight) {
      inFlight = insert(rows).finally(() => {
        inFlight = null;
      });
      return inFlight;
    }
    // A subject already waiting (a key replaced twice at once) is written after it, so the last key asked wins.
    if (waiting && rows.some((row) => waiting!.subjects.has(row.subject)))
      return waiting.done.catch(() => undefined).then(() => writeKeys(rows));
    if (!waiting) {
      const next = { rows: [] as Row[], subjects: new Set<string>(), done: Promise.resolve() };
      next.done = inFlight
        .catch(() => undefined)
        .then(() => {
          waiting = null;
          return writeKeys(next.rows);
        });
      waiting = next;
    }
    for (const row of rows) waiting.subjects.add(row.subject);
    waiting.rows.push(...rows);
    return waiting.done;
  };
  const vault: KeyVault = {
    db,
    keyring,
    async create(subjects) {
      const keys = new Map<string, Buffer>();
      if (subjects.length === 0) return keys;
      // One draw of randomness for all the keys (a bulk issuance makes thousands at once).
      const pool = subjects.length > 1 ? randomBytes(32 * subjects.length) : null;
      const rows = subjects.map((subject, i) => {
        const key = pool ? pool.subarray(32 * i, 32 * (i + 1)) : newDataKey();
        keys.set(subject, key);
        return { subject, sealed: sealDataKey(keyring, key, aad(subject)) };
      });
      await writeKeys(rows);
      return keys;
    },
    async open(subjects) {
      const keys = new Map<string, Buffer>();
      if (subjects.length === 0) return keys;
      const rows = await db.query<{ subject: string; sealed: string }>(
        "SELECT subject, sealed FROM data_keys WHERE subject = ANY($1::text[])",
        [[...new Set(subjects)]],
      );
      for (const row of rows) keys.set(row.subject, openDataKey(keyring, row.sealed, aad(row.subject)));
      return keys;
    },
    async openOrCreate(subject) {
      const found = (await vault.open([subject])).get(subject);
      if (found) return found;
      const key = newDataKey();
      await db.query(
        `INSERT INTO data_keys (subject, kek_id, sealed, created_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (subject) DO NOTHING`,
        [subject, keyring.current.id, sealDataKey(keyring, key, aad(subject)), clock.now()],
      );
      // Two replicas may race to make it: whichever row won is the key.
      return (await vault.open([subject])).get(subject)!;
    },
    async destroy(subjects) {
      if (subjects.length === 0) return [];
      const destroyed = await db.transaction(async (tx) => {
        // Overwritten first, so that a row version that outlives the DELETE holds no sealed key.
        await tx.query(
          "UPDATE data_keys SET sealed = repeat('0', length(sealed)), kek_id = '-' WHERE subject = ANY($1::text[])",
          [subjects],
        );
        const rows = await tx.query<{ subject: string }>(
          "DELETE FROM data_keys WHERE subject = ANY($1::text[]) RETURNING subject",
          [subjects],
        );
        return rows.map((row) => String(row.subject));
      });
      // The dead row versions (the sealed key before it was overwritten) go now rather than at autovacuum.
      if (destroyed.length > 0) await db.query("VACUUM data_keys").catch(() => undefined);
      return destroyed;
    },
    async reseal(limit = 500) {
      return db.transaction(async (tx) => {
        const rows = await tx.query<{ subject: string; sealed: string }>(
          `SELECT subject, sealed FROM data_keys WHERE kek_id <> $1 AND kek_id <> '-'
            ORDER BY subject LIMIT $2 FOR UPDATE SKIP LOCKED`,
          [keyring.current.id, limit],
        );
        if (rows.length === 0) return 0;
        const resealed = rows.map((row) => ({
          subject: row.subject,
          sealed: resealDataKey(keyring, row.sealed, aad(row.subject)),
        }));
        await tx.query(
          `UPDATE data_keys k SET sealed = r.sealed, kek_id = $2
             FROM jsonb_to_recordset($1::jsonb) AS r(subject text, sealed text) WHERE k.subject = r.subject`,
          [JSON.stringify(resealed), keyring.current.id],
        );
        return rows.length;
      });
    },
    async sealedBy() {
      const rows = await db.query<{ kek_id: string; n: number }>(
        "SELECT kek_id, count(*)::int AS n FROM data_keys GROUP BY kek_id ORDER BY kek_id",
      );
      return Object.fromEntries(rows.map((row) => [row.kek_id, Number(row.n)]));
    },
    close: () => db.close(),
  };
  return vault;
}
