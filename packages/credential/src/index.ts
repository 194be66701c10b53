// @intyg/credential: the Intyg credential format. This is the package's only barrel.

// Attendee spreadsheets (CSV reading and the checks of an attendee list), for the CLI and the service
export {
  type CsvRecord,
  type CsvSyntaxError,
  type CsvTable,
  csvField,
  decodeCsvBytes,
  detectSeparator,
  formatCsv,
  parseCsv,
  parseCsvText,
} from "./attendees/csv";
export {
  ATTENDEE_FIELDS,
  type Attendee,
  type AttendeeField,
  type AttendeeList,
  type AttendeeRow,
  type ColumnChoice,
  type ColumnMapping,
  csvSheet,
  formatRowErrors,
  type IssuanceTarget,
  MAX_ROWS,
  parseExpiry,
  type ReadOptions,
  type RowError,
  readAttendees,
  readAttendeeTable,
  type SheetTable,
  suggestField,
} from "./attendees/read";
export {
  type AnchoredCredential,
  type Batch,
  type BatchTarget,
  type BatchTree,
  type BatchTreeResult,
  type BuildBatchOptions,
  batchLeafHash,
  buildBatch,
  buildBatchTree,
  verifyBatchProof,
} from "./batch";
export {
  type BindingFailureReason,
  type BindingOptions,
  type BindingResult,
  checkProofBinding,
} from "./binding";
// Building, signing, batches, proofs
export {
  type AttendanceEventParams,
  type BuildAttendanceCredentialParams,
  type BuildCourseCredentialParams,
  type BuildCredentialParams,
  buildAttendanceCredential,
  buildCourseCredential,
  type CourseParams,
  type IssuerParams,
  partUrl,
  type SubjectParams,
} from "./build";
export { canonicalJson } from "./canonical";
// Claims, commitment, integrity, disclosure
export {
  type ClaimLocation,
  claimPath,
  documentClaimPaths,
  isHideableClaimPath,
  NON_CLAIM_PROPERTIES,
  parseClaimPath,
  REQUIRED_CLAIM_PATHS,
  UNHIDEABLE_SUBJECT_PROPERTIES,
} from "./claims";
export {
  type ComputeCommitmentOptions,
  claimDigest,
  commitCredential,
  commitmentRoot,
  computeCommitment,
} from "./commitment";
export {
  ANCHOR_TYPE,
  ATTENDANCE_ACHIEVEMENT_TYPE,
  BATCH_LEAF_ENCODING,
  COMMITMENT_TYPE,
  COURSE_ACHIEVEMENT_TYPE,
  CREDENTIAL_CONTEXT,
  CREDENTIAL_TYPE,
  MAX_VALID_UNTIL_SECONDS,
  PROOF_PURPOSE,
  PROOF_TYPE,
} from "./constants";
// JSON-LD contexts (shipped, never fetched)
export {
  INTYG_CONTEXT,
  INTYG_CONTEXT_URL,
  INTYG_VOCABULARY,
  KNOWN_CONTEXTS,
  type LoadedContext,
  localContextLoader,
} from "./context";
export { type DiscloseOptions, discloseCredential, hideableClaimPaths } from "./disclose";
export * from "./eip712";
export {
  BatchError,
  BindingError,
  CanonicalizationError,
  ClaimPathError,
  type CredentialErrorCode,
  IntegrityError,
  IntygCredentialError,
  type IntygCredentialErrorDetails,
  InvalidCredentialError,
  InvalidParameterError,
  ProofError,
  type SchemaIssue,
  ShareLinkError,
  ShareLinkTruncatedError,
  UnknownContextError,
} from "./errors";
// Identifiers and values
export { isEscoSkillUri } from "./esco";
export { keccak256, keccakReady, type PairHashCache, processProofCached } from "./hash";
export { holderIdentifier, type IdentitySource, identityHash, identitySource } from "./identity";
export {
  checkIntegrity,
  credentialHash,
  type IntegrityFailureReason,
  type IntegrityOptions,
  type IntegrityResult,
} from "./integrity";
export { hasErrorCode, IntygError, type IntygErrorDetails, type IntygErrorOptions } from "./intyg-error";
export {
  type BuildIssueRequestParams,
  buildIssueRequest,
  hashIssueRequest,
  type IssueRequestTypedData,
  issueRequestFromMessage,
  issueRequestToMessage,
  issueRequestTypedData,
} from "./issue-request";
export { decodeUtf8Strict, findDuplicateKey } from "./json-text";
export { acceptLanguageLang, isLang, LANGS, type Lang } from "./lang";
export { isOrganisationNumber, luhnCheckDigit } from "./orgnr";
export { eventMetadataHash, organisationNumberHash, organisationProfileHash } from "./profile-hash";
export {
  checkProofSignature,
  createSignerCache,
  parseVerificationMethod,
  proofDigest,
  proofTypedData,
  recoverProofSigner,
  type SignatureCheckOptions,
  type SignatureCheckResult,
  type SignatureFailureReason,
  type SignerCache,
  useSmallGeneratorTable,
  verificationMethodFor,
} from "./proof";
export { randomSalt, randomUuidUrn, type SaltGenerator } from "./random";
// Schemas and their types
export {
  type Achievement,
  type AchievementPart,
  type AttendanceAchievement,
  achievementPartSchema,
  achievementSchema,
  achievementSkills,
  attendanceAchievementSchema,
  type CourseAchievement,
  courseAchievementSchema,
  type EscoAlignment,
  type EventPart,
  escoAlignmentSchema,
  escoSkillUriSchema,
  eventPartSchema,
  eventUrnSchema,
  PART_KINDS,
  type PartKind,
  type Skill,
  skillSchema,
} from "./schema/achievement";
export { anchorSchema, type BatchAnchor, batchAnchorSchema, type CredentialAnchor } from "./schema/anchor";
export {
  type ClaimEntry,
  type Commitment,
  commitmentSchema,
  hiddenClaimSchema,
  revealedClaimSchema,
} from "./schema/commitment";
export {
  type Credential,
  type CredentialBody,
  credentialBodySchema,
  credentialSchema,
  type UnsignedCredential,
  unsignedCredentialSchema,
} from "./schema/credential";
export {
  type IssuerProfile,
  issuerProfileSchema,
  organisationNumberSchema,
  organisationUrnSchema,
} from "./schema/issuer";
export {
  addressSchema,
  bytes32Schema,
  dateOrDateTimeSchema,
  dateSchema,
  dateTimeSchema,
  saltSchema,
  signatureSchema,
  uint64StringSchema,
} from "./schema/primitives";
export {
  type CredentialProof,
  type CredentialProofSet,
  eip712DomainSchema,
  type IssueRequestMessage,
  issueRequestMessageSchema,
  issueRequestTypesSchema,
  proofSchema,
  proofSetSchema,
  verificationMethodSchema,
} from "./schema/proof";
export {
  type CredentialSubject,
  type IdentityObject,
  identityObjectSchema,
  RESULT_STATUSES,
  type Result,
  resultSchema,
  SUBJECT_ROLES,
  type SubjectRole,
  subjectClaimsShape,
  subjectSchema,
} from "./schema/subject";
// Share links
export {
  decodeShareFragment,
  decodeShareFragmentJson,
  decodeShareFragmentText,
  encodeShareFragment,
  MAX_SHARE_JSON_BYTES,
  parseShareUrl,
  SHARE_FRAGMENT_PREFIX,
  shareUrl,
} from "./share";
export {
  type CredentialSigner,
  type SignCommonParams,
  type SignCredentialParams,
  type SignedBatch,
  signBatch,
  signBatchRoot,
  signCredential,
} from "./sign";
// The status model of an issued credential (service, CLI and organiser app)
export {
  CREDENTIAL_STANDINGS,
  CREDENTIAL_STATES,
  type CredentialStanding,
  type CredentialState,
  DELIVERY_STATUSES,
  type DeliveryStatus,
} from "./status";
export { credentialStandingSchema, credentialStateSchema, deliveryStatusSchema } from "./status-schemas";
export { isIsoDate, isIsoDateTime, isoToUnixSeconds, toIsoSeconds } from "./time";
export {
  type EventUrnParts,
  eventUrn,
  type OrganisationUrnParts,
  organisationIdOfEvent,
  organisationUrn,
  parseEventUrn,
  parseOrganisationUrn,
} from "./urn";
export {
  type CredentialJsonCheck,
  checkCredentialJson,
  parseCredential,
  parseUnsignedCredential,
  type SectionTexts,
  toSchemaIssues,
} from "./validate";
export type { Address, Hex } from "./viem";
