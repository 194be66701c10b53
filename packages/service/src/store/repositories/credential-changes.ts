// What happens to a credential after issuance: a revocation request, a supersession, an erasure.

import type { Clock } from "../../clock";
import type { Database, Queryable } from "../db";
import { toCredential } from "../rows";
import { CREDENTIAL_SELECT, credentialById } from "../sql";
import type { CredentialRecord } from "../types";

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
  /** Erases the personal data of a credential (GDPR art. 17); the hashes and revocation state stay. */
  erase(organisationId: string, id: string): Promise<CredentialRecord | null>;
}

export function credentialChanges(db: Database, clock: Clock): CredentialChanges {
  const now = () => clock.now();
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
        const current = toCredential(rows[0]);
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
     * Erases the personal data of a credential (GDPR art. 17): the document, the recipient and the holder
     * link go; the commitment, leaf, proof (hashes) and revocation state stay. A credential not yet sent is
     * cancelled, as it cannot be anchored without its document.
     */
    async erase(organisationId: string, id: string): Promise<CredentialRecord | null> {
      return db.transaction(async (tx) => {
        const rows = await tx.query(
          "SELECT id FROM credentials WHERE organisation_id = $1 AND id = $2 FOR UPDATE",
          [organisationId, id],
        );
        if (!rows[0]) return null;
        await tx.query(
          `UPDATE credentials
              SET document = NULL, recipient = NULL, holder_token = NULL,
                  erased_at = COALESCE(erased_at, $2),
                  status = CASE WHEN status IN ('pending', 'failed') THEN 'cancelled' ELSE status END
            WHERE id = $1`,
          [id, now()],
        );
        await tx.query("DELETE FROM verification_links WHERE credential_id = $1", [id]);
        // The organiser's reference and the holder link also sit in stored bulk responses and job results.
        const scrub = (column: string) => `
          jsonb_set(${column}, '{credentials}', (
            SELECT jsonb_agg(CASE WHEN e->>'id' = $2 THEN e - 'reference' - 'holderUrl' ELSE e END ORDER BY ord)
              FROM jsonb_array_elements(${column}->'credentials') WITH ORDINALITY AS t(e, ord)))`;
        const member = (column: string) =>
          `jsonb_typeof(${column}->'credentials') = 'array'
           AND ${column}->'credentials' @> jsonb_build_array(jsonb_build_object('id', $2::text))`;
        await tx.query(
          `UPDATE idempotency_keys SET response_body = ${scrub("response_body")}
            WHERE organisation_id = $1 AND ${member("response_body")}`,
          [organisationId, id],
        );
        await tx.query(
          `UPDATE jobs SET result = ${scrub("result")} WHERE organisation_id = $1 AND ${member("result")}`,
          [organisationId, id],
        );
        return credentialById(tx, id);
      });
    },
  };
}
