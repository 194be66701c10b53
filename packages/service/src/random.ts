// Random bytes for issuance, drawn from a pool: a credential needs about fifteen small random values (a salt
// per claim, a holder token), and one call into the CSPRNG per value cost more than hashing the credential.
// Every byte of the pool is handed out once, then the pool is refilled (as the uuid packages do).

import { randomFillSync } from "node:crypto";
import type { Hex } from "viem";

const POOL_BYTES = 16 * 1024;
const pool = Buffer.alloc(POOL_BYTES);
let offset = POOL_BYTES;

function take(length: number): number {
  if (offset + length > POOL_BYTES) {
    randomFillSync(pool);
    offset = 0;
  }
  const at = offset;
  offset += length;
  return at;
}

/** `length` (≤ 16 KiB) fresh random bytes as lowercase hex, without `0x`. */
export function randomHex(length: number): string {
  const at = take(length);
  return pool.toString("hex", at, at + length);
}

/** `length` (≤ 16 KiB) fresh random bytes as base64url. */
export function randomBase64url(length: number): string {
  const at = take(length);
  return pool.toString("base64url", at, at + length);
}

/** A claim salt for @intyg/credential: 16 fresh random bytes as 0x-prefixed lowercase hex. */
export function pooledSalt(): Hex {
  return `0x${randomHex(16)}`;
}
