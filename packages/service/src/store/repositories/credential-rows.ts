// New credentials, written in the transaction that issues them (an issuance, or a bulk job's completion).

import type { Hex } from "viem";
import { issuanceThreadsReady, runIssuanceTask } from "../../parallel/pool";
import { type SealItem, type SealResult, sealMany } from "../../parallel/tasks";
import type { Queryable } from "../db";
import { credentialSubject, type Personal } from "../personal";
import { betweenStatements, json } from "../sql";
import type { CredentialRecord } from "../types";
import { queueDeliveries } from "./deliveries";

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
  /** The key that signed a single's request at issuance. */
  signingKey?: Hex | null;
  supersedes?: string | null;
  /** E-mail the credential to its holder once it is anchored, in this language. */
  deliver?: { lang: "sv" | "en"; domain: string } | null;
};

/** Rows per INSERT statement. */
const CHUNK = 500;
/** Fewest credentials sealed on the issuance threads (as for building them), and how many go in one task. */
const PARALLEL_MIN = 64;
const SEAL_SLICE = 125;

/**
 * Each chunk's sealed personal data and search terms, in order, one per chunk of {@link CHUNK}: on the issuance
 * threads, started at once; on this thread, when the chunk is asked for.
 */
function sealChunks(
  personal: Personal,
  credentials: NewCredential[],
  keys: Map<string, Buffer>,
): (() => Promise<SealResult[]>)[] {
  const items = credentials.map(
    (c): SealItem => ({
      key: keys.get(credentialSubject(c.id))!,
      id: c.id,
      document: c.document,
      recipient: c.recipient,
      holderToken: c.holderToken,
    }),
  );
  const parallel = items.length >= PARALLEL_MIN && issuanceThreadsReady();
  const chunks: (() => Promise<SealResult[]>)[] = [];
  for (let i = 0; i < items.length; i += CHUNK) {
    const chunk = items.slice(i, i + CHUNK);
    if (!parallel) {
      chunks.push(async () => sealMany(personal.indexKey, chunk));
      continue;
    }
    const slices: Promise<SealResult[]>[] = [];
    for (let j = 0; j < chunk.length; j += SEAL_SLICE) {
      const items = chunk.slice(j, j + SEAL_SLICE);
      slices.push(runIssuanceTask("seal", { indexKey: personal.indexKey, items }));
    }
    const sealed = Promise.all(slices).then((parts) => parts.flat());
    // Handled here too: an insert that fails first leaves the later chunks' outcomes unread.
    sealed.catch(() => undefined);
    chunks.push(() => sealed);
  }
  return chunks;
}

/**
 * Inserts `credentials` (pending) in chunks, their personal data encrypted with a fresh data key each (stored in
 * the vault first: a key whose credential is then not written is harmless), their search terms, and queues the
 * deliveries they ask for. With `returning`, gives back the records as written, built from what was inserted
 * (only the sequence number is read back; the personal data as given, in plaintext), so the caller need not
 * read and decrypt them again.
 */
export async function insertCredentials(
  tx: Queryable,
  personal: Personal,
  credentials: NewCredential[],
  at: Date,
  jobId: string | null = null,
  returning = false,
): Promise<CredentialRecord[]> {
  if (credentials.length === 0) return [];
  const created = at.toISOString();
  const records: CredentialRecord[] = [];
  const keys = await personal.vault.create(credentials.map((c) => credentialSubject(c.id)));
  // Sealed chunk by chunk ahead of the inserts (on the issuance threads when there are enough): a chunk is
  // inserted while the next ones are still being sealed.
  const sealed = sealChunks(personal, credentials, keys);
  for (let i = 0; i < credentials.length; i += CHUNK) {
    if (i > 0) await betweenStatements();
    const seals = await sealed[i / CHUNK]!();
    const chunk = credentials.slice(i, i + CHUNK).map((c, j) => ({
      ...withoutTerms(seals[j]!),
      id: c.id,
      organisation_id: c.organisationId,
      event_id: c.eventId,
      mode: c.mode,
      commitment: c.commitment,
      holder_address: c.holderAddress,
      valid_until: c.validUntil,
      issue_signature: c.issueSignature ?? null,
      issue_deadline: c.issueDeadline ?? null,
      supersedes: c.supersedes ?? null,
      signing_key: c.signingKey ?? null,
      signed_at: c.signingKey ? created : null,
      job_id: jobId,
      created_at: created,
    }));
    const rows = await tx.query(
      `INSERT INTO credentials (id, organisation_id, event_id, mode, status, commitment, holder_address,
                                valid_until, personal_enc, holder_token_hash, has_email, delivery_lang,
                                issue_signature, issue_deadline, supersedes, signing_key, signed_at, job_id,
                                created_at)
       SELECT id, organisation_id, event_id, mode, 'pending', commitment, holder_address, valid_until,
              personal_enc, holder_token_hash, has_email, delivery_lang, issue_signature, issue_deadline,
              supersedes, signing_key, signed_at, job_id, created_at
         FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, organisation_id uuid, event_id uuid, mode text,
              commitment text, holder_address text, valid_until bigint, personal_enc text, holder_token_hash text,
              has_email boolean, delivery_lang text, issue_signature text, issue_deadline bigint,
              supersedes uuid, signing_key text, signed_at timestamptz, job_id uuid,
              created_at timestamptz)${returning ? " RETURNING id, seq" : ""}`,
      [json(chunk)],
    );
    await writeSearchTerms(
      tx,
      chunk.map((c, j) => ({ id: c.id, terms: seals[j]!.search_terms })),
    );
    if (returning) {
      const seqs = new Map(rows.map((r) => [String(r.id), Number(r.seq)]));
      for (const c of credentials.slice(i, i + CHUNK))
        records.push(pendingRecord(c, seqs.get(c.id)!, at, jobId));
    }
  }
  const deliveries = credentials
    .filter((c) => c.deliver)
    .map((c) => ({ credentialId: c.id, organisationId: c.organisationId, ...c.deliver! }));
  if (deliveries.length > 0) await queueDeliveries(tx, deliveries, at);
  return records;
}

function withoutTerms(seal: SealResult): Omit<SealResult, "search_terms"> {
  const { search_terms: _, ...rest } = seal;
  return rest;
}

/**
 * Writes (or replaces) credentials' search terms: the keyed hashes of their names, e-mail addresses and
 * references. They live in a table of their own, written once per credential, so that the many changes of a
 * credential's row (anchored, revoked, fetched by its holder) do not each add its dozen terms to the inverted
 * index again.
 */
export async function writeSearchTerms(
  tx: Queryable,
  rows: readonly { id: string; terms: readonly string[] }[],
): Promise<void> {
  if (rows.length === 0) return;
  await tx.query(
    `INSERT INTO credential_search (credential_id, terms)
     SELECT id, terms FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, terms text[])
     ON CONFLICT (credential_id) DO UPDATE SET terms = EXCLUDED.terms`,
    [json(rows)],
  );
}

/** A credential as {@link insertCredentials} writes it: pending, nothing sent for it yet. */
function pendingRecord(c: NewCredential, seq: number, at: Date, jobId: string | null): CredentialRecord {
  return {
    id: c.id,
    seq,
    organisationId: c.organisationId,
    eventId: c.eventId,
    mode: c.mode,
    status: "pending",
    commitment: c.commitment,
    leaf: null,
    batchId: null,
    proof: null,
    holderAddress: c.holderAddress,
    validUntil: c.validUntil,
    document: c.document,
    recipient: c.recipient,
    holderToken: c.holderToken,
    issueDeadline: c.issueDeadline ?? null,
    issueSignature: c.issueSignature ?? null,
    signingKey: c.signingKey ?? null,
    txHash: null,
    txHashes: [],
    attempts: 0,
    lastError: null,
    revocationReason: null,
    revocationStatus: null,
    revocationRequestedAt: null,
    revokedAt: null,
    revocationTxHash: null,
    revocationTxHashes: [],
    revocationError: null,
    supersedes: c.supersedes ?? null,
    supersededBy: null,
    erasedAt: null,
    holderFetchedAt: null,
    createdAt: at,
    anchoredAt: null,
    jobId,
  };
}
