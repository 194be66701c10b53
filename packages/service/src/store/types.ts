import type { Hex } from "viem";

export type Organisation = {
  id: string;
  name: string;
  /** The organisation's id in the registry (uint32). */
  chainOrganisationId: number;
  /** The off-chain profile credentials carry in full (legal name, organisation number, web site …). */
  profile: Record<string, unknown>;
  createdAt: Date;
};

/** `admin` keys may also manage the organisation's API keys; `issuer` keys may not. */
export type ApiKeyRole = "admin" | "issuer";

export type ApiKey = {
  id: string;
  organisationId: string;
  name: string;
  role: ApiKeyRole;
  /** The first characters of the key, to tell keys apart; never enough to use it. */
  prefix: string;
  createdAt: Date;
  revokedAt: Date | null;
};

export type EventKind = "event" | "course";
export type EventStatus = "registering" | "registered" | "failed";

export type EventRecord = {
  id: string;
  organisationId: string;
  parentId: string | null;
  kind: EventKind;
  status: EventStatus;
  /** The registry's event id (uint64, decimal) once registered on chain. */
  chainEventId: string | null;
  metadataHash: Hex;
  details: Record<string, unknown>;
  /** The registration's transaction: the newest sent while it is in flight, then the one mined (or null). */
  txHash: Hex | null;
  createdAt: Date;
  updatedAt: Date;
};

export type CredentialMode = "batch" | "single";
export type CredentialStatus = "pending" | "sending" | "anchored" | "cancelled" | "failed";
export type RevocationStatus = "requested" | "confirmed" | "failed";

export type CredentialRecord = {
  id: string;
  seq: number;
  organisationId: string;
  eventId: string;
  mode: CredentialMode;
  status: CredentialStatus;
  commitment: Hex;
  leaf: Hex | null;
  batchId: string | null;
  proof: Hex[] | null;
  holderAddress: Hex | null;
  validUntil: number;
  document: Record<string, unknown> | null;
  recipient: Record<string, unknown> | null;
  holderToken: string | null;
  issueDeadline: number | null;
  issueSignature: Hex | null;
  /** The key that signed it (a single's request, a batch member's root); null before it was signed. */
  signingKey: Hex | null;
  /** A single credential's transaction: the newest sent while in flight, then the one mined (or null). */
  txHash: Hex | null;
  /** Every transaction ever signed to anchor it (sends and their fee-bumped replacements), oldest first. */
  txHashes: Hex[];
  /** Sends of its anchoring (replacements not counted). */
  attempts: number;
  /** Why it was not anchored (failed or cancelled). */
  lastError: string | null;
  revocationReason: string | null;
  revocationStatus: RevocationStatus | null;
  revocationRequestedAt: Date | null;
  revokedAt: Date | null;
  /** The revocation's (or supersession's) transaction: the newest sent while in flight, then the one mined. */
  revocationTxHash: Hex | null;
  /** Every transaction ever signed to revoke it, oldest first. */
  revocationTxHashes: Hex[];
  /** Why the revocation failed, or the last error of an attempt still in flight. */
  revocationError: string | null;
  supersedes: string | null;
  supersededBy: string | null;
  erasedAt: Date | null;
  /** When the holder first fetched their own copy through their holder link (see the retention rule). */
  holderFetchedAt: Date | null;
  createdAt: Date;
  anchoredAt: Date | null;
  /** The bulk job (e.g. an import) that issued the credential, if any. */
  jobId: string | null;
};

export type DeliveryRecordStatus = "queued" | "sending" | "sent" | "failed";

/** One request to e-mail a credential to its holder (the address is read from the credential when sending). */
export type DeliveryRecord = {
  id: string;
  organisationId: string;
  credentialId: string;
  status: DeliveryRecordStatus;
  lang: "sv" | "en";
  /** Fixed when queued, the same on every attempt, so that a repeat after a crash can be recognised. */
  messageId: string;
  attempts: number;
  nextAttemptAt: Date;
  leaseUntil: Date | null;
  lastError: string | null;
  createdAt: Date;
  updatedAt: Date;
  sentAt: Date | null;
};

export type BatchStatus = "sending" | "anchored" | "failed";

export type BatchRecord = {
  id: string;
  organisationId: string;
  eventId: string;
  chainEventId: string;
  root: Hex;
  size: number;
  validUntil: number;
  signature: Hex;
  /** The key that signed the root and sends it (null: the service's key, before keys were recorded). */
  signingKey: Hex | null;
  /** Deadline of the signed batch request, unix seconds. */
  deadline: number;
  status: BatchStatus;
  /** The newest transaction sent while in flight; once settled, the one mined (null when none of ours was). */
  txHash: Hex | null;
  /** Every transaction ever signed to anchor it (sends and their fee-bumped replacements), oldest first. */
  txHashes: Hex[];
  /** The block of the mined transaction. */
  blockNumber: number | null;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  anchoredAt: Date | null;
};

export type JobStatus = "queued" | "running" | "succeeded" | "failed";

export type JobRecord = {
  id: string;
  organisationId: string;
  kind: string;
  status: JobStatus;
  input: unknown;
  result: unknown;
  error: unknown;
  attempts: number;
  createdAt: Date;
  updatedAt: Date;
};

export type IdempotencyRecord = {
  organisationId: string;
  key: string;
  requestHash: string;
  responseStatus: number;
  responseBody: unknown;
  createdAt: Date;
};

/** A page of a list, ordered by creation; `nextCursor` is null on the last page. */
export type Page<T> = { items: T[]; nextCursor: string | null };

/** A short verification link: an unguessable token for one credential with some claims hidden. */
export type VerificationLinkRecord = {
  token: string;
  credentialId: string;
  /** JSON pointers of the hidden claims, sorted. */
  hidden: string[];
  createdBy: "holder" | "organiser";
  createdAt: Date;
  revokedAt: Date | null;
};

/** What a tracked chain operation does; each kind has one subject row (a batch, a credential or an event). */
export type OperationKind =
  | "batch"
  | "single"
  | "revocation"
  | "supersession"
  | "event-registration"
  | "event-update"
  | "key-authorisation"
  | "key-removal";

export type OperationStatus = "sending" | "done" | "failed";

/** One transaction of the service, tracked from before its first send until the chain settles it. */
export type OperationRecord = {
  id: string;
  kind: OperationKind;
  organisationId: string;
  subjectId: string;
  status: OperationStatus;
  /** The nonce of the newest transaction, when known (a replacement reports it). */
  nonce: number | null;
  /** Every hash ever signed for it, oldest first: appended, never replaced. */
  txHashes: Hex[];
  /** Sends with a new nonce (replacements are not counted). */
  attempts: number;
  lastError: string | null;
  /** The transaction the chain mined, and its block; null until then (or when none of ours was). */
  minedTxHash: Hex | null;
  blockNumber: number | null;
  /** What settling needs that the subject row does not hold (an event update's new details). */
  payload: Record<string, unknown> | null;
  createdAt: Date;
  updatedAt: Date;
};
