// Typed errors of @intyg/credential. Messages are short and never carry personal data: a claim is named by
// its JSON pointer path, never by its value.

/** Details attached to an error: paths, codes and counts, never claim values. */
export type IntygCredentialErrorDetails = Record<string, unknown>;

/** The base class of every error this package throws. */
export class IntygCredentialError extends Error {
  override name = "IntygCredentialError";
  readonly details: IntygCredentialErrorDetails;

  constructor(message: string, details: IntygCredentialErrorDetails = {}) {
    super(message);
    this.details = details;
  }
}

/** One problem found by a schema, named by its path in the document (no value is included). */
export type SchemaIssue = { path: string; code: string; message: string };

/** A document or a builder's parameters do not match the credential schema. */
export class InvalidCredentialError extends IntygCredentialError {
  override name = "InvalidCredentialError";
  readonly issues: readonly SchemaIssue[];

  constructor(issues: readonly SchemaIssue[]) {
    super(`Invalid credential (${issues.length} problem${issues.length === 1 ? "" : "s"})`, { issues });
    this.issues = issues;
  }
}

/** A value cannot be put in canonical JSON (RFC 8785): undefined, a function, NaN or an infinite number. */
export class CanonicalizationError extends IntygCredentialError {
  override name = "CanonicalizationError";
}

/** A credential's commitment does not match its claims. `details.reason` is an {@link IntegrityFailureReason}. */
export class IntegrityError extends IntygCredentialError {
  override name = "IntegrityError";
}

/** A claim path is unknown, malformed, or names a claim that may not be hidden. */
export class ClaimPathError extends IntygCredentialError {
  override name = "ClaimPathError";
}

/** The parameters of a signature or a batch are inconsistent with the credential (chain, registry, event). */
export class BindingError extends IntygCredentialError {
  override name = "BindingError";
}

/** A batch cannot be built: empty, duplicate credentials, or credentials of different events or validity. */
export class BatchError extends IntygCredentialError {
  override name = "BatchError";
}

/** A proof section is missing or malformed, so no digest or signer can be derived from it. */
export class ProofError extends IntygCredentialError {
  override name = "ProofError";
}

/** A share link or fragment cannot be decoded: not base64url, damaged, too large, or not a credential. */
export class ShareLinkError extends IntygCredentialError {
  override name = "ShareLinkError";
}

/** A share link ends early: its compressed data stops before the end of the credential. */
export class ShareLinkTruncatedError extends ShareLinkError {
  override name = "ShareLinkTruncatedError";
}

/** A parameter is out of range or malformed (an id, a deadline, an address). */
export class InvalidParameterError extends IntygCredentialError {
  override name = "InvalidParameterError";
}

/** A JSON-LD processor asked for a context this package does not ship (it never fetches one). */
export class UnknownContextError extends IntygCredentialError {
  override name = "UnknownContextError";
}
