// Randomness from the Web Crypto API (Node 20 and browsers alike).

import { bytesToHex, type Hex } from "./viem";

/** Makes the salt of the claim at `path`. The default draws 16 random bytes. */
export type SaltGenerator = (path: string) => Hex;

/** `length` cryptographically random bytes. */
export function randomBytes(length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  globalThis.crypto.getRandomValues(bytes);
  return bytes;
}

// Salts are drawn from a pool refilled 4 KiB at a time: one getRandomValues call per 256 salts instead of one
// per claim (a credential has about 15 claims, and the call's fixed cost dominated the draw).
const POOL_BYTES = 4096;
let pool: Uint8Array = new Uint8Array(0);
let poolOffset = 0;

/** A fresh claim salt: 16 random bytes as lowercase hex. */
export const randomSalt: SaltGenerator = () => {
  if (poolOffset + 16 > pool.length) {
    pool = randomBytes(POOL_BYTES);
    poolOffset = 0;
  }
  const salt = pool.subarray(poolOffset, poolOffset + 16);
  poolOffset += 16;
  return bytesToHex(salt);
};

/** A random (version 4) UUID as `urn:uuid:…`. */
export function randomUuidUrn(): string {
  const b = randomBytes(16);
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = bytesToHex(b).slice(2);
  return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
