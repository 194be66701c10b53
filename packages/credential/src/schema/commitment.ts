// The commitment section: the Merkle root over the salted claims, and per claim its salt or, when hidden,
// its leaf digest.

import { z } from "zod";
import { COMMITMENT_TYPE } from "../constants";
import { bytes32Schema, saltSchema } from "./primitives";

/** A revealed claim: its salt. */
export const revealedClaimSchema = z.strictObject({ salt: saltSchema });
/** A hidden claim: its leaf digest. */
export const hiddenClaimSchema = z.strictObject({ digest: bytes32Schema });

const CLAIM_PATH = /^\/./;
const MAX_CLAIM_PATH = 300;

export const commitmentSchema = z.strictObject({
  type: z.literal(COMMITMENT_TYPE),
  root: bytes32Schema,
  claims: z.record(
    z.string().regex(CLAIM_PATH).max(MAX_CLAIM_PATH),
    z.union([revealedClaimSchema, hiddenClaimSchema]),
  ),
});

/** `0x` and `digits` lowercase hex digits (a charCode loop: several times a regular expression's speed here). */
export function isLowerHex(value: unknown, digits: number): boolean {
  if (typeof value !== "string" || value.length !== digits + 2 || value.charCodeAt(0) !== 48) return false;
  if (value.charCodeAt(1) !== 120) return false;
  for (let i = 2; i < value.length; i++) {
    const c = value.charCodeAt(i);
    // 0-9 or a-f
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return false;
  }
  return true;
}

function isEntry(value: unknown): boolean {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  let keys = 0;
  for (const key in value) {
    keys++;
    if (key !== "salt" && key !== "digest") return false;
  }
  if (keys !== 1) return false;
  const { salt, digest } = value as { salt?: unknown; digest?: unknown };
  return typeof salt === "string" ? isLowerHex(salt, 32) : isLowerHex(digest, 64);
}

/**
 * True only where `commitmentSchema`'s `claims` accepts the value, for a value that `JSON.parse` made: a
 * record of claim paths to `{ salt }` or `{ digest }`. About twenty times faster than the zod record on a
 * credential's fourteen claims (a batch verifier checks one per credential). Stricter where zod skips
 * something (a `__proto__` key): then the caller's fallback, the full schema, decides.
 */
export function isClaimsRecord(value: unknown): boolean {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  if (Object.getPrototypeOf(value) !== Object.prototype) return false;
  for (const key in value) {
    if (key === "__proto__" || key.length > MAX_CLAIM_PATH || !CLAIM_PATH.test(key)) return false;
    if (!isEntry((value as Record<string, unknown>)[key])) return false;
  }
  return true;
}

/**
 * {@link commitmentSchema} with its claims checked by {@link isClaimsRecord}, for `checkCredentialJson`'s fast
 * path only (a failure there is checked again by the full schema, which gives the issues).
 */
export const commitmentSkeletonSchema = z.strictObject({
  type: z.literal(COMMITMENT_TYPE),
  root: bytes32Schema,
  claims: z.custom<Commitment["claims"]>(isClaimsRecord),
});
export type Commitment = z.infer<typeof commitmentSchema>;
export type ClaimEntry = Commitment["claims"][string];
