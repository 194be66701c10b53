// The store: the service's database (embedded PGlite, or PostgreSQL) behind one repository per concept. Each
// repository is its own module with an explicit interface; the Store composes them under the names the HTTP
// routes and the worker use.

import { randomBytes } from "node:crypto";
import path from "node:path";
import { type Clock, systemClock } from "../clock";
import { StoreError } from "../errors";
import {
  developmentKeyring,
  type Keyring,
  KeyringError,
  loadKeyring,
  missingKekMessage,
} from "../privacy/keyring";
import { type Database, openPglite, openPostgres } from "./db";
import { type KeyVault, openKeyVault } from "./key-vault";
import { migrate } from "./migrate";
import type { Personal } from "./personal";
import { type AnchoringRepository, anchoringRepository } from "./repositories/anchoring";
import { type ApiKeysRepository, apiKeysRepository } from "./repositories/api-keys";
import { type CredentialsRepository, credentialsRepository } from "./repositories/credentials";
import { type DeliveriesRepository, deliveriesRepository } from "./repositories/deliveries";
import { type EventsRepository, eventsRepository } from "./repositories/events";
import { type IssuanceRepository, issuanceRepository } from "./repositories/issuance";
import { type JobsRepository, jobsRepository } from "./repositories/jobs";
import { type OperationsRepository, operationsRepository } from "./repositories/operations";
import {
  type OrganisationKeysRepository,
  organisationKeysRepository,
} from "./repositories/organisation-keys";
import { type OrganisationsRepository, organisationsRepository } from "./repositories/organisations";
import { type PrivacyRepository, privacyRepository } from "./repositories/privacy";
import { type RateLimitsRepository, rateLimitsRepository } from "./repositories/rate-limits";
import {
  type VerificationLinksRepository,
  verificationLinksRepository,
} from "./repositories/verification-links";

export type { KeyVault } from "./key-vault";
export type { AnchoringRepository, BuiltBatch, PendingGroup, RevocationWork } from "./repositories/anchoring";
export { type ApiKeysRepository, hashApiKey } from "./repositories/api-keys";
export type { ErasedBy, ErasureReceipt } from "./repositories/credential-changes";
export type { NewCredential } from "./repositories/credential-rows";
export type {
  CredentialCounts,
  CredentialFilter,
  CredentialsRepository,
  CredentialView,
} from "./repositories/credentials";
export type { DeliveriesRepository } from "./repositories/deliveries";
export type { EventFilter, EventsRepository } from "./repositories/events";
export type { IssuanceCommit, IssuanceOutcome, IssuanceRepository, NewJob } from "./repositories/issuance";
export type { JobsRepository } from "./repositories/jobs";
export type { OperationsRepository, Settlement } from "./repositories/operations";
export type {
  KeyAuditEntry,
  NewOrganisationKey,
  OrganisationKeyRecord,
  OrganisationKeyRole,
  OrganisationKeyStatus,
  OrganisationKeysRepository,
} from "./repositories/organisation-keys";
export type { OrganisationsRepository } from "./repositories/organisations";
export {
  DEFAULT_RETENTION_DAYS,
  DEFAULT_UNCLAIMED_RETENTION_DAYS,
  type PrivacyRepository,
  type Retention,
  type RetentionChange,
  RetentionOrderError,
} from "./repositories/privacy";
export type { RateLimitsRepository } from "./repositories/rate-limits";
export type { VerificationLinksRepository } from "./repositories/verification-links";

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
  /**
   * The key-encryption keys that seal the data keys. Default: INTYG_KEK or INTYG_KEK_FILE; else the development
   * keystore beside a PGlite data directory (`<dataDir>/../kek.json`); else, for a store wholly in memory, a key
   * that lives as long as the process (tests). A PostgreSQL store without any is refused (KeyringError).
   */
  keyring?: Keyring;
  /**
   * Where the data keys live, apart from the database and its backups. Default: the PGlite directory
   * `<dataDir>-keys` (in memory with an in-memory store), or the PostgreSQL schema `<schema>_keys`
   * (`intyg_keys` without a schema) on `databaseUrl` (or the store's own server).
   */
  keyVault?: { dataDir?: string; databaseUrl?: string; schema?: string };
};

export type Store = {
  db: Database;
  clock: Clock;
  organisations: OrganisationsRepository;
  apiKeys: ApiKeysRepository;
  /** Organisations' own signing and admin keys (encrypted) and the audit log of what was done with them. */
  organisationKeys: OrganisationKeysRepository;
  events: EventsRepository;
  issuance: IssuanceRepository;
  jobs: JobsRepository;
  credentials: CredentialsRepository;
  deliveries: DeliveriesRepository;
  anchoring: AnchoringRepository;
  operations: OperationsRepository;
  rateLimits: RateLimitsRepository;
  verificationLinks: VerificationLinksRepository;
  privacy: PrivacyRepository;
  /** The data keys, in their own database. */
  vault: KeyVault;
  /** Whether the database answers. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
};

/** Opens the store (PGlite by default, PostgreSQL for a `postgres://` URL) and brings its schema up to date. */
export async function createStore(options: CreateStoreOptions = {}): Promise<Store> {
  const url = options.databaseUrl;
  // Before anything is opened: a store that could not seal personal data is refused untouched.
  const keyring = keyringOf(options);
  let db: Database;
  if (url && /^postgres(ql)?:\/\//.test(url)) {
    db = await openPostgres({ connectionString: url, ...(options.schema ? { schema: options.schema } : {}) });
  } else if (url) {
    throw new StoreError("DATABASE_URL must be a postgres:// URL");
  } else {
    db = await openPglite({ ...(options.dataDir ? { dataDir: options.dataDir } : {}) });
  }
  const clock = options.clock ?? systemClock;
  let vault: KeyVault | undefined;
  try {
    if (options.migrate !== false) await migrate(db);
    vault = await openKeyVault(await openVaultDatabase(options), keyring, clock);
    const personal: Personal = { vault, indexKey: await vault.openOrCreate("blind-index") };
    // Rows written before personal data was encrypted are encrypted by the worker in the background (a large
    // database would otherwise keep the service from starting for minutes); reads open both kinds meanwhile.
    return buildStore(db, clock, personal);
  } catch (error) {
    await vault?.close().catch(() => undefined);
    await db.close().catch(() => undefined);
    throw error;
  }
}

function keyringOf(options: CreateStoreOptions): Keyring {
  if (options.keyring) return options.keyring;
  // The environment's KEK when it names one: every process on the same database must open what the others sealed.
  if (process.env.INTYG_KEK || process.env.INTYG_KEK_FILE)
    return loadKeyring(process.env, path.dirname(path.resolve(options.dataDir ?? ".intyg/data")));
  // A PostgreSQL database outlives the process and is shared by replicas: a key of this process only would seal
  // data nobody can open after a restart, so it is refused with what to set instead.
  if (options.databaseUrl || options.keyVault?.databaseUrl)
    throw new KeyringError(
      missingKekMessage(options.dataDir ? path.dirname(path.resolve(options.dataDir)) : undefined),
    );
  if (options.dataDir) return developmentKeyring(path.dirname(path.resolve(options.dataDir)));
  // A store wholly in memory (tests): its data goes with the process, and so may its key.
  const kek = { id: "ephemeral", key: randomBytes(32) };
  return { current: kek, byId: new Map([[kek.id, kek]]) };
}

/** The key vault's own database (see CreateStoreOptions.keyVault). */
function openVaultDatabase(options: CreateStoreOptions): Promise<Database> {
  const where = options.keyVault ?? {};
  const url = where.databaseUrl ?? options.databaseUrl;
  if (url) {
    const schema = where.schema ?? (options.schema ? `${options.schema.slice(0, 57)}_keys` : "intyg_keys");
    return openPostgres({ connectionString: url, schema, max: 4, unfenced: true });
  }
  const dataDir = where.dataDir ?? (options.dataDir ? `${path.resolve(options.dataDir)}-keys` : undefined);
  return openPglite(dataDir ? { dataDir } : {});
}

function buildStore(db: Database, clock: Clock, personal: Personal): Store {
  return {
    db,
    clock,
    organisations: organisationsRepository(db, clock),
    apiKeys: apiKeysRepository(db, clock),
    organisationKeys: organisationKeysRepository(db, clock),
    events: eventsRepository(db, clock),
    issuance: issuanceRepository(db, clock, personal),
    jobs: jobsRepository(db, clock, personal),
    credentials: credentialsRepository(db, clock, personal),
    deliveries: deliveriesRepository(db, clock, personal),
    anchoring: anchoringRepository(db, clock, personal),
    operations: operationsRepository(db, clock),
    rateLimits: rateLimitsRepository(db),
    verificationLinks: verificationLinksRepository(db, clock),
    privacy: privacyRepository(db, clock, personal),
    vault: personal.vault,
    async ping() {
      try {
        await db.query("SELECT 1");
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      await personal.vault.close().catch(() => undefined);
      await db.close();
    },
  };
}
