import type { Clock } from "../../clock";
import type { Database } from "../db";
import { toVerificationLink } from "../rows";
import type { VerificationLinkRecord } from "../types";

export interface VerificationLinksRepository {
  /**
   * The active link of `credentialId` hiding exactly `hidden` (sorted), or a new one with `token`. Reusing it
   * keeps one link per disclosure, so printing the same QR twice does not mint a second token.
   */
  forDisclosure(
    credentialId: string,
    hidden: string[],
    token: string,
    createdBy: VerificationLinkRecord["createdBy"],
  ): Promise<VerificationLinkRecord>;
  get(token: string): Promise<VerificationLinkRecord | null>;
  list(credentialId: string): Promise<VerificationLinkRecord[]>;
  /** Revokes a link of `credentialId`; false when there is no such link. */
  revoke(credentialId: string, token: string): Promise<boolean>;
}

export function verificationLinksRepository(db: Database, clock: Clock): VerificationLinksRepository {
  const now = () => clock.now();
  return {
    /**
     * The active link of `credentialId` hiding exactly `hidden` (sorted), or a new one with `token`. Reusing it
     * keeps one link per disclosure, so printing the same QR twice does not mint a second token.
     */
    async forDisclosure(
      credentialId: string,
      hidden: string[],
      token: string,
      createdBy: VerificationLinkRecord["createdBy"],
    ): Promise<VerificationLinkRecord> {
      const sorted = [...new Set(hidden)].sort();
      const key = sorted.join(",");
      return db.transaction(async (tx) => {
        await tx.query("SELECT id FROM credentials WHERE id = $1 FOR UPDATE", [credentialId]);
        const existing = await tx.query(
          `SELECT * FROM verification_links WHERE credential_id = $1 AND hidden_key = $2 AND revoked_at IS NULL
            ORDER BY created_at LIMIT 1`,
          [credentialId, key],
        );
        if (existing[0]) return toVerificationLink(existing[0]);
        const rows = await tx.query(
          `INSERT INTO verification_links (token, credential_id, hidden, hidden_key, created_by, created_at)
           VALUES ($1, $2, $3::jsonb, $4, $5, $6) RETURNING *`,
          [token, credentialId, JSON.stringify(sorted), key, createdBy, now()],
        );
        return toVerificationLink(rows[0]!);
      });
    },
    async get(token: string): Promise<VerificationLinkRecord | null> {
      const rows = await db.query("SELECT * FROM verification_links WHERE token = $1", [token]);
      return rows[0] ? toVerificationLink(rows[0]) : null;
    },
    async list(credentialId: string): Promise<VerificationLinkRecord[]> {
      const rows = await db.query(
        "SELECT * FROM verification_links WHERE credential_id = $1 ORDER BY created_at, token",
        [credentialId],
      );
      return rows.map(toVerificationLink);
    },
    /** Revokes a link of `credentialId`; false when there is no such link. */
    async revoke(credentialId: string, token: string): Promise<boolean> {
      const rows = await db.query(
        `UPDATE verification_links SET revoked_at = COALESCE(revoked_at, $3)
          WHERE credential_id = $1 AND token = $2 RETURNING token`,
        [credentialId, token, now()],
      );
      return rows.length > 0;
    },
  };
}
