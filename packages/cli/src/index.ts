// @intyg/cli: the `intyg` program, for embedding and for adding commands. The only barrel.

export type { CommandContext, CommandModule } from "./command";
export { COMMANDS } from "./commands";
export { exitCodeOf, runVerify, type VerifyFlags, verifyCommand } from "./commands/verify";
export { type ChainConfig, findDevConfig, resolveChain } from "./config";
export { CliError, EXIT, type ExitCode } from "./errors";
export { type CliIo, processIo } from "./io";
export { createProgram, runProgram } from "./program";
export { renderReport } from "./render";
