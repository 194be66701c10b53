// What happens to a credential after issuance: a revocation request, a supersession, an erasure.

import { randomUUID } from "node:crypto";
import type { Clock } from "../../clock";
import type { Database, Queryable } from "../db";
import {
  credentialSubject,
  jobSubject,
  openJsonIfKeyed,
  type Personal,
  rekeySealed,
  responseSubject,
  revealCredential,
} from "../personal";
import { CREDENTIAL_SELECT, decodeCursor, encodeCursor, isEventCursor } from "../sql";
import type { CredentialRecord, Page } from "../types";

/** Who erased a credential: a holder's request through an API key (its id), or the retention rule. */
export type ErasedBy = { reason: "request" | "retention"; erasedBy: string };

/** Proof of an erasure, for the data subject and the audit log: ids and what was destroyed, no personal data. */
export type ErasureReceipt = {
  id: string;
  organisationId: string;
  credentialId: string;
  reason: "request" | "retention";
  /** `api-key:<id>` for a request, `retention` for the retention rule. */
  erasedBy: string;
  erasedAt: Date;
  /**
   * What was destroyed: data-key, personal-data (the encrypted document and recipient data), holder-link,
   * search-index, verification-links, bulk-response-entry, job-result-entry.
   */
  destroyed: string[];
};

function toReceipt(row: Record<string, unknown>): ErasureReceipt {
  return {
    id: String(row.id),
    organisationId: String(row.organisation_id),
    credentialId: String(row.credential_id),
    reason: row.reason as ErasureReceipt["reason"],
    erasedBy: String(row.erased_by),
    erasedAt: row.erased_at instanceof Date ? row.erased_at : new Date(String(row.erased_at)),
    destroyed: (row.destroyed as string[] | null) ?? [],
  };
}

type Entry = { id?: unknown; reference?: unknown; holderUrl?: unknown };

/** `body` without the erased credential's reference and holder link; null when it does not name it. */
function withoutEntry(body: unknown, id: string): unknown | null {
  const list = (body as { credentials?: unknown } | null)?.credentials;
  if (!Array.isArray(list) || !list.some((e: Entry) => e?.id === id)) return null;
  return {
    ...(body as object),
    credentials: list.map((e: Entry) => {
      if (e?.id !== id) return e;
      const { reference: _r, holderUrl: _h, ...rest } = e as Record<string, unknown>;
      return rest;
    }),
  };
}

/** Legacy plaintext bodies (written before encryption): the entry's personal fields removed in SQL. */
const scrubSql = (column: string) => `
  jsonb_set(${column}, '{credentials}', (
    SELECT jsonb_agg(CASE WHEN e->>'id' = $2 THEN e - 'reference' - 'holderUrl' ELSE e END ORDER BY ord)
      FROM jsonb_array_elements(${column}->'credentials') WITH ORDINALITY AS t(e, ord)))`;
const memberSql = (column: string) =>
  `jsonb_typeof(${column}->'credentials') = 'array'
   AND ${column}->'credentials' @> jsonb_build_array(jsonb_build_object('id', $2::text))`;

export interface CredentialChanges {
  /**
   * Records a revocation request. A credential not yet sent to the chain is cancelled on the spot (it will
   * never be anchored); an anchored or in-flight one waits for the worker to revoke it on chain.
   * Returns null when not found, or the credential as it now stands.
   */
  requestRevocation(
    organisationId: string,
    id: string,
    reason: string,
  ): Promise<{ credential: CredentialRecord; changed: boolean } | null>;
  /** Links `replacementId` as superseding `id` and requests the on-chain supersession, in `tx`. */
  linkSupersession(tx: Queryable, id: string, replacementId: string): Promise<boolean>;
  /**
   * Erases the personal data of a credential (GDPR art. 17) by destroying its data key; the hashes and
   * revocation state stay. Records a receipt (the first erasure's is kept).
   */
  erase(organisationId: string, id: string, by?: ErasedBy): Promise<CredentialRecord | null>;
  /** The receipt of a credential's erasure; null when it was not erased (or before receipts were kept). */
  erasureReceipt(organisationId: string, credentialId: string): Promise<ErasureReceipt | null>;
  /** The organisation's erasures, oldest first: the audit log. */
  erasures(
    organisationId: string,
    options?: { cursor?: string | null; limit?: number },
  ): Promise<Page<ErasureReceipt>>;
}

export function credentialChanges(db: Database, clock: Clock, personal: Personal): CredentialChanges {
  const now = () => clock.now();
  const credentialById = async (tx: Queryable, id: string) =>
    revealCredential(personal, (await tx.query(`${CREDENTIAL_SELECT} WHERE c.id = $1`, [id]))[0]);

  /** The stored bulk responses naming `id`, re-encrypted without it under new keys. Whether any did. */
  const scrubResponses = async (tx: Queryable, organisationId: string, id: string): Promise<boolean> => {
    const legacy = await tx.query(
      `UPDATE idempotency_keys SET response_body = ${scrubSql("response_body")}
        WHERE organisation_id = $1 AND response_body IS NOT NULL AND ${memberSql("response_body")}
        RETURNING key`,
      [organisationId, id],
    );
    const rows = await tx.query<{ key: string; response_enc: string }>(
      `SELECT key, response_enc FROM idempotency_keys
        WHERE organisation_id = $1 AND response_enc IS NOT NULL AND credential_ids @> jsonb_build_array($2::text)
        FOR UPDATE`,
      [organisationId, id],
    );
    let changed = legacy.length > 0;
    for (const row of rows) {
      const subject = responseSubject(organisationId, row.key);
      const key = (await personal.vault.open([subject])).get(subject);
      const opened = openJsonIfKeyed(key, row.response_enc, subject);
      const body = opened === undefined ? null : withoutEntry(opened, id);
      if (body === null) continue;
      await tx.query(
        "UPDATE idempotency_keys SET response_enc = $3 WHERE organisation_id = $1 AND key = $2",
        [organisationId, row.key, await rekeySealed(personal, subject, body, subject)],
      );
      changed = true;
    }
    return changed;
  };

  /** The result of the job that issued `id`, re-encrypted without it under a new key. Whether it named it. */
  const scrubJobResult = async (tx: Queryable, jobId: string, id: string): Promise<boolean> => {
    const legacy = await tx.query(
      `UPDATE jobs SET result = ${scrubSql("result")}
        WHERE id = $1 AND result IS NOT NULL AND ${memberSql("result")} RETURNING id`,
      [jobId, id],
    );
    const rows = await tx.query<{ result_enc: string | null }>(
      "SELECT result_enc FROM jobs WHERE id = $1 AND result_enc IS NOT NULL FOR UPDATE",
      [jobId],
    );
    const subject = jobSubject(jobId);
    const key = rows[0] ? (await personal.vault.open([subject])).get(subject) : undefined;
    const opened = rows[0] ? openJsonIfKeyed(key, rows[0].result_enc!, `${subject}|result`) : undefined;
    const result = opened === undefined ? null : withoutEntry(opened, id);
    if (result === null) return legacy.length > 0;
    await tx.query("UPDATE jobs SET result_enc = $2 WHERE id = $1", [
      jobId,
      await rekeySealed(personal, subject, result, `${subject}|result`),
    ]);
    return true;
  };
  return {
    /**
     * Records a revocation request. A credential not yet sent to the chain is cancelled on the spot (it will
     * never be anchored); an anchored or in-flight one waits for the worker to revoke it on chain.
     * Returns null when not found, or the credential as it now stands.
     */
    async requestRevocation(
      organisationId: string,
      id: string,
      reason: string,
    ): Promise<{ credential: CredentialRecord; changed: boolean } | null> {
      return db.transaction(async (tx) => {
        const rows = await tx.query(
          `${CREDENTIAL_SELECT} WHERE c.organisation_id = $1 AND c.id = $2 FOR UPDATE OF c`,
          [organisationId, id],
        );
        if (!rows[0]) return null;
        const current = (await revealCredential(personal, rows[0]))!;
        if (current.revocationStatus) return { credential: current, changed: false };
        const at = now();
        // Never on chain (not yet, never, or cancelled by an erasure): nothing for the worker to revoke.
        const unsent = ["pending", "failed", "cancelled"].includes(current.status);
        await tx.query(
          `UPDATE credentials
              SET revocation_reason = $2, revocation_requested_at = $3,
                  revocation_status = CASE WHEN $4::boolean THEN 'confirmed' ELSE 'requested' END,
                  revoked_at = CASE WHEN $4::boolean THEN $3::timestamptz ELSE NULL END,
                  status = CASE WHEN $4::boolean THEN 'cancelled' ELSE status END
            WHERE id = $1`,
          [id, reason, at, unsent],
        );
        return { credential: (await credentialById(tx, id))!, changed: true };
      });
    },

    /** Links `replacementId` as superseding `id` and requests the on-chain supersession, in `tx`. */
    async linkSupersession(tx: Queryable, id: string, replacementId: string): Promise<boolean> {
      const rows = await tx.query(
        "SELECT status FROM credentials WHERE id = $1 AND superseded_by IS NULL AND revocation_status IS NULL FOR UPDATE",
        [id],
      );
      if (!rows[0]) return false;
      const unsent = ["pending", "failed", "cancelled"].includes(rows[0].status as string);
      await tx.query(
        `UPDATE credentials
            SET superseded_by = $2, revocation_reason = 'superseded', revocation_requested_at = $3,
                revocation_status = CASE WHEN $4::boolean THEN 'confirmed' ELSE 'requested' END,
                revoked_at = CASE WHEN $4::boolean THEN $3::timestamptz ELSE NULL END,
                status = CASE WHEN $4::boolean THEN 'cancelled' ELSE status END
          WHERE id = $1`,
        [id, replacementId, now(), unsent],
      );
      return true;
    },

    /**
     * Erases the personal data of a credential (GDPR art. 17). Its data key is destroyed first, so that every
     * copy of its ciphertext (dead tuples, WAL, replicas, backups) is unreadable from then on; then the
     * ciphertext, the search hashes, the holder link and its verification links go, and the stored bulk
     * response and job result that named it are re-encrypted without it under new keys. The commitment, leaf,
     * proof (hashes) and revocation state stay. A credential not yet sent is cancelled, as it cannot be
     * anchored without its document. The receipt of the first erasure is kept.
     */
    async erase(
      organisationId: string,
      id: string,
      by: ErasedBy = { reason: "request", erasedBy: "unknown" },
    ): Promise<CredentialRecord | null> {
      const found = await db.query<{ job_id: string | null }>(
        "SELECT job_id FROM credentials WHERE organisation_id = $1 AND id = $2",
        [organisationId, id],
      );
      if (!found[0]) return null;
      const destroyed: string[] = [];
      if ((await personal.vault.destroy([credentialSubject(id)])).length > 0) destroyed.push("data-key");
      return db.transaction(async (tx) => {
        const rows = await tx.query<Record<string, unknown>>(
          `SELECT (personal_enc IS NOT NULL OR document IS NOT NULL) AS personal,
                  (holder_token_hash IS NOT NULL OR holder_token IS NOT NULL) AS holder_link
             FROM credentials WHERE organisation_id = $1 AND id = $2 FOR UPDATE`,
          [organisationId, id],
        );
        if (!rows[0]) return null;
        if (rows[0].personal) destroyed.push("personal-data");
        if (rows[0].holder_link) destroyed.push("holder-link");
        if (
          (await tx.query("DELETE FROM credential_search WHERE credential_id = $1 RETURNING 1", [id])).length
        )
          destroyed.push("search-index");
        await tx.query(
          `UPDATE credentials
              SET document = NULL, recipient = NULL, holder_token = NULL, personal_enc = NULL,
                  holder_token_hash = NULL, has_email = false, delivery_lang = NULL,
                  erased_at = COALESCE(erased_at, $2),
                  status = CASE WHEN status IN ('pending', 'failed') THEN 'cancelled' ELSE status END
            WHERE id = $1`,
          [id, now()],
        );
        if (
          (await tx.query("DELETE FROM verification_links WHERE credential_id = $1 RETURNING token", [id]))
            .length
        )
          destroyed.push("verification-links");
        if (await scrubResponses(tx, organisationId, id)) destroyed.push("bulk-response-entry");
        if (found[0]!.job_id && (await scrubJobResult(tx, String(found[0]!.job_id), id)))
          destroyed.push("job-result-entry");
        await tx.query(
          `INSERT INTO erasure_receipts (id, organisation_id, credential_id, reason, erased_by, erased_at, destroyed)
           VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb) ON CONFLICT (credential_id) DO NOTHING`,
          [randomUUID(), organisationId, id, by.reason, by.erasedBy, now(), JSON.stringify(destroyed)],
        );
        return credentialById(tx, id);
      });
    },

    async erasureReceipt(organisationId: string, credentialId: string): Promise<ErasureReceipt | null> {
      const rows = await db.query(
        "SELECT * FROM erasure_receipts WHERE organisation_id = $1 AND credential_id = $2",
        [organisationId, credentialId],
      );
      return rows[0] ? toReceipt(rows[0]) : null;
    },

    async erasures(organisationId: string, options: { cursor?: string | null; limit?: number } = {}) {
      const limit = Math.min(Math.max(options.limit ?? 100, 1), 500);
      const after = decodeCursor(options.cursor, isEventCursor);
      const [at, afterId] = after ? after.split("|") : [null, null];
      const rows = await db.query(
        `SELECT * FROM erasure_receipts WHERE organisation_id = $1
            AND ($2::timestamptz IS NULL OR (erased_at, id) > ($2::timestamptz, $3::uuid))
          ORDER BY erased_at, id LIMIT $4`,
        [organisationId, at, afterId, limit + 1],
      );
      const items = rows.slice(0, limit).map(toReceipt);
      const last = items[items.length - 1];
      return {
        items,
        nextCursor:
          rows.length > limit && last ? encodeCursor(`${last.erasedAt.toISOString()}|${last.id}`) : null,
      };
    },
  };
}
