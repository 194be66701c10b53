// Keyed hashes of personal values, so the service can find a record by a person's e-mail or name without a
// plaintext column: HMAC-SHA256 under an index key, over the value normalised (Unicode NFC, case-folded,
// spaces collapsed). Equal values give equal hashes, so an index reveals which records share a value to whoever
// holds the database, but not the value; the index key is kept sealed like a data key.

import { createHmac } from "node:crypto";

/** The normal form that is hashed: NFC, lower case, inner spaces collapsed, outer spaces removed. */
export function normaliseForIndex(value: string): string {
  return value.normalize("NFC").toLocaleLowerCase("sv-SE").replace(/\s+/g, " ").trim();
}

/** The blind index of `value` for `purpose` (e.g. `email`, `name-word`), hex. */
export function blindIndex(indexKey: Buffer, purpose: string, value: string): string {
  return createHmac("sha256", indexKey)
    .update(`${purpose}\u0000${normaliseForIndex(value)}`)
    .digest("hex");
}

/** The blind indexes of each word of a name, so a search for one word of it finds the record. */
export function nameWordIndexes(indexKey: Buffer, name: string): string[] {
  const words = normaliseForIndex(name).split(" ").filter(Boolean);
  return [...new Set(words.map((word) => blindIndex(indexKey, "name-word", word)))];
}

/**
 * The shortest and longest beginnings of a name's words that are indexed: a search for "Rådes" finds
 * "Rådeström". Shorter ones would say too much (see docs/privacy.md); a search word longer than the longest
 * matches whole words only.
 */
export const PREFIX_MIN = 3;
export const PREFIX_MAX = 12;

/** The blind indexes of the first 3…12 characters of each word of a name (a word that short is its own). */
export function namePrefixIndexes(indexKey: Buffer, name: string): string[] {
  const prefixes = new Set<string>();
  for (const word of normaliseForIndex(name).split(" ").filter(Boolean)) {
    const chars = [...word];
    for (let n = PREFIX_MIN; n <= Math.min(chars.length, PREFIX_MAX); n++)
      prefixes.add(blindIndex(indexKey, "name-prefix", chars.slice(0, n).join("")));
  }
  return [...prefixes];
}

/** The prefix index a search word is compared with; null when it is too short or too long to be one. */
export function namePrefixIndex(indexKey: Buffer, word: string): string | null {
  const length = [...normaliseForIndex(word)].length;
  return length >= PREFIX_MIN && length <= PREFIX_MAX ? blindIndex(indexKey, "name-prefix", word) : null;
}
