import { randomUUID } from "node:crypto";
import type { Hex } from "viem";
import type { Clock } from "../../clock";
import type { Database } from "../db";
import { toEvent } from "../rows";
import { decodeCursor, EVENT_SELECT, encodeCursor, isEventCursor, json } from "../sql";
import type { EventKind, EventRecord, Page } from "../types";

export type EventFilter = { kind?: EventKind; parentId?: string; cursor?: string | null; limit?: number };

export type NewEvent = {
  organisationId: string;
  parentId: string | null;
  kind: EventKind;
  metadataHash: Hex;
  details: Record<string, unknown>;
};

export interface EventsRepository {
  /** Stores an event as `registering`: its registration on chain is a tracked operation. */
  insert(input: NewEvent): Promise<EventRecord>;
  /**
   * Events still `registering` whose registration nothing has touched since `before` (the request that sent it
   * was cut short): the worker settles them.
   */
  staleRegistrations(before: Date, organisationId?: string): Promise<EventRecord[]>;
  get(organisationId: string, id: string): Promise<EventRecord | null>;
  getByChainId(organisationId: string, chainEventId: bigint): Promise<EventRecord | null>;
  getById(id: string): Promise<EventRecord | null>;
  list(organisationId: string, filter?: EventFilter): Promise<Page<EventRecord>>;
  children(parentId: string): Promise<EventRecord[]>;
  /** New details whose metadata hash the chain has already (an update that changes nothing on chain). */
  updateDetails(
    organisationId: string,
    id: string,
    details: Record<string, unknown>,
    metadataHash: Hex,
  ): Promise<EventRecord | null>;
}

export function eventsRepository(db: Database, clock: Clock): EventsRepository {
  const now = () => clock.now();
  const get = async (organisationId: string, id: string): Promise<EventRecord | null> => {
    const rows = await db.query(`${EVENT_SELECT} WHERE e.organisation_id = $1 AND e.id = $2`, [
      organisationId,
      id,
    ]);
    return rows[0] ? toEvent(rows[0]) : null;
  };
  return {
    async insert(input: {
      organisationId: string;
      parentId: string | null;
      kind: EventKind;
      metadataHash: Hex;
      details: Record<string, unknown>;
    }): Promise<EventRecord> {
      const at = now();
      const rows = await db.query(
        `INSERT INTO events (id, organisation_id, parent_id, kind, status, metadata_hash, details, created_at, updated_at)
         VALUES ($1, $2, $3, $4, 'registering', $5, $6::jsonb, $7, $7) RETURNING *`,
        [
          randomUUID(),
          input.organisationId,
          input.parentId,
          input.kind,
          input.metadataHash,
          json(input.details),
          at,
        ],
      );
      return toEvent(rows[0]!);
    },
    /**
     * Events still `registering` whose registration nothing has touched since `before` (the request that sent it
     * was cut short): the worker settles them.
     */
    async staleRegistrations(before: Date, organisationId?: string): Promise<EventRecord[]> {
      return (
        await db.query(
          `${EVENT_SELECT} WHERE e.status = 'registering' AND COALESCE(o.updated_at, e.updated_at) < $1
              AND ($2::uuid IS NULL OR e.organisation_id = $2)
            ORDER BY e.created_at`,
          [before, organisationId ?? null],
        )
      ).map(toEvent);
    },
    get,
    async getByChainId(organisationId: string, chainEventId: bigint): Promise<EventRecord | null> {
      const rows = await db.query(`${EVENT_SELECT} WHERE e.organisation_id = $1 AND e.chain_event_id = $2`, [
        organisationId,
        chainEventId.toString(),
      ]);
      return rows[0] ? toEvent(rows[0]) : null;
    },
    async getById(id: string): Promise<EventRecord | null> {
      const rows = await db.query(`${EVENT_SELECT} WHERE e.id = $1`, [id]);
      return rows[0] ? toEvent(rows[0]) : null;
    },
    async list(organisationId: string, filter: EventFilter = {}): Promise<Page<EventRecord>> {
      const limit = Math.min(Math.max(filter.limit ?? 50, 1), 500);
      const cursor = decodeCursor(filter.cursor, isEventCursor);
      const [afterAt, afterId] = cursor ? cursor.split("|") : [null, null];
      const rows = await db.query(
        `${EVENT_SELECT}
          WHERE e.organisation_id = $1
            AND ($2::text IS NULL OR e.kind = $2)
            AND ($3::uuid IS NULL OR e.parent_id = $3)
            AND ($4::timestamptz IS NULL OR (e.created_at, e.id) > ($4::timestamptz, $5::uuid))
          ORDER BY e.created_at, e.id LIMIT $6`,
        [
          organisationId,
          filter.kind ?? null,
          filter.parentId ?? null,
          afterAt ?? null,
          afterId ?? null,
          limit + 1,
        ],
      );
      const items = rows.slice(0, limit).map(toEvent);
      const last = items[items.length - 1];
      return {
        items,
        nextCursor:
          rows.length > limit && last ? encodeCursor(`${last.createdAt.toISOString()}|${last.id}`) : null,
      };
    },
    async children(parentId: string): Promise<EventRecord[]> {
      return (
        await db.query(`${EVENT_SELECT} WHERE e.parent_id = $1 ORDER BY e.created_at, e.id`, [parentId])
      ).map(toEvent);
    },
    async updateDetails(
      organisationId: string,
      id: string,
      details: Record<string, unknown>,
      metadataHash: Hex,
    ): Promise<EventRecord | null> {
      const rows = await db.query(
        `UPDATE events SET details = $3::jsonb, metadata_hash = $4, updated_at = $5
          WHERE organisation_id = $1 AND id = $2 RETURNING id`,
        [organisationId, id, json(details), metadataHash, now()],
      );
      return rows[0] ? get(organisationId, id) : null;
    },
  };
}
