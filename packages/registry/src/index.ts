export { intygRegistryAbi, intygRegistryBytecode, intygSoulboundAbi } from "./generated";
export {
  REVOCATION_REASONS,
  type RevocationReason,
  revocationReasonCode,
  revocationReasonName,
} from "./reasons";
