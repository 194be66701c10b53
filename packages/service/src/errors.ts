// Typed errors. Every error the HTTP layer turns into an RFC 9457 problem document is a ProblemError;
// anything else becomes a 500 with no detail leaked.

export type ValidationIssue = { path: string; message: string; code?: string };

export type ProblemType =
  | "bad-request"
  | "validation"
  | "unauthorized"
  | "forbidden"
  | "not-found"
  | "conflict"
  | "idempotency-key-reused"
  | "idempotency-key-in-use"
  | "payload-too-large"
  | "unsupported-media-type"
  | "gone"
  | "rate-limited"
  | "not-implemented"
  | "chain-unavailable"
  | "unavailable"
  | "internal";

export const PROBLEM_TITLES: Record<ProblemType, string> = {
  "bad-request": "Bad request",
  validation: "Invalid request",
  unauthorized: "Unauthorized",
  forbidden: "Forbidden",
  "not-found": "Not found",
  conflict: "Conflict",
  "idempotency-key-reused": "Idempotency key reused with a different request",
  "idempotency-key-in-use": "A request with this idempotency key is in progress",
  "payload-too-large": "Payload too large",
  "unsupported-media-type": "Unsupported media type",
  gone: "Gone",
  "rate-limited": "Too many requests",
  "not-implemented": "Not implemented",
  "chain-unavailable": "Chain unavailable",
  unavailable: "Service unavailable",
  internal: "Internal server error",
};

export class ProblemError extends Error {
  override name = "ProblemError";
  constructor(
    readonly status: number,
    readonly type: ProblemType,
    detail?: string,
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(detail ?? PROBLEM_TITLES[type]);
  }
  get title(): string {
    return PROBLEM_TITLES[this.type];
  }
}

export class BadRequestError extends ProblemError {
  override name = "BadRequestError";
  constructor(detail: string, extensions?: Record<string, unknown>) {
    super(400, "bad-request", detail, extensions);
  }
}

export class ValidationError extends ProblemError {
  override name = "ValidationError";
  constructor(
    detail: string,
    readonly errors: ValidationIssue[],
  ) {
    super(400, "validation", detail, { errors });
  }
}

export class UnauthorizedError extends ProblemError {
  override name = "UnauthorizedError";
  constructor(detail = "A valid API key is required: Authorization: Bearer <key>") {
    super(401, "unauthorized", detail);
  }
}

export class ForbiddenError extends ProblemError {
  override name = "ForbiddenError";
  constructor(detail: string) {
    super(403, "forbidden", detail);
  }
}

export class NotFoundError extends ProblemError {
  override name = "NotFoundError";
  constructor(what: string) {
    super(404, "not-found", `${what} not found`);
  }
}

export class ConflictError extends ProblemError {
  override name = "ConflictError";
  constructor(detail: string, extensions?: Record<string, unknown>) {
    super(409, "conflict", detail, extensions);
  }
}

export class UnprocessableError extends ProblemError {
  override name = "UnprocessableError";
  constructor(detail: string, extensions?: Record<string, unknown>) {
    super(422, "validation", detail, extensions);
  }
}

export class GoneError extends ProblemError {
  override name = "GoneError";
  constructor(detail: string) {
    super(410, "gone", detail);
  }
}

export class NotImplementedError extends ProblemError {
  override name = "NotImplementedError";
  constructor(detail: string) {
    super(501, "not-implemented", detail);
  }
}

export class ChainUnavailableError extends ProblemError {
  override name = "ChainUnavailableError";
  constructor(detail: string) {
    super(503, "chain-unavailable", detail);
  }
}

/** A configuration value is missing or malformed. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

/** The signer could not be created or refused to sign. */
export class SignerError extends Error {
  override name = "SignerError";
}

/** A database operation failed in a way callers may want to tell apart. */
export class StoreError extends Error {
  override name = "StoreError";
}

/**
 * The base of the service's own errors outside HTTP: a short message, a stable `code` to tell them apart, and
 * the `cause` that led to it.
 */
export class ServiceError extends Error {
  override name = "ServiceError";
  constructor(
    readonly code: string,
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(message, options);
  }
}
