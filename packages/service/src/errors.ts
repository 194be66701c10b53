// Typed errors. Every error of the service extends Intyg's one base (`IntygError`): a stable code, an English
// message for logs, details and a cause. Domain modules throw ServiceErrors by code and know nothing of HTTP;
// the HTTP layer maps each code to a problem status and type (http/problem.ts) and words the detail in the
// request's language (errors-text.ts). Anything else becomes a 500 with no detail leaked.

import { IntygError } from "@intyg/credential/error";
import {
  type ErrorTextParams,
  errorText,
  PROBLEM_TITLES,
  type ProblemType,
  type ServiceErrorCode,
} from "./errors-text";

export { type ErrorTextParams, errorText, PROBLEM_TITLES, type ProblemType, type ServiceErrorCode };

export type ValidationIssue = { path: string; message: string; code?: string };

export type ServiceErrorOptions = {
  /** Fields added to the problem document as they are (`errors`, `retryAfter`, `statusUrl`). */
  extensions?: Record<string, unknown>;
  cause?: unknown;
};

/** An error of the service, named by its code; `params` fill in its text in either language. */
export class ServiceError<Code extends ServiceErrorCode = ServiceErrorCode> extends IntygError<Code> {
  override name = "ServiceError";
  readonly params: ErrorTextParams;
  readonly extensions: Record<string, unknown>;

  constructor(code: Code, params: ErrorTextParams = {}, options: ServiceErrorOptions = {}) {
    super(errorText("en", code, params), { code, details: { ...params }, cause: options.cause });
    this.params = params;
    this.extensions = options.extensions ?? {};
  }
}

/**
 * A problem with its HTTP status and type given where it is raised, and a free English detail (which Swedish
 * replaces with a sentence for its type). Code that has an error code throws a ServiceError instead.
 */
export class ProblemError extends ServiceError {
  override name = "ProblemError";
  constructor(
    readonly status: number,
    readonly type: ProblemType,
    detail?: string,
    extensions: Record<string, unknown> = {},
  ) {
    super(`problem.${type}`, detail === undefined ? {} : { detail }, { extensions });
  }
  get title(): string {
    return PROBLEM_TITLES.en[this.type];
  }
}

export class BadRequestError extends ProblemError {
  override name = "BadRequestError";
  constructor(detail: string, extensions?: Record<string, unknown>) {
    super(400, "bad-request", detail, extensions);
  }
}

/** A request whose values are refused, with one issue per value (by JSON pointer, never the value). */
export class ValidationError extends ServiceError {
  override name = "ValidationError";
  constructor(
    code: ServiceErrorCode,
    readonly errors: ValidationIssue[],
    params: ErrorTextParams = {},
  ) {
    super(code, params, { extensions: { errors } });
  }
}

/** Something the request names does not exist (or belongs to another organisation). */
export class NotFoundError extends ServiceError {
  override name = "NotFoundError";
  constructor(what: NotFoundWhat) {
    super(`not-found.${what}`);
  }
}

export type NotFoundWhat = ServiceErrorCode extends infer C
  ? C extends `not-found.${infer W}`
    ? W
    : never
  : never;

/** The request reused an idempotency key with a different body. */
export class IdempotencyMismatchError extends ServiceError {
  override name = "IdempotencyMismatchError";
  constructor() {
    super("request.idempotency-key-reused");
  }
}

/** A configuration value is missing or malformed. */
export class ConfigError extends IntygError<"service.config"> {
  override name = "ConfigError";
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { code: "service.config", cause: options.cause });
  }
}

/** The signer could not be created or refused to sign. */
export class SignerError extends IntygError<"service.signer"> {
  override name = "SignerError";
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { code: "service.signer", cause: options.cause });
  }
}

/** A database operation failed in a way callers may want to tell apart. */
export class StoreError extends IntygError<"service.store"> {
  override name = "StoreError";
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { code: "service.store", cause: options.cause });
  }
}
