// Addresses as the binding and proof checks compare and write them, memoised: a batch's credentials name the same
// few addresses a thousand times, and viem's own cache (an LRU that moves each hit to the end) cost several
// percent of a batch verification. Each answer is viem's for the same text.

import { type Address, getAddress, isAddressEqual } from "./viem";

const LOOSE_ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const checksums = new Map<string, Address>();

/** viem's `getAddress` (the EIP-55 form; throws as it does for a malformed or wrongly checksummed address). */
export function checksummed(value: string): Address {
  const known = checksums.get(value);
  if (known !== undefined) return known;
  const address = getAddress(value);
  if (checksums.size >= 256) checksums.clear();
  checksums.set(value, address);
  return address;
}

/** viem's `isAddressEqual`: the same address in any case (throws as it does where either is not an address). */
export function sameAddress(a: string, b: string): boolean {
  if (!LOOSE_ADDRESS.test(a) || !LOOSE_ADDRESS.test(b)) return isAddressEqual(a as Address, b as Address);
  return a.toLowerCase() === b.toLowerCase();
}
