// @intyg/registry: the registry's ABI and bytecode, its enums and reason codes, and a typed reader of its views.

export { EVENT_KIND, type EventKind, ORGANISATION_STATUS, type OrganisationStatus } from "./enums";
export {
  intygForwarderAbi,
  intygRegistryAbi,
  intygRegistryBytecode,
  intygRegistryReadAbi,
  intygSoulboundAbi,
} from "./generated";
export {
  accreditCall,
  approveProfileCall,
  GOVERNANCE_ROLES,
  type GovernanceCall,
  type GovernanceFunction,
  type GovernanceRoleName,
  methodOf,
  roleCall,
  type SafeBatch,
  type SafeBatchParameters,
  safeBatch,
  statusCall,
} from "./governance";
export {
  type ReadRegistryViewParameters,
  type ReadRegistryViewsParameters,
  type ReadViewParameters,
  type RegistryViewResult,
  readBatchMember,
  readEvent,
  readLeafRevocation,
  readOrganisation,
  readProfileHistory,
  readRecord,
  readRegistryView,
  readRegistryViews,
  readSigningKey,
  readSupersededBy,
} from "./read";
export {
  REVOCATION_REASONS,
  type RevocationReason,
  revocationReasonCode,
  revocationReasonName,
} from "./reasons";
export type {
  EventState,
  LeafRevocationState,
  OrganisationState,
  ProfileVersionState,
  RecordState,
  SigningKeyState,
} from "./state";
export {
  decodeRegistryView,
  emptyRegistryView,
  type RegistryView,
  type RegistryViewCall,
  type RegistryViewKind,
  type RegistryViewParameters,
  type RegistryViewReturn,
  type RegistryViewValue,
  type RegistryViewValues,
  registryViewCall,
  ZERO_ADDRESS,
  ZERO_HASH,
} from "./views";
