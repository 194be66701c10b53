// The proof section: who signed, the EIP-712 digest that was signed, and recovery of the signer. The digest
// is the same for every credential of a batch, so a verifier that caches recoveries by digest and signature
// recovers one public key per batch.

import { issueRequestTypes } from "./eip712";
import { ProofError } from "./errors";
import type { PairHashCache } from "./hash";
import { type IssueRequestTypedData, issueRequestFromMessage } from "./issue-request";
import { type CredentialProof, proofSetSchema } from "./schema/proof";
import { issueRequestDigest } from "./typed-digest";
import { type Address, getAddress, type Hex, hexToBigInt, isAddress, recoverAddress, slice } from "./viem";

const VERIFICATION_METHOD = /^did:pkh:eip155:([1-9][0-9]{0,15}):(0x[0-9a-fA-F]{40})#blockchainAccountId$/;
/** Half the order of secp256k1: signatures with a larger `s` are malleable copies, refused like OpenZeppelin's ECDSA. */
const SECP256K1_HALF_N = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0n;

/** `did:pkh:eip155:<chainId>:<checksummed address>#blockchainAccountId`. */
export function verificationMethodFor(chainId: number, address: Address): string {
  return `did:pkh:eip155:${chainId}:${getAddress(address)}#blockchainAccountId`;
}

/** The chain id and address of a verification method, or undefined when it is not a did:pkh eip155 account. */
export function parseVerificationMethod(value: string): { chainId: number; address: Address } | undefined {
  const m = VERIFICATION_METHOD.exec(value);
  if (!m) return undefined;
  const chainId = Number(m[1]);
  if (!Number.isSafeInteger(chainId)) return undefined;
  if (!isAddress(m[2]!)) return undefined;
  try {
    return { chainId, address: getAddress(m[2]!) };
  } catch {
    return undefined;
  }
}

function proofOf(doc: unknown): CredentialProof {
  const proof = typeof doc === "object" && doc !== null ? (doc as { proof?: unknown }).proof : undefined;
  const parsed = proofSetSchema.safeParse(proof);
  if (!parsed.success) throw new ProofError("Missing or malformed proof");
  return parsed.data[0];
}

/** The typed data a credential's proof signs (with this package's `IssueRequest` type, not the document's). */
export function proofTypedData(doc: unknown): IssueRequestTypedData {
  const { eip712 } = proofOf(doc);
  return {
    domain: eip712.domain,
    types: issueRequestTypes,
    primaryType: "IssueRequest",
    message: issueRequestFromMessage(eip712.message),
  };
}

/** The EIP-712 digest a credential's proof signs. Throws {@link ProofError} for a missing or malformed proof. */
export function proofDigest(doc: unknown): Hex {
  return signedDigest(doc).digest;
}

/**
 * Digests and recovered signers already computed, keyed by the signed data. Share one across the credentials of
 * a batch: they carry the same proof, so all of them together cost one digest and one recovery.
 */
export type SignerCache = {
  digests: Map<string, Hex>;
  signers: Map<string, Address>;
  /** Merkle pair hashes of the batch proofs walked (see {@link PairHashCache}). */
  pairs?: PairHashCache;
};

/** An empty {@link SignerCache}. */
export function createSignerCache(): SignerCache {
  return { digests: new Map(), signers: new Map(), pairs: new Map() };
}

function isCanonicalSignature(signature: Hex): boolean {
  const s = hexToBigInt(slice(signature, 32, 64));
  const v = Number.parseInt(signature.slice(130, 132), 16);
  return s <= SECP256K1_HALF_N && (v === 27 || v === 28);
}

function signedDigest(doc: unknown, cache?: SignerCache): { proof: CredentialProof; digest: Hex } {
  const proof = proofOf(doc);
  const { eip712 } = proof;
  // The parsed domain and message (strict objects) determine the digest; the types are always ours.
  const key = cache === undefined ? "" : JSON.stringify([eip712.domain, eip712.message]);
  const cached = cache?.digests.get(key);
  if (cached !== undefined) return { proof, digest: cached };
  const digest = issueRequestDigest(eip712.domain, issueRequestFromMessage(eip712.message));
  cache?.digests.set(key, digest);
  return { proof, digest };
}

async function recoverCached(digest: Hex, signature: Hex, cache: SignerCache | undefined): Promise<Address> {
  const key = `${digest}:${signature}`;
  const cached = cache?.signers.get(key);
  if (cached !== undefined) return cached;
  if (!isCanonicalSignature(signature)) throw new ProofError("Non-canonical signature (high s or bad v)");
  let signer: Address;
  try {
    signer = await recoverAddress({ hash: digest, signature });
  } catch {
    throw new ProofError("Signature cannot be recovered");
  }
  cache?.signers.set(key, signer);
  return signer;
}

/**
 * The address that signed a credential's proof. With a {@link SignerCache}, credentials that share a digest and
 * signature (a batch) cost one recovery. Throws {@link ProofError} for a malformed or unrecoverable signature.
 */
export async function recoverProofSigner(doc: unknown, cache?: SignerCache): Promise<Address> {
  const { proof, digest } = signedDigest(doc, cache);
  return recoverCached(digest, proof.proofValue, cache);
}

export type SignatureFailureReason = "malformed-proof" | "invalid-signature" | "signer-mismatch";

export type SignatureCheckResult =
  | { ok: true; signer: Address }
  | { ok: false; reason: SignatureFailureReason; signer?: Address };

/** Checks that the proof's signature recovers to the address of its verification method. Never throws. */
export async function checkProofSignature(doc: unknown, cache?: SignerCache): Promise<SignatureCheckResult> {
  let signed: { proof: CredentialProof; digest: Hex };
  try {
    signed = signedDigest(doc, cache);
  } catch {
    return { ok: false, reason: "malformed-proof" };
  }
  const expected = parseVerificationMethod(signed.proof.verificationMethod)?.address;
  if (expected === undefined) return { ok: false, reason: "malformed-proof" };
  let signer: Address;
  try {
    signer = await recoverCached(signed.digest, signed.proof.proofValue, cache);
  } catch {
    return { ok: false, reason: "invalid-signature" };
  }
  return signer === expected ? { ok: true, signer } : { ok: false, reason: "signer-mismatch", signer };
}
