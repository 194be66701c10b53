// New credentials, written in the transaction that issues them (an issuance, or a bulk job's completion).

import type { Hex } from "viem";
import { issuanceThreadsReady, runIssuanceTask } from "../../parallel/pool";
import { type SealItem, type SealResult, sealMany } from "../../parallel/tasks";
import type { Queryable } from "../db";
import { credentialSubject, type Personal, withBatchSections } from "../personal";
import { betweenStatements, json } from "../sql";
import type { BatchRecord, CredentialRecord } from "../types";
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
  /** The batch built for it at issuance (a large issuance): written with it, ready to send. */
  batch?: NewBatchMembership | null;
};

/** A batch built and signed at issuance, written in the issuance's transaction (status `sending`). */
export type NewBatch = Pick<
  BatchRecord,
  | "id"
  | "organisationId"
  | "eventId"
  | "chainEventId"
  | "root"
  | "size"
  | "validUntil"
  | "signature"
  | "deadline"
  | "createdAt"
> & {
  /** The key that signed the root (and so must send it). */
  signingKey: Hex;
};

/**
 * A credential's place in a {@link NewBatch}: its leaf and proof, and `sections`, the JSON text of
 * `{ anchor, proof }` as the signed document carries them.
 */
export type NewBatchMembership = { batch: NewBatch; leaf: Hex; proof: Hex[]; sections: string };

/** Rows per INSERT statement. */
const CHUNK = 500;
/** Fewest credentials sealed on the issuance threads (as for building them), and how many go in one task. */
const PARALLEL_MIN = 64;
const SEAL_SLICE = 125;
/**
 * Rows of the first INSERT: the inserts wait for the first chunk's sealing, and a smaller first chunk is sealed
 * sooner (two slices, one per thread on two cores), while the later ones are sealed during its insert.
 */
const FIRST_CHUNK = 2 * SEAL_SLICE;

/** Where each INSERT's rows begin and end: {@link FIRST_CHUNK} rows, then {@link CHUNK} at a time. */
function chunkBounds(count: number): [number, number][] {
  const bounds: [number, number][] = [];
  for (let start = 0; start < count; ) {
    const end = Math.min(count, start + (start === 0 ? FIRST_CHUNK : CHUNK));
    bounds.push([start, end]);
    start = end;
  }
  return bounds;
}

/**
 * Each chunk's sealed personal data and search terms, in order, one per chunk of `bounds`: on the issuance
 * threads, started at once; on this thread, when the chunk is asked for.
 */
function sealChunks(
  personal: Personal,
  credentials: NewCredential[],
  keys: Map<string, Buffer>,
  bounds: readonly [number, number][],
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
  for (const [start, end] of bounds) {
    const chunk = items.slice(start, end);
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
 * Writes the batches built at issuance for `credentials` (each once), before their members, and gives the ids of
 * those written. A batch whose key is an organisation key that is no longer its current, active signing key (made
 * current on another replica, or retired, since this one signed) is not written: its members are then written
 * pending, for the worker to batch with the current key. The keys' rows are locked (shared) until the issuance
 * commits, so that a key cannot stop being current between this check and the commit: making another key
 * current waits for it, and the members are then seen in flight by a retirement.
 */
async function insertBatches(tx: Queryable, credentials: readonly NewCredential[]): Promise<Set<string>> {
  const batches = new Map<string, NewBatch>();
  for (const c of credentials) if (c.batch) batches.set(c.batch.batch.id, c.batch.batch);
  if (batches.size === 0) return new Set();
  const keys = [...new Set([...batches.values()].map((b) => b.signingKey))];
  const rows = await tx.query<{ organisation_id: string; address: string; usable: boolean }>(
    `SELECT organisation_id, address, (status = 'active' AND is_current AND role = 'signing') AS usable
       FROM organisation_keys WHERE address = ANY($1::text[]) FOR SHARE`,
    [keys],
  );
  const unusable = new Set(
    rows.filter((row) => !row.usable).map((row) => `${String(row.organisation_id)}|${row.address}`),
  );
  const written = [...batches.values()].filter((b) => !unusable.has(`${b.organisationId}|${b.signingKey}`));
  if (written.length === 0) return new Set();
  await tx.query(
    `INSERT INTO batches (id, organisation_id, event_id, chain_event_id, root, size, valid_until, signature,
                          deadline, status, created_at, signing_key)
     SELECT id, organisation_id, event_id, chain_event_id, root, size, valid_until, signature, deadline,
            'sending', created_at, signing_key
       FROM jsonb_to_recordset($1::jsonb) AS b(id uuid, organisation_id uuid, event_id uuid, chain_event_id text,
            root text, size integer, valid_until bigint, signature text, deadline bigint,
            created_at timestamptz, signing_key text)`,
    [
      json(
        written.map((b) => ({
          id: b.id,
          organisation_id: b.organisationId,
          event_id: b.eventId,
          chain_event_id: b.chainEventId,
          root: b.root,
          size: b.size,
          valid_until: b.validUntil,
          signature: b.signature,
          deadline: b.deadline,
          created_at: b.createdAt.toISOString(),
          signing_key: b.signingKey,
        })),
      ),
    ],
  );
  return new Set(written.map((b) => b.id));
}

/**
 * Inserts `credentials` (pending, or sending as members of a batch built at issuance) in chunks, their personal
 * data encrypted with a fresh data key each (stored in the vault first: a key whose credential is then not
 * written is harmless), their search terms, and queues the
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
  const bounds = chunkBounds(credentials.length);
  const sealed = sealChunks(personal, credentials, keys, bounds);
  const batched = await insertBatches(tx, credentials);
  // A member of a batch that was not written (its key no longer current) is written pending.
  const batchOf = (c: NewCredential) => (c.batch && batched.has(c.batch.batch.id) ? c.batch : null);
  for (const [k, [start, end]] of bounds.entries()) {
    if (k > 0) await betweenStatements();
    const seals = await sealed[k]!();
    const chunk = credentials.slice(start, end).map((c, j) => {
      const batch = batchOf(c);
      return {
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
        signing_key: c.signingKey ?? batch?.batch.signingKey ?? null,
        signed_at: c.signingKey ? created : batch ? batch.batch.createdAt.toISOString() : null,
        status: batch ? "sending" : "pending",
        batch_id: batch?.batch.id ?? null,
        leaf: batch?.leaf ?? null,
        proof: batch?.proof ?? null,
        batch_sections: batch?.sections ?? null,
        job_id: jobId,
        created_at: created,
      };
    });
    // The rows and their search terms in one statement, a round trip less for every issuance; the terms are
    // joined to the rows the statement wrote. (A data-modifying WITH runs to completion whether read or not.)
    const rows = await tx.query(
      `WITH written AS (
         INSERT INTO credentials (id, organisation_id, event_id, mode, status, commitment, holder_address,
                                  valid_until, personal_enc, holder_token_hash, has_email, delivery_lang,
                                  issue_signature, issue_deadline, supersedes, signing_key, signed_at, batch_id,
                                  leaf, proof, batch_sections, job_id, created_at)
         SELECT id, organisation_id, event_id, mode, status, commitment, holder_address, valid_until,
                personal_enc, holder_token_hash, has_email, delivery_lang, issue_signature, issue_deadline,
                supersedes, signing_key, signed_at, batch_id, leaf, proof, batch_sections, job_id, created_at
           FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, organisation_id uuid, event_id uuid, mode text,
                status text, commitment text, holder_address text, valid_until bigint, personal_enc text,
                holder_token_hash text, has_email boolean, delivery_lang text, issue_signature text,
                issue_deadline bigint, supersedes uuid, signing_key text, signed_at timestamptz, batch_id uuid,
                leaf text, proof jsonb, batch_sections text, job_id uuid, created_at timestamptz)
         RETURNING id, seq),
       terms AS (
         INSERT INTO credential_search (credential_id, terms)
         SELECT w.id, t.terms
           FROM written w JOIN jsonb_to_recordset($2::jsonb) AS t(id uuid, terms text[]) ON t.id = w.id
         ON CONFLICT (credential_id) DO UPDATE SET terms = EXCLUDED.terms)
       ${returning ? "SELECT id, seq FROM written" : "SELECT 1 WHERE false"}`,
      [json(chunk), json(chunk.map((c, j) => ({ id: c.id, terms: seals[j]!.search_terms })))],
    );
    if (returning) {
      const seqs = new Map(rows.map((r) => [String(r.id), Number(r.seq)]));
      for (const c of credentials.slice(start, end))
        records.push(pendingRecord(c, batchOf(c), seqs.get(c.id)!, at, jobId));
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

/**
 * A credential as {@link insertCredentials} writes it: nothing sent for it yet (pending, or sending as a member
 * of a batch built at issuance, its document then with the batch's anchor and proof).
 */
function pendingRecord(
  c: NewCredential,
  batch: NewBatchMembership | null,
  seq: number,
  at: Date,
  jobId: string | null,
): CredentialRecord {
  return {
    id: c.id,
    seq,
    organisationId: c.organisationId,
    eventId: c.eventId,
    mode: c.mode,
    status: batch ? "sending" : "pending",
    commitment: c.commitment,
    leaf: batch?.leaf ?? null,
    batchId: batch?.batch.id ?? null,
    proof: batch?.proof ?? null,
    holderAddress: c.holderAddress,
    validUntil: c.validUntil,
    document: batch ? withBatchSections(c.document, batch.sections) : c.document,
    recipient: c.recipient,
    holderToken: c.holderToken,
    issueDeadline: c.issueDeadline ?? null,
    issueSignature: c.issueSignature ?? null,
    signingKey: c.signingKey ?? batch?.batch.signingKey ?? null,
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
