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

/** A fresh claim salt: 16 random bytes as lowercase hex. */
export const randomSalt: SaltGenerator = () => bytesToHex(randomBytes(16));

/** A random (version 4) UUID as `urn:uuid:…`. */
export function randomUuidUrn(): string {
  const b = randomBytes(16);
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = bytesToHex(b).slice(2);
  return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
