// Tracked chain operations: one row per transaction purpose (a batch's anchoring, a single credential's, a
// revocation, an event's registration or update) with every hash ever signed for it. Settling an operation
// writes its subject (the batch and its members, the credential, the event) in the same database transaction.

import { randomUUID } from "node:crypto";
import type { Hex } from "viem";
import type { Clock } from "../../clock";
import type { Database, Queryable } from "../db";
import { toOperation } from "../rows";
import { betweenStatements } from "../sql";
import type { OperationKind, OperationRecord } from "../types";

export type OpenOperation = {
  /** Resume this operation. */
  operationId?: string;
  kind: OperationKind;
  organisationId: string;
  subjectId: string;
  payload: Record<string, unknown> | null;
};

export type Settlement =
  | { status: "done"; txHash: Hex | null; blockNumber: bigint | null; chainEventId?: bigint }
  | { status: "failed"; error: string };

export interface OperationsRepository {
  /** The subject's operation of `kind` still in flight, or a new one (`sending`, no hash yet). */
  open(input: OpenOperation): Promise<OperationRecord>;
  get(id: string): Promise<OperationRecord | null>;
  /**
   * A hash signed for the operation, recorded before the transaction leaves: appended, never replaced. A send
   * with a new nonce counts an attempt; a replacement (same nonce, higher fees) does not.
   */
  recordHash(id: string, hash: Hex, how: { replacement: boolean; nonce?: number }): Promise<void>;
  /** The last error of an attempt, for operators (the operation stays in flight). */
  recordError(id: string, error: string): Promise<void>;
  /** Settles the operation and its subject in one transaction; false when it was settled already. */
  settle(id: string, settlement: Settlement): Promise<boolean>;
  /** Operations of `kinds` in flight, oldest first; with `updatedBefore`, only those untouched since. */
  inFlight(
    kinds: readonly OperationKind[],
    options?: { updatedBefore?: Date; organisationId?: string },
  ): Promise<OperationRecord[]>;
}

/** Kinds of which a subject has at most one operation (a unique index says so). */
const SLOTS: Partial<Record<OperationKind, readonly OperationKind[]>> = {
  batch: ["batch"],
  single: ["single"],
  revocation: ["revocation", "supersession"],
  supersession: ["revocation", "supersession"],
  "event-registration": ["event-registration"],
  // A key step a crash cut short is resumed with the hashes it recorded: reconciled with what was mined (and
  // settled naming it), or waited for while pending, never sent a second time beside it.
  "key-authorisation": ["key-authorisation"],
  "key-removal": ["key-removal"],
};

const ERROR_LIMIT = 2000;

/**
 * The columns of a credential whose anchoring failed for good ($2 the error, $3 the time). One whose revocation
 * was requested while it was being sent will never be on chain: it is cancelled and its revocation confirmed,
 * as a revocation of a credential not yet sent is, rather than left "requested" with nothing to revoke.
 */
const FAILED_SETTING = `
  status = CASE WHEN revocation_status = 'requested' THEN 'cancelled' ELSE 'failed' END,
  revocation_status = CASE WHEN revocation_status = 'requested' THEN 'confirmed' ELSE revocation_status END,
  revoked_at = CASE WHEN revocation_status = 'requested' THEN $3::timestamptz ELSE revoked_at END,
  last_error = $2`;

type SubjectEffect = (
  tx: Queryable,
  operation: OperationRecord,
  settlement: Settlement,
  at: Date,
) => Promise<void>;

/** Members of a batch marked anchored per statement. */
const SETTLE_CHUNK = 2000;

/** What settling an operation does to its subject, per kind. */
const EFFECTS: Record<OperationKind, SubjectEffect> = {
  async batch(tx, op, settlement, at) {
    if (settlement.status === "done") {
      const rows = await tx.query(
        `UPDATE batches SET status = 'anchored', anchored_at = $2 WHERE id = $1 AND status = 'sending' RETURNING id`,
        [op.subjectId, at],
      );
      if (rows.length === 0) return;
      // A few thousand members at a time, the event loop let in between (see betweenStatements).
      for (let first = true; ; first = false) {
        if (!first) await betweenStatements();
        const marked = await tx.query(
          `UPDATE credentials SET status = 'anchored', anchored_at = $2
            WHERE id IN (SELECT id FROM credentials WHERE batch_id = $1 AND status = 'sending' LIMIT $3)
            RETURNING 1`,
          [op.subjectId, at, SETTLE_CHUNK],
        );
        if (marked.length < SETTLE_CHUNK) return;
      }
    }
    await tx.query("UPDATE batches SET status = 'failed' WHERE id = $1 AND status = 'sending'", [
      op.subjectId,
    ]);
    await tx.query(`UPDATE credentials SET ${FAILED_SETTING} WHERE batch_id = $1 AND status = 'sending'`, [
      op.subjectId,
      settlement.error.slice(0, ERROR_LIMIT),
      at,
    ]);
  },
  async single(tx, op, settlement, at) {
    if (settlement.status === "done") {
      await tx.query(
        `UPDATE credentials SET status = 'anchored', anchored_at = $2, last_error = NULL
          WHERE id = $1 AND status = 'sending'`,
        [op.subjectId, at],
      );
      return;
    }
    await tx.query(`UPDATE credentials SET ${FAILED_SETTING} WHERE id = $1 AND status = 'sending'`, [
      op.subjectId,
      settlement.error.slice(0, ERROR_LIMIT),
      at,
    ]);
  },
  revocation: settleRevocation,
  supersession: settleRevocation,
  async "event-registration"(tx, op, settlement, at) {
    const done = settlement.status === "done";
    await tx.query(
      `UPDATE events SET status = $2, chain_event_id = COALESCE($3, chain_event_id), updated_at = $4
        WHERE id = $1 AND status = 'registering'`,
      [
        op.subjectId,
        done ? "registered" : "failed",
        done && settlement.chainEventId !== undefined ? settlement.chainEventId.toString() : null,
        at,
      ],
    );
  },
  async "event-update"(tx, op, settlement, at) {
    if (settlement.status !== "done" || !op.payload) return;
    await tx.query(
      "UPDATE events SET details = $2::jsonb, metadata_hash = $3, updated_at = $4 WHERE id = $1",
      [op.subjectId, JSON.stringify(op.payload.details), op.payload.metadataHash, at],
    );
  },
  // A key's status follows from what the registry shows, settled by keys/lifecycle.ts after the operation
  // (and again by the worker after a crash: the step is idempotent).
  "key-authorisation": async () => undefined,
  "key-removal": async () => undefined,
};

async function settleRevocation(tx: Queryable, op: OperationRecord, settlement: Settlement, at: Date) {
  await tx.query(
    `UPDATE credentials SET revocation_status = $2, revoked_at = CASE WHEN $2::text = 'confirmed' THEN $3::timestamptz END
      WHERE id = $1 AND revocation_status = 'requested'`,
    [op.subjectId, settlement.status === "done" ? "confirmed" : "failed", at],
  );
}

export function operationsRepository(db: Database, clock: Clock): OperationsRepository {
  const now = () => clock.now();
  const get = async (id: string) => {
    const rows = await db.query("SELECT * FROM chain_operations WHERE id = $1", [id]);
    return rows[0] ? toOperation(rows[0]) : null;
  };
  return {
    get,
    async open(input) {
      const resumed = input.operationId ? await get(input.operationId) : null;
      if (resumed) return resumed;
      const slot = SLOTS[input.kind];
      if (slot) {
        const rows = await db.query(
          `SELECT * FROM chain_operations WHERE subject_id = $1 AND kind = ANY($2::text[]) AND status = 'sending'
            ORDER BY created_at LIMIT 1`,
          [input.subjectId, slot],
        );
        if (rows[0]) return toOperation(rows[0]);
      }
      const at = now();
      const rows = await db.query(
        `INSERT INTO chain_operations (id, kind, organisation_id, subject_id, status, payload, created_at, updated_at)
         VALUES ($1, $2, $3, $4, 'sending', $5::jsonb, $6, $6) RETURNING *`,
        [
          randomUUID(),
          input.kind,
          input.organisationId,
          input.subjectId,
          input.payload ? JSON.stringify(input.payload) : null,
          at,
        ],
      );
      return toOperation(rows[0]!);
    },
    async recordHash(id, hash, how) {
      await db.query(
        `UPDATE chain_operations
            SET tx_hashes = CASE WHEN tx_hashes @> jsonb_build_array($2::text) THEN tx_hashes
                                 ELSE tx_hashes || jsonb_build_array($2::text) END,
                nonce = COALESCE($3, nonce),
                attempts = attempts + CASE WHEN $4::boolean THEN 0 ELSE 1 END, updated_at = $5
          WHERE id = $1 AND status = 'sending'`,
        [id, hash, how.nonce ?? null, how.replacement, now()],
      );
    },
    async recordError(id, error) {
      await db.query("UPDATE chain_operations SET last_error = $2, updated_at = $3 WHERE id = $1", [
        id,
        error.slice(0, ERROR_LIMIT),
        now(),
      ]);
    },
    async settle(id, settlement) {
      return db.transaction(async (tx) => {
        const at = now();
        const done = settlement.status === "done";
        const rows = await tx.query(
          `UPDATE chain_operations SET status = $2, mined_tx_hash = $3, block_number = $4, last_error = $5,
                  updated_at = $6
            WHERE id = $1 AND status = 'sending' RETURNING *`,
          [
            id,
            settlement.status,
            done ? settlement.txHash : null,
            done && settlement.blockNumber !== null ? settlement.blockNumber.toString() : null,
            done ? null : settlement.error.slice(0, ERROR_LIMIT),
            at,
          ],
        );
        if (!rows[0]) return false;
        const operation = toOperation(rows[0]);
        await EFFECTS[operation.kind](tx, operation, settlement, at);
        return true;
      });
    },
    async inFlight(kinds, options = {}) {
      const rows = await db.query(
        `SELECT * FROM chain_operations WHERE status = 'sending' AND kind = ANY($1::text[])
            AND ($2::timestamptz IS NULL OR updated_at < $2) AND ($3::uuid IS NULL OR organisation_id = $3)
          ORDER BY created_at, id`,
        [kinds, options.updatedBefore ?? null, options.organisationId ?? null],
      );
      return rows.map(toOperation);
    },
  };
}

/** The transaction a subject shows of its operation `alias`: the newest sent while in flight, then the mined. */
export function shownHash(alias: string): string {
  return `CASE WHEN ${alias}.status = 'sending' THEN ${alias}.tx_hashes ->> -1 ELSE ${alias}.mined_tx_hash END`;
}

/** The columns a subject row shows of its operation `alias`, prefixed `prefix_`. */
export function operationColumns(alias: string, prefix: string): string {
  return `${alias}.tx_hashes AS ${prefix}_hashes, ${alias}.attempts AS ${prefix}_attempts,
    ${alias}.last_error AS ${prefix}_error, ${alias}.block_number AS ${prefix}_block,
    ${shownHash(alias)} AS ${prefix}_tx_hash`;
}
