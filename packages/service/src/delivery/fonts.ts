// The fonts of the PDF certificate: Noto Sans (Latin with every European diacritic, Sami, Vietnamese,
// Cyrillic, Greek), Noto Sans Arabic, Noto Sans SC (Chinese, Japanese kana) and Noto Sans KR (Korean Hangul), all under the
// SIL Open Font License 1.1, from the @fontsource packages. Each package splits a font into files by Unicode
// range (its `unicode.json`); a character is set in the first file, in the order below, that has a glyph for
// it. Files are read and converted once per process; every PDF embeds only the glyphs it uses (pdf-lib's
// subsetting), so a certificate stays small whatever script a name is in.

import { readFileSync } from "node:fs";
import path from "node:path";
import fontkit from "@pdf-lib/fontkit";
import { woffToSfnt } from "./sfnt";

export type FontWeight = 400 | 700;

/** One font file of a family: the characters its `unicode.json` says it covers. */
export type FontFace = { id: string; file: string; ranges: readonly (readonly [number, number])[] };

/** A loaded face: its TrueType bytes and fontkit's reading of them (for coverage). */
export type LoadedFace = FontFace & { bytes: Uint8Array; hasGlyph(codePoint: number): boolean };

const FAMILIES = [
  {
    pkg: "@fontsource/noto-sans",
    prefix: "noto-sans",
    order: ["latin", "latin-ext", "vietnamese", "cyrillic", "cyrillic-ext", "greek", "greek-ext"],
  },
  { pkg: "@fontsource/noto-sans-arabic", prefix: "noto-sans-arabic", order: ["arabic"] },
  { pkg: "@fontsource/noto-sans-sc", prefix: "noto-sans-sc", order: [] as string[] },
  { pkg: "@fontsource/noto-sans-kr", prefix: "noto-sans-kr", order: [] as string[] },
] as const;

function parseRanges(text: string): [number, number][] {
  return text.split(",").map((part) => {
    const [from, to] = part.trim().replace(/^U\+/i, "").split("-");
    const start = Number.parseInt(from!, 16);
    return [start, to ? Number.parseInt(to, 16) : start];
  });
}

function packageDir(pkg: string): string {
  return path.dirname(require.resolve(`${pkg}/package.json`));
}

const facesByWeight = new Map<FontWeight, FontFace[]>();

/** Every face of every family for `weight`, in the order characters look for a glyph. */
export function fontFaces(weight: FontWeight): FontFace[] {
  const cached = facesByWeight.get(weight);
  if (cached) return cached;
  const faces: FontFace[] = [];
  for (const family of FAMILIES) {
    const dir = packageDir(family.pkg);
    const ranges = JSON.parse(readFileSync(path.join(dir, "unicode.json"), "utf8")) as Record<string, string>;
    const keys = [
      ...family.order.filter((key) => key in ranges),
      ...Object.keys(ranges).filter((key) => !(family.order as readonly string[]).includes(key)),
    ];
    for (const key of keys) {
      const name = key.replace(/^\[(\d+)\]$/, "$1");
      faces.push({
        id: `${family.prefix}-${name}-${weight}`,
        file: path.join(dir, "files", `${family.prefix}-${name}-${weight}-normal.woff`),
        ranges: parseRanges(ranges[key]!),
      });
    }
  }
  facesByWeight.set(weight, faces);
  return faces;
}

const loaded = new Map<string, LoadedFace>();

export function loadFace(face: FontFace): LoadedFace {
  const cached = loaded.get(face.id);
  if (cached) return cached;
  const bytes = woffToSfnt(readFileSync(face.file));
  const font = fontkit.create(bytes as never) as unknown as { hasGlyphForCodePoint(cp: number): boolean };
  const result: LoadedFace = { ...face, bytes, hasGlyph: (cp) => font.hasGlyphForCodePoint(cp) };
  loaded.set(face.id, result);
  return result;
}

function covers(face: FontFace, codePoint: number): boolean {
  return face.ranges.some(([from, to]) => codePoint >= from && codePoint <= to);
}

/** The face a character is set in, or undefined when no font has it (it is then drawn as the Latin .notdef). */
export function faceFor(codePoint: number, weight: FontWeight): LoadedFace | undefined {
  for (const face of fontFaces(weight)) {
    if (!covers(face, codePoint)) continue;
    const candidate = loadFace(face);
    if (candidate.hasGlyph(codePoint)) return candidate;
  }
  return undefined;
}
