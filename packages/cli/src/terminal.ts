// Text for a terminal from values someone else wrote. A credential's claims, an issuer's name and a check's
// message can all carry control characters: ESC sequences repaint or hide lines (ESC[8m, cursor moves), BEL
// rings, and bidirectional overrides reorder what is shown. Each such character is shown as a visible escape
// instead, so what a person reads is what the document says.

/**
 * C0 controls (U+0000–U+001F), DEL (U+007F), C1 controls (U+0080–U+009F), the bidi embeddings and overrides
 * (U+202A–U+202E), the bidi isolates (U+2066–U+2069), the implicit direction marks (U+200E, U+200F, U+061C),
 * and the line and paragraph separators (U+2028, U+2029).
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is this module's job
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\u2028\u2029]/g;

/** Lone UTF-16 surrogates cannot be printed; they are shown as escapes too. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const escapeOf = (char: string) => `\\u{${char.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}}`;

/** One value on one line: every control, bidi and separator character shown as a visible `\u{XXXX}`. */
export function terminalText(value: string): string {
  return value.replace(UNSAFE, escapeOf).replace(LONE_SURROGATE, escapeOf);
}

/** Resets colours and attributes (SGR 0): printed before a verdict so that nothing earlier can restyle it. */
export const RESET_ATTRIBUTES = "\u001b[0m";
