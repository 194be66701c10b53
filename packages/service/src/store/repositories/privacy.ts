// The store's side of data protection: rows written before encryption encrypted on open, KEK rotation
// (re-sealing the data keys, and the organisations' own keys sealed by the same KEK), and the retention rule's
// settings and due credentials.

import { randomUUID } from "node:crypto";
import type { Clock } from "../../clock";
import { ServiceError } from "../../errors";
import { organisationKeyAad } from "../../keys/vault";
import { resealDataKey } from "../../privacy/envelope";
import type { Keyring } from "../../privacy/keyring";
import type { Database } from "../db";
import {
  credentialSubject,
  jobSubject,
  openPersonal,
  type Personal,
  responseSubject,
  sealCredential,
  sealJson,
  searchTerms,
} from "../personal";
import { json } from "../sql";
import { writeSearchTerms } from "./credential-rows";

/**
 * Personal data is kept this many days after its event ends once the holder has fetched their own copy, unless
 * the organisation sets otherwise.
 */
export const DEFAULT_RETENTION_DAYS = 365;
/**
 * A credential nobody has fetched yet is kept this many days after its event ends (never fewer than the
 * retention), so that erasure does not take away the holder's only chance to fetch their copy.
 */
export const DEFAULT_UNCLAIMED_RETENTION_DAYS = 730;

/** An organisation's retention, as it applies (its own settings, else the defaults). */
export type Retention = {
  /** Days after the event ends that a credential is kept once its holder has fetched their copy. */
  days: number;
  /** Days after the event ends that a credential nobody has fetched is kept; never fewer than `days`. */
  unclaimedDays: number;
  /** Which of the two the organisation left to the service's default. */
  defaults: { days: boolean; unclaimedDays: boolean };
};

/** A change of retention: a number sets it, null returns it to the default, absent leaves it as it is. */
export type RetentionChange = { days?: number | null; unclaimedDays?: number | null };

/** The limit for unfetched credentials would be shorter than the retention: refused, nothing is changed. */
export class RetentionOrderError extends ServiceError<"retention.unclaimed-shorter"> {
  override name = "RetentionOrderError";
  constructor(days: number, unclaimedDays: number) {
    super("retention.unclaimed-shorter", { days, unclaimedDays });
  }
}

export interface PrivacyRepository {
  readonly keyring: Keyring;
  /**
   * Encrypts a batch of up to `limit` rows of each kind written before encryption (credentials, bulk jobs,
   * stored bulk responses) and sets their plaintext to NULL. Returns how many rows it encrypted; 0 once none is
   * left. The worker calls it in the background; until it is done, reads open both kinds of row.
   */
  encryptLegacy(limit?: number): Promise<number>;
  /** How many rows still hold personal data in plaintext (written before encryption). */
  legacyLeft(): Promise<number>;
  /**
   * Adds the keyed hashes of name-word beginnings (prefix search) to up to `limit` credentials stored before
   * there were any, opening each with its data key; returns how many it did (0: none left).
   */
  indexPrefixes(limit?: number): Promise<number>;
  /**
   * Re-seals up to `limit` data keys with the current KEK (KEK rotation), then up to `limit` organisation keys'
   * data keys (audited); 0 once every key is.
   */
  reseal(limit?: number): Promise<number>;
  /** How many keys (data keys and organisation keys) each KEK seals: a retired KEK may be removed once it seals none. */
  sealedBy(): Promise<Record<string, number>>;
  /** The organisation's retention (its own settings, else the defaults). */
  retention(organisationId: string): Promise<Retention>;
  /**
   * Changes the organisation's retention and returns it; refuses (RetentionOrderError) a limit for unfetched
   * credentials shorter than the retention, whichever of the two the change sets.
   */
  setRetention(organisationId: string, change: RetentionChange): Promise<Retention>;
  /**
   * Records that the holder fetched their own copy of the credential (the first time only): from then on the
   * retention, not the longer limit for unfetched credentials, applies to it. A time, no personal data.
   */
  holderFetched(credentialId: string): Promise<void>;
  /**
   * Credentials not yet erased whose event ended more than their organisation's retention ago (the limit for
   * unfetched credentials when the holder has not fetched theirs; an event without dates counts from the
   * credential's issuance), oldest first.
   */
  dueForErasure(limit?: number): Promise<{ organisationId: string; id: string }[]>;
}

/** The day an event ends: its end date, else its start date, when given as YYYY-MM-DD. */
const EVENT_END_SQL = `(SELECT CASE WHEN d ~ '^\\d{4}-\\d{2}-\\d{2}' THEN left(d, 10)::date END
                          FROM (SELECT COALESCE(NULLIF(e.details->>'endDate', ''), e.details->>'startDate') AS d) x)`;

/** The retention that applies given what an organisation set (null: the default). */
function retentionOf(days: number | null, unclaimed: number | null): Retention {
  const kept = days ?? DEFAULT_RETENTION_DAYS;
  return {
    days: kept,
    unclaimedDays: Math.max(kept, unclaimed ?? DEFAULT_UNCLAIMED_RETENTION_DAYS),
    defaults: { days: days === null, unclaimedDays: unclaimed === null },
  };
}

export function privacyRepository(db: Database, clock: Clock, personal: Personal): PrivacyRepository {
  const { vault } = personal;
  const { keyring } = vault;
  /** Organisation keys' data keys sealed by an older KEK, sealed again with the current one (and audited). */
  const resealOrganisationKeys = (limit: number) =>
    db.transaction(async (tx) => {
      const rows = await tx.query<{ id: string; organisation_id: string; address: string; sealed: string }>(
        `SELECT id, organisation_id, address, sealed_data_key AS sealed FROM organisation_keys
          WHERE sealed_data_key IS NOT NULL AND split_part(sealed_data_key, '.', 2) <> $1
          ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED`,
        [keyring.current.id, limit],
      );
      const at = clock.now();
      for (const row of rows) {
        const from = row.sealed.split(".")[1];
        await tx.query("UPDATE organisation_keys SET sealed_data_key = $2, updated_at = $3 WHERE id = $1", [
          row.id,
          resealDataKey(keyring, row.sealed, organisationKeyAad(String(row.id))),
          at,
        ]);
        await tx.query(
          `INSERT INTO key_audit (id, organisation_id, key_address, action, actor, tx_hash, details, at)
           VALUES ($1, $2, $3, 'resealed', 'worker', NULL, $4::jsonb, $5)`,
          [randomUUID(), row.organisation_id, row.address, json({ from, to: keyring.current.id }), at],
        );
      }
      return rows.length;
    });
  return {
    keyring,
    async encryptLegacy(limit = 200) {
      let done = 0;
      // Row locks for the read and the write: an erasure of the same row meanwhile waits, or has already emptied
      // it and so is not picked (an erased row never gets its data back, sealed or not).
      done += await db.transaction(async (tx) => {
        const credentials = await tx.query(
          `SELECT id, organisation_id, document, recipient, holder_token FROM credentials
            WHERE (document IS NOT NULL OR recipient IS NOT NULL OR holder_token IS NOT NULL) AND erased_at IS NULL
            ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED`,
          [limit],
        );
        if (credentials.length === 0) return 0;
        const fields = credentials.map((row) => ({
          id: String(row.id),
          organisationId: String(row.organisation_id),
          document: (row.document as Record<string, unknown> | null) ?? null,
          recipient: (row.recipient as Record<string, unknown> | null) ?? null,
          holderToken: (row.holder_token as string | null) ?? null,
        }));
        const keys = await vault.create(fields.map((f) => credentialSubject(f.id)));
        const rows = fields.map((f) => ({
          id: f.id,
          ...sealCredential(keys.get(credentialSubject(f.id))!, f),
        }));
        await tx.query(
          `UPDATE credentials c SET personal_enc = r.personal_enc, holder_token_hash = r.holder_token_hash,
                  has_email = r.has_email, delivery_lang = r.delivery_lang,
                  search_prefixes = true, document = NULL, recipient = NULL, holder_token = NULL
             FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, personal_enc text, holder_token_hash text,
                  has_email boolean, delivery_lang text)
            WHERE c.id = r.id`,
          [json(rows)],
        );
        await writeSearchTerms(
          tx,
          fields.map((f) => ({ id: f.id, terms: searchTerms(personal.indexKey, f) })),
        );
        return credentials.length;
      });
      const jobs = await db.query<{ id: string; input: unknown; result: unknown }>(
        "SELECT id, input, result FROM jobs WHERE input IS NOT NULL OR result IS NOT NULL ORDER BY created_at LIMIT $1",
        [limit],
      );
      for (const job of jobs) {
        const subject = jobSubject(String(job.id));
        const key = (await vault.create([subject])).get(subject)!;
        await db.query(
          "UPDATE jobs SET input_enc = $2, result_enc = $3, input = NULL, result = NULL WHERE id = $1",
          [
            job.id,
            job.input == null ? null : sealJson(key, job.input, `${subject}|input`),
            job.result == null ? null : sealJson(key, job.result, `${subject}|result`),
          ],
        );
        done += 1;
      }
      const responses = await db.query<{ organisation_id: string; key: string; response_body: unknown }>(
        `SELECT organisation_id, key, response_body FROM idempotency_keys
          WHERE jsonb_typeof(response_body->'credentials') = 'array' ORDER BY created_at LIMIT $1`,
        [limit],
      );
      for (const row of responses) {
        const subject = responseSubject(String(row.organisation_id), row.key);
        const key = (await vault.create([subject])).get(subject)!;
        const ids = ((row.response_body as { credentials: { id?: unknown }[] }).credentials ?? [])
          .map((e) => e?.id)
          .filter((id): id is string => typeof id === "string");
        await db.query(
          `UPDATE idempotency_keys SET response_enc = $3, response_body = NULL, credential_ids = $4::jsonb
            WHERE organisation_id = $1 AND key = $2`,
          [row.organisation_id, row.key, sealJson(key, row.response_body, subject), json(ids)],
        );
        done += 1;
      }
      return done;
    },
    async indexPrefixes(limit = 500) {
      return db.transaction(async (tx) => {
        const rows = await tx.query<{ id: string; personal_enc: string }>(
          `SELECT id, personal_enc FROM credentials
            WHERE NOT search_prefixes AND personal_enc IS NOT NULL AND erased_at IS NULL
            ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED`,
          [limit],
        );
        if (rows.length === 0) return 0;
        const keys = await vault.open(rows.map((row) => credentialSubject(String(row.id))));
        const updates = rows.map((row) => {
          const id = String(row.id);
          const opened = openPersonal(keys.get(credentialSubject(id)), id, row.personal_enc);
          // A row whose key is gone (a backup restored after an erasure) keeps what it has: nothing opens it.
          return { id, terms: opened ? searchTerms(personal.indexKey, { id, ...opened }) : null };
        });
        await writeSearchTerms(
          tx,
          updates.filter((u): u is { id: string; terms: string[] } => u.terms !== null),
        );
        await tx.query("UPDATE credentials SET search_prefixes = true WHERE id = ANY($1::uuid[])", [
          updates.map((u) => u.id),
        ]);
        return rows.length;
      });
    },
    async legacyLeft() {
      const rows = await db.query<{ n: number }>(
        `SELECT (SELECT count(*) FROM credentials
                  WHERE (document IS NOT NULL OR recipient IS NOT NULL OR holder_token IS NOT NULL)
                    AND erased_at IS NULL)
              + (SELECT count(*) FROM jobs WHERE input IS NOT NULL OR result IS NOT NULL)
              + (SELECT count(*) FROM idempotency_keys WHERE jsonb_typeof(response_body->'credentials') = 'array')
                AS n`,
      );
      return Number(rows[0]?.n ?? 0);
    },
    async reseal(limit = 500) {
      return (await vault.reseal(limit)) + (await resealOrganisationKeys(limit));
    },
    async sealedBy() {
      const counts = await vault.sealedBy();
      const rows = await db.query<{ kek_id: string; n: number }>(
        `SELECT split_part(sealed_data_key, '.', 2) AS kek_id, count(*)::int AS n FROM organisation_keys
          WHERE sealed_data_key IS NOT NULL GROUP BY 1`,
      );
      for (const row of rows) counts[row.kek_id] = (counts[row.kek_id] ?? 0) + Number(row.n);
      return counts;
    },
    async retention(organisationId) {
      const rows = await db.query<{ days: number | null; unclaimed: number | null }>(
        "SELECT retention_days AS days, retention_unclaimed_days AS unclaimed FROM organisations WHERE id = $1",
        [organisationId],
      );
      return retentionOf(rows[0]?.days ?? null, rows[0]?.unclaimed ?? null);
    },
    async setRetention(organisationId, change) {
      return db.transaction(async (tx) => {
        const rows = await tx.query<{ days: number | null; unclaimed: number | null }>(
          `SELECT retention_days AS days, retention_unclaimed_days AS unclaimed FROM organisations
            WHERE id = $1 FOR UPDATE`,
          [organisationId],
        );
        const days = change.days === undefined ? (rows[0]?.days ?? null) : change.days;
        const unclaimed =
          change.unclaimedDays === undefined ? (rows[0]?.unclaimed ?? null) : change.unclaimedDays;
        // A default limit below a longer retention simply follows the retention; one the organisation set may not.
        if (unclaimed !== null && unclaimed < (days ?? DEFAULT_RETENTION_DAYS))
          throw new RetentionOrderError(days ?? DEFAULT_RETENTION_DAYS, unclaimed);
        await tx.query(
          "UPDATE organisations SET retention_days = $2, retention_unclaimed_days = $3 WHERE id = $1",
          [organisationId, days, unclaimed],
        );
        return retentionOf(days, unclaimed);
      });
    },
    async holderFetched(credentialId) {
      await db.query(
        "UPDATE credentials SET holder_fetched_at = $2 WHERE id = $1 AND holder_fetched_at IS NULL",
        [credentialId, clock.now()],
      );
    },
    async dueForErasure(limit = 100) {
      const rows = await db.query<{ id: string; organisation_id: string }>(
        `SELECT c.id, c.organisation_id FROM credentials c
           JOIN events e ON e.id = c.event_id JOIN organisations o ON o.id = c.organisation_id
          WHERE c.erased_at IS NULL
            AND COALESCE(${EVENT_END_SQL}, (c.created_at AT TIME ZONE 'UTC')::date)
                + CASE WHEN c.holder_fetched_at IS NOT NULL THEN COALESCE(o.retention_days, $2)
                       ELSE GREATEST(COALESCE(o.retention_days, $2), COALESCE(o.retention_unclaimed_days, $4)) END
                < ($1::timestamptz AT TIME ZONE 'UTC')::date
          ORDER BY c.seq LIMIT $3`,
        [clock.now(), DEFAULT_RETENTION_DAYS, limit, DEFAULT_UNCLAIMED_RETENTION_DAYS],
      );
      return rows.map((row) => ({ organisationId: String(row.organisation_id), id: String(row.id) }));
    },
  };
}
