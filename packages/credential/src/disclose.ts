// Selective disclosure: a copy of a credential with chosen subject claims removed, each replaced in the
// commitment by its leaf digest. The root, and so the proof and the anchor, stay valid.

import { documentClaimPaths, isHideableClaimPath, parseClaimPath, readClaim } from "./claims";
import { claimDigest } from "./commitment";
import { ClaimPathError } from "./errors";
import type { UnsignedCredential } from "./schema/credential";
import type { Hex } from "./viem";

/** Hide the listed claims, or hide every hideable claim except the listed ones. */
export type DiscloseOptions = { hide: readonly string[] } | { reveal: readonly string[] };

/** The paths of the claims a document reveals that its holder may hide (subject claims but `type`, `achievement`). */
export function hideableClaimPaths(doc: UnsignedCredential): string[] {
  return documentClaimPaths(doc).filter(isHideableClaimPath);
}

/**
 * A copy of `doc` that hides the chosen claims: each property is removed and its claim entry becomes
 * `{ digest }`. Only subject claims other than `type` and `achievement` may be hidden; hiding a claim that is
 * already hidden changes nothing. Throws {@link ClaimPathError} for any other path.
 */
export function discloseCredential<T extends UnsignedCredential>(doc: T, options: DiscloseOptions): T {
  const hide =
    "hide" in options
      ? options.hide
      : hideableClaimPaths(doc).filter((path) => !options.reveal.includes(path));
  if ("reveal" in options) {
    for (const path of options.reveal) {
      if (parseClaimPath(path) === undefined) throw new ClaimPathError("Not a claim path", { path });
    }
  }
  const subject: Record<string, unknown> = { ...doc.credentialSubject };
  const claims: Record<string, { salt: Hex } | { digest: Hex }> = { ...doc.commitment.claims };
  for (const path of hide) {
    if (!isHideableClaimPath(path)) throw new ClaimPathError("Claim may not be hidden", { path });
    const entry = claims[path];
    if (entry === undefined || !Object.hasOwn(claims, path))
      throw new ClaimPathError("No such claim", { path });
    if ("digest" in entry) continue;
    const location = parseClaimPath(path)!;
    const value = readClaim(doc, location);
    if (value === undefined) throw new ClaimPathError("Claim value is missing", { path });
    claims[path] = { digest: claimDigest(entry.salt, path, value) };
    delete subject[location.property];
  }
  return {
    ...doc,
    credentialSubject: subject as T["credentialSubject"],
    commitment: { ...doc.commitment, claims },
  };
}
