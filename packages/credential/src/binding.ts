// Proof binding: the signed request, the anchor section and the document agree. Chain and registry are the
// same in the EIP-712 domain, the anchor, the verification method, the issuer id and the achievement id; the
// event is the same in the request, the anchor and the achievement id; validity is the same in the request
// and the document; and the signed commitment is the credential's root, or the batch root that the
// credential's Merkle proof leads to.

import { checksummed, sameAddress } from "./address";
import { batchLeafHash } from "./batch";
import { type PairHashCache, processProofCached } from "./hash";
import { parseVerificationMethod } from "./proof";
import { anchorSchema, type CredentialAnchor } from "./schema/anchor";
import { type CredentialProof, type CredentialProofSet, proofSetSchema } from "./schema/proof";
import { isIsoDateTime, isoToUnixSeconds } from "./time";
import { organisationIdOfEvent, parseEventUrn, parseOrganisationUrn } from "./urn";
import { type Address, type Hex, zeroAddress } from "./viem";

export type BindingFailureReason =
  | "malformed-proof"
  | "malformed-anchor"
  | "malformed-commitment"
  | "malformed-issuer-id"
  | "malformed-achievement-id"
  | "malformed-valid-until"
  | "chain-mismatch"
  | "registry-mismatch"
  | "event-mismatch"
  | "organisation-mismatch"
  | "valid-until-mismatch"
  | "commitment-mismatch"
  | "batch-size-mismatch"
  | "batch-leaf-mismatch"
  | "batch-root-mismatch"
  | "batch-proof-invalid"
  | "holder-on-batch";

export type BindingResult =
  | {
      ok: true;
      kind: "single" | "batch";
      chainId: number;
      registry: Address;
      eventId: bigint;
      organisationId: number;
      /** What the registry records: the credential's root, or the batch root. */
      anchoredCommitment: Hex;
      /** The credential's leaf in the batch tree (batches only). */
      leaf?: Hex;
      /** The signer the proof claims (its signature is checked by `checkProofSignature`). */
      signer: Address;
      /** The token holder named in the request, or the zero address. */
      holder: Address;
      /** Unix seconds, 0 when the credential does not expire. */
      validUntil: bigint;
    }
  | { ok: false; reason: BindingFailureReason; path?: string };

/** The leaf was checked against the credential's root already, so the proof is walked from it directly. */
function leadsToRoot(leaf: Hex, proof: readonly Hex[], root: Hex, cache?: PairHashCache): boolean {
  try {
    return processProofCached(leaf, proof, cache) === root;
  } catch {
    return false;
  }
}

function fail(reason: BindingFailureReason, path?: string): BindingResult {
  return path === undefined ? { ok: false, reason } : { ok: false, reason, path };
}

function get(value: unknown, key: string): unknown {
  return typeof value === "object" && value !== null && Object.hasOwn(value, key)
    ? (value as Record<string, unknown>)[key]
    : undefined;
}

/** What {@link checkProofBinding} may reuse from the caller. */
export type BindingOptions = {
  /**
   * The document already passed `credentialSchema` (which includes the proof and anchor schemas, and has no
   * transforms): its proof and anchor sections are read as they are instead of parsed again.
   */
  validated?: boolean;
  /** Pair hashes shared across the run (the credentials of a batch share their upper proof nodes). */
  pairCache?: PairHashCache;
};

function sections(
  doc: unknown,
  validated: boolean,
): BindingResult | { proof: CredentialProof; anchor: CredentialAnchor } {
  if (validated) {
    return {
      proof: (get(doc, "proof") as CredentialProofSet)[0],
      anchor: get(doc, "anchor") as CredentialAnchor,
    };
  }
  const proofResult = proofSetSchema.safeParse(get(doc, "proof"));
  if (!proofResult.success) return fail("malformed-proof", "/proof");
  const anchorResult = anchorSchema.safeParse(get(doc, "anchor"));
  if (!anchorResult.success) return fail("malformed-anchor", "/anchor");
  return { proof: proofResult.data[0], anchor: anchorResult.data };
}

function check(doc: unknown, options: BindingOptions): BindingResult {
  const read = sections(doc, options.validated === true);
  if ("ok" in read) return read;
  const { eip712, verificationMethod } = read.proof;
  const { domain, message } = eip712;
  const anchor = read.anchor;

  const root = get(get(doc, "commitment"), "root");
  if (typeof root !== "string" || !/^0x[0-9a-f]{64}$/.test(root))
    return fail("malformed-commitment", "/commitment/root");
  const issuerId = get(get(doc, "issuer"), "id");
  const issuer = typeof issuerId === "string" ? parseOrganisationUrn(issuerId) : undefined;
  if (issuer === undefined) return fail("malformed-issuer-id", "/issuer/id");
  const achievementId = get(get(get(doc, "credentialSubject"), "achievement"), "id");
  const achievement = typeof achievementId === "string" ? parseEventUrn(achievementId) : undefined;
  if (achievement === undefined) return fail("malformed-achievement-id", "/credentialSubject/achievement/id");
  const method = parseVerificationMethod(verificationMethod);
  if (method === undefined) return fail("malformed-proof", "/proof/0/verificationMethod");

  const chainId = anchor.chainId;
  if (domain.chainId !== chainId) return fail("chain-mismatch", "/proof/0/eip712/domain/chainId");
  if (method.chainId !== chainId) return fail("chain-mismatch", "/proof/0/verificationMethod");
  if (issuer.chainId !== chainId) return fail("chain-mismatch", "/issuer/id");
  if (achievement.chainId !== chainId) return fail("chain-mismatch", "/credentialSubject/achievement/id");

  const registry = anchor.registry;
  if (!sameAddress(domain.verifyingContract, registry)) {
    return fail("registry-mismatch", "/proof/0/eip712/domain/verifyingContract");
  }
  if (!sameAddress(issuer.registry, registry)) return fail("registry-mismatch", "/issuer/id");
  if (!sameAddress(achievement.registry, registry))
    return fail("registry-mismatch", "/credentialSubject/achievement/id");

  const eventId = BigInt(anchor.eventId);
  if (BigInt(message.eventId) !== eventId) return fail("event-mismatch", "/proof/0/eip712/message/eventId");
  if (achievement.eventId !== eventId) return fail("event-mismatch", "/credentialSubject/achievement/id");
  if (organisationIdOfEvent(eventId) !== issuer.organisationId)
    return fail("organisation-mismatch", "/issuer/id");

  const validUntilText = get(doc, "validUntil");
  let validUntil = 0n;
  if (validUntilText !== undefined) {
    if (typeof validUntilText !== "string" || !isIsoDateTime(validUntilText)) {
      return fail("malformed-valid-until", "/validUntil");
    }
    validUntil = isoToUnixSeconds(validUntilText);
  }
  if (BigInt(message.validUntil) !== validUntil)
    return fail("valid-until-mismatch", "/proof/0/eip712/message/validUntil");

  const holder = checksummed(message.holder);
  const common = {
    ok: true as const,
    chainId,
    registry: checksummed(registry),
    eventId,
    organisationId: issuer.organisationId,
    signer: method.address,
    holder,
    validUntil,
  };
  const batch = anchor.batch;
  if (batch === undefined) {
    if (message.batchSize !== 0) return fail("batch-size-mismatch", "/proof/0/eip712/message/batchSize");
    if (message.commitment !== root) return fail("commitment-mismatch", "/proof/0/eip712/message/commitment");
    return { ...common, kind: "single", anchoredCommitment: root as Hex };
  }
  if (holder !== zeroAddress) return fail("holder-on-batch", "/proof/0/eip712/message/holder");
  if (message.batchSize !== batch.size)
    return fail("batch-size-mismatch", "/proof/0/eip712/message/batchSize");
  if (message.commitment !== batch.root) return fail("batch-root-mismatch", "/anchor/batch/root");
  if (batch.leaf !== batchLeafHash(root as Hex)) return fail("batch-leaf-mismatch", "/anchor/batch/leaf");
  if (!leadsToRoot(batch.leaf, batch.proof, batch.root, options.pairCache))
    return fail("batch-proof-invalid", "/anchor/batch/proof");
  return { ...common, kind: "batch", anchoredCommitment: batch.root, leaf: batch.leaf };
}

/**
 * Checks that the proof section signs what the document and its anchor say (see the module comment). It does
 * not check the signature ({@link checkProofSignature}) nor the commitment ({@link checkIntegrity}). Never throws.
 */
export function checkProofBinding(doc: unknown, options: BindingOptions = {}): BindingResult {
  try {
    return check(doc, options);
  } catch {
    return fail("malformed-proof", "/proof");
  }
}
