// Canonical JSON by RFC 8785 (JSON Canonicalization Scheme), with the `canonicalize` library.

import canonicalize from "canonicalize";
import { CanonicalizationError } from "./errors";

/** The RFC 8785 canonical JSON text of a JSON value. Throws {@link CanonicalizationError} for non-JSON input. */
export function canonicalJson(value: unknown): string {
  let text: string | undefined;
  try {
    text = canonicalize(value);
  } catch {
    throw new CanonicalizationError("Value cannot be canonicalized");
  }
  if (text === undefined) throw new CanonicalizationError("Value cannot be canonicalized");
  return text;
}
