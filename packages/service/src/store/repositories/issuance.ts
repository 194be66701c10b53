import type { Clock } from "../../clock";
import type { Database, Queryable } from "../db";
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

export function issuanceRepository(db: Database, clock: Clock): IssuanceRepository {
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
            `INSERT INTO idempotency_keys (organisation_id, key, request_hash, response_status, response_body, created_at)
             VALUES ($1, $2, $3, $4, $5::jsonb, $6)
             ON CONFLICT (organisation_id, key) DO NOTHING RETURNING key`,
            [
              input.organisationId,
              input.idempotencyKey,
              input.requestHash,
              input.response.status,
              json(input.response.body),
              now(),
            ],
          );
          if (inserted.length === 0) {
            const rows = await tx.query(
              "SELECT * FROM idempotency_keys WHERE organisation_id = $1 AND key = $2",
              [input.organisationId, input.idempotencyKey],
            );
            const existing = toIdempotency(rows[0]!);
            if (existing.requestHash !== input.requestHash) return { kind: "mismatch", existing };
            return { kind: "replayed", status: existing.responseStatus, body: existing.responseBody };
          }
        }
        const records =
          input.credentials.length > 0
            ? await insertCredentials(tx, input.credentials, now(), null, input.returnRecords === true)
            : [];
        if (input.job) {
          const at = now();
          await tx.query(
            `INSERT INTO jobs (id, organisation_id, kind, status, input, created_at, updated_at)
             VALUES ($1, $2, $3, 'queued', $4::jsonb, $5, $5)`,
            [input.job.id, input.organisationId, input.job.kind, json(input.job.input), at],
          );
        }
        if (input.after) await input.after(tx);
        return { kind: "created", status: input.response.status, body: input.response.body, records };
      });
    },
    /** Forgets idempotency keys older than `before` (a retry after that issues anew). Returns how many. */
    async expire(before: Date): Promise<number> {
      const rows = await db.query("DELETE FROM idempotency_keys WHERE created_at < $1 RETURNING key", [
        before,
      ]);
      return rows.length;
    },
    async find(organisationId: string, key: string): Promise<IdempotencyRecord | null> {
      const rows = await db.query("SELECT * FROM idempotency_keys WHERE organisation_id = $1 AND key = $2", [
        organisationId,
        key,
      ]);
      return rows[0] ? toIdempotency(rows[0]) : null;
    },
  };
}
