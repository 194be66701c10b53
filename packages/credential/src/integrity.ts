// The integrity check: the commitment section matches the claims the document reveals. It never throws,
// whatever it is given.

import { canonicalJson } from "./canonical";
import {
  documentClaimPaths,
  isHideableClaimPath,
  parseClaimPath,
  REQUIRED_CLAIM_PATHS,
  readClaim,
} from "./claims";
import { commitmentRootOfBytes } from "./commitment";
import { COMMITMENT_TYPE } from "./constants";
import { IntegrityError } from "./errors";
import { keccakUtf8, nodeBytes } from "./hash";
import type { Hex } from "./viem";

export type IntegrityFailureReason =
  /** The document is not a JSON object. */
  | "not-an-object"
  /** The commitment section is missing or not of the Intyg type, or its root is malformed. */
  | "malformed-commitment"
  /** A claim entry is neither `{ salt }` with 16 bytes nor `{ digest }` with 32 bytes of lowercase hex. */
  | "malformed-claim"
  /** A claim entry's path names no possible claim. */
  | "invalid-claim-path"
  /** The document has a property that no claim entry commits to. */
  | "unclaimed-property"
  /** A claim entry has a salt but the document lacks its property. */
  | "missing-claim-value"
  /** A claim entry is hidden (a digest) but the document still has its property. */
  | "hidden-claim-present"
  /** A claim entry is hidden but its claim may not be hidden. */
  | "claim-not-hideable"
  /** A claim every credential reveals is missing. */
  | "missing-required-claim"
  /** A claim value is not JSON (cannot be canonicalized). */
  | "unserializable-claim"
  /** The Merkle root of the claims is not the commitment's root. */
  | "root-mismatch";

export type IntegrityResult =
  | {
      ok: true;
      /** The recomputed root: the credential hash. */
      root: Hex;
      /** Paths of the claims the document reveals. */
      revealed: string[];
      /** Paths of the claims it hides. */
      hidden: string[];
    }
  | { ok: false; reason: IntegrityFailureReason; path?: string };

const ROOT = /^0x[0-9a-f]{64}$/;
const SALT = /^0x[0-9a-f]{32}$/;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function fail(reason: IntegrityFailureReason, path?: string): IntegrityResult {
  return path === undefined ? { ok: false, reason } : { ok: false, reason, path };
}

/** What {@link checkIntegrity} may reuse from the caller. */
export type IntegrityOptions = {
  /**
   * The `JSON.stringify` texts of some claims' values, by claim path, for a document that `JSON.parse` made (whose
   * values are determined by their JSON texts): the canonical JSON of those values is then kept per distinct
   * text, so that the issuer and the achievement a batch's credentials share are canonicalised once.
   */
  valueTexts?: Readonly<Record<string, string>>;
};

/** Canonical JSON of claim values, by their JSON text (bounded; started over when full). */
const canonicalTexts = new Map<string, string>();

function canonicalValue(value: unknown, text: string | undefined): string {
  if (text === undefined) return canonicalJson(value);
  let canonical = canonicalTexts.get(text);
  if (canonical === undefined) {
    canonical = canonicalJson(value);
    if (canonicalTexts.size >= 256) canonicalTexts.clear();
    canonicalTexts.set(text, canonical);
  }
  return canonical;
}

/**
 * A claim's leaf digest, `keccak256(utf8(JCS([salt, path, value])))`: JCS writes an array of two strings and a
 * value as the strings' JSON and the value's canonical JSON between brackets and commas (as `claimDigest`).
 */
function leafDigest(salt: string, path: string, value: unknown, text: string | undefined): Uint8Array {
  // The salt is 0x and hex digits (checked by the caller): its JSON is itself in quotes.
  return keccakUtf8(`["${salt}",${pathJson(path)},${canonicalValue(value, text)}]`);
}

/** JSON of claim paths (a batch's credentials share theirs; bounded, started over when full). */
const pathTexts = new Map<string, string>();

function pathJson(path: string): string {
  let text = pathTexts.get(path);
  if (text === undefined) {
    text = JSON.stringify(path);
    if (pathTexts.size >= 256) pathTexts.clear();
    pathTexts.set(path, text);
  }
  return text;
}

function check(doc: unknown, options: IntegrityOptions): IntegrityResult {
  if (!isPlainObject(doc)) return fail("not-an-object");
  const commitment = doc.commitment;
  if (!isPlainObject(commitment) || commitment.type !== COMMITMENT_TYPE) return fail("malformed-commitment");
  const { root, claims } = commitment;
  if (typeof root !== "string" || !ROOT.test(root) || !isPlainObject(claims))
    return fail("malformed-commitment");

  for (const path of documentClaimPaths(doc)) {
    if (!Object.hasOwn(claims, path)) return fail("unclaimed-property", path);
  }
  const digests: Uint8Array[] = [];
  const revealed: string[] = [];
  const hidden: string[] = [];
  for (const [path, entry] of Object.entries(claims)) {
    const location = parseClaimPath(path);
    if (location === undefined) return fail("invalid-claim-path", path);
    if (!isPlainObject(entry)) return fail("malformed-claim", path);
    const keys = Object.keys(entry);
    const value = readClaim(doc, location);
    if (keys.length === 1 && keys[0] === "salt") {
      if (typeof entry.salt !== "string" || !SALT.test(entry.salt)) return fail("malformed-claim", path);
      if (value === undefined) return fail("missing-claim-value", path);
      try {
        digests.push(leafDigest(entry.salt, path, value, options.valueTexts?.[path]));
      } catch {
        return fail("unserializable-claim", path);
      }
      revealed.push(path);
    } else if (keys.length === 1 && keys[0] === "digest") {
      if (typeof entry.digest !== "string" || !ROOT.test(entry.digest)) return fail("malformed-claim", path);
      if (value !== undefined) return fail("hidden-claim-present", path);
      if (!isHideableClaimPath(path)) return fail("claim-not-hideable", path);
      digests.push(nodeBytes(entry.digest));
      hidden.push(path);
    } else {
      return fail("malformed-claim", path);
    }
  }
  for (const path of REQUIRED_CLAIM_PATHS) {
    if (!revealed.includes(path)) return fail("missing-required-claim", path);
  }
  const recomputed = commitmentRootOfBytes(digests);
  if (recomputed !== root) return fail("root-mismatch");
  return { ok: true, root: recomputed, revealed, hidden };
}

/**
 * Checks that the commitment section matches the document: every claim is committed to, every revealed
 * claim hashes with its salt to a leaf, hidden claims are hideable, and the leaves' Merkle root is
 * `commitment.root`. Never throws.
 *
 * A hidden entry's digest is opaque, so integrity alone cannot tell a leaf from an inner node of the tree;
 * that is why the required claims must be revealed, and why `validUntil` is also bound by the signed
 * request ({@link checkProofBinding}).
 */
export function checkIntegrity(doc: unknown, options: IntegrityOptions = {}): IntegrityResult {
  try {
    return check(doc, options);
  } catch {
    // Getters or proxies of hostile input; a JSON document never gets here.
    return fail("not-an-object");
  }
}

/** The credential hash (the commitment root) of a document whose integrity holds; throws {@link IntegrityError}. */
export function credentialHash(doc: unknown): Hex {
  const result = checkIntegrity(doc);
  if (!result.ok) {
    throw new IntegrityError("Credential integrity check failed", {
      reason: result.reason,
      ...(result.path === undefined ? {} : { path: result.path }),
    });
  }
  return result.root;
}
