// Typed errors of @intyg/verifier. Verification itself never throws on a bad credential (it returns a failed
// report); these are thrown by the building blocks: readers, snapshots and options.

export class IntygVerifierError extends Error {
  override name = "IntygVerifierError";
}

/** Why the registry could not be read. */
export type RegistryReadFailure = "chain-unavailable" | "no-registry" | "read-failed";

/** The chain could not be reached or the registry could not be read. */
export class RegistryReadError extends IntygVerifierError {
  override name = "RegistryReadError";
  readonly reason: RegistryReadFailure;

  constructor(message: string, options: { cause?: unknown; reason?: RegistryReadFailure } = {}) {
    super(message, { cause: options.cause });
    this.reason = options.reason ?? "read-failed";
  }
}

/** A snapshot file is not a registry snapshot, or is damaged. */
export class SnapshotError extends IntygVerifierError {
  override name = "SnapshotError";
}

/** The options of a verification are unusable (no chain to read, a malformed registry address). */
export class VerifierOptionsError extends IntygVerifierError {
  override name = "VerifierOptionsError";
}
