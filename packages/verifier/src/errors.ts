// Typed errors of @intyg/verifier. Verification itself never throws on a bad credential (it returns a failed
// report); these are thrown by the building blocks: readers, snapshots and options.

import { IntygError } from "@intyg/credential";

/** The stable code of each error of this package (one per class). */
export type VerifierErrorCode =
  | "verifier.error"
  | "verifier.registry-read"
  | "verifier.snapshot"
  | "verifier.options"
  | "verifier.file";

export class IntygVerifierError extends IntygError<VerifierErrorCode> {
  override name = "IntygVerifierError";

  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { code: "verifier.error", cause: options.cause });
  }
}

/** Why the registry could not be read. */
export type RegistryReadFailure = "chain-unavailable" | "no-registry" | "read-failed";

/** The chain could not be reached or the registry could not be read. */
export class RegistryReadError extends IntygVerifierError {
  override name = "RegistryReadError";
  override readonly code = "verifier.registry-read";
  readonly reason: RegistryReadFailure;

  constructor(message: string, options: { cause?: unknown; reason?: RegistryReadFailure } = {}) {
    super(message, { cause: options.cause });
    this.reason = options.reason ?? "read-failed";
    this.details.reason = this.reason;
  }
}

/** A snapshot file is not a registry snapshot, or is damaged. */
export class SnapshotError extends IntygVerifierError {
  override name = "SnapshotError";
  override readonly code = "verifier.snapshot";
}

/** The options of a verification are unusable (no chain to read, a malformed registry address). */
export class VerifierOptionsError extends IntygVerifierError {
  override name = "VerifierOptionsError";
  override readonly code = "verifier.options";
}

/** A credential file of a run could not be read (a run of files stops at the first such file). */
export class CredentialFileError extends IntygVerifierError {
  override name = "CredentialFileError";
  override readonly code = "verifier.file";
  /** The path as it was given. */
  readonly file: string;
  /** The system's code for why, such as ENOENT or EACCES, where it gave one. */
  readonly errno: string | undefined;

  constructor(file: string, options: { cause?: unknown } = {}) {
    const errno = (options.cause as { code?: unknown } | undefined)?.code;
    const code = typeof errno === "string" ? errno : undefined;
    super(code === "ENOENT" ? `No such file: ${file}` : `Cannot read ${file}`, { cause: options.cause });
    this.file = file;
    this.errno = code;
    this.details.file = file;
    if (code) this.details.errno = code;
  }
}
