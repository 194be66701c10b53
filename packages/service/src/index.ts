// @intyg/service: the Intyg issuer service.

export {
  accreditCommand,
  type RegisteredOrganisation,
  type RegistrySource,
  readRegisteredOrganisation,
  registryClient,
  requireAccreditation,
} from "./accreditation";
export { type BootstrapInput, type BootstrapResult, bootstrap } from "./bootstrap";
export {
  type ChainClient,
  ChainRevertError,
  ChainRpcError,
  type CreateChainClientParameters,
  classifyChainError,
  createChainClient,
  NonceManager,
  NonceTakenError,
  type RegistryRecord,
  TransactionDroppedError,
  type TxReceipt,
  type WaitOptions,
} from "./chain/client";
export { publishProfileHash } from "./chain/profile";
export { type Clock, systemClock } from "./clock";
export {
  DEFAULT_WORKER_CONFIG,
  defaultConfig,
  loadConfig,
  loadSignerSource,
  type RateLimitConfig,
  type ServiceConfig,
  type SignerSource,
  type WorkerConfig,
} from "./config";
export * from "./errors";
export { type App, createApp } from "./http/app";
export type { AppDeps, AppEnv, AuthContext, CredentialVerifier } from "./http/context";
export { createLogger, errorText, type Logger, logFileFromEnv, REDACT_PATHS, silentLogger } from "./logger";
export { main } from "./main";
export {
  type OnboardInput,
  OnboardInputSchema,
  type Onboarding,
  prepareOnboarding,
} from "./onboard";
export { issuanceThreadsReady } from "./parallel/pool";
export { type Keyring, loadKeyring } from "./privacy/keyring";
export {
  checkProfiles,
  loadSigner,
  type RunningService,
  type StartServiceOptions,
  startService,
} from "./service";
export {
  encryptKeystore,
  keystoreFileSigner,
  keystoreSigner,
  privateKeySigner,
  type Signer,
  signerAccount,
} from "./signer";
export {
  type Database,
  dropPostgresSchema,
  type LeaderLock,
  openPglite,
  openPostgres,
  type Queryable,
} from "./store/db";
export { loadMigrations, migrate } from "./store/migrate";
export { type CreateStoreOptions, createStore, hashApiKey, type Store } from "./store/store";
export type * from "./store/types";
export { type CreateVerificationParameters, createVerification } from "./verification";
export {
  LEADER_LOCK_KEY,
  type StartWorkerOptions,
  startWorker,
  type TickSummary,
  type Worker,
  type WorkerDeps,
} from "./worker/worker";
