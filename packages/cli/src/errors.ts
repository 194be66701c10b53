// Exit codes and the error that carries one. Every command ends with one of these codes.

import { IntygError } from "@intyg/credential";

export const EXIT = {
  /** Verified (or the command succeeded). */
  ok: 0,
  /** Not verified. */
  notVerified: 1,
  /** The service failed or could not be reached (organiser commands). */
  failure: 1,
  /** Unusable input, or a usage error. */
  usage: 2,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** The stable code of a CLI error: unusable input, a failure, or an error answer of the service. */
export type CliErrorCode = "cli.usage" | "cli.failure" | "cli.service";

/** A problem that ends a command with a message and an exit code (2 unless said otherwise). */
export class CliError extends IntygError<CliErrorCode> {
  override name = "CliError";
  constructor(
    message: string,
    readonly exitCode: ExitCode = EXIT.usage,
    options: { cause?: unknown } = {},
  ) {
    super(message, { code: exitCode === EXIT.usage ? "cli.usage" : "cli.failure", cause: options.cause });
  }
}
