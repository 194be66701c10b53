// The registry's governance actions as calls: @intyg/registry's, shared with the service's onboarding so that
// both write the same calldata.

export {
  accreditCall,
  approveProfileCall,
  GOVERNANCE_ROLES as ROLES,
  type GovernanceCall,
  type GovernanceFunction,
  type GovernanceRoleName as RoleName,
  methodOf,
  roleCall,
  statusCall,
} from "@intyg/registry";
