// The salted Merkle commitment: each claim is hashed with its own random salt into a leaf digest, and the
// credential hash is the Merkle root of the leaf digests (OpenZeppelin `SimpleMerkleTree`, sorted leaves).

// The tree is built on bytes with the layout of the library's `makeMerkleTree`, given the leaves already sorted:
// `SimpleMerkleTree.of` would re-encode each 32-byte digest as a leaf (the identity) and sort with big-integer
// comparisons, four times the cost of the hashing itself. The result is the same root (a test checks it against
// `SimpleMerkleTree.of`).
import { canonicalJson } from "./canonical";
import { documentClaimPaths, parseClaimPath, readClaim } from "./claims";
import { COMMITMENT_TYPE } from "./constants";
import { IntygCredentialError } from "./errors";
import { bytesHex, compareBytes, keccakUtf8, merkleRootBytes, nodeBytes } from "./hash";
import { randomSalt, type SaltGenerator } from "./random";
import type { Commitment } from "./schema/commitment";
import type { CredentialBody } from "./schema/credential";
import type { Hex } from "./viem";

const SALT = /^0x[0-9a-f]{32}$/;

/** The leaf digest of one claim: `keccak256(utf8(JCS([salt, path, value])))`. */
export function claimDigest(salt: Hex, path: string, value: unknown): Hex {
  return bytesHex(claimDigestBytes(salt, path, value));
}

/** {@link claimDigest} as 32 bytes. */
export function claimDigestBytes(salt: Hex, path: string, value: unknown): Uint8Array {
  return keccakUtf8(canonicalJson([salt, path, value]));
}

/** The commitment root over leaf digests given as 32-byte arrays, in any order (sorted here, in place). */
export function commitmentRootOfBytes(digests: Uint8Array[]): Hex {
  if (digests.length === 0) throw new IntygCredentialError("No claims to commit to");
  digests.sort(compareBytes);
  return bytesHex(merkleRootBytes(digests));
}

const DIGEST = /^0x[0-9a-f]{64}$/;

/**
 * The Merkle root over leaf digests, in any order: the root of OpenZeppelin's `SimpleMerkleTree.of(digests)`
 * (leaves sorted; lowercase hex of equal length sorts as the numbers do).
 */
export function commitmentRoot(digests: readonly Hex[]): Hex {
  if (digests.length === 0) throw new IntygCredentialError("No claims to commit to");
  for (const digest of digests) {
    if (!DIGEST.test(digest)) throw new IntygCredentialError("Digest must be 32 bytes of lowercase hex");
  }
  return commitmentRootOfBytes(digests.map(nodeBytes));
}

export type ComputeCommitmentOptions = {
  /** Makes each claim's salt; defaults to 16 random bytes. Inject a fixed one only for test vectors. */
  salt?: SaltGenerator;
};

/** Salts every claim of `body` and returns the commitment section (root and salts). */
export function computeCommitment(body: CredentialBody, options: ComputeCommitmentOptions = {}): Commitment {
  const makeSalt = options.salt ?? randomSalt;
  const claims: Commitment["claims"] = {};
  const digests: Hex[] = [];
  for (const path of documentClaimPaths(body)) {
    const salt = makeSalt(path);
    if (!SALT.test(salt)) throw new IntygCredentialError("Salt must be 16 bytes of lowercase hex", { path });
    const location = parseClaimPath(path)!;
    digests.push(claimDigest(salt, path, readClaim(body, location)));
    claims[path] = { salt: salt as `0x${string}` };
  }
  return { type: COMMITMENT_TYPE, root: commitmentRoot(digests), claims };
}

/** `body` with its commitment section computed. */
export function commitCredential<T extends CredentialBody>(
  body: T,
  options: ComputeCommitmentOptions = {},
): T & { commitment: Commitment } {
  return { ...body, commitment: computeCommitment(body, options) };
}
