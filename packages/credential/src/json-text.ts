// Checks of JSON texts that JSON.parse lets through but that a document of this format must not have.

/**
 * The first key that occurs twice in one object of a JSON text (already known to parse), or undefined.
 * `JSON.parse` keeps the last of equal keys and other parsers the first, so a document with both would be
 * verified as one thing and shown as another (RFC 8259 §4; I-JSON, RFC 7493, which RFC 8785 canonical JSON
 * and so the claim digests assume, forbids them).
 */
export function findDuplicateKey(text: string): string | undefined {
  // One entry per open bracket: the keys seen so far in an object, or null in an array.
  const stack: (Set<string> | null)[] = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      const start = i;
      let escaped = false;
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 92 /* \ */) {
          escaped = true;
          i++;
        } else if (d === 34) break;
      }
      if (!expectKey) continue;
      expectKey = false;
      const key = escaped ? (JSON.parse(text.slice(start, i + 1)) as string) : text.slice(start + 1, i);
      const keys = stack[stack.length - 1]!;
      if (keys.has(key)) return key;
      keys.add(key);
    } else if (c === 123 /* { */) {
      stack.push(new Set());
      expectKey = true;
    } else if (c === 91 /* [ */) {
      stack.push(null);
    } else if (c === 125 /* } */ || c === 93 /* ] */) {
      stack.pop();
    } else if (c === 44 /* , */) {
      expectKey = stack[stack.length - 1] instanceof Set;
    }
  }
  return undefined;
}

/** The text of UTF-8 `bytes`, or undefined when they are not valid UTF-8 (no silent U+FFFD replacement). */
export function decodeUtf8Strict(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}
