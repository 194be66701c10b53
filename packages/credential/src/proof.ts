// The proof section: who signed, the EIP-712 digest that was signed, and recovery of the signer. The digest
// is the same for every credential of a batch, so a verifier that caches recoveries by digest and signature
// recovers one public key per batch.

import * as mod from "@noble/curves/abstract/modular";
import { secp256k1 } from "@noble/curves/secp256k1";
import { issueRequestTypes } from "./eip712";
import { ProofError } from "./errors";
import { bytesHex, keccakBytes, type PairHashCache } from "./hash";
import { type IssueRequestTypedData, issueRequestFromMessage } from "./issue-request";
import { type CredentialProof, type CredentialProofSet, proofSetSchema } from "./schema/proof";
import { issueRequestDigest } from "./typed-digest";
import { type Address, getAddress, type Hex, isAddress } from "./viem";

const VERIFICATION_METHOD = /^did:pkh:eip155:([1-9][0-9]{0,15}):(0x[0-9a-fA-F]{40})#blockchainAccountId$/;

/** `did:pkh:eip155:<chainId>:<checksummed address>#blockchainAccountId`. */
export function verificationMethodFor(chainId: number, address: Address): string {
  return `did:pkh:eip155:${chainId}:${getAddress(address)}#blockchainAccountId`;
}

/** The chain id and address of a verification method, or undefined when it is not a did:pkh eip155 account. */
export function parseVerificationMethod(value: string): { chainId: number; address: Address } | undefined {
  // A batch's credentials name one key: parsed (and its checksum computed) once per distinct text.
  const known = verificationMethods.get(value);
  if (known !== undefined) return known === null ? undefined : { ...known };
  const parsed = parseMethod(value);
  if (verificationMethods.size >= 256) verificationMethods.clear();
  verificationMethods.set(value, parsed ?? null);
  return parsed === undefined ? undefined : { ...parsed };
}

const verificationMethods = new Map<string, { chainId: number; address: Address } | null>();

function parseMethod(value: string): { chainId: number; address: Address } | undefined {
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

function proofOf(doc: unknown, validated = false): CredentialProof {
  const proof = typeof doc === "object" && doc !== null ? (doc as { proof?: unknown }).proof : undefined;
  if (validated) return (proof as CredentialProofSet)[0];
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

type Signature = ReturnType<typeof secp256k1.Signature.fromCompact>;
type Point = InstanceType<typeof secp256k1.ProjectivePoint>;

const CURVE_ORDER = secp256k1.CURVE.n;
const G = secp256k1.ProjectivePoint.BASE;

/**
 * Gives the generator smaller precomputed multiples (4-bit windows instead of noble's 8), for a program that
 * recovers a few signatures and then stops, such as the verifier page: the default table costs 4,096 point
 * additions before the first recovery (a fifth of a second on a slow phone), the smaller one 512, and each
 * recovery then costs about a tenth more. Signing with the generator is slower too, so servers keep the default.
 */
export function useSmallGeneratorTable(): void {
  G._setWindowSize(4);
}

/** Public keys already recovered, by lowercase address, and how often each was used since. */
const knownKeys = new Map<string, { point: Point; uses: number }>();

/**
 * Whether `signature` over `z` was made by `key`: ECDSA verification that also checks the nonce point's parity
 * against the recovery bit, which makes it exactly "recovery gives `key`" (R = u1·G + u2·key is the point whose x
 * is r and whose y parity is the bit, and recovery computes key = r⁻¹(s·R − z·G) from that very point). With the
 * key's multiples precomputed this costs about a third of a recovery, which a run of one signer's credentials pays
 * each time.
 */
function signedBy(signature: Signature, z: bigint, bit: number, key: Point): boolean {
  const w = mod.invert(signature.s, CURVE_ORDER);
  const u1 = mod.mod(z * w, CURVE_ORDER);
  const u2 = mod.mod(signature.r * w, CURVE_ORDER);
  // Constant-time `multiply`: noble's `multiplyUnsafe` is wrong for non-base points with precomputed windows.
  const nonce = (u1 === 0n ? key.multiply(u2) : G.multiply(u1).add(key.multiply(u2))).toAffine();
  return nonce.x === signature.r && Number(nonce.y & 1n) === bit;
}

/** A recovered key, remembered for {@link signedBy}; its multiples are precomputed once it is used again. */
function rememberKey(address: string, point: Point): void {
  if (knownKeys.size >= 256) knownKeys.clear();
  knownKeys.set(address, { point, uses: 0 });
}

function knownKey(address: string): Point | undefined {
  const known = knownKeys.get(address);
  if (!known) return undefined;
  known.uses += 1;
  if (known.uses === 1) known.point._setWindowSize(4);
  else if (known.uses === 64) known.point._setWindowSize(8);
  return known.point;
}

/**
 * The address whose key made `signature` (65 bytes of hex: r, s, v) over `digest`, as lowercase hex: when the
 * address `expected` names a key already recovered, checked against that key ({@link signedBy}: the same answer as
 * a recovery); otherwise secp256k1 public-key recovery (noble, as viem calls it, without viem's per-call module
 * import and hex round trips), the address hashed with js-sha3. `v` must be 27 or 28 and `s` in the lower half of
 * the order, as OpenZeppelin's ECDSA requires (a high `s` is a malleable copy). Throws a {@link ProofError} when
 * nothing is recovered.
 */
function recoverLowercase(digest: Hex, signature: Hex, expected?: string): string {
  const v = Number.parseInt(signature.slice(130, 132), 16);
  if (signature.length !== 132 || (v !== 27 && v !== 28))
    throw new ProofError("Non-canonical signature (bad v)");
  let point: Point;
  try {
    const parsed = secp256k1.Signature.fromCompact(signature.slice(2, 130));
    if (parsed.hasHighS()) throw new ProofError("Non-canonical signature (high s)");
    const key = expected === undefined ? undefined : knownKey(expected);
    if (key && signedBy(parsed, mod.mod(BigInt(digest), CURVE_ORDER), v - 27, key)) return expected!;
    point = parsed.addRecoveryBit(v - 27).recoverPublicKey(digest.slice(2));
  } catch (error) {
    if (error instanceof ProofError) throw error;
    throw new ProofError("Signature cannot be recovered");
  }
  // The address is the last 20 bytes of keccak256 of the uncompressed key without its 0x04 prefix.
  const address = bytesHex(keccakBytes(point.toRawBytes(false).subarray(1)).subarray(12));
  rememberKey(address, point);
  return address;
}

function signedDigest(
  doc: unknown,
  cache?: SignerCache,
  validated = false,
): { proof: CredentialProof; digest: Hex } {
  const proof = proofOf(doc, validated);
  const { eip712 } = proof;
  // The parsed domain and message (strict objects) determine the digest; the types are always ours.
  const key = cache === undefined ? "" : JSON.stringify([eip712.domain, eip712.message]);
  const cached = cache?.digests.get(key);
  if (cached !== undefined) return { proof, digest: cached };
  const digest = issueRequestDigest(eip712.domain, issueRequestFromMessage(eip712.message));
  cache?.digests.set(key, digest);
  return { proof, digest };
}

async function recoverCached(
  digest: Hex,
  signature: Hex,
  cache: SignerCache | undefined,
  expected?: Address,
): Promise<Address> {
  const key = `${digest}:${signature}`;
  const cached = cache?.signers.get(key);
  if (cached !== undefined) return cached;
  const lowercase = recoverLowercase(digest, signature, expected?.toLowerCase());
  const signer =
    expected !== undefined && lowercase === expected.toLowerCase() ? expected : getAddress(lowercase);
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

export type SignatureCheckOptions = {
  /** The document already passed `credentialSchema` (or `proofSetSchema` for its proof): not parsed again. */
  validated?: boolean;
};

/** Checks that the proof's signature recovers to the address of its verification method. Never throws. */
export async function checkProofSignature(
  doc: unknown,
  cache?: SignerCache,
  options: SignatureCheckOptions = {},
): Promise<SignatureCheckResult> {
  let signed: { proof: CredentialProof; digest: Hex };
  try {
    signed = signedDigest(doc, cache, options.validated === true);
  } catch {
    return { ok: false, reason: "malformed-proof" };
  }
  const expected = parseVerificationMethod(signed.proof.verificationMethod)?.address;
  if (expected === undefined) return { ok: false, reason: "malformed-proof" };
  let signer: Address;
  try {
    signer = await recoverCached(signed.digest, signed.proof.proofValue, cache, expected);
  } catch {
    return { ok: false, reason: "invalid-signature" };
  }
  return signer === expected ? { ok: true, signer } : { ok: false, reason: "signer-mismatch", signer };
}
