// The salted Merkle commitment: each claim is hashed with its own random salt into a leaf digest, and the
// credential hash is the Merkle root of the leaf digests (OpenZeppelin `SimpleMerkleTree`, sorted leaves).

import { SimpleMerkleTree } from "@openzeppelin/merkle-tree";
import { canonicalJson } from "./canonical";
import { documentClaimPaths, parseClaimPath, readClaim } from "./claims";
import { COMMITMENT_TYPE } from "./constants";
import { IntygCredentialError } from "./errors";
import { randomSalt, type SaltGenerator } from "./random";
import type { Commitment } from "./schema/commitment";
import type { CredentialBody } from "./schema/credential";
import { type Hex, keccak256, stringToBytes } from "./viem";

const SALT = /^0x[0-9a-f]{32}$/;

/** The leaf digest of one claim: `keccak256(utf8(JCS([salt, path, value])))`. */
export function claimDigest(salt: Hex, path: string, value: unknown): Hex {
  return keccak256(stringToBytes(canonicalJson([salt, path, value])));
}

/** The Merkle root over leaf digests, in any order (`SimpleMerkleTree.of`, sorted leaves). */
export function commitmentRoot(digests: readonly Hex[]): Hex {
  if (digests.length === 0) throw new IntygCredentialError("No claims to commit to");
  return SimpleMerkleTree.of([...digests]).root as Hex;
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
