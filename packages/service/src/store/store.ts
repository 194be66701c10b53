// The store: the service's database (embedded PGlite, or PostgreSQL) behind one repository per concept. Each
// repository is its own module with an explicit interface; the Store composes them under the names the HTTP
// routes and the worker use.

import { type Clock, systemClock } from "../clock";
import { StoreError } from "../errors";
import { type Database, openPglite, openPostgres } from "./db";
import { migrate } from "./migrate";
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
import { type RateLimitsRepository, rateLimitsRepository } from "./repositories/rate-limits";
import {
  type VerificationLinksRepository,
  verificationLinksRepository,
} from "./repositories/verification-links";

export type { AnchoringRepository, BuiltBatch, PendingGroup, RevocationWork } from "./repositories/anchoring";
export { type ApiKeysRepository, hashApiKey } from "./repositories/api-keys";
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
  /** Whether the database answers. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
};

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

function buildStore(db: Database, clock: Clock): Store {
  return {
    db,
    clock,
    organisations: organisationsRepository(db, clock),
    apiKeys: apiKeysRepository(db, clock),
    organisationKeys: organisationKeysRepository(db, clock),
    events: eventsRepository(db, clock),
    issuance: issuanceRepository(db, clock),
    jobs: jobsRepository(db, clock),
    credentials: credentialsRepository(db, clock),
    deliveries: deliveriesRepository(db, clock),
    anchoring: anchoringRepository(db, clock),
    operations: operationsRepository(db, clock),
    rateLimits: rateLimitsRepository(db),
    verificationLinks: verificationLinksRepository(db, clock),
    async ping() {
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
