// Share links: a credential carried in a URL fragment (`…/verify#c1.…`), or the bare fragment. The format
// is @intyg/credential's; this only recognises a link among other inputs and turns its errors into reasons.

import { decodeShareFragmentJson, decodeShareFragmentText, SHARE_FRAGMENT_PREFIX } from "@intyg/credential";
import { DEFAULT_INPUT_LIMITS, type InputLimits, type InputResult, readDocument } from "./input";

/** True when `text` is a share link or a bare share fragment rather than JSON. */
export function isShareLink(text: string): boolean {
  const trimmed = text.trim();
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) return false;
  return (
    trimmed.startsWith(SHARE_FRAGMENT_PREFIX) ||
    trimmed.startsWith(`#${SHARE_FRAGMENT_PREFIX}`) ||
    /#c1\./.test(trimmed)
  );
}

function fragmentOf(text: string): string {
  const trimmed = text.trim();
  const hash = trimmed.indexOf("#");
  return hash === -1 ? trimmed : trimmed.slice(hash + 1);
}

function unreadable(error: unknown): InputResult {
  const detail = error instanceof Error ? error.message : String(error);
  return { ok: false, code: "share-link", key: "format.share-link", params: { detail } };
}

/** The JSON value in a share link (not yet checked as a credential). Never throws. */
export function readShareLink(text: string): InputResult {
  try {
    return { ok: true, value: decodeShareFragmentJson(fragmentOf(text)) };
  } catch (error) {
    return unreadable(error);
  }
}

/**
 * The document in a share link, read from its JSON text as a pasted or uploaded document is (within `limits`):
 * so that a credential from a link is checked on the fast path of JSON text, which is what a phone opening a
 * link waits for. A link whose text is not JSON, or has a key written twice, is refused as a damaged link, in
 * the words {@link readShareLink} uses; what it reads, it reads as `JSON.parse` does, with no white space around
 * the JSON but JSON's own. Never throws.
 */
export function readShareLinkDocument(text: string, limits: InputLimits = DEFAULT_INPUT_LIMITS): InputResult {
  let json: string;
  try {
    json = decodeShareFragmentText(fragmentOf(text));
  } catch (error) {
    return unreadable(error);
  }
  // A pasted text may have a byte order mark and any white space around it; a link's text is read as strictly as
  // `JSON.parse` reads it (its decoder has taken one mark away), as it always was. Found by index, not by a
  // pattern anchored at the end, which backtracks over every run of spaces: quadratic in a link's megabyte.
  let start = 0;
  let end = json.length;
  while (start < end && isJsonSpace(json.charCodeAt(start))) start++;
  while (end > start && isJsonSpace(json.charCodeAt(end - 1))) end--;
  const inner = json.slice(start, end);
  if (inner !== inner.trim()) return damaged("not JSON");
  const read = readDocument(json, limits);
  if (read.ok) return read;
  if (read.code === "empty" || (read.code === "not-json" && !parses(json))) return damaged("not JSON");
  if (read.code === "duplicate-key") return damaged("duplicate key");
  return read;
}

/** JSON's own white space: tab, line feed, carriage return and space. */
function isJsonSpace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
}

/** A link that decoded to a text that is not JSON, or not JSON that means one thing: refused in the link's words. */
function damaged(what: string): InputResult {
  return unreadable(new Error(`Share link is damaged (${what})`));
}

/** Whether `JSON.parse` reads the text (a text it reads may still be refused, for a number too large, say). */
function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
