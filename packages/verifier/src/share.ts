// Share links: a credential carried in a URL fragment (`…/verify#c1.…`), or the bare fragment. The format
// is @intyg/credential's; this only recognises a link among other inputs and turns its errors into reasons.

import { decodeShareFragmentJson, SHARE_FRAGMENT_PREFIX } from "@intyg/credential";
import type { InputResult } from "./input";

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

/** The JSON value in a share link (not yet checked as a credential). Never throws. */
export function readShareLink(text: string): InputResult {
  const trimmed = text.trim();
  const hash = trimmed.indexOf("#");
  const fragment = hash === -1 ? trimmed : trimmed.slice(hash + 1);
  try {
    return { ok: true, value: decodeShareFragmentJson(fragment) };
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return { ok: false, code: "share-link", key: "format.share-link", params: { detail } };
  }
}
