// Hostile input, made harmless: a document arrives as text, bytes or a value, and leaves as a plain JSON
// value within size and depth limits, or as a reason it was refused. Never throws.

import { findDuplicateKey } from "@intyg/credential";
import type { MessageKey, MessageParams } from "./messages";

/** Limits on what a verifier accepts. */
export type InputLimits = {
  /** Largest text or byte input, in bytes (UTF-8). Default 1 MiB. (A parsed value is bounded by `maxNodes`.) */
  maxBytes: number;
  /** Deepest nesting of arrays and objects. Default 32. */
  maxDepth: number;
  /** Most values (objects, arrays, strings, numbers…) in one document. Default 50,000. */
  maxNodes: number;
};

export const DEFAULT_INPUT_LIMITS: InputLimits = { maxBytes: 1_048_576, maxDepth: 32, maxNodes: 50_000 };

/** Why an input was refused before it was read as a credential. */
export type InputRefusal =
  | "empty"
  | "not-json"
  | "too-large"
  | "too-deep"
  | "duplicate-key"
  | "not-utf8"
  | "share-link";

export type InputResult =
  /**
   * `json`: the value is what `JSON.parse` made of a text (plain data, determined by its JSON text), and
   * `sections` the texts of its shared sections, where the text has them.
   */
  | { ok: true; value: unknown; json?: boolean; sections?: SectionSlices }
  | { ok: false; code: InputRefusal; key: MessageKey; params: MessageParams };

function refuse(code: Exclude<InputRefusal, "share-link">, params: MessageParams = {}): InputResult {
  return { ok: false, code, key: `format.${code}` as MessageKey, params };
}

/** The UTF-8 length of a text (a lone surrogate counts as U+FFFD, 3 bytes, as TextEncoder writes it). */
function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

/**
 * The texts the credential's shared sections were parsed from: slices of the document's text (the value of
 * `issuer`, `proof` and `credentialSubject.achievement`, where each is an object or an array). `JSON.parse` of a
 * slice gives what it gave of that part of the whole, so a slice determines its section's value, as the
 * section's `JSON.stringify` text does, without writing it again.
 */
export type SectionSlices = { issuer?: string; achievement?: string; proof?: string };

type Scan = { depth: number; keys: number; sections: SectionSlices };

// Which value the scanner is about to read: none, or the value of one of the keys it looks for.
const NONE = 0;
const ISSUER = 1;
const PROOF = 2;
const SUBJECT = 3;
const ACHIEVEMENT = 4;

/** Whether the string between offsets `start` and `end` (its quotes included) is `quoted`. */
const isKey = (text: string, start: number, end: number, quoted: string): boolean =>
  end - start + 1 === quoted.length && text.startsWith(quoted, start);

/**
 * One pass over a JSON text: its deepest bracket nesting (not counting brackets inside strings; stops past `limit`),
 * how many object keys it writes, and the slices of its shared sections. `JSON.parse` keeps one property per
 * distinct key of an object, so a text whose parsed value has fewer properties than this count has a key twice in
 * some object (and is refused: the slices are then never used). A key written with escapes is not recognised,
 * and its section is simply not sliced.
 */
function scanText(text: string, limit: number): Scan {
  let depth = 0;
  let max = 0;
  let keys = 0;
  // Whether the next string is a key: after `{`, or after `,` inside an object.
  let expectKey = false;
  // One entry per open bracket: true for an object.
  const kinds: boolean[] = [];
  const sections: SectionSlices = {};
  let pending = NONE;
  // The section being read (its first offset and depth), and the depth of credentialSubject's object, if open.
  let open = NONE;
  let openStart = 0;
  let openDepth = 0;
  let subjectDepth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      // To the closing quote: the next quote not escaped (after an even run of backslashes). indexOf skips the
      // text between in native code, which most of a credential's text is (salts, ids, names).
      let end = text.indexOf('"', i + 1);
      while (end !== -1) {
        let slashes = 0;
        while (text.charCodeAt(end - 1 - slashes) === 92 /* \ */) slashes++;
        if ((slashes & 1) === 0) break;
        end = text.indexOf('"', end + 1);
      }
      if (end === -1) end = text.length;
      if (expectKey) {
        keys++;
        expectKey = false;
        if (depth === 1) {
          pending = isKey(text, i, end, '"issuer"')
            ? ISSUER
            : isKey(text, i, end, '"proof"')
              ? PROOF
              : isKey(text, i, end, '"credentialSubject"')
                ? SUBJECT
                : NONE;
        } else {
          pending =
            depth === 2 && subjectDepth === 2 && isKey(text, i, end, '"achievement"') ? ACHIEVEMENT : NONE;
        }
      } else {
        pending = NONE;
      }
      i = end;
    } else if (c === 123 /* { */ || c === 91 /* [ */) {
      depth++;
      if (depth > max) {
        max = depth;
        if (max > limit) return { depth: max, keys, sections: {} };
      }
      kinds.push(c === 123);
      expectKey = c === 123;
      if (pending === SUBJECT) {
        if (c === 123) subjectDepth = depth;
      } else if (pending !== NONE && open === NONE) {
        open = pending;
        openStart = i;
        openDepth = depth;
      }
      pending = NONE;
    } else if (c === 125 /* } */ || c === 93 /* ] */) {
      if (open !== NONE && depth === openDepth) {
        const slice = text.slice(openStart, i + 1);
        if (open === ISSUER) sections.issuer = slice;
        else if (open === PROOF) sections.proof = slice;
        else sections.achievement = slice;
        open = NONE;
      }
      if (depth === subjectDepth) subjectDepth = 0;
      depth--;
      kinds.pop();
      pending = NONE;
    } else if (c === 44 /* , */) {
      expectKey = kinds[kinds.length - 1] === true;
      pending = NONE;
    }
  }
  return { depth: max, keys, sections };
}

/** Walks a value without recursion, checking depth and size; copies nothing. Counts the objects' keys. */
function checkValue(value: unknown, limits: InputLimits, keys?: { count: number }): InputResult {
  // Two parallel stacks (values, depths): no pair allocated per value.
  const stack: unknown[] = [value];
  const depths: number[] = [0];
  let nodes = 0;
  while (stack.length > 0) {
    const item = stack.pop();
    const depth = depths.pop()!;
    const type = typeof item;
    if (type === "bigint" || type === "function" || type === "symbol") return refuse("not-json");
    if (type === "number" && !Number.isFinite(item)) return refuse("not-json");
    if (++nodes > limits.maxNodes)
      return refuse("too-large", { size: `> ${limits.maxNodes} values`, limit: limits.maxNodes });
    if (typeof item !== "object" || item === null) continue;
    if (depth >= limits.maxDepth) return refuse("too-deep", { limit: limits.maxDepth });
    const children = Array.isArray(item) ? item : Object.values(item);
    if (keys && !Array.isArray(item)) keys.count += children.length;
    for (const child of children) {
      stack.push(child);
      depths.push(depth + 1);
    }
  }
  return { ok: true, value };
}

/**
 * Reads a document: a JSON text, UTF-8 bytes, or an already parsed value (which is only checked, not copied).
 * Values that are not JSON (functions, bigints, symbols, non-finite numbers) are refused as not JSON, and
 * cycles as too deep. Bytes that are not UTF-8 are refused (not replaced by U+FFFD), and so is a text with a key
 * twice in one object.
 */
export function readDocument(input: unknown, limits: InputLimits = DEFAULT_INPUT_LIMITS): InputResult {
  try {
    let text: string | undefined;
    if (input instanceof Uint8Array) {
      if (input.byteLength > limits.maxBytes)
        return refuse("too-large", { size: input.byteLength, limit: limits.maxBytes });
      try {
        text = new TextDecoder("utf-8", { fatal: true }).decode(input);
      } catch {
        return refuse("not-utf8");
      }
    } else if (typeof input === "string") {
      text = input;
    }
    if (text !== undefined) {
      // A UTF-16 code unit takes at most 3 bytes in UTF-8: only a text that might be too large is encoded.
      if (text.length * 3 > limits.maxBytes) {
        const bytes = utf8Length(text);
        if (bytes > limits.maxBytes) return refuse("too-large", { size: bytes, limit: limits.maxBytes });
      }
      const trimmed = text.replace(/^\uFEFF/, "").trim();
      if (trimmed.length === 0) return refuse("empty");
      const scanned = scanText(trimmed, limits.maxDepth);
      if (scanned.depth > limits.maxDepth) return refuse("too-deep", { limit: limits.maxDepth });
      let value: unknown;
      try {
        value = JSON.parse(trimmed);
      } catch {
        return refuse("not-json");
      }
      const parsedKeys = { count: 0 };
      const checked = checkValue(value, limits, parsedKeys);
      if (!checked.ok || parsedKeys.count !== scanned.keys) {
        // Fewer properties than keys written: some key is there twice (the slower scan names it). A text refused
        // for its size is scanned too, so that a duplicate is reported first, as it always was.
        const duplicate = findDuplicateKey(trimmed);
        if (duplicate !== undefined || checked.ok)
          return refuse("duplicate-key", { key: (duplicate ?? "").slice(0, 80) });
        return checked;
      }
      return { ok: true, value, json: true, sections: scanned.sections };
    }
    if (input === undefined || input === null) return refuse("empty");
    // A value is only walked, not copied: verification never changes what it is given.
    return checkValue(input, limits);
  } catch {
    return refuse("not-json");
  }
}

/** True for a plain JSON object. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
