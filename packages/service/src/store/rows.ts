import type { Hex } from "viem";
import type {
  ApiKey,
  BatchRecord,
  CredentialRecord,
  DeliveryRecord,
  EventRecord,
  IdempotencyRecord,
  JobRecord,
  OperationRecord,
  Organisation,
  VerificationLinkRecord,
} from "./types";

// Row shapes as the drivers return them: int8 arrives as string (pg) or number (PGlite), so every bigint
// column goes through num(); jsonb arrives parsed from both.

type Row = Record<string, unknown>;

const num = (value: unknown): number => Number(value);
const numOrNull = (value: unknown): number | null =>
  value === null || value === undefined ? null : Number(value);
const date = (value: unknown): Date => (value instanceof Date ? value : new Date(String(value)));
const dateOrNull = (value: unknown): Date | null =>
  value === null || value === undefined ? null : date(value);
const str = (value: unknown): string => String(value);
const strOrNull = (value: unknown): string | null =>
  value === null || value === undefined ? null : String(value);
const hexOrNull = (value: unknown): Hex | null => strOrNull(value) as Hex | null;
const hexList = (value: unknown): Hex[] => (Array.isArray(value) ? value.map((v) => String(v) as Hex) : []);

export function toOrganisation(row: Row): Organisation {
  return {
    id: str(row.id),
    name: str(row.name),
    chainOrganisationId: num(row.chain_organisation_id),
    profile: row.profile as Record<string, unknown>,
    createdAt: date(row.created_at),
  };
}

/** The organisation of a key, read from a row that joined it with the key as `o_*` columns. */
export function toKeyOrganisation(row: Row): Organisation {
  return toOrganisation({
    id: row.organisation_id,
    name: row.o_name,
    chain_organisation_id: row.o_chain,
    profile: row.o_profile,
    created_at: row.o_created_at,
  });
}

export function toApiKey(row: Row): ApiKey {
  return {
    id: str(row.id),
    organisationId: str(row.organisation_id),
    name: str(row.name),
    role: row.role as ApiKey["role"],
    prefix: str(row.key_prefix),
    createdAt: date(row.created_at),
    revokedAt: dateOrNull(row.revoked_at),
  };
}

export function toEvent(row: Row): EventRecord {
  return {
    id: str(row.id),
    organisationId: str(row.organisation_id),
    parentId: strOrNull(row.parent_id),
    kind: row.kind as EventRecord["kind"],
    status: row.status as EventRecord["status"],
    chainEventId: strOrNull(row.chain_event_id),
    metadataHash: str(row.metadata_hash) as Hex,
    details: row.details as Record<string, unknown>,
    txHash: hexOrNull(row.op_tx_hash),
    createdAt: date(row.created_at),
    updatedAt: date(row.updated_at),
  };
}

export function toCredential(row: Row): CredentialRecord {
  return {
    id: str(row.id),
    seq: num(row.seq),
    organisationId: str(row.organisation_id),
    eventId: str(row.event_id),
    mode: row.mode as CredentialRecord["mode"],
    status: row.status as CredentialRecord["status"],
    commitment: str(row.commitment) as Hex,
    leaf: hexOrNull(row.leaf),
    batchId: strOrNull(row.batch_id),
    proof: (row.proof as Hex[] | null) ?? null,
    holderAddress: hexOrNull(row.holder_address),
    validUntil: num(row.valid_until),
    document: (row.document as Record<string, unknown> | null) ?? null,
    recipient: (row.recipient as Record<string, unknown> | null) ?? null,
    holderToken: strOrNull(row.holder_token),
    issueDeadline: numOrNull(row.issue_deadline),
    issueSignature: hexOrNull(row.issue_signature),
    signingKey: hexOrNull(row.signing_key),
    txHash: hexOrNull(row.io_tx_hash),
    txHashes: hexList(row.io_hashes),
    attempts: num(row.io_attempts ?? 0),
    lastError: strOrNull(row.last_error ?? row.io_error),
    revocationReason: strOrNull(row.revocation_reason),
    revocationStatus: (row.revocation_status as CredentialRecord["revocationStatus"]) ?? null,
    revocationRequestedAt: dateOrNull(row.revocation_requested_at),
    revokedAt: dateOrNull(row.revoked_at),
    revocationTxHash: hexOrNull(row.ro_tx_hash),
    revocationTxHashes: hexList(row.ro_hashes),
    revocationError: strOrNull(row.ro_error),
    supersedes: strOrNull(row.supersedes),
    supersededBy: strOrNull(row.superseded_by),
    erasedAt: dateOrNull(row.erased_at),
    holderFetchedAt: dateOrNull(row.holder_fetched_at),
    createdAt: date(row.created_at),
    anchoredAt: dateOrNull(row.anchored_at),
    jobId: strOrNull(row.job_id),
  };
}

export function toDelivery(row: Row): DeliveryRecord {
  return {
    id: str(row.id),
    organisationId: str(row.organisation_id),
    credentialId: str(row.credential_id),
    status: row.status as DeliveryRecord["status"],
    lang: row.lang as DeliveryRecord["lang"],
    messageId: str(row.message_id),
    attempts: num(row.attempts),
    nextAttemptAt: date(row.next_attempt_at),
    leaseUntil: dateOrNull(row.lease_until),
    lastError: strOrNull(row.last_error),
    createdAt: date(row.created_at),
    updatedAt: date(row.updated_at),
    sentAt: dateOrNull(row.sent_at),
  };
}

export function toBatch(row: Row): BatchRecord {
  return {
    id: str(row.id),
    organisationId: str(row.organisation_id),
    eventId: str(row.event_id),
    chainEventId: str(row.chain_event_id),
    root: str(row.root) as Hex,
    size: num(row.size),
    validUntil: num(row.valid_until),
    signature: str(row.signature) as Hex,
    signingKey: hexOrNull(row.signing_key),
    deadline: num(row.deadline),
    status: row.status as BatchRecord["status"],
    txHash: hexOrNull(row.op_tx_hash),
    txHashes: hexList(row.op_hashes),
    blockNumber: numOrNull(row.op_block),
    attempts: num(row.op_attempts ?? 0),
    lastError: strOrNull(row.op_error),
    createdAt: date(row.created_at),
    anchoredAt: dateOrNull(row.anchored_at),
  };
}

export function toJob(row: Row): JobRecord {
  return {
    id: str(row.id),
    organisationId: str(row.organisation_id),
    kind: str(row.kind),
    status: row.status as JobRecord["status"],
    input: row.input ?? null,
    result: row.result ?? null,
    error: row.error ?? null,
    attempts: num(row.attempts),
    createdAt: date(row.created_at),
    updatedAt: date(row.updated_at),
  };
}

export function toIdempotency(row: Row): IdempotencyRecord {
  return {
    organisationId: str(row.organisation_id),
    key: str(row.key),
    requestHash: str(row.request_hash),
    responseStatus: num(row.response_status),
    responseBody: row.response_body,
    createdAt: date(row.created_at),
  };
}

export function toVerificationLink(row: Row): VerificationLinkRecord {
  return {
    token: str(row.token),
    credentialId: str(row.credential_id),
    hidden: (row.hidden as string[] | null) ?? [],
    createdBy: row.created_by as VerificationLinkRecord["createdBy"],
    createdAt: date(row.created_at),
    revokedAt: dateOrNull(row.revoked_at),
  };
}

export function toOperation(row: Row): OperationRecord {
  return {
    id: str(row.id),
    kind: row.kind as OperationRecord["kind"],
    organisationId: str(row.organisation_id),
    subjectId: str(row.subject_id),
    status: row.status as OperationRecord["status"],
    nonce: numOrNull(row.nonce),
    txHashes: hexList(row.tx_hashes),
    attempts: num(row.attempts),
    lastError: strOrNull(row.last_error),
    minedTxHash: hexOrNull(row.mined_tx_hash),
    blockNumber: numOrNull(row.block_number),
    payload: (row.payload as Record<string, unknown> | null) ?? null,
    createdAt: date(row.created_at),
    updatedAt: date(row.updated_at),
  };
}
