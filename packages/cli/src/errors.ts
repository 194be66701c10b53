// Exit codes and the error that carries one. Every command ends with one of these codes.

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

/** A problem that ends a command with a message and an exit code (2 unless said otherwise). */
export class CliError extends Error {
  override name = "CliError";
  constructor(
    message: string,
    readonly exitCode: ExitCode = EXIT.usage,
  ) {
    super(message);
  }
}
