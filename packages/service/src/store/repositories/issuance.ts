import type { Clock } from "../../clock";
import type { Database, Queryable } from "../db";
import { jobSubject, openJsonIfKeyed, type Personal, responseSubject, sealJson } from "../personal";
import { toIdempotency } from "../rows";
import { json } from "../sql";
import type { CredentialRecord, IdempotencyRecord } from "../types";
import { insertCredentials, type NewCredential } from "./credential-rows";

export type NewJob = { id: string; kind: string; input: unknown };

export type IssuanceCommit = {
  organisationId: string;
  /** With a key, a retry returns the stored response; the same key with another request is refused. */
  idempotencyKey?: string | null;
  requestHash: string;
  response: { status: number; body: unknown };
  credentials: NewCredential[];
  job?: NewJob;
  /** Give back the credentials as written (for a response that shows them), sparing a read afterwards. */
  returnRecords?: boolean;
  /** Runs inside the transaction after the credentials are written (e.g. to link a superseded credential). */
  after?: (tx: Queryable) => Promise<void>;
  /**
   * Runs inside the transaction before anything is written, for a request that is not a replay (e.g. to charge
   * the organisation's credential quota): throwing refuses the request and records nothing.
   */
  before?: (tx: Queryable) => Promise<void>;
};

export type IssuanceOutcome =
  | { kind: "created"; status: number; body: unknown; records: CredentialRecord[] }
  | { kind: "replayed"; status: number; body: unknown }
  | { kind: "mismatch"; existing: IdempotencyRecord };

export interface IssuanceRepository {
  /**
   * Writes an issuance in one transaction: the idempotency record first (so a concurrent request with the
   * same key waits for this one and then replays it), then the credentials or the job.
   */
  commit(input: IssuanceCommit): Promise<IssuanceOutcome>;
  /** Forgets idempotency keys older than `before` (a retry after that issues anew). Returns how many. */
  expire(before: Date): Promise<number>;
  find(organisationId: string, key: string): Promise<IdempotencyRecord | null>;
}

/** A stored response that lists credentials (a bulk issuance) names attendees' references: it is encrypted. */
const listsCredentials = (body: unknown): boolean =>
  Array.isArray((body as { credentials?: unknown } | null)?.credentials);

/** An idempotency record with its response decrypted (a destroyed key leaves the response without its data). */
export async function revealIdempotency(
  personal: Personal,
  row: Record<string, unknown>,
): Promise<IdempotencyRecord> {
  const record = toIdempotency(row);
  if (typeof row.response_enc !== "string") return record;
  const subject = responseSubject(record.organisationId, record.key);
  const key = (await personal.vault.open([subject])).get(subject);
  record.responseBody = openJsonIfKeyed(key, row.response_enc, subject) ?? { credentials: [] };
  return record;
}

export function issuanceRepository(db: Database, clock: Clock, personal: Personal): IssuanceRepository {
  const now = () => clock.now();
  return {
    /**
     * Writes an issuance in one transaction: the idempotency record first (so a concurrent request with the
     * same key waits for this one and then replays it), then the credentials or the job.
     */
    async commit(input: IssuanceCommit): Promise<IssuanceOutcome> {
      return db.transaction(async (tx): Promise<IssuanceOutcome> => {
        if (input.idempotencyKey) {
          const inserted = await tx.query(
            `INSERT INTO idempotency_keys (organisation_id, key, request_hash, response_status, response_body,
                                           credential_ids, created_at)
             VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7)
             ON CONFLICT (organisation_id, key) DO NOTHING RETURNING key`,
            [
              input.organisationId,
              input.idempotencyKey,
              input.requestHash,
              input.response.status,
              listsCredentials(input.response.body) ? null : json(input.response.body),
              json(input.credentials.map((c) => c.id)),
              now(),
            ],
          );
          // Only the request that wrote the row makes the response's key (a concurrent retry waits, then replays).
          if (inserted.length > 0 && listsCredentials(input.response.body)) {
            const subject = responseSubject(input.organisationId, input.idempotencyKey);
            const key = (await personal.vault.create([subject])).get(subject)!;
            await tx.query(
              "UPDATE idempotency_keys SET response_enc = $3 WHERE organisation_id = $1 AND key = $2",
              [input.organisationId, input.idempotencyKey, sealJson(key, input.response.body, subject)],
            );
          }
          if (inserted.length === 0) {
            const rows = await tx.query(
              "SELECT * FROM idempotency_keys WHERE organisation_id = $1 AND key = $2",
              [input.organisationId, input.idempotencyKey],
            );
            const existing = await revealIdempotency(personal, rows[0]!);
            if (existing.requestHash !== input.requestHash) return { kind: "mismatch", existing };
            return { kind: "replayed", status: existing.responseStatus, body: existing.responseBody };
          }
        }
        if (input.before) await input.before(tx);
        const records =
          input.credentials.length > 0
            ? await insertCredentials(
                tx,
                personal,
                input.credentials,
                now(),
                null,
                input.returnRecords === true,
              )
            : [];
        if (input.job) {
          const at = now();
          const subject = jobSubject(input.job.id);
          const key = (await personal.vault.create([subject])).get(subject)!;
          await tx.query(
            `INSERT INTO jobs (id, organisation_id, kind, status, input_enc, created_at, updated_at)
             VALUES ($1, $2, $3, 'queued', $4, $5, $5)`,
            [
              input.job.id,
              input.organisationId,
              input.job.kind,
              sealJson(key, input.job.input, `${subject}|input`),
              at,
            ],
          );
        }
        if (input.after) await input.after(tx);
        return { kind: "created", status: input.response.status, body: input.response.body, records };
      });
    },
    /** Forgets idempotency keys older than `before` (a retry after that issues anew). Returns how many. */
    async expire(before: Date): Promise<number> {
      const rows = await db.query<{ organisation_id: string; key: string; response_enc: string | null }>(
        "DELETE FROM idempotency_keys WHERE created_at < $1 RETURNING organisation_id, key, response_enc",
        [before],
      );
      await personal.vault.destroy(
        rows
          .filter((row) => row.response_enc)
          .map((row) => responseSubject(String(row.organisation_id), row.key)),
      );
      return rows.length;
    },
    async find(organisationId: string, key: string): Promise<IdempotencyRecord | null> {
      const rows = await db.query("SELECT * FROM idempotency_keys WHERE organisation_id = $1 AND key = $2", [
        organisationId,
        key,
      ]);
      return rows[0] ? revealIdempotency(personal, rows[0]) : null;
    },
  };
}
