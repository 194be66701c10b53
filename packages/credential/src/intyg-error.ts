// The one base of every error Intyg's packages throw. Like viem's BaseError it carries a short message, structured
// details and a cause; unlike it, a stable `code` that callers branch on and that user-facing layers translate
// (the message is for logs and developers, and stays in English). Messages and details never carry personal
// data: a claim is named by its path, a person by nothing at all.

/** Details attached to an error: paths, codes and counts, never personal data. */
export type IntygErrorDetails = Record<string, unknown>;

export type IntygErrorOptions<Code extends string = string> = {
  /** Stable across releases: `<package or area>.<what>`, for example `credential.invalid`. */
  code: Code;
  details?: IntygErrorDetails | undefined;
  cause?: unknown;
};

/** The base class of every error of Intyg's packages. `message` is the short message. */
export class IntygError<Code extends string = string> extends Error {
  override name = "IntygError";
  readonly code: Code;
  readonly details: IntygErrorDetails;

  constructor(shortMessage: string, options: IntygErrorOptions<Code>) {
    super(shortMessage, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code;
    this.details = options.details ?? {};
  }
}

/** Whether `error` is an Intyg error with `code` (across copies of the package, so not by `instanceof` alone). */
export function hasErrorCode<Code extends string>(error: unknown, code: Code): error is IntygError<Code> {
  return error instanceof Error && (error as { code?: unknown }).code === code;
}
