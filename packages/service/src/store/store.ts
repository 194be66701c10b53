import { createHash, randomBytes, randomUUID } from "node:crypto";
import type { CredentialStanding, CredentialState, DeliveryStatus } from "@intyg/credential";
import type { Hex } from "viem";
import { type Clock, systemClock } from "../clock";
import { BadRequestError, StoreError } from "../errors";
import { DELIVERY_SQL, type DeliverySummary, NO_DELIVERY, STATE_SQL, standingSql } from "../status";
import { type Database, openPglite, openPostgres, type Queryable } from "./db";
import { migrate } from "./migrate";
import { operationColumns, operationsRepository, shownHash } from "./repositories/operations";
import {
  toApiKey,
  toBatch,
  toCredential,
  toDelivery,
  toEvent,
  toIdempotency,
  toJob,
  toOrganisation,
  toVerificationLink,
} from "./rows";
import type {
  ApiKey,
  ApiKeyRole,
  BatchRecord,
  CredentialRecord,
  CredentialStatus,
  DeliveryRecord,
  EventKind,
  EventRecord,
  IdempotencyRecord,
  JobRecord,
  Organisation,
  Page,
  VerificationLinkRecord,
} from "./types";

export type CreateStoreOptions = {
  /** `postgres://…`: use that server; otherwise the embedded PGlite. */
  databaseUrl?: string;
  /** PostgreSQL schema for every table (created when missing). */
  schema?: string;
  /** PGlite data directory; in memory when omitted. */
  dataDir?: string;
  clock?: Clock;
  /** Run the migrations on open (default true). */
  migrate?: boolean;
};

export type NewCredential = {
  id: string;
  organisationId: string;
  eventId: string;
  mode: "batch" | "single";
  commitment: Hex;
  holderAddress: Hex | null;
  validUntil: number;
  document: Record<string, unknown>;
  recipient: Record<string, unknown> | null;
  holderToken: string;
  /** A single credential's signed issue request (its proof), made at issuance. */
  issueSignature?: Hex | null;
  issueDeadline?: number | null;
  supersedes?: string | null;
  /** E-mail the credential to its holder once it is anchored, in this language. */
  deliver?: { lang: "sv" | "en"; domain: string } | null;
};

export type NewJob = { id: string; kind: string; input: unknown };

export type IssuanceCommit = {
  organisationId: string;
  /** With a key, a retry returns the stored response; the same key with another request is refused. */
  idempotencyKey?: string | null;
  requestHash: string;
  response: { status: number; body: unknown };
  credentials: NewCredential[];
  job?: NewJob;
  /** Runs inside the transaction after the credentials are written (e.g. to link a superseded credential). */
  after?: (tx: Queryable) => Promise<void>;
};

export type IssuanceOutcome =
  | { kind: "created"; status: number; body: unknown }
  | { kind: "replayed"; status: number; body: unknown }
  | { kind: "mismatch"; existing: IdempotencyRecord };

/** A batch built by the worker from pending credentials: its root, the one signature, each member's proof. */
export type BuiltBatch = {
  root: Hex;
  signature: Hex;
  /** The deadline of the signed request (unix seconds). */
  deadline: number;
  members: { id: string; leaf: Hex; proof: Hex[]; document: Record<string, unknown> }[];
};

export type PendingGroup = {
  organisationId: string;
  chainOrganisationId: number;
  eventId: string;
  chainEventId: string;
  validUntil: number;
  credentials: CredentialRecord[];
};

export type RevocationWork = {
  credential: CredentialRecord;
  /** The batch root for a batch member, null for a single credential. */
  root: Hex | null;
  /** The replacement's commitment when the credential is superseded. */
  replacement: Hex | null;
};

export type CredentialFilter = {
  eventId?: string;
  jobId?: string;
  status?: CredentialStatus;
  state?: CredentialState;
  standing?: CredentialStanding;
  delivery?: DeliveryStatus;
  /** Matches the name, the e-mail address or the organiser's reference, case-insensitive, anywhere in them. */
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

export type EventFilter = { kind?: EventKind; parentId?: string; cursor?: string | null; limit?: number };

const API_KEY_PREFIX = "intyg_";

export function hashApiKey(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}

function encodeCursor(value: string | number): string {
  return Buffer.from(String(value), "utf8").toString("base64url");
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The value of a cursor, checked against `pattern`; anything else is a 400, never a database error. */
function decodeCursor(cursor: string | null | undefined, valid: (value: string) => boolean): string | null {
  if (!cursor) return null;
  const value = /^[A-Za-z0-9_-]+$/.test(cursor) ? Buffer.from(cursor, "base64url").toString("utf8") : "";
  if (!valid(value)) throw new BadRequestError("Invalid cursor: use nextCursor from the previous page");
  return value;
}

const isSeqCursor = (value: string) => /^\d{1,18}$/.test(value);
/** `Date.parse` accepts far more than PostgreSQL does ("1", "2020-01-01 GMT+0300"): only what we emit passes. */
const ISO_INSTANT = /^(?!0000)\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const isEventCursor = (value: string) => {
  const [at, id, ...rest] = value.split("|");
  return (
    rest.length === 0 &&
    !!at &&
    !!id &&
    ISO_INSTANT.test(at) &&
    !Number.isNaN(Date.parse(at)) &&
    new Date(at).toISOString() === at &&
    UUID.test(id)
  );
};

const json = (value: unknown): string => JSON.stringify(value);

/** A credential with its operations, read in `tx` (after an update whose RETURNING lacks them). */
async function credentialById(tx: Queryable, id: string): Promise<CredentialRecord | null> {
  const rows = await tx.query(`${CREDENTIAL_SELECT} WHERE c.id = $1`, [id]);
  return rows[0] ? toCredential(rows[0]) : null;
}

const EVENT_SELECT = `SELECT e.*, ${operationColumns("o", "op")} FROM events e
  LEFT JOIN chain_operations o ON o.subject_id = e.id AND o.kind = 'event-registration'`;

const BATCH_SELECT = `SELECT b.*, ${operationColumns("o", "op")} FROM batches b
  LEFT JOIN chain_operations o ON o.subject_id = b.id AND o.kind = 'batch'`;

/** A credential's own operations: its anchoring when single, its revocation or supersession. */
const CREDENTIAL_OPERATIONS = `
  LEFT JOIN chain_operations io ON io.subject_id = c.id AND io.kind = 'single'
  LEFT JOIN chain_operations ro ON ro.subject_id = c.id AND ro.kind IN ('revocation', 'supersession')`;

const CREDENTIAL_COLUMNS = `c.*, ${operationColumns("io", "io")}, ${operationColumns("ro", "ro")}`;

const CREDENTIAL_SELECT = `SELECT ${CREDENTIAL_COLUMNS} FROM credentials c ${CREDENTIAL_OPERATIONS}`;

/** A credential with its batch (root, transaction) and its latest delivery, for {@link toView}. */
const VIEW_SELECT = `
  SELECT ${CREDENTIAL_COLUMNS}, b.root AS b_root, ${shownHash("bo")} AS b_tx_hash,
         d.status AS d_status, d.attempts AS d_attempts, d.last_error AS d_last_error, d.sent_at AS d_sent_at
    FROM credentials c ${CREDENTIAL_OPERATIONS}
    LEFT JOIN batches b ON b.id = c.batch_id
    LEFT JOIN chain_operations bo ON bo.subject_id = b.id AND bo.kind = 'batch'
    LEFT JOIN LATERAL (SELECT status, attempts, last_error, sent_at FROM deliveries WHERE credential_id = c.id
                        ORDER BY created_at DESC, id DESC LIMIT 1) d ON true`;

function toView(row: Record<string, unknown>): CredentialView {
  const sentAt = row.d_sent_at ? new Date(row.d_sent_at as string | Date) : null;
  return {
    record: toCredential(row),
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

export type Store = ReturnType<typeof buildStore>;

/** Opens the store (PGlite by default, PostgreSQL for a `postgres://` URL) and brings its schema up to date. */
export async function createStore(options: CreateStoreOptions = {}): Promise<Store> {
  const url = options.databaseUrl;
  let db: Database;
  if (url && /^postgres(ql)?:\/\//.test(url)) {
    db = await openPostgres({ connectionString: url, ...(options.schema ? { schema: options.schema } : {}) });
  } else if (url) {
    throw new StoreError("DATABASE_URL must be a postgres:// URL");
  } else {
    db = await openPglite({ ...(options.dataDir ? { dataDir: options.dataDir } : {}) });
  }
  try {
    if (options.migrate !== false) await migrate(db);
  } catch (error) {
    await db.close().catch(() => undefined);
    throw error;
  }
  return buildStore(db, options.clock ?? systemClock);
}

function buildStore(db: Database, clock: Clock) {
  const now = () => clock.now();
  const nowSeconds = () => Math.floor(clock.now().getTime() / 1000);

  const organisations = {
    async create(input: { name: string; chainOrganisationId: number; profile: Record<string, unknown> }) {
      const rows = await db.query(
        `INSERT INTO organisations (id, name, chain_organisation_id, profile, created_at)
         VALUES ($1, $2, $3, $4::jsonb, $5) RETURNING *`,
        [randomUUID(), input.name, input.chainOrganisationId, json(input.profile), now()],
      );
      return toOrganisation(rows[0]!);
    },
    async get(id: string): Promise<Organisation | null> {
      const rows = await db.query("SELECT * FROM organisations WHERE id = $1", [id]);
      return rows[0] ? toOrganisation(rows[0]) : null;
    },
    async list(): Promise<Organisation[]> {
      return (await db.query("SELECT * FROM organisations ORDER BY created_at, id")).map(toOrganisation);
    },
    async findByChainId(chainOrganisationId: number): Promise<Organisation | null> {
      const rows = await db.query(
        "SELECT * FROM organisations WHERE chain_organisation_id = $1 ORDER BY created_at, id LIMIT 1",
        [chainOrganisationId],
      );
      return rows[0] ? toOrganisation(rows[0]) : null;
    },
  };

  const apiKeys = {
    /** Creates a key; the secret is returned here once and stored only as its SHA-256. */
    async create(
      organisationId: string,
      name: string,
      role: ApiKeyRole = "admin",
    ): Promise<{ apiKey: ApiKey; secret: string }> {
      const secret = API_KEY_PREFIX + randomBytes(32).toString("base64url");
      const rows = await db.query(
        `INSERT INTO api_keys (id, organisation_id, name, role, key_hash, key_prefix, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
        [randomUUID(), organisationId, name, role, hashApiKey(secret), secret.slice(0, 12), now()],
      );
      return { apiKey: toApiKey(rows[0]!), secret };
    },
    /** Registers a key chosen elsewhere (e.g. INTYG_API_KEY of a dev setup); only its hash is stored. */
    async import(
      organisationId: string,
      name: string,
      secret: string,
      role: ApiKeyRole = "admin",
    ): Promise<ApiKey> {
      if (secret.length < 32) throw new StoreError("an API key must be at least 32 characters");
      const rows = await db.query(
        `INSERT INTO api_keys (id, organisation_id, name, role, key_hash, key_prefix, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (key_hash) DO NOTHING RETURNING *`,
        [randomUUID(), organisationId, name, role, hashApiKey(secret), secret.slice(0, 12), now()],
      );
      if (rows[0]) return toApiKey(rows[0]);
      const existing = await db.query("SELECT * FROM api_keys WHERE key_hash = $1", [hashApiKey(secret)]);
      const key = toApiKey(existing[0]!);
      if (key.organisationId !== organisationId)
        throw new StoreError("that API key belongs to another organisation");
      return key;
    },
    /** The key with this secret, revoked or not, and its organisation; null when unknown. */
    async find(secret: string): Promise<{ apiKey: ApiKey; organisation: Organisation } | null> {
      const rows = await db.query<Record<string, unknown>>(
        `SELECT k.*, o.name AS o_name, o.chain_organisation_id AS o_chain, o.profile AS o_profile,
                o.created_at AS o_created_at
           FROM api_keys k JOIN organisations o ON o.id = k.organisation_id
          WHERE k.key_hash = $1`,
        [hashApiKey(secret)],
      );
      const row = rows[0];
      if (!row) return null;
      return {
        apiKey: toApiKey(row),
        organisation: toOrganisation({
          id: row.organisation_id,
          name: row.o_name,
          chain_organisation_id: row.o_chain,
          profile: row.o_profile,
          created_at: row.o_created_at,
        }),
      };
    },
    async list(organisationId: string): Promise<ApiKey[]> {
      return (
        await db.query("SELECT * FROM api_keys WHERE organisation_id = $1 ORDER BY created_at, id", [
          organisationId,
        ])
      ).map(toApiKey);
    },
    async get(organisationId: string, id: string): Promise<ApiKey | null> {
      const rows = await db.query("SELECT * FROM api_keys WHERE organisation_id = $1 AND id = $2", [
        organisationId,
        id,
      ]);
      return rows[0] ? toApiKey(rows[0]) : null;
    },
    async revoke(organisationId: string, id: string): Promise<ApiKey | null> {
      const rows = await db.query(
        `UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $3)
          WHERE organisation_id = $1 AND id = $2 RETURNING *`,
        [organisationId, id, now()],
      );
      return rows[0] ? toApiKey(rows[0]) : null;
    },
  };

  const events = {
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
    async staleRegistrations(before: Date): Promise<EventRecord[]> {
      return (
        await db.query(
          `${EVENT_SELECT} WHERE e.status = 'registering' AND COALESCE(o.updated_at, e.updated_at) < $1
            ORDER BY e.created_at`,
          [before],
        )
      ).map(toEvent);
    },
    async get(organisationId: string, id: string): Promise<EventRecord | null> {
      const rows = await db.query(`${EVENT_SELECT} WHERE e.organisation_id = $1 AND e.id = $2`, [
        organisationId,
        id,
      ]);
      return rows[0] ? toEvent(rows[0]) : null;
    },
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
      return rows[0] ? events.get(organisationId, id) : null;
    },
  };

  async function insertCredentials(
    tx: Queryable,
    credentials: NewCredential[],
    jobId: string | null = null,
  ): Promise<void> {
    const at = now().toISOString();
    for (let i = 0; i < credentials.length; i += 500) {
      const chunk = credentials.slice(i, i + 500).map((c) => ({
        id: c.id,
        organisation_id: c.organisationId,
        event_id: c.eventId,
        mode: c.mode,
        commitment: c.commitment,
        holder_address: c.holderAddress,
        valid_until: c.validUntil,
        document: c.document,
        recipient: c.recipient,
        holder_token: c.holderToken,
        issue_signature: c.issueSignature ?? null,
        issue_deadline: c.issueDeadline ?? null,
        supersedes: c.supersedes ?? null,
        job_id: jobId,
        created_at: at,
      }));
      await tx.query(
        `INSERT INTO credentials (id, organisation_id, event_id, mode, status, commitment, holder_address,
                                  valid_until, document, recipient, holder_token, issue_signature, issue_deadline,
                                  supersedes, job_id, created_at)
         SELECT id, organisation_id, event_id, mode, 'pending', commitment, holder_address, valid_until,
                document, recipient, holder_token, issue_signature, issue_deadline, supersedes, job_id, created_at
           FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, organisation_id uuid, event_id uuid, mode text,
                commitment text, holder_address text, valid_until bigint, document jsonb, recipient jsonb,
                holder_token text, issue_signature text, issue_deadline bigint, supersedes uuid, job_id uuid,
                created_at timestamptz)`,
        [json(chunk)],
      );
    }
    const deliveries = credentials
      .filter((c) => c.deliver)
      .map((c) => ({ credentialId: c.id, organisationId: c.organisationId, ...c.deliver! }));
    if (deliveries.length > 0) await queueDeliveries(tx, deliveries);
  }

  /** Queues one delivery per entry, due now; its Message-ID is fixed here, once. */
  async function queueDeliveries(
    tx: Queryable,
    entries: { credentialId: string; organisationId: string; lang: "sv" | "en"; domain: string }[],
  ): Promise<DeliveryRecord[]> {
    const at = now().toISOString();
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

  const rateLimits = {
    /**
     * Counts one request of `key` in the window starting at `windowStart` (one atomic statement, shared by every
     * replica on this database) and returns the window's count so far, this request included.
     */
    async hit(key: string, windowStart: Date, expiresAt: Date): Promise<number> {
      const rows = await db.query<{ count: number }>(
        `INSERT INTO rate_limits AS r (api_key_id, window_start, expires_at, count) VALUES ($1, $2, $3, 1)
         ON CONFLICT (api_key_id, window_start) DO UPDATE SET count = r.count + 1
         RETURNING r.count`,
        [key, windowStart, expiresAt],
      );
      return Number(rows[0]!.count);
    },
    /** Deletes windows that ended by `before` (the worker's housekeeping). Returns how many. */
    async expire(before: Date): Promise<number> {
      const rows = await db.query<{ n: number }>(
        "WITH gone AS (DELETE FROM rate_limits WHERE expires_at <= $1 RETURNING 1) SELECT count(*)::int AS n FROM gone",
        [before],
      );
      return Number(rows[0]?.n ?? 0);
    },
  };

  const issuance = {
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
        if (input.credentials.length > 0) await insertCredentials(tx, input.credentials);
        if (input.job) {
          const at = now();
          await tx.query(
            `INSERT INTO jobs (id, organisation_id, kind, status, input, created_at, updated_at)
             VALUES ($1, $2, $3, 'queued', $4::jsonb, $5, $5)`,
            [input.job.id, input.organisationId, input.job.kind, json(input.job.input), at],
          );
        }
        if (input.after) await input.after(tx);
        return { kind: "created", status: input.response.status, body: input.response.body };
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

  const jobs = {
    async get(organisationId: string, id: string): Promise<JobRecord | null> {
      const rows = await db.query("SELECT * FROM jobs WHERE organisation_id = $1 AND id = $2", [
        organisationId,
        id,
      ]);
      return rows[0] ? toJob(rows[0]) : null;
    },
    /** Takes the oldest queued job (or one left running by a crashed leader). */
    async claim(): Promise<JobRecord | null> {
      return db.transaction(async (tx) => {
        const rows = await tx.query(
          `SELECT * FROM jobs WHERE status IN ('queued', 'running') ORDER BY created_at, id
            LIMIT 1 FOR UPDATE SKIP LOCKED`,
        );
        if (!rows[0]) return null;
        const updated = await tx.query(
          `UPDATE jobs SET status = 'running', attempts = attempts + 1, updated_at = $2 WHERE id = $1 RETURNING *`,
          [rows[0].id, now()],
        );
        return toJob(updated[0]!);
      });
    },
    /** Completes a job in one transaction with the credentials it produced; its input (personal data) is dropped. */
    async complete(id: string, result: unknown, credentials: NewCredential[]): Promise<void> {
      await db.transaction(async (tx) => {
        const rows = await tx.query("SELECT status FROM jobs WHERE id = $1 FOR UPDATE", [id]);
        if (rows[0]?.status !== "running") return;
        await insertCredentials(tx, credentials, id);
        await tx.query(
          `UPDATE jobs SET status = 'succeeded', result = $2::jsonb, input = NULL, updated_at = $3 WHERE id = $1`,
          [id, json(result), now()],
        );
      });
    },
    async fail(id: string, error: unknown): Promise<void> {
      await db.query(
        `UPDATE jobs SET status = 'failed', error = $2::jsonb, input = NULL, updated_at = $3 WHERE id = $1`,
        [id, json(error), now()],
      );
    },
  };

  const credentials = {
    async get(organisationId: string, id: string): Promise<CredentialRecord | null> {
      const rows = await db.query(`${CREDENTIAL_SELECT} WHERE c.organisation_id = $1 AND c.id = $2`, [
        organisationId,
        id,
      ]);
      return rows[0] ? toCredential(rows[0]) : null;
    },
    async getById(id: string): Promise<CredentialRecord | null> {
      return credentialById(db, id);
    },
    async getByHolderToken(token: string): Promise<CredentialRecord | null> {
      const rows = await db.query(`${CREDENTIAL_SELECT} WHERE c.holder_token = $1`, [token]);
      return rows[0] ? toCredential(rows[0]) : null;
    },
    async getMany(ids: string[]): Promise<CredentialRecord[]> {
      if (ids.length === 0) return [];
      const rows = await db.query(`${CREDENTIAL_SELECT} WHERE c.id = ANY($1::uuid[]) ORDER BY c.seq`, [ids]);
      return rows.map(toCredential);
    },
    /**
     * A page of credentials with their batch and latest delivery, filtered by the status model (state,
     * standing, delivery) and a search of the name, e-mail address and reference.
     */
    async list(organisationId: string, filter: CredentialFilter = {}): Promise<Page<CredentialView>> {
      const limit = Math.min(Math.max(filter.limit ?? 50, 1), 500);
      const after = decodeCursor(filter.cursor, isSeqCursor);
      const rows = await db.query(
        `${VIEW_SELECT}
          WHERE c.organisation_id = $1
            AND ($2::uuid IS NULL OR c.event_id = $2)
            AND ($3::text IS NULL OR c.status = $3)
            AND ($4::bigint IS NULL OR c.seq > $4::bigint)
            AND ($6::text IS NULL OR ${STATE_SQL} = $6)
            AND ($7::text IS NULL OR ${standingSql("$8::bigint")} = $7)
            AND ($9::text IS NULL OR ${DELIVERY_SQL} = $9)
            AND ($10::text IS NULL OR c.document->'credentialSubject'->>'name' ILIKE $10
                 OR c.document->'credentialSubject'->>'email' ILIKE $10 OR c.recipient->>'reference' ILIKE $10)
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
          filter.q ? `%${filter.q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%` : null,
          filter.jobId ?? null,
        ],
      );
      const items = rows.slice(0, limit).map(toView);
      const last = items[items.length - 1];
      return { items, nextCursor: rows.length > limit && last ? encodeCursor(last.record.seq) : null };
    },
    /** One credential with its batch and latest delivery; null when not found. */
    async view(organisationId: string, id: string): Promise<CredentialView | null> {
      const rows = await db.query(`${VIEW_SELECT} WHERE c.organisation_id = $1 AND c.id = $2`, [
        organisationId,
        id,
      ]);
      return rows[0] ? toView(rows[0]) : null;
    },
    /** Those of `ids` whose credential carries an e-mail address (and so can be e-mailed). */
    async withEmail(ids: string[]): Promise<string[]> {
      if (ids.length === 0) return [];
      const rows = await db.query<{ id: string }>(
        `SELECT id FROM credentials WHERE id = ANY($1::uuid[]) AND erased_at IS NULL
            AND jsonb_typeof(document->'credentialSubject'->'email') = 'string' ORDER BY seq`,
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

  const deliveries = {
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
          `SELECT c.id, c.recipient->>'lang' AS lang FROM credentials c
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
        const credential = (await credentialById(tx, delivery.credentialId))!;
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

  const anchoring = {
    /**
     * Takes pending batch credentials of one group (organisation, event, validity) and, in ONE transaction,
     * lets `build` compute the batch (root, signature, proofs), records the batch as `sending` and attaches
     * every member to it. Nothing reaches the chain before this commits.
     */
    async createBatch(
      maxSize: number,
      build: (group: PendingGroup) => Promise<BuiltBatch>,
    ): Promise<{ batch: BatchRecord; group: PendingGroup } | null> {
      return db.transaction(async (tx) => {
        const heads = await tx.query(
          `SELECT c.organisation_id, c.event_id, c.valid_until, e.chain_event_id, o.chain_organisation_id
             FROM credentials c JOIN events e ON e.id = c.event_id JOIN organisations o ON o.id = c.organisation_id
            WHERE c.status = 'pending' AND c.mode = 'batch'
            ORDER BY c.seq LIMIT 1`,
        );
        const head = heads[0];
        if (!head) return null;
        const rows = await tx.query(
          `SELECT * FROM credentials
            WHERE status = 'pending' AND mode = 'batch' AND organisation_id = $1 AND event_id = $2
              AND valid_until = $3
            ORDER BY seq LIMIT $4 FOR UPDATE SKIP LOCKED`,
          [head.organisation_id, head.event_id, head.valid_until, maxSize],
        );
        if (rows.length === 0) return null;
        const group: PendingGroup = {
          organisationId: String(head.organisation_id),
          chainOrganisationId: Number(head.chain_organisation_id),
          eventId: String(head.event_id),
          chainEventId: String(head.chain_event_id),
          validUntil: Number(head.valid_until),
          credentials: rows.map(toCredential),
        };
        const built = await build(group);
        if (built.members.length !== group.credentials.length) {
          throw new StoreError("a batch must cover every credential taken for it");
        }
        const batchRows = await tx.query(
          `INSERT INTO batches (id, organisation_id, event_id, chain_event_id, root, size, valid_until, signature,
                                deadline, status, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'sending', $10) RETURNING *`,
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
          ],
        );
        const batch = toBatch(batchRows[0]!);
        for (let i = 0; i < built.members.length; i += 500) {
          const chunk = built.members.slice(i, i + 500);
          await tx.query(
            `UPDATE credentials c
                SET status = 'sending', batch_id = $2, leaf = u.leaf, proof = u.proof, document = u.document
               FROM jsonb_to_recordset($1::jsonb) AS u(id uuid, leaf text, proof jsonb, document jsonb)
              WHERE c.id = u.id AND c.status = 'pending'`,
            [json(chunk), batch.id],
          );
        }
        return { batch, group };
      });
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
    async batchesInFlight(): Promise<BatchRecord[]> {
      return (await db.query(`${BATCH_SELECT} WHERE b.status = 'sending' ORDER BY b.created_at, b.id`)).map(
        toBatch,
      );
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
      return (await db.query(`${CREDENTIAL_SELECT} WHERE c.batch_id = $1 ORDER BY c.seq`, [batchId])).map(
        toCredential,
      );
    },

    /** Moves the oldest pending single credential to `sending` (its signed request was made at issuance). */
    async claimSingle(): Promise<CredentialRecord | null> {
      const rows = await db.query(
        `UPDATE credentials SET status = 'sending'
          WHERE id = (SELECT id FROM credentials WHERE status = 'pending' AND mode = 'single'
                       ORDER BY seq LIMIT 1 FOR UPDATE SKIP LOCKED)
            AND status = 'pending'
          RETURNING *`,
      );
      return rows[0] ? toCredential(rows[0]) : null;
    },
    /** Replaces a single credential's expired signed request (and so its proof) before it is relayed again. */
    async updateSingleProof(id: string, document: Record<string, unknown>, signature: Hex, deadline: number) {
      await db.query(
        `UPDATE credentials SET document = CASE WHEN erased_at IS NULL THEN $2::jsonb ELSE NULL END,
                issue_signature = $3, issue_deadline = $4
          WHERE id = $1 AND status = 'sending'`,
        [id, json(document), signature, deadline],
      );
    },
    async singlesInFlight(limit = 100): Promise<CredentialRecord[]> {
      return (
        await db.query(
          `${CREDENTIAL_SELECT} WHERE c.status = 'sending' AND c.mode = 'single' ORDER BY c.seq LIMIT $1`,
          [limit],
        )
      ).map(toCredential);
    },

    /** Revocations and supersessions whose credential (and replacement) are anchored, oldest first. */
    async revocationsDue(limit = 50): Promise<RevocationWork[]> {
      const rows = await db.query(
        `SELECT ${CREDENTIAL_COLUMNS}, b.root AS b_root, r.commitment AS r_commitment, r.status AS r_status
           FROM credentials c ${CREDENTIAL_OPERATIONS}
           LEFT JOIN batches b ON b.id = c.batch_id
           LEFT JOIN credentials r ON r.id = c.superseded_by
          WHERE c.revocation_status = 'requested' AND c.status = 'anchored'
            AND (c.superseded_by IS NULL OR r.status IN ('anchored', 'cancelled', 'failed'))
          ORDER BY c.seq LIMIT $1`,
        [limit],
      );
      // A replacement that will never be anchored cannot be named on chain: the credential is then revoked
      // plainly, with the reason "superseded".
      return rows.map((row) => ({
        credential: toCredential(row),
        root: (row.b_root as Hex | null) ?? null,
        replacement: row.superseded_by && row.r_status === "anchored" ? (row.r_commitment as Hex) : null,
      }));
    },
  };

  const verificationLinks = {
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

  return {
    db,
    clock,
    verificationLinks,
    organisations,
    apiKeys,
    rateLimits,
    events,
    issuance,
    jobs,
    credentials,
    deliveries,
    anchoring,
    operations: operationsRepository(db, clock),
    /** Whether the database answers. */
    async ping(): Promise<boolean> {
      try {
        await db.query("SELECT 1");
        return true;
      } catch {
        return false;
      }
    },
    close: () => db.close(),
  };
}
