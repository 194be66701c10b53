export { DEV_PRIVATE_KEYS, DEV_ROLES } from "./accounts";
export {
  type DevChain,
  DevChainError,
  freePort,
  repositoryRoot,
  type StartDevChainParameters,
  startDevChain,
} from "./chain";
export {
  DEMO_ORGANISATION,
  type DemoDeployment,
  type DemoProfile,
  type DeployDemoParameters,
  deployDemo,
} from "./demo";
export {
  type DeployRegistryParameters,
  deployRegistry,
  localChain,
  type SeedOrganisationParameters,
  seedOrganisation,
} from "./deploy";
