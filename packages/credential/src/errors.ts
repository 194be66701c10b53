// Typed errors of @intyg/credential. Messages are short and never carry personal data: a claim is named by
// its JSON pointer path, never by its value.

import { IntygError, type IntygErrorDetails } from "./intyg-error";

/** Details attached to an error: paths, codes and counts, never claim values. */
export type IntygCredentialErrorDetails = IntygErrorDetails;

/** The stable code of each error of this package (one per class). */
export type CredentialErrorCode =
  | "credential.error"
  | "credential.invalid"
  | "credential.canonicalization"
  | "credential.integrity"
  | "credential.claim-path"
  | "credential.binding"
  | "credential.batch"
  | "credential.proof"
  | "credential.share-link"
  | "credential.share-link-truncated"
  | "credential.invalid-parameter"
  | "credential.unknown-context";

/** The base class of every error this package throws. */
export class IntygCredentialError extends IntygError<CredentialErrorCode> {
  override name = "IntygCredentialError";

  constructor(message: string, details: IntygCredentialErrorDetails = {}, options: { cause?: unknown } = {}) {
    super(message, { code: "credential.error", details, cause: options.cause });
  }
}

/** One problem found by a schema, named by its path in the document (no value is included). */
export type SchemaIssue = { path: string; code: string; message: string };

/** A document or a builder's parameters do not match the credential schema. */
export class InvalidCredentialError extends IntygCredentialError {
  override name = "InvalidCredentialError";
  override readonly code = "credential.invalid";
  readonly issues: readonly SchemaIssue[];

  constructor(issues: readonly SchemaIssue[]) {
    super(`Invalid credential (${issues.length} problem${issues.length === 1 ? "" : "s"})`, { issues });
    this.issues = issues;
  }
}

/** A value cannot be put in canonical JSON (RFC 8785): undefined, a function, NaN or an infinite number. */
export class CanonicalizationError extends IntygCredentialError {
  override name = "CanonicalizationError";
  override readonly code = "credential.canonicalization";
}

/** A credential's commitment does not match its claims. `details.reason` is an {@link IntegrityFailureReason}. */
export class IntegrityError extends IntygCredentialError {
  override name = "IntegrityError";
  override readonly code = "credential.integrity";
}

/** A claim path is unknown, malformed, or names a claim that may not be hidden. */
export class ClaimPathError extends IntygCredentialError {
  override name = "ClaimPathError";
  override readonly code = "credential.claim-path";
}

/** The parameters of a signature or a batch are inconsistent with the credential (chain, registry, event). */
export class BindingError extends IntygCredentialError {
  override name = "BindingError";
  override readonly code = "credential.binding";
}

/** A batch cannot be built: empty, duplicate credentials, or credentials of different events or validity. */
export class BatchError extends IntygCredentialError {
  override name = "BatchError";
  override readonly code = "credential.batch";
}

/** A proof section is missing or malformed, so no digest or signer can be derived from it. */
export class ProofError extends IntygCredentialError {
  override name = "ProofError";
  override readonly code = "credential.proof";
}

/** A share link or fragment cannot be decoded: not base64url, damaged, too large, or not a credential. */
export class ShareLinkError extends IntygCredentialError {
  override name = "ShareLinkError";
  override readonly code: CredentialErrorCode = "credential.share-link";
}

/** A share link ends early: its compressed data stops before the end of the credential. */
export class ShareLinkTruncatedError extends ShareLinkError {
  override name = "ShareLinkTruncatedError";
  override readonly code = "credential.share-link-truncated";
}

/** A parameter is out of range or malformed (an id, a deadline, an address). */
export class InvalidParameterError extends IntygCredentialError {
  override name = "InvalidParameterError";
  override readonly code = "credential.invalid-parameter";
}

/** A JSON-LD processor asked for a context this package does not ship (it never fetches one). */
export class UnknownContextError extends IntygCredentialError {
  override name = "UnknownContextError";
  override readonly code = "credential.unknown-context";
}
