import { createHash, randomBytes, randomUUID } from "node:crypto";
import type { Clock } from "../../clock";
import { StoreError } from "../../errors";
import type { Database } from "../db";
import { toApiKey, toKeyOrganisation } from "../rows";
import type { ApiKey, ApiKeyRole, Organisation } from "../types";

const API_KEY_PREFIX = "intyg_";

export function hashApiKey(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}

export interface ApiKeysRepository {
  /** Creates a key; the secret is returned here once and stored only as its SHA-256. */
  create(
    organisationId: string,
    name: string,
    role?: ApiKeyRole,
  ): Promise<{ apiKey: ApiKey; secret: string }>;
  /** Registers a key chosen elsewhere (e.g. INTYG_API_KEY of a dev setup); only its hash is stored. */
  import(organisationId: string, name: string, secret: string, role?: ApiKeyRole): Promise<ApiKey>;
  /** The key with this secret, revoked or not, and its organisation; null when unknown. */
  find(secret: string): Promise<{ apiKey: ApiKey; organisation: Organisation } | null>;
  list(organisationId: string): Promise<ApiKey[]>;
  get(organisationId: string, id: string): Promise<ApiKey | null>;
  revoke(organisationId: string, id: string): Promise<ApiKey | null>;
}

export function apiKeysRepository(db: Database, clock: Clock): ApiKeysRepository {
  const now = () => clock.now();
  return {
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
      return { apiKey: toApiKey(row), organisation: toKeyOrganisation(row) };
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
}
