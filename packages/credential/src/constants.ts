// Fixed names of the Intyg credential format.

/** The JSON-LD contexts of every Intyg credential, in this order. */
export const CREDENTIAL_CONTEXT = [
  "https://www.w3.org/ns/credentials/v2",
  "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
  "https://intyg.se/ns/credentials/v1",
] as const;

/** The `type` of every Intyg credential. */
export const CREDENTIAL_TYPE = ["VerifiableCredential", "OpenBadgeCredential"] as const;

/** The `achievementType` of an event attended (not in Open Badges' vocabulary, hence `ext:`). */
export const ATTENDANCE_ACHIEVEMENT_TYPE = "ext:Attendance";

/** The `achievementType` of a course completed (Open Badges' own). */
export const COURSE_ACHIEVEMENT_TYPE = "Course";

/** The `type` of the commitment section. */
export const COMMITMENT_TYPE = "IntygSaltedMerkleCommitment2026";

/**
 * The `type` of the proof section: an EIP-712 signature over the registry's `IssueRequest` (which holds the
 * commitment root, or a batch root), not over the credential, so it has its own name in Intyg's context.
 */
export const PROOF_TYPE = "IntygEip712IssueRequestProof2026";

/** The `proofPurpose` of the proof section. */
export const PROOF_PURPOSE = "assertionMethod";

/** The `type` of the anchor section. */
export const ANCHOR_TYPE = "IntygRegistryAnchor2026";

/** The leaf encoding of a batch tree: one `bytes32`, the credential's commitment root. */
export const BATCH_LEAF_ENCODING = ["bytes32"] as const;

/** The largest `validUntil` the registry accepts (it stores 40 bits of unix seconds). */
export const MAX_VALID_UNTIL_SECONDS = 2n ** 40n - 1n;
