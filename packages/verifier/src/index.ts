// @intyg/verifier: verifies Intyg credentials and presentations, online or on a snapshot. The only barrel.

export { CHECK_DEPENDENCIES } from "./checks";
export {
  type CredentialDescription,
  type DescribedField,
  describeCredential,
  formatDate,
  formatDateRange,
} from "./describe";
export {
  CredentialFileError,
  IntygVerifierError,
  RegistryReadError,
  type RegistryReadFailure,
  SnapshotError,
  type VerifierErrorCode,
  VerifierOptionsError,
} from "./errors";
export { DEFAULT_INPUT_LIMITS, type InputLimits, type InputResult, readDocument } from "./input";
export { CHECK_NAMES, formatAge, formatTime, type MessageKey, message, reasonText } from "./messages";
export type { VerifyOptions } from "./options";
export {
  addressOfDid,
  type CreatePresentationParameters,
  createPresentation,
  holderDid,
  PRESENTATION_EIP712_PROOF,
  PRESENTATION_PERSONAL_SIGN_PROOF,
  type PresentationPayload,
  presentationDomain,
  presentationHash,
  presentationMessage,
  presentationTypedData,
  presentationTypes,
  type VerifiablePresentation,
  type VerifyPresentationOptions,
  verifyPresentation,
} from "./presentation";
export {
  type CreateRpcReaderParameters,
  createReadClient,
  createRegistryClient,
  createRpcReader,
  type ReadClientOptions,
} from "./registry/rpc";
export {
  createSnapshotReader,
  type ParsedSnapshot,
  parseSnapshot,
  type RecordSnapshotParameters,
  type RegistrySnapshot,
  recordSnapshot,
  SNAPSHOT_FORMAT,
} from "./registry/snapshot";
export type {
  EventState,
  LeafRevocationState,
  OrganisationState,
  ReaderContext,
  RecordState,
  RegistryQuery,
  RegistryReader,
  SigningKeyState,
} from "./registry/state";
export { isShareLink, readShareLink } from "./share";
export {
  CHECK_IDS,
  type ChainSummary,
  type Check,
  type CheckId,
  type CheckStatus,
  type CredentialSummary,
  type DisclosedClaim,
  type Lang,
  type RecordStatus,
  type TrustAnchor,
  type TrustSource,
  type VerificationReport,
} from "./types";
export {
  createVcApiVerifier,
  PROBLEM_TYPE_BASE,
  type VcApiProblemDetail,
  type VcApiVerificationResult,
  type VcApiVerifier,
} from "./vcapi";
export { verifyCredential, verifyCredentials } from "./verify";
