// Credentials as the API reads them: one, a page filtered by the status model, counts.

import type { CredentialStanding, CredentialState, DeliveryStatus } from "@intyg/credential";
import type { Hex } from "viem";
import type { Clock } from "../../clock";
import { normaliseForIndex } from "../../privacy/blind-index";
import { DELIVERY_SQL, type DeliverySummary, NO_DELIVERY, STATE_SQL, standingSql } from "../../status";
import type { Database } from "../db";
import { holderTokenHash, type Personal, queryTerms, revealCredential, revealCredentials } from "../personal";
import {
  CREDENTIAL_COLUMNS,
  CREDENTIAL_OPERATIONS,
  CREDENTIAL_SELECT,
  decodeCursor,
  encodeCursor,
  isSeqCursor,
} from "../sql";
import type { CredentialRecord, CredentialStatus, Page } from "../types";
import { type CredentialChanges, credentialChanges } from "./credential-changes";
import { shownHash } from "./operations";

export type CredentialFilter = {
  eventId?: string;
  jobId?: string;
  status?: CredentialStatus;
  state?: CredentialState;
  standing?: CredentialStanding;
  delivery?: DeliveryStatus;
  /**
   * Matches the whole name, one word of it or the first 3–12 characters of its words, the whole e-mail address
   * or the organiser's reference (case and spacing aside): compared by keyed hashes, as no plaintext of them is
   * stored to search in.
   */
  q?: string;
  cursor?: string | null;
  limit?: number;
};

/** A credential with what the API shows beside it: its batch's root and transaction, its latest delivery. */
export type CredentialView = {
  record: CredentialRecord;
  batch: { root: Hex; txHash: Hex | null } | null;
  delivery: DeliverySummary;
};

/** How many credentials there are of each state, standing (unknown: `none`) and delivery status. */
export type CredentialCounts = {
  total: number;
  state: Record<string, number>;
  standing: Record<string, number>;
  delivery: Record<string, number>;
};

/** A credential with its batch (root, transaction) and its latest delivery, for {@link toView}. */
const VIEW_SELECT = `
  SELECT ${CREDENTIAL_COLUMNS}, b.root AS b_root, ${shownHash("bo")} AS b_tx_hash,
         d.status AS d_status, d.attempts AS d_attempts, d.last_error AS d_last_error, d.sent_at AS d_sent_at
    FROM credentials c ${CREDENTIAL_OPERATIONS}
    LEFT JOIN batches b ON b.id = c.batch_id
    LEFT JOIN chain_operations bo ON bo.subject_id = b.id AND bo.kind = 'batch'
    LEFT JOIN LATERAL (SELECT status, attempts, last_error, sent_at FROM deliveries WHERE credential_id = c.id
                        ORDER BY created_at DESC, id DESC LIMIT 1) d ON true`;

/**
 * The search of a row written before encryption that the worker has not encrypted yet (it has no keyed hashes):
 * the same matches, on its plaintext, until it is encrypted. `$13` is the normalised search text.
 */
const LEGACY_MATCH_SQL = `$13 <> '' AND (
  lower(c.document->'credentialSubject'->>'email') = $13
  OR lower(c.recipient->>'reference') = $13
  OR regexp_replace(lower(c.document->'credentialSubject'->>'name'), '\\s+', ' ', 'g') = $13
  OR string_to_array($13, ' ') <@ regexp_split_to_array(lower(c.document->'credentialSubject'->>'name'), '\\s+'))`;

function toView(row: Record<string, unknown>, record: CredentialRecord): CredentialView {
  const sentAt = row.d_sent_at ? new Date(row.d_sent_at as string | Date) : null;
  return {
    record,
    batch: row.b_root ? { root: row.b_root as Hex, txHash: (row.b_tx_hash as Hex | null) ?? null } : null,
    delivery: row.d_status
      ? {
          status: row.d_status as DeliverySummary["status"],
          attempts: Number(row.d_attempts),
          lastError: (row.d_last_error as string | null) ?? null,
          sentAt: sentAt ? sentAt.toISOString() : null,
        }
      : NO_DELIVERY,
  };
}

export interface CredentialReads {
  get(organisationId: string, id: string): Promise<CredentialRecord | null>;
  getById(id: string): Promise<CredentialRecord | null>;
  getByHolderToken(token: string): Promise<CredentialRecord | null>;
  getMany(ids: string[]): Promise<CredentialRecord[]>;
  /**
   * A page of credentials with their batch and latest delivery, filtered by the status model (state,
   * standing, delivery) and a search of the name, e-mail address and reference.
   */
  list(organisationId: string, filter?: CredentialFilter): Promise<Page<CredentialView>>;
  /** One credential with its batch and latest delivery; null when not found. */
  view(organisationId: string, id: string): Promise<CredentialView | null>;
  /** Those of `ids` whose credential carries an e-mail address (and so can be e-mailed). */
  withEmail(ids: string[]): Promise<string[]>;
  /** Counts by state, standing and delivery, of an event's credentials or a job's. */
  counts(organisationId: string, scope: { eventId?: string; jobId?: string }): Promise<CredentialCounts>;
  countByStatus(organisationId: string, eventId?: string): Promise<Record<string, number>>;
}

export type CredentialsRepository = CredentialReads & CredentialChanges;

export function credentialsRepository(db: Database, clock: Clock, personal: Personal): CredentialsRepository {
  return { ...credentialReads(db, clock, personal), ...credentialChanges(db, clock, personal) };
}

function credentialReads(db: Database, clock: Clock, personal: Personal): CredentialReads {
  const nowSeconds = () => Math.floor(clock.now().getTime() / 1000);
  const views = async (rows: Record<string, unknown>[]) => {
    const records = await revealCredentials(personal, rows);
    return rows.map((row, i) => toView(row, records[i]!));
  };
  return {
    async get(organisationId: string, id: string): Promise<CredentialRecord | null> {
      const rows = await db.query(`${CREDENTIAL_SELECT} WHERE c.organisation_id = $1 AND c.id = $2`, [
        organisationId,
        id,
      ]);
      return revealCredential(personal, rows[0]);
    },
    async getById(id: string): Promise<CredentialRecord | null> {
      return revealCredential(personal, (await db.query(`${CREDENTIAL_SELECT} WHERE c.id = $1`, [id]))[0]);
    },
    async getByHolderToken(token: string): Promise<CredentialRecord | null> {
      // A row written before encryption and not yet encrypted by the worker still has its token in plaintext.
      const rows = await db.query(
        `${CREDENTIAL_SELECT} WHERE c.holder_token_hash = $1 OR (c.holder_token = $2 AND c.personal_enc IS NULL)`,
        [holderTokenHash(token), token],
      );
      return revealCredential(personal, rows[0]);
    },
    async getMany(ids: string[]): Promise<CredentialRecord[]> {
      if (ids.length === 0) return [];
      const rows = await db.query(`${CREDENTIAL_SELECT} WHERE c.id = ANY($1::uuid[]) ORDER BY c.seq`, [ids]);
      return revealCredentials(personal, rows);
    },
    /**
     * A page of credentials with their batch and latest delivery, filtered by the status model (state,
     * standing, delivery) and a search of the name, e-mail address and reference.
     */
    async list(organisationId: string, filter: CredentialFilter = {}): Promise<Page<CredentialView>> {
      const limit = Math.min(Math.max(filter.limit ?? 50, 1), 500);
      const after = decodeCursor(filter.cursor, isSeqCursor);
      const terms = filter.q ? queryTerms(personal.indexKey, filter.q) : null;
      const rows = await db.query(
        `${VIEW_SELECT}
          WHERE c.organisation_id = $1
            AND ($2::uuid IS NULL OR c.event_id = $2)
            AND ($3::text IS NULL OR c.status = $3)
            AND ($4::bigint IS NULL OR c.seq > $4::bigint)
            AND ($6::text IS NULL OR ${STATE_SQL} = $6)
            AND ($7::text IS NULL OR ${standingSql("$8::bigint")} = $7)
            AND ($9::text IS NULL OR ${DELIVERY_SQL} = $9)
            AND ($10::text[] IS NULL
                 OR c.id IN (SELECT s.credential_id FROM credential_search s
                              WHERE s.terms && $10::text[]
                                 OR (cardinality($12::text[]) > 0 AND s.terms @> $12::text[])
                                 OR (cardinality($14::text[]) > 0 AND s.terms @> $14::text[]))
                 OR (c.personal_enc IS NULL AND ${LEGACY_MATCH_SQL}))
            AND ($11::uuid IS NULL OR c.job_id = $11)
          ORDER BY c.seq LIMIT $5`,
        [
          organisationId,
          filter.eventId ?? null,
          filter.status ?? null,
          after,
          limit + 1,
          filter.state ?? null,
          filter.standing ?? null,
          nowSeconds(),
          filter.delivery ?? null,
          terms ? terms.whole : null,
          filter.jobId ?? null,
          terms ? terms.words : [],
          terms ? normaliseForIndex(filter.q!) : null,
          terms ? terms.prefixes : [],
        ],
      );
      const items = await views(rows.slice(0, limit));
      const last = items[items.length - 1];
      return { items, nextCursor: rows.length > limit && last ? encodeCursor(last.record.seq) : null };
    },
    /** One credential with its batch and latest delivery; null when not found. */
    async view(organisationId: string, id: string): Promise<CredentialView | null> {
      const rows = await db.query(`${VIEW_SELECT} WHERE c.organisation_id = $1 AND c.id = $2`, [
        organisationId,
        id,
      ]);
      return rows[0] ? (await views([rows[0]]))[0]! : null;
    },
    /** Those of `ids` whose credential carries an e-mail address (and so can be e-mailed). */
    async withEmail(ids: string[]): Promise<string[]> {
      if (ids.length === 0) return [];
      const rows = await db.query<{ id: string }>(
        `SELECT id FROM credentials WHERE id = ANY($1::uuid[]) AND erased_at IS NULL AND has_email
          ORDER BY seq`,
        [ids],
      );
      return rows.map((row) => String(row.id));
    },
    /** Counts by state, standing and delivery, of an event's credentials or a job's. */
    async counts(
      organisationId: string,
      scope: { eventId?: string; jobId?: string },
    ): Promise<CredentialCounts> {
      const rows = await db.query<{ state: string; standing: string | null; delivery: string; n: number }>(
        `SELECT ${STATE_SQL} AS state, ${standingSql("$4::bigint")} AS standing, ${DELIVERY_SQL} AS delivery,
                count(*)::int AS n
           FROM credentials c
           LEFT JOIN LATERAL (SELECT status FROM deliveries WHERE credential_id = c.id
                               ORDER BY created_at DESC, id DESC LIMIT 1) d ON true
          WHERE c.organisation_id = $1 AND ($2::uuid IS NULL OR c.event_id = $2)
            AND ($3::uuid IS NULL OR c.job_id = $3)
          GROUP BY 1, 2, 3`,
        [organisationId, scope.eventId ?? null, scope.jobId ?? null, nowSeconds()],
      );
      const counts: CredentialCounts = { total: 0, state: {}, standing: {}, delivery: {} };
      const add = (into: Record<string, number>, key: string, n: number) => {
        into[key] = (into[key] ?? 0) + n;
      };
      for (const row of rows) {
        const n = Number(row.n);
        counts.total += n;
        add(counts.state, row.state, n);
        add(counts.standing, row.standing ?? "none", n);
        add(counts.delivery, row.delivery, n);
      }
      return counts;
    },
    async countByStatus(organisationId: string, eventId?: string): Promise<Record<string, number>> {
      const rows = await db.query<{ status: string; n: number }>(
        `SELECT status, count(*)::int AS n FROM credentials
          WHERE organisation_id = $1 AND ($2::uuid IS NULL OR event_id = $2) GROUP BY status`,
        [organisationId, eventId ?? null],
      );
      return Object.fromEntries(rows.map((row) => [row.status, Number(row.n)]));
    },
  };
}
