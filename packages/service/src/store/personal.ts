// Personal data at rest: how a credential's document, recipient data and holder link are encrypted with the
// credential's own data key before they reach the database, the keyed hashes (blind indexes) the organiser's
// search and the holder link's lookup use instead of plaintext columns, and the reads that decrypt.

import { createHash } from "node:crypto";
import { deflateRawSync, inflateRawSync } from "node:zlib";
import {
  blindIndex,
  namePrefixIndex,
  namePrefixIndexes,
  nameWordIndexes,
  normaliseForIndex,
} from "../privacy/blind-index";
import { decryptBytes, EnvelopeError, encryptBytes } from "../privacy/envelope";
import type { KeyVault } from "./key-vault";
import { toCredential } from "./rows";
import type { CredentialRecord } from "./types";

/** What the repositories need to seal and open personal data. */
export type Personal = {
  vault: KeyVault;
  /** The key of the blind indexes (kept in the vault like a data key). */
  indexKey: Buffer;
};

/** The vault subject of a credential's data key. */
export const credentialSubject = (id: string) => `credential:${id}`;
/** The vault subject of a bulk job's data key (its input, then its result). */
export const jobSubject = (id: string) => `job:${id}`;
/** The vault subject of a stored idempotent response's data key. */
export const responseSubject = (organisationId: string, key: string) => `response:${organisationId}:${key}`;

// A document is about 2 KB: a 4 KB window compresses it as well as zlib's default 32 KB one, and setting up the
// smaller state costs a tenth as much (zlib's set-up, not its compression, dominated a bulk issuance's sealing).
// Inflating needs no setting: a stream made with a smaller window inflates with the default one.
const DEFLATE = { level: 1, windowBits: 12, memLevel: 4 } as const;

/**
 * JSON encrypted with a data key, bound to `aad`. Compressed first: ciphertext does not compress, and a
 * document that the database would have compressed inline would otherwise be moved out of line (TOAST).
 */
export const sealJson = (key: Buffer, value: unknown, aad: string): string =>
  encryptBytes(key, deflateRawSync(JSON.stringify(value), DEFLATE), `${aad}|deflate`);

export const openJson = (key: Buffer, sealed: string, aad: string): unknown =>
  JSON.parse(inflateRawSync(decryptBytes(key, sealed, `${aad}|deflate`)).toString("utf8"));

/**
 * Like {@link openJson}, but undefined when the key does not open it: a copy older than the key (a backup
 * restored after the value was re-keyed without an erased credential) stays closed.
 */
export function openJsonIfKeyed(key: Buffer | undefined, sealed: string, aad: string): unknown {
  if (!key) return undefined;
  try {
    return openJson(key, sealed, aad);
  } catch (error) {
    if (error instanceof EnvelopeError) return undefined;
    throw error;
  }
}

/** `value` encrypted under a new data key for `subject`; the old key (and so every older copy) is destroyed. */
export async function rekeySealed(
  personal: Personal,
  subject: string,
  value: unknown,
  aad: string,
): Promise<string> {
  await personal.vault.destroy([subject]);
  const key = (await personal.vault.create([subject])).get(subject)!;
  return sealJson(key, value, aad);
}

/** The SHA-256 of a holder-link token: the token is random and long, so its hash finds the row safely. */
export const holderTokenHash = (token: string): string => createHash("sha256").update(token).digest("hex");

/** The parts of a credential that are personal data, as the store receives them. */
export type PersonalFields = {
  id: string;
  document: Record<string, unknown> | null;
  recipient: Record<string, unknown> | null;
  holderToken: string | null;
};

/** The columns that carry a credential's personal data, encrypted, and what may be known without it. */
export type SealedFields = {
  /** The document, recipient data and holder link, encrypted together with the credential's data key. */
  personal_enc: string | null;
  holder_token_hash: string | null;
  has_email: boolean;
  delivery_lang: string | null;
};

const personalAad = (id: string) => `credential:${id}|personal`;

const subjectOf = (document: Record<string, unknown> | null) =>
  (document?.credentialSubject as Record<string, unknown> | undefined) ?? {};

export function sealCredential(key: Buffer, fields: PersonalFields): SealedFields {
  const subject = subjectOf(fields.document);
  const lang = fields.recipient?.lang;
  const any = fields.document !== null || fields.recipient !== null || fields.holderToken !== null;
  return {
    personal_enc: any
      ? sealJson(
          key,
          { document: fields.document, recipient: fields.recipient, holderToken: fields.holderToken },
          personalAad(fields.id),
        )
      : null,
    holder_token_hash: fields.holderToken ? holderTokenHash(fields.holderToken) : null,
    has_email: typeof subject.email === "string",
    delivery_lang: lang === "en" || lang === "sv" ? lang : null,
  };
}

/**
 * The blind indexes a credential is found by: each word of the name and its first 3…12 characters, the whole
 * name, the e-mail, the reference.
 */
export function searchTerms(indexKey: Buffer, fields: PersonalFields): string[] {
  const subject = subjectOf(fields.document);
  const terms: string[] = [];
  if (typeof subject.name === "string" && subject.name.trim()) {
    terms.push(
      ...nameWordIndexes(indexKey, subject.name),
      ...namePrefixIndexes(indexKey, subject.name),
      blindIndex(indexKey, "name", subject.name),
    );
  }
  if (typeof subject.email === "string" && subject.email.trim())
    terms.push(blindIndex(indexKey, "email", subject.email));
  const reference = fields.recipient?.reference;
  if (typeof reference === "string" && reference.trim())
    terms.push(blindIndex(indexKey, "reference", reference));
  return [...new Set(terms)];
}

/**
 * What a search text is compared with: `whole` holds the blind indexes it may equal (a whole name, one word of
 * a name or its beginning, an e-mail, a reference); `words` those of each of its words, all of which a name may
 * hold instead; `prefixes` the same with each word as the beginning of a word of the name (a word too short or
 * too long to be a prefix must be whole).
 */
export function queryTerms(
  indexKey: Buffer,
  q: string,
): { whole: string[]; words: string[]; prefixes: string[] } {
  const text = normaliseForIndex(q);
  if (!text) return { whole: [], words: [], prefixes: [] };
  const prefix = namePrefixIndex(indexKey, text);
  const several = text.includes(" ");
  return {
    whole: [
      blindIndex(indexKey, "name", text),
      blindIndex(indexKey, "name-word", text),
      blindIndex(indexKey, "email", text),
      blindIndex(indexKey, "reference", text),
      ...(prefix && !several ? [prefix] : []),
    ],
    words: several ? nameWordIndexes(indexKey, text) : [],
    prefixes: several
      ? [
          ...new Set(
            text
              .split(" ")
              .map((word) => namePrefixIndex(indexKey, word) ?? blindIndex(indexKey, "name-word", word)),
          ),
        ]
      : [],
  };
}

/** A credential's personal data opened with its data key; undefined when the key does not open it. */
export function openPersonal(
  key: Buffer | undefined,
  id: string,
  sealed: string,
): Omit<PersonalFields, "id"> | undefined {
  return openJsonIfKeyed(key, sealed, personalAad(id)) as Omit<PersonalFields, "id"> | undefined;
}

type Row = Record<string, unknown>;

/**
 * Credentials from their rows, their personal data decrypted with their data keys (read from the vault in one
 * query). A credential whose key was destroyed (erased, or a backup restored after its erasure) shows none.
 */
export async function revealCredentials(
  personal: Personal,
  rows: Row[],
  /** The rows' data keys when the caller already read them. */
  known?: Map<string, Buffer>,
): Promise<CredentialRecord[]> {
  const records = rows.map(toCredential);
  const sealed = rows.filter((row) => typeof row.personal_enc === "string");
  if (sealed.length === 0) return records;
  const keys = known ?? (await personal.vault.open(sealed.map((row) => credentialSubject(String(row.id)))));
  records.forEach((record, i) => {
    const value = rows[i]!.personal_enc;
    if (typeof value !== "string") return;
    const opened = openJsonIfKeyed(keys.get(credentialSubject(record.id)), value, personalAad(record.id)) as
      | Omit<PersonalFields, "id">
      | undefined;
    if (!opened) return;
    record.document = withBatchSections(opened.document, rows[i]!.batch_sections);
    record.recipient = opened.recipient;
    record.holderToken = opened.holderToken;
  });
  return records;
}

/**
 * The document as signed: a batch member's anchor and issuer proof, recorded beside the encrypted document when
 * the batch was built, in place of the sections the pending document had (the order `buildBatch` and
 * `signBatch` give them: the rest, then `anchor`, then `proof`).
 */
export function withBatchSections(
  document: Record<string, unknown> | null,
  sections: unknown,
): Record<string, unknown> | null {
  if (document === null || typeof sections !== "string") return document;
  const { anchor: _anchor, proof: _proof, ...rest } = document;
  // In this order whatever order the stored JSON has (a replaced proof is written through jsonb, which sorts).
  const { anchor, proof } = JSON.parse(sections) as { anchor: unknown; proof: unknown };
  return { ...rest, anchor, proof };
}

/** One credential from its row (null stays null). */
export async function revealCredential(
  personal: Personal,
  row: Row | undefined,
): Promise<CredentialRecord | null> {
  return row ? (await revealCredentials(personal, [row]))[0]! : null;
}
