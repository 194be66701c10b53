// E-mail deliveries of credentials: the queue the mailer claims from, with a lease per send.

import { randomUUID } from "node:crypto";
import type { Clock } from "../../clock";
import { DELIVERY_SQL } from "../../status";
import type { Database, Queryable } from "../db";
import { type Personal, revealCredential } from "../personal";
import { toDelivery } from "../rows";
import { CREDENTIAL_SELECT, json } from "../sql";
import type { CredentialRecord, DeliveryRecord } from "../types";

export type DeliveryRequest = {
  credentialId: string;
  organisationId: string;
  lang: "sv" | "en";
  domain: string;
};

export interface DeliveriesRepository {
  /**
   * Queues an e-mail of each credential (of the organisation) that still has its data and is not already
   * waiting for one; its language is the attendee's (Swedish when not given). Returns the rows queued.
   */
  queue(
    organisationId: string,
    credentialIds: string[],
    domain: string,
    within?: Queryable,
  ): Promise<DeliveryRecord[]>;
  /** The ids of an event's credentials whose latest delivery is in `statuses` (`none`: never asked for). */
  credentialsToSend(
    organisationId: string,
    eventId: string,
    scope: "unsent" | "failed" | "all",
  ): Promise<string[]>;
  get(id: string): Promise<DeliveryRecord | null>;
  forCredential(credentialId: string): Promise<DeliveryRecord[]>;
  /** Ends the deliveries that can never be sent. Returns how many. */
  settleUnsendable(): Promise<number>;
  /** Claims the next due delivery of an anchored credential, with a lease. */
  claim(leaseMs: number): Promise<{ delivery: DeliveryRecord; credential: CredentialRecord } | null>;
  /** The server accepted the message. Only the holder of the claim (still `sending`) may say so. */
  markSent(id: string): Promise<boolean>;
  /** A temporary failure: queued again for `retryAt`. */
  markRetry(id: string, error: string, retryAt: Date): Promise<void>;
  /** A permanent failure (or the last attempt failed). */
  markFailed(id: string, error: string): Promise<void>;
  /** How many deliveries wait (queued, or sending). */
  outstanding(): Promise<number>;
}

/** Queues one delivery per entry, due now; its Message-ID is fixed here, once. */
export async function queueDeliveries(
  tx: Queryable,
  entries: DeliveryRequest[],
  now: Date,
): Promise<DeliveryRecord[]> {
  const at = now.toISOString();
  const out: DeliveryRecord[] = [];
  for (let i = 0; i < entries.length; i += 500) {
    const chunk = entries.slice(i, i + 500).map((e) => {
      const id = randomUUID();
      return {
        id,
        organisation_id: e.organisationId,
        credential_id: e.credentialId,
        lang: e.lang,
        message_id: `<${id}@${e.domain}>`,
        at,
      };
    });
    const rows = await tx.query(
      `INSERT INTO deliveries (id, organisation_id, credential_id, status, lang, message_id, next_attempt_at,
                               created_at, updated_at)
       SELECT id, organisation_id, credential_id, 'queued', lang, message_id, at, at, at
         FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, organisation_id uuid, credential_id uuid, lang text,
              message_id text, at timestamptz)
       RETURNING *`,
      [json(chunk)],
    );
    out.push(...rows.map(toDelivery));
  }
  return out;
}

export function deliveriesRepository(db: Database, clock: Clock, personal: Personal): DeliveriesRepository {
  const now = () => clock.now();
  return {
    /**
     * Queues an e-mail of each credential (of the organisation) that still has its data and is not already
     * waiting for one; its language is the attendee's (Swedish when not given). Returns the rows queued.
     */
    async queue(
      organisationId: string,
      credentialIds: string[],
      domain: string,
      within?: Queryable,
    ): Promise<DeliveryRecord[]> {
      if (credentialIds.length === 0) return [];
      const run = <T>(fn: (tx: Queryable) => Promise<T>) => (within ? fn(within) : db.transaction(fn));
      return run(async (tx) => {
        const rows = await tx.query<{ id: string; lang: string | null }>(
          `SELECT c.id, COALESCE(c.delivery_lang, c.recipient->>'lang') AS lang FROM credentials c
            WHERE c.organisation_id = $1 AND c.id = ANY($2::uuid[]) AND c.erased_at IS NULL
              AND c.status IN ('pending', 'sending', 'anchored')
              AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.credential_id = c.id
                                AND d.status IN ('queued', 'sending'))
            ORDER BY c.seq FOR UPDATE OF c`,
          [organisationId, credentialIds],
        );
        return queueDeliveries(
          tx,
          rows.map((row) => ({
            credentialId: String(row.id),
            organisationId,
            lang: row.lang === "en" ? "en" : "sv",
            domain,
          })),
          now(),
        );
      });
    },
    /** The ids of an event's credentials whose latest delivery is in `statuses` (`none`: never asked for). */
    async credentialsToSend(
      organisationId: string,
      eventId: string,
      scope: "unsent" | "failed" | "all",
    ): Promise<string[]> {
      const wanted = scope === "failed" ? ["failed"] : scope === "unsent" ? ["none", "failed"] : null;
      const rows = await db.query<{ id: string }>(
        `SELECT c.id FROM credentials c
           LEFT JOIN LATERAL (SELECT status FROM deliveries WHERE credential_id = c.id
                               ORDER BY created_at DESC, id DESC LIMIT 1) d ON true
          WHERE c.organisation_id = $1 AND c.event_id = $2 AND c.erased_at IS NULL
            AND c.status IN ('pending', 'sending', 'anchored') AND c.superseded_by IS NULL
            AND (c.revocation_status IS NULL OR c.revocation_status = 'failed')
            AND ($3::text[] IS NULL OR ${DELIVERY_SQL} = ANY($3::text[]))
          ORDER BY c.seq`,
        [organisationId, eventId, wanted],
      );
      return rows.map((row) => String(row.id));
    },
    async get(id: string): Promise<DeliveryRecord | null> {
      const rows = await db.query("SELECT * FROM deliveries WHERE id = $1", [id]);
      return rows[0] ? toDelivery(rows[0]) : null;
    },
    async forCredential(credentialId: string): Promise<DeliveryRecord[]> {
      return (
        await db.query("SELECT * FROM deliveries WHERE credential_id = $1 ORDER BY created_at, id", [
          credentialId,
        ])
      ).map(toDelivery);
    },
    /**
     * Ends the deliveries that can never be sent: their credential failed, was cancelled, revoked, superseded
     * or erased before it was e-mailed. Returns how many.
     */
    async settleUnsendable(): Promise<number> {
      const rows = await db.query(
        `UPDATE deliveries d SET status = 'failed', lease_until = NULL, updated_at = $1,
                last_error = CASE WHEN c.erased_at IS NOT NULL THEN 'the credential was erased'
                                  WHEN c.status IN ('failed', 'cancelled') THEN 'the credential was not anchored'
                                  ELSE 'the credential was revoked or superseded' END
           FROM credentials c
          WHERE c.id = d.credential_id AND d.status = 'queued'
            AND (c.erased_at IS NOT NULL OR c.status IN ('failed', 'cancelled') OR c.superseded_by IS NOT NULL
                 OR c.revocation_status IN ('requested', 'confirmed'))
          RETURNING d.id`,
        [now()],
      );
      return rows.length;
    },
    /**
     * Claims the next due delivery of an anchored credential: a queued one whose time has come, or one left
     * `sending` past its lease (its sender died mid-send: sent again with the same Message-ID). The claim sets
     * `sending` and a lease before anything is sent. Returns the delivery and its credential, or null.
     */
    async claim(leaseMs: number): Promise<{ delivery: DeliveryRecord; credential: CredentialRecord } | null> {
      return db.transaction(async (tx) => {
        const at = now();
        const rows = await tx.query(
          `SELECT d.id FROM deliveries d JOIN credentials c ON c.id = d.credential_id
            WHERE c.status = 'anchored' AND c.erased_at IS NULL
              AND ((d.status = 'queued' AND d.next_attempt_at <= $1)
                   OR (d.status = 'sending' AND d.lease_until <= $1))
            ORDER BY d.next_attempt_at, d.id LIMIT 1 FOR UPDATE OF d SKIP LOCKED`,
          [at],
        );
        if (!rows[0]) return null;
        const updated = await tx.query(
          `UPDATE deliveries SET status = 'sending', lease_until = $2, attempts = attempts + 1, updated_at = $3
            WHERE id = $1 RETURNING *`,
          [rows[0].id, new Date(at.getTime() + leaseMs), at],
        );
        const delivery = toDelivery(updated[0]!);
        const credential = (await revealCredential(
          personal,
          (
            await tx.query(`${CREDENTIAL_SELECT} WHERE c.id = $1`, [delivery.credentialId])
          )[0],
        ))!;
        return { delivery, credential };
      });
    },
    /** The server accepted the message. Only the holder of the claim (still `sending`) may say so. */
    async markSent(id: string): Promise<boolean> {
      const at = now();
      const rows = await db.query(
        `UPDATE deliveries SET status = 'sent', sent_at = $2, lease_until = NULL, last_error = NULL, updated_at = $2
          WHERE id = $1 AND status = 'sending' RETURNING id`,
        [id, at],
      );
      return rows.length > 0;
    },
    /** A temporary failure: queued again for `retryAt`. */
    async markRetry(id: string, error: string, retryAt: Date): Promise<void> {
      await db.query(
        `UPDATE deliveries SET status = 'queued', next_attempt_at = $3, lease_until = NULL, last_error = $2,
                updated_at = $4 WHERE id = $1 AND status = 'sending'`,
        [id, error.slice(0, 500), retryAt, now()],
      );
    },
    /** A permanent failure (or the last attempt failed). */
    async markFailed(id: string, error: string): Promise<void> {
      await db.query(
        `UPDATE deliveries SET status = 'failed', lease_until = NULL, last_error = $2, updated_at = $3
          WHERE id = $1 AND status IN ('queued', 'sending')`,
        [id, error.slice(0, 500), now()],
      );
    },
    /** How many deliveries wait (queued, or sending). */
    async outstanding(): Promise<number> {
      const rows = await db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM deliveries WHERE status IN ('queued', 'sending')",
      );
      return Number(rows[0]?.n ?? 0);
    },
  };
}
