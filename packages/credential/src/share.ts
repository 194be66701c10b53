// Share links and QR payloads: a credential (or a disclosed copy) as canonical JSON, compressed with raw
// deflate and written in base64url after a version prefix, in the fragment of a URL — the fragment never
// reaches a server.

import { base64urlnopad } from "@scure/base";
import { deflateSync, Inflate, strToU8 } from "fflate";
import { canonicalJson } from "./canonical";
import { ShareLinkError, ShareLinkTruncatedError } from "./errors";
import { decodeUtf8Strict, findDuplicateKey } from "./json-text";
import { type Credential, credentialSchema } from "./schema/credential";
import { toSchemaIssues } from "./validate";

/** The prefix of a version 1 fragment: `c1.<base64url of raw deflate of the canonical JSON>`. */
export const SHARE_FRAGMENT_PREFIX = "c1.";

/** The largest credential a link may inflate to (1 MiB). */
export const MAX_SHARE_JSON_BYTES = 1024 * 1024;

/** The longest fragment accepted before decoding (raw deflate never needs more for 1 MiB of JSON). */
const MAX_FRAGMENT_LENGTH = 2 * MAX_SHARE_JSON_BYTES;
const INFLATE_CHUNK = 1024;
/** fflate's error code for input that ends too early. */
const FFLATE_UNEXPECTED_EOF = 0;

/** The URL fragment (without `#`) that carries `doc`. */
export function encodeShareFragment(doc: Credential): string {
  const bytes = strToU8(canonicalJson(doc));
  if (bytes.length > MAX_SHARE_JSON_BYTES) throw new ShareLinkError("Credential too large for a share link");
  return `${SHARE_FRAGMENT_PREFIX}${base64urlnopad.encode(deflateSync(bytes, { level: 9 }))}`;
}

function inflateCapped(data: Uint8Array): Uint8Array {
  // fflate takes no input as an empty stream; a link without one whole byte of data was cut.
  if (data.length === 0) throw new ShareLinkTruncatedError("Share link is truncated");
  const chunks: Uint8Array[] = [];
  let total = 0;
  const inflater = new Inflate((chunk) => {
    total += chunk.length;
    if (total > MAX_SHARE_JSON_BYTES) throw new ShareLinkError("Share link inflates beyond the size limit");
    chunks.push(chunk);
  });
  try {
    let offset = 0;
    do {
      const end = Math.min(offset + INFLATE_CHUNK, data.length);
      inflater.push(data.subarray(offset, end), end === data.length);
      offset = end;
    } while (offset < data.length);
  } catch (error) {
    if (error instanceof ShareLinkError) throw error;
    if ((error as { code?: unknown }).code === FFLATE_UNEXPECTED_EOF) {
      throw new ShareLinkTruncatedError("Share link is truncated");
    }
    throw new ShareLinkError("Share link is damaged (invalid compressed data)");
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

const BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

const BASE64URL_TEXT = /^[A-Za-z0-9_-]*$/;

/**
 * The bytes of unpadded base64url text, exactly as strictly as `base64urlnopad.decode` of @scure/base reads it:
 * a character outside the alphabet (padding and white space included), a length of 4n+1 characters, or spare bits
 * that are not zero in the last character are refused (a TypeError). The platform's `atob` does the decoding,
 * several times faster on a phone than the library's radix conversion; it would accept those, hence the checks.
 */
export function decodeBase64Url(payload: string): Uint8Array {
  if (!BASE64URL_TEXT.test(payload)) throw new TypeError("not base64url text");
  const rest = payload.length % 4;
  if (rest === 1) throw new TypeError("base64url text of 4n+1 characters");
  if (rest !== 0) {
    const last = BASE64URL.indexOf(payload[payload.length - 1]!);
    if ((last & (rest === 2 ? 0x0f : 0x03)) !== 0) throw new TypeError("base64url text with spare bits set");
  }
  const binary = atob(payload.replace(/-/g, "+").replace(/_/g, "/"));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * The JSON text carried by a fragment (with or without its `#`), neither parsed nor checked: for a verifier
 * that reads JSON text itself (and checks a credential's text faster than its parsed value). Throws like
 * {@link decodeShareFragment} for a link that is damaged, too large or not UTF-8; whether the text is JSON,
 * and without a key written twice, is the caller's to check.
 */
export function decodeShareFragmentText(fragment: string): string {
  const text = fragment.trim().replace(/^#/, "");
  if (!text.startsWith(SHARE_FRAGMENT_PREFIX)) {
    throw new ShareLinkError(
      text.length === 0 ? "Share link has no credential" : "Unknown share link format",
    );
  }
  const payload = text.slice(SHARE_FRAGMENT_PREFIX.length);
  if (payload.length === 0) throw new ShareLinkTruncatedError("Share link is truncated");
  if (payload.length > MAX_FRAGMENT_LENGTH) throw new ShareLinkError("Share link is too long");
  if (!/^[A-Za-z0-9_-]+$/.test(payload)) throw new ShareLinkError("Share link is damaged (not base64url)");
  let bytes: Uint8Array;
  try {
    bytes = inflateCapped(decodeBase64Url(payload));
  } catch (error) {
    if (error instanceof ShareLinkError) throw error;
    // The alphabet is right, so only the length or the last character's spare bits are wrong: most likely the
    // link was cut. Inflating the whole bytes there are tells a truncated link from a damaged one.
    inflateCapped(decodeBase64Url(payload.slice(0, payload.length - (payload.length % 4))));
    throw new ShareLinkError("Share link is damaged (not base64url)");
  }
  const json = decodeUtf8Strict(bytes);
  if (json === undefined) throw new ShareLinkError("Share link is damaged (not UTF-8)");
  return json;
}

/**
 * The JSON value carried by a fragment (with or without its `#`), not checked against any schema: for a
 * verifier that reports format problems itself. Throws like {@link decodeShareFragment} for a damaged link.
 */
export function decodeShareFragmentJson(fragment: string): unknown {
  const json = decodeShareFragmentText(fragment);
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new ShareLinkError("Share link is damaged (not JSON)");
  }
  // A key written twice would be read as one value here and as another by a parser that keeps the first.
  if (findDuplicateKey(json) !== undefined) throw new ShareLinkError("Share link is damaged (duplicate key)");
  return value;
}

/**
 * The credential carried by a fragment (with or without its `#`), checked against the credential schema.
 * Throws {@link ShareLinkTruncatedError} when the data stops early and {@link ShareLinkError} when it is
 * damaged, too large or not a credential. The credential's integrity and signature are not checked here.
 */
export function decodeShareFragment(fragment: string): Credential {
  const value = decodeShareFragmentJson(fragment);
  const parsed = credentialSchema.safeParse(value);
  if (!parsed.success) {
    throw new ShareLinkError("Share link does not hold a valid credential", {
      issues: toSchemaIssues(parsed.error),
    });
  }
  return value as Credential;
}

/** `base` (any fragment removed) with the credential in its fragment: the link to share or put in a QR code. */
export function shareUrl(base: string, doc: Credential): string {
  const hash = base.indexOf("#");
  return `${hash === -1 ? base : base.slice(0, hash)}#${encodeShareFragment(doc)}`;
}

/** The credential in a share link's fragment. Throws like {@link decodeShareFragment}. */
export function parseShareUrl(url: string): Credential {
  const hash = url.indexOf("#");
  if (hash === -1) throw new ShareLinkError("Share link has no credential");
  return decodeShareFragment(url.slice(hash + 1));
}
