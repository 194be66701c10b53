// Organisations' own keys (signing, and admin when the service administers the organisation on chain) and the
// audit log of every step taken with them. Private keys arrive here already encrypted (keys/vault.ts): this
// repository never sees one in the clear.

import { randomUUID } from "node:crypto";
import type { Address, Hex } from "viem";
import type { Clock } from "../../clock";
import { StoreError } from "../../errors";
import type { Database, Queryable } from "../db";
import { json } from "../sql";

export type OrganisationKeyRole = "signing" | "admin";
export type OrganisationKeyStatus = "created" | "authorising" | "active" | "retired" | "compromised";

export type OrganisationKeyRecord = {
  id: string;
  organisationId: string;
  role: OrganisationKeyRole;
  address: Address;
  custody: "service" | "external";
  /** The private key's data key, sealed by the KEK (null for an external key, or once destroyed). */
  sealedDataKey: string | null;
  /** The private key, encrypted with its data key. */
  encryptedKey: string | null;
  status: OrganisationKeyStatus;
  current: boolean;
  /** The key's window on chain, unix seconds (validUntil null: no end). */
  validFrom: number | null;
  validUntil: number | null;
  authorisationTxHash: Hex | null;
  removalTxHash: Hex | null;
  createdAt: Date;
  updatedAt: Date;
};

export type NewOrganisationKey = {
  id?: string;
  organisationId: string;
  role: OrganisationKeyRole;
  address: Address;
  custody: "service" | "external";
  sealedDataKey: string | null;
  encryptedKey: string | null;
  /** The window it is to be authorised with (unix seconds; validUntil null: no end). */
  validFrom?: number | null;
  validUntil?: number | null;
  /** `authorising` when the service sends its authorisation itself (default `created`). */
  status?: "created" | "authorising";
};

export type KeyAuditEntry = {
  id: string;
  organisationId: string;
  keyAddress: Address;
  action: string;
  /** Who: an API key (`api-key:<id>`), the operator (`operator`) or the worker. */
  actor: string;
  txHash: Hex | null;
  details: Record<string, unknown> | null;
  at: Date;
};

export type KeyChange = Partial<
  Pick<
    OrganisationKeyRecord,
    | "status"
    | "validFrom"
    | "validUntil"
    | "authorisationTxHash"
    | "removalTxHash"
    | "sealedDataKey"
    | "encryptedKey"
  >
>;

export type AuditInput = Omit<KeyAuditEntry, "id" | "at">;

type Row = Record<string, unknown>;

const nullableNumber = (value: unknown) => (value === null || value === undefined ? null : Number(value));

function toKey(row: Row): OrganisationKeyRecord {
  return {
    id: String(row.id),
    organisationId: String(row.organisation_id),
    role: row.role as OrganisationKeyRole,
    address: row.address as Address,
    custody: row.custody as OrganisationKeyRecord["custody"],
    sealedDataKey: (row.sealed_data_key as string | null) ?? null,
    encryptedKey: (row.encrypted_key as string | null) ?? null,
    status: row.status as OrganisationKeyStatus,
    current: row.is_current === true,
    validFrom: nullableNumber(row.valid_from),
    validUntil: nullableNumber(row.valid_until),
    authorisationTxHash: (row.authorisation_tx_hash as Hex | null) ?? null,
    removalTxHash: (row.removal_tx_hash as Hex | null) ?? null,
    createdAt: new Date(row.created_at as string | Date),
    updatedAt: new Date(row.updated_at as string | Date),
  };
}

function toAudit(row: Row): KeyAuditEntry {
  return {
    id: String(row.id),
    organisationId: String(row.organisation_id),
    keyAddress: row.key_address as Address,
    action: String(row.action),
    actor: String(row.actor),
    txHash: (row.tx_hash as Hex | null) ?? null,
    details: (row.details as Record<string, unknown> | null) ?? null,
    at: new Date(row.at as string | Date),
  };
}

const COLUMNS: Record<keyof KeyChange, string> = {
  status: "status",
  validFrom: "valid_from",
  validUntil: "valid_until",
  authorisationTxHash: "authorisation_tx_hash",
  removalTxHash: "removal_tx_hash",
  sealedDataKey: "sealed_data_key",
  encryptedKey: "encrypted_key",
};

export interface OrganisationKeysRepository {
  /** Stores a new key (status `created`, not current) and audits it, in one transaction. */
  create(
    key: NewOrganisationKey,
    audit: Pick<AuditInput, "actor" | "details">,
  ): Promise<OrganisationKeyRecord>;
  get(organisationId: string, address: Address): Promise<OrganisationKeyRecord | null>;
  /** The organisation's keys of `role` (all roles when omitted), newest first. */
  list(organisationId: string, role?: OrganisationKeyRole): Promise<OrganisationKeyRecord[]>;
  /** The organisation's current key of `role`, if it has one. */
  current(organisationId: string, role: OrganisationKeyRole): Promise<OrganisationKeyRecord | null>;
  /** Keys in a step that was begun and not finished (a crash): what a restart settles. */
  unsettled(organisationId?: string): Promise<OrganisationKeyRecord[]>;
  /** Changes a key and appends the audit entry for it, in one transaction. */
  update(
    organisationId: string,
    address: Address,
    change: KeyChange,
    audit: AuditInput | null,
  ): Promise<OrganisationKeyRecord>;
  /** Makes `address` the organisation's current key of its role (the previous one no longer is), audited. */
  makeCurrent(organisationId: string, address: Address, actor: string): Promise<OrganisationKeyRecord>;
  audit(entry: AuditInput): Promise<void>;
  auditLog(organisationId: string, limit?: number): Promise<KeyAuditEntry[]>;
  /** How many credentials `key` signed are still on their way to the chain (pending or being sent). */
  inFlight(organisationId: string, key: Address): Promise<number>;
  /** Ids of the organisation's credentials `key` signed at or after `since`, oldest first. */
  signedBy(organisationId: string, key: Address, since: Date): Promise<string[]>;
}

async function appendAudit(tx: Queryable, entry: AuditInput, at: Date) {
  await tx.query(
    `INSERT INTO key_audit (id, organisation_id, key_address, action, actor, tx_hash, details, at)
     VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8)`,
    [
      randomUUID(),
      entry.organisationId,
      entry.keyAddress,
      entry.action,
      entry.actor,
      entry.txHash,
      entry.details ? json(entry.details) : null,
      at,
    ],
  );
}

export function organisationKeysRepository(db: Database, clock: Clock): OrganisationKeysRepository {
  const now = () => clock.now();
  const get = async (q: Queryable, organisationId: string, address: Address) => {
    const rows = await q.query(
      "SELECT * FROM organisation_keys WHERE organisation_id = $1 AND address = $2",
      [organisationId, address],
    );
    return rows[0] ? toKey(rows[0]) : null;
  };
  return {
    async create(key, audit) {
      return db.transaction(async (tx) => {
        const at = now();
        const rows = await tx.query(
          `INSERT INTO organisation_keys (id, organisation_id, role, address, custody, sealed_data_key,
                                          encrypted_key, status, valid_from, valid_until, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $11, $9, $10, $8, $8) RETURNING *`,
          [
            key.id ?? randomUUID(),
            key.organisationId,
            key.role,
            key.address,
            key.custody,
            key.sealedDataKey,
            key.encryptedKey,
            at,
            key.validFrom ?? null,
            key.validUntil ?? null,
            key.status ?? "created",
          ],
        );
        await appendAudit(
          tx,
          {
            organisationId: key.organisationId,
            keyAddress: key.address,
            action: "created",
            actor: audit.actor,
            txHash: null,
            details: { role: key.role, custody: key.custody, ...audit.details },
          },
          at,
        );
        return toKey(rows[0]!);
      });
    },
    get: (organisationId, address) => get(db, organisationId, address),
    async list(organisationId, role) {
      const rows = await db.query(
        `SELECT * FROM organisation_keys WHERE organisation_id = $1 AND ($2::text IS NULL OR role = $2)
          ORDER BY created_at DESC, id`,
        [organisationId, role ?? null],
      );
      return rows.map(toKey);
    },
    async current(organisationId, role) {
      const rows = await db.query(
        "SELECT * FROM organisation_keys WHERE organisation_id = $1 AND role = $2 AND is_current",
        [organisationId, role],
      );
      return rows[0] ? toKey(rows[0]) : null;
    },
    async unsettled(organisationId?: string) {
      const rows = await db.query(
        `SELECT * FROM organisation_keys
          WHERE (status = 'authorising' OR (status IN ('retired', 'compromised') AND removal_tx_hash IS NULL))
            AND ($1::uuid IS NULL OR organisation_id = $1)
          ORDER BY created_at`,
        [organisationId ?? null],
      );
      return rows.map(toKey);
    },
    async update(organisationId, address, change, audit) {
      return db.transaction(async (tx) => {
        const sets: string[] = [];
        const params: unknown[] = [organisationId, address];
        for (const [field, value] of Object.entries(change) as [keyof KeyChange, unknown][]) {
          params.push(value);
          sets.push(`${COLUMNS[field]} = $${params.length}`);
        }
        params.push(now());
        sets.push(`updated_at = $${params.length}`);
        // A key that leaves service keeping stops being current with it.
        if (change.status === "retired" || change.status === "compromised") sets.push("is_current = false");
        const rows = await tx.query(
          `UPDATE organisation_keys SET ${sets.join(", ")} WHERE organisation_id = $1 AND address = $2 RETURNING *`,
          params,
        );
        if (!rows[0]) throw new StoreError(`no key ${address} of organisation ${organisationId}`);
        if (audit) await appendAudit(tx, audit, now());
        return toKey(rows[0]);
      });
    },
    async makeCurrent(organisationId, address, actor) {
      return db.transaction(async (tx) => {
        const key = await get(tx, organisationId, address);
        if (!key) throw new StoreError(`no key ${address} of organisation ${organisationId}`);
        const previous = await tx.query(
          `UPDATE organisation_keys SET is_current = false, updated_at = $3
            WHERE organisation_id = $1 AND role = $2 AND is_current RETURNING address`,
          [organisationId, key.role, now()],
        );
        const rows = await tx.query(
          `UPDATE organisation_keys SET is_current = true, updated_at = $3
            WHERE organisation_id = $1 AND address = $2 RETURNING *`,
          [organisationId, address, now()],
        );
        await appendAudit(
          tx,
          {
            organisationId,
            keyAddress: address,
            action: "made-current",
            actor,
            txHash: null,
            details: { role: key.role, previous: (previous[0]?.address as string | undefined) ?? null },
          },
          now(),
        );
        return toKey(rows[0]!);
      });
    },
    async audit(entry) {
      await appendAudit(db, entry, now());
    },
    async auditLog(organisationId, limit = 200) {
      const rows = await db.query(
        "SELECT * FROM key_audit WHERE organisation_id = $1 ORDER BY at DESC, id LIMIT $2",
        [organisationId, limit],
      );
      return rows.map(toAudit);
    },
    async inFlight(organisationId, key) {
      const rows = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM credentials
          WHERE organisation_id = $1 AND signing_key = $2 AND status IN ('pending', 'sending')`,
        [organisationId, key],
      );
      return Number(rows[0]?.n ?? 0);
    },
    async signedBy(organisationId, key, since) {
      const rows = await db.query(
        `SELECT id FROM credentials WHERE organisation_id = $1 AND signing_key = $2 AND signed_at >= $3
          ORDER BY signed_at, seq`,
        [organisationId, key, since],
      );
      return rows.map((r) => String(r.id));
    },
  };
}
