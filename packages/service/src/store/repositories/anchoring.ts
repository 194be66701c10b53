// The worker's side of credentials: batches built from pending credentials, single credentials to relay,
// revocations due. Their transactions are tracked operations (./operations.ts).

import { randomUUID } from "node:crypto";
import type { Hex } from "viem";
import type { Clock } from "../../clock";
import { StoreError } from "../../errors";
import type { Database } from "../db";
import {
  credentialSubject,
  type Personal,
  revealCredential,
  revealCredentials,
  sealCredential,
} from "../personal";
import { toBatch } from "../rows";
import {
  BATCH_SELECT,
  betweenStatements,
  CREDENTIAL_COLUMNS,
  CREDENTIAL_OPERATIONS,
  CREDENTIAL_SELECT,
  json,
} from "../sql";
import type { BatchRecord, CredentialRecord } from "../types";

/** A batch built by the worker from pending credentials: its root, the one signature, each member's proof. */
export type BuiltBatch = {
  root: Hex;
  signature: Hex;
  /** The deadline of the signed request (unix seconds). */
  deadline: number;
  /** The key that signed the root (and so must send it). */
  signingKey: Hex;
  /**
   * Each member's leaf and proof, and `sections`: the JSON text of `{ anchor, proof }` as the signed document
   * carries them (see `batch_sections` in the migrations).
   */
  members: { id: string; leaf: Hex; proof: Hex[]; sections: string }[];
};

export type PendingGroup = {
  organisationId: string;
  chainOrganisationId: number;
  eventId: string;
  chainEventId: string;
  validUntil: number;
  /** The members, oldest first: what a batch tree needs of them (no personal data). */
  credentials: { id: string; commitment: Hex }[];
};

export type RevocationWork = {
  credential: CredentialRecord;
  /** The batch root for a batch member, null for a single credential. */
  root: Hex | null;
  /** The replacement's commitment when the credential is superseded. */
  replacement: Hex | null;
};

export interface AnchoringRepository {
  /**
   * Takes pending batch credentials of one group (organisation, event, validity) and, in ONE transaction,
   * lets `build` compute the batch (root, signature, proofs), records the batch as `sending` and attaches
   * every member to it. Nothing reaches the chain before this commits.
   */
  createBatch(
    maxSize: number,
    build: (group: PendingGroup) => Promise<BuiltBatch>,
    /** Only this organisation's credentials (whose signer the caller resolved before, outside the transaction). */
    organisationId?: string,
  ): Promise<{ batch: BatchRecord; group: PendingGroup } | null>;
  /**
   * The organisations that have chain work (batches or singles to anchor or in flight, revocations due, event
   * registrations or updates in flight, keys being authorised): each is one lane of the worker.
   */
  organisationsWithWork(): Promise<string[]>;
  /** Whether the organisation has pending batch credentials (before its signer is resolved to build a batch). */
  hasPendingBatch(organisationId: string): Promise<boolean>;
  /** How much work the worker still has: batches in flight, credentials to anchor, revocations, jobs. */
  outstanding(): Promise<number>;
  /** Batches being sent (of one organisation with `organisationId`), oldest first. */
  batchesInFlight(organisationId?: string): Promise<BatchRecord[]>;
  getBatch(id: string): Promise<BatchRecord | null>;
  listBatches(organisationId?: string): Promise<BatchRecord[]>;
  batchMembers(batchId: string): Promise<CredentialRecord[]>;
  /** Moves the oldest pending single credential to `sending` (its signed request was made at issuance). */
  claimSingle(organisationId?: string): Promise<CredentialRecord | null>;
  /** Replaces a single credential's expired signed request (and so its proof) before it is relayed again. */
  updateSingleProof(
    id: string,
    document: Record<string, unknown>,
    signature: Hex,
    deadline: number,
  ): Promise<void>;
  /**
   * Replaces a batch's expired signed request for its root: the batch's signature and deadline, and the issuer
   * proof in every member's batch sections (their anchors, and so the credentials, are unchanged).
   */
  updateBatchProof(
    batchId: string,
    proof: Record<string, unknown>,
    signature: Hex,
    deadline: number,
  ): Promise<void>;
  singlesInFlight(limit?: number, organisationId?: string): Promise<CredentialRecord[]>;
  /** Revocations and supersessions whose credential (and replacement) are anchored, oldest first. */
  revocationsDue(limit?: number, organisationId?: string): Promise<RevocationWork[]>;
}

export function anchoringRepository(db: Database, clock: Clock, personal: Personal): AnchoringRepository {
  /**
   * Credentials' personal data encrypted again with their keys after the worker changed their documents (none
   * when a key is gone: erased meanwhile).
   */
  const sealDocuments = async (
    records: CredentialRecord[],
    documents: Record<string, unknown>[],
    known?: Map<string, Buffer>,
  ) => {
    const keys = known ?? (await personal.vault.open(records.map((r) => credentialSubject(r.id))));
    return records.map((r, i) => {
      const key = keys.get(credentialSubject(r.id));
      return key ? sealCredential(key, { ...r, document: documents[i]! }).personal_enc : null;
    });
  };
  const now = () => clock.now();
  return {
    /**
     * Takes pending batch credentials of one group (organisation, event, validity) and, in ONE transaction,
     * lets `build` compute the batch (root, signature, proofs), records the batch as `sending` and attaches
     * every member to it. Nothing reaches the chain before this commits.
     */
    async createBatch(
      maxSize: number,
      build: (group: PendingGroup) => Promise<BuiltBatch>,
      organisationId?: string,
    ): Promise<{ batch: BatchRecord; group: PendingGroup } | null> {
      return db.transaction(async (tx) => {
        const heads = await tx.query(
          `SELECT c.organisation_id, c.event_id, c.valid_until, e.chain_event_id, o.chain_organisation_id
             FROM credentials c JOIN events e ON e.id = c.event_id JOIN organisations o ON o.id = c.organisation_id
            WHERE c.status = 'pending' AND c.mode = 'batch' AND ($1::uuid IS NULL OR c.organisation_id = $1)
            ORDER BY c.seq LIMIT 1`,
          [organisationId ?? null],
        );
        const head = heads[0];
        if (!head) return null;
        // Only what the tree needs: the rest of a row (its sealed personal data, its search terms) is most of
        // its size, and reading it back would cost the database and this thread for nothing.
        const rows = await tx.query(
          `SELECT id, commitment FROM credentials
            WHERE status = 'pending' AND mode = 'batch' AND organisation_id = $1 AND event_id = $2
              AND valid_until = $3
            ORDER BY seq LIMIT $4 FOR UPDATE SKIP LOCKED`,
          [head.organisation_id, head.event_id, head.valid_until, maxSize],
        );
        if (rows.length === 0) return null;
        // Built from the commitment roots: the worker neither decrypts nor re-encrypts anyone's personal data.
        const group: PendingGroup = {
          organisationId: String(head.organisation_id),
          chainOrganisationId: Number(head.chain_organisation_id),
          eventId: String(head.event_id),
          chainEventId: String(head.chain_event_id),
          validUntil: Number(head.valid_until),
          credentials: rows.map((row) => ({ id: String(row.id), commitment: String(row.commitment) as Hex })),
        };
        const built = await build(group);
        if (built.members.length !== group.credentials.length) {
          throw new StoreError("a batch must cover every credential taken for it");
        }
        const batchRows = await tx.query(
          `INSERT INTO batches (id, organisation_id, event_id, chain_event_id, root, size, valid_until, signature,
                                deadline, status, created_at, signing_key)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'sending', $10, $11) RETURNING *`,
          [
            randomUUID(),
            group.organisationId,
            group.eventId,
            group.chainEventId,
            built.root,
            built.members.length,
            group.validUntil,
            built.signature,
            built.deadline,
            now(),
            built.signingKey,
          ],
        );
        const batch = toBatch(batchRows[0]!);
        for (let i = 0; i < built.members.length; i += 500) {
          if (i > 0) await betweenStatements();
          const chunk = built.members.slice(i, i + 500);
          await tx.query(
            `UPDATE credentials c
                SET status = 'sending', batch_id = $2, leaf = u.leaf, proof = u.proof,
                    batch_sections = u.sections, signing_key = $3, signed_at = $4
               FROM jsonb_to_recordset($1::jsonb) AS u(id uuid, leaf text, proof jsonb, sections text)
              WHERE c.id = u.id AND c.status = 'pending'`,
            [json(chunk), batch.id, built.signingKey, batch.createdAt],
          );
        }
        return { batch, group };
      });
    },
    async hasPendingBatch(organisationId: string): Promise<boolean> {
      const rows = await db.query(
        `SELECT 1 FROM credentials WHERE status = 'pending' AND mode = 'batch' AND organisation_id = $1 LIMIT 1`,
        [organisationId],
      );
      return rows.length > 0;
    },
    async organisationsWithWork(): Promise<string[]> {
      const rows = await db.query(
        `SELECT organisation_id FROM batches WHERE status = 'sending'
         UNION SELECT organisation_id FROM credentials WHERE status IN ('pending', 'sending') AND batch_id IS NULL
         UNION SELECT organisation_id FROM credentials WHERE revocation_status = 'requested' AND status = 'anchored'
         UNION SELECT organisation_id FROM events WHERE status = 'registering'
         UNION SELECT organisation_id FROM chain_operations WHERE status = 'sending' AND kind = 'event-update'
         UNION SELECT organisation_id FROM organisation_keys WHERE status = 'authorising'`,
      );
      return rows.map((row) => String(row.organisation_id));
    },
    /** How much work the worker still has: batches in flight, credentials to anchor, revocations, jobs. */
    async outstanding(): Promise<number> {
      const rows = await db.query<{ n: number }>(
        `SELECT (SELECT count(*) FROM batches WHERE status = 'sending')
              + (SELECT count(*) FROM credentials WHERE status IN ('pending', 'sending') AND batch_id IS NULL)
              + (SELECT count(*) FROM credentials WHERE revocation_status = 'requested')
              + (SELECT count(*) FROM jobs WHERE status IN ('queued', 'running')) AS n`,
      );
      return Number(rows[0]?.n ?? 0);
    },
    async batchesInFlight(organisationId?: string): Promise<BatchRecord[]> {
      return (
        await db.query(
          `${BATCH_SELECT} WHERE b.status = 'sending' AND ($1::uuid IS NULL OR b.organisation_id = $1)
            ORDER BY b.created_at, b.id`,
          [organisationId ?? null],
        )
      ).map(toBatch);
    },
    async getBatch(id: string): Promise<BatchRecord | null> {
      const rows = await db.query(`${BATCH_SELECT} WHERE b.id = $1`, [id]);
      return rows[0] ? toBatch(rows[0]) : null;
    },
    async listBatches(organisationId?: string): Promise<BatchRecord[]> {
      return (
        await db.query(
          `${BATCH_SELECT} WHERE ($1::uuid IS NULL OR b.organisation_id = $1) ORDER BY b.created_at, b.id`,
          [organisationId ?? null],
        )
      ).map(toBatch);
    },
    async batchMembers(batchId: string): Promise<CredentialRecord[]> {
      return revealCredentials(
        personal,
        await db.query(`${CREDENTIAL_SELECT} WHERE c.batch_id = $1 ORDER BY c.seq`, [batchId]),
      );
    },

    /** Moves the oldest pending single credential to `sending` (its signed request was made at issuance). */
    async claimSingle(organisationId?: string): Promise<CredentialRecord | null> {
      const rows = await db.query(
        `UPDATE credentials SET status = 'sending'
          WHERE id = (SELECT id FROM credentials WHERE status = 'pending' AND mode = 'single'
                         AND ($1::uuid IS NULL OR organisation_id = $1)
                       ORDER BY seq LIMIT 1 FOR UPDATE SKIP LOCKED)
            AND status = 'pending'
          RETURNING *`,
        [organisationId ?? null],
      );
      return revealCredential(personal, rows[0]);
    },
    /** Replaces a single credential's expired signed request (and so its proof) before it is relayed again. */
    async updateSingleProof(id: string, document: Record<string, unknown>, signature: Hex, deadline: number) {
      const current = await revealCredential(
        personal,
        (await db.query(`${CREDENTIAL_SELECT} WHERE c.id = $1`, [id]))[0],
      );
      if (!current) return;
      const [sealed] = await sealDocuments([current], [document]);
      await db.query(
        `UPDATE credentials SET document = NULL,
                personal_enc = CASE WHEN erased_at IS NULL THEN $2 ELSE NULL END,
                issue_signature = $3, issue_deadline = $4
          WHERE id = $1 AND status = 'sending'`,
        [id, sealed ?? null, signature, deadline],
      );
    },
    async updateBatchProof(batchId, proof, signature, deadline) {
      await db.transaction(async (tx) => {
        const updated = await tx.query(
          `UPDATE batches SET signature = $2, deadline = $3 WHERE id = $1 AND status = 'sending' RETURNING id`,
          [batchId, signature, deadline],
        );
        if (updated.length === 0) return;
        // The sections are JSON text; only the proof member is replaced, the member's own anchor is kept.
        await tx.query(
          `UPDATE credentials
              SET batch_sections = jsonb_set(batch_sections::jsonb, '{proof}', $2::jsonb)::text
            WHERE batch_id = $1 AND batch_sections IS NOT NULL`,
          [batchId, JSON.stringify([proof])],
        );
      });
    },
    async singlesInFlight(limit = 100, organisationId?: string): Promise<CredentialRecord[]> {
      return revealCredentials(
        personal,
        await db.query(
          `${CREDENTIAL_SELECT} WHERE c.status = 'sending' AND c.mode = 'single'
              AND ($2::uuid IS NULL OR c.organisation_id = $2) ORDER BY c.seq LIMIT $1`,
          [limit, organisationId ?? null],
        ),
      );
    },

    /** Revocations and supersessions whose credential (and replacement) are anchored, oldest first. */
    async revocationsDue(limit = 50, organisationId?: string): Promise<RevocationWork[]> {
      const rows = await db.query(
        `SELECT ${CREDENTIAL_COLUMNS}, b.root AS b_root, r.commitment AS r_commitment, r.status AS r_status
           FROM credentials c ${CREDENTIAL_OPERATIONS}
           LEFT JOIN batches b ON b.id = c.batch_id
           LEFT JOIN credentials r ON r.id = c.superseded_by
          WHERE c.revocation_status = 'requested' AND c.status = 'anchored'
            AND (c.superseded_by IS NULL OR r.status IN ('anchored', 'cancelled', 'failed'))
            AND ($2::uuid IS NULL OR c.organisation_id = $2)
          ORDER BY c.seq LIMIT $1`,
        [limit, organisationId ?? null],
      );
      // A replacement that will never be anchored cannot be named on chain: the credential is then revoked
      // plainly, with the reason "superseded".
      const credentials = await revealCredentials(personal, rows);
      return rows.map((row, i) => ({
        credential: credentials[i]!,
        root: (row.b_root as Hex | null) ?? null,
        replacement: row.superseded_by && row.r_status === "anchored" ? (row.r_commitment as Hex) : null,
      }));
    },
  };
}
