// Shared test helpers: the fixture data of scripts/make-fixtures.ts and a full offline verification.

import {
  checkIntegrity,
  checkProofBinding,
  checkProofSignature,
  credentialSchema,
  type SignerCache,
} from "../src";

export * from "../scripts/make-fixtures";

/** Schema, integrity, binding and signature: what a verifier checks offline. Never throws. */
export async function verifyOffline(doc: unknown, cache?: SignerCache): Promise<string | true> {
  if (!credentialSchema.safeParse(doc).success) return "schema";
  const integrity = checkIntegrity(doc);
  if (!integrity.ok) return `integrity:${integrity.reason}`;
  // With a cache, the batch proofs' pair hashes are kept in it too, as the verifier keeps them.
  const binding = checkProofBinding(doc, cache?.pairs ? { pairCache: cache.pairs } : {});
  if (!binding.ok) return `binding:${binding.reason}`;
  const signature = await checkProofSignature(doc, cache);
  if (!signature.ok) return `signature:${signature.reason}`;
  return true;
}

export function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** A JSON path and the primitive value found there. */
export type Leaf = { path: (string | number)[]; value: string | number | boolean };

/** Every primitive value in a JSON document, with its path. */
export function leaves(value: unknown, path: (string | number)[] = []): Leaf[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => leaves(item, [...path, i]));
  if (typeof value === "object" && value !== null) {
    return Object.entries(value).flatMap(([key, item]) => leaves(item, [...path, key]));
  }
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") {
    return [{ path, value }];
  }
  return [];
}

/** Sets the value at `path` in a JSON document (mutating it). */
export function setAt(doc: unknown, path: (string | number)[], value: unknown): void {
  let node = doc as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path[path.length - 1]!] = value;
}

const HEX = "0123456789abcdef";

/** A different value of the same kind: one hex digit or one character changed, a number moved, a flag flipped. */
export function mutate(value: string | number | boolean, seed: number): string | number | boolean {
  if (typeof value === "boolean") return !value;
  if (typeof value === "number") return value + 1 + (seed % 7);
  if (/^0x[0-9a-fA-F]+$/.test(value)) {
    const i = 2 + (seed % (value.length - 2));
    const current = HEX.indexOf(value[i]!.toLowerCase());
    const next = HEX[(current + 1 + (seed % 15)) % 16]!;
    return value.slice(0, i) + next + value.slice(i + 1);
  }
  const chars = Array.from(value);
  const i = seed % chars.length;
  const replacement = chars[i] === "x" ? "y" : "x";
  chars[i] = replacement;
  return chars.join("");
}
