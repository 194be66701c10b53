// @intyg/cli: the `intyg` program, for embedding and for adding commands. The only barrel.

export {
  type Attendee,
  type AttendeeList,
  type CsvRecord,
  type CsvTable,
  csvField,
  formatCsv,
  formatRowErrors,
  type IssuanceTarget,
  MAX_ROWS,
  parseCsv,
  parseExpiry,
  type RowError,
  readAttendees,
} from "@intyg/credential";
export type { CommandContext, CommandModule } from "./command";
export { COMMANDS } from "./commands";
export { exitCodeOf, runVerify, type VerifyFlags, verifyCommand } from "./commands/verify";
export { type ChainConfig, type DevConfig, findDevConfig, resolveChain } from "./config";
export { CliError, EXIT, type ExitCode } from "./errors";
export { type CliIo, processIo } from "./io";
// Organiser side: the service client, attendee files and bulk issuance (used by scripts/demo.ts as well).
export {
  ApiError,
  type BulkResult,
  type CredentialResource,
  checkServiceUrl,
  type EventResource,
  type Job,
  type Organisation,
  ServiceClient,
  type Session,
} from "./organiser/api";
export {
  defaultIdempotencyKey,
  type IssueOptions,
  type IssueOutcome,
  issueFromCsv,
  pollJob,
  waitForAnchoring,
} from "./organiser/issue";
export { type Progress, progressBar } from "./organiser/progress";
export { credentialsPath, resolveSession } from "./organiser/session";
export { createProgram, runProgram } from "./program";
export { renderReport } from "./render";
