// Sets text in the certificate's fonts with pdf-lib, glyph by glyph. pdf-lib's own drawText shapes with fontkit
// (GSUB: Arabic letter forms, ligatures) but ignores GPOS, so marks such as the dots of Arabic letters land
// beside their letters; here fontkit's positions are kept, each glyph placed where fontkit says. A line is cut
// into runs of one font file each; a run of Arabic is laid out right to left by fontkit, and a sequence of such
// runs (with the spaces and punctuation between them) is put in right-to-left order within the left-to-right
// line, which is all the bidirectional algorithm does for a name or a title. Every line is wrapped in a marked
// content span whose /ActualText is the line as written (NFC), so that copying or extracting the text gives back
// exactly what was written, whatever glyphs the shaping chose.

import {
  beginText,
  type Color,
  endText,
  type PDFDocument,
  type PDFFont,
  PDFHexString,
  PDFName,
  PDFOperator,
  PDFOperatorNames,
  type PDFPage,
  type Rotation,
  setFillingColor,
  setFontAndSize,
  setTextMatrix,
  showText,
  toRadians,
} from "pdf-lib";
import { type FontWeight, faceFor, fontFaces, type LoadedFace, loadFace } from "./fonts";

type Glyph = { id: number; codePoints: number[]; advanceWidth: number };
type Position = { xAdvance: number; yAdvance: number; xOffset: number; yOffset: number };
type FontkitFont = {
  unitsPerEm: number;
  layout(text: string): { glyphs: Glyph[]; positions: Position[] };
};
/** What pdf-lib's subsetting embedder keeps (not in its public types). */
type SubsetEmbedder = {
  font: FontkitFont;
  subset: { includeGlyph(glyph: Glyph): number };
  glyphs: Glyph[];
  glyphIdMap: Map<number, number>;
  glyphCache: { invalidate(): void };
};

type Run = { face: LoadedFace; text: string; rtl: boolean; neutral: boolean };

/** One run, shaped: glyph ids in the subset and their positions in thousandths of the font size. */
type ShapedRun = {
  font: PDFFont;
  text: string;
  rtl: boolean;
  glyphs: { hex: string; x: number; y: number }[];
  advance: number;
};

/** A line ready to draw: its runs in visual order and its advance in thousandths of the font size. */
export type ShapedLine = { text: string; runs: ShapedRun[]; advance: number };

const RTL = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/u;
const NEUTRAL = /^[\s\p{P}\p{S}\p{M}\p{N}]*$/u;
const ATTACHING = /[\s\p{P}\p{S}\p{M}]/u;

/** The text as drawn: NFC, line breaks and tabs as spaces, other control characters dropped. */
export function drawableText(value: string): string {
  return value
    .normalize("NFC")
    .replace(/[\r\n\t]+/g, " ")
    .replace(/[\p{Cc}\p{Cs}]/gu, "");
}

/** Cuts text into runs of one face: spaces, punctuation and marks stay in the current run when its face has them. */
function runsOf(text: string, weight: FontWeight): Run[] {
  const runs: Run[] = [];
  const fallback = loadFace(fontFaces(weight)[0]!);
  for (const char of text) {
    const cp = char.codePointAt(0)!;
    const current = runs[runs.length - 1];
    const face =
      current && ATTACHING.test(char) && current.face.hasGlyph(cp)
        ? current.face
        : (faceFor(cp, weight) ?? fallback);
    if (current && current.face.id === face.id) current.text += char;
    else runs.push({ face, text: char, rtl: false, neutral: false });
  }
  // Spaces and punctuation at either end of a right-to-left run belong to the line around it, not to the run.
  for (let i = 0; i < runs.length; i++) {
    const run = runs[i]!;
    if (!RTL.test(run.text)) continue;
    const [, lead = "", middle = "", trail = ""] =
      /^([\s\p{P}\p{S}]*)([\s\S]*?)([\s\p{P}\p{S}]*)$/u.exec(run.text) ?? [];
    if (!lead && !trail) continue;
    const edge = (text: string): Run => ({
      face: faceFor(text.codePointAt(0)!, weight) ?? fallback,
      text,
      rtl: false,
      neutral: true,
    });
    const parts = [...(lead ? [edge(lead)] : []), { ...run, text: middle }, ...(trail ? [edge(trail)] : [])];
    runs.splice(i, 1, ...parts);
    i += parts.length - 1;
  }
  for (const run of runs) {
    run.rtl = RTL.test(run.text);
    run.neutral = !run.rtl && NEUTRAL.test(run.text);
  }
  return runs;
}

/** Visual order of runs in a left-to-right line: each stretch from an RTL run to the last RTL run after it reversed. */
function visualOrder(runs: Run[]): Run[] {
  const out: Run[] = [];
  let i = 0;
  while (i < runs.length) {
    if (!runs[i]!.rtl) {
      out.push(runs[i]!);
      i++;
      continue;
    }
    let end = i;
    for (let j = i + 1; j < runs.length && (runs[j]!.rtl || runs[j]!.neutral); j++) if (runs[j]!.rtl) end = j;
    out.push(...runs.slice(i, end + 1).reverse());
    i = end + 1;
  }
  return out;
}

/** Embeds the faces of one document on first use (subset to the glyphs drawn). */
export class Typesetter {
  private readonly fonts = new Map<string, PDFFont>();
  private readonly keys = new WeakMap<PDFPage, Map<PDFFont, PDFName>>();
  constructor(private readonly pdf: PDFDocument) {}

  private async font(face: LoadedFace): Promise<PDFFont> {
    let font = this.fonts.get(face.id);
    if (!font) {
      font = await this.pdf.embedFont(face.bytes, { subset: true, customName: face.id });
      this.fonts.set(face.id, font);
    }
    return font;
  }

  /** Shapes a line (NFC) into glyphs of embedded subset fonts. */
  async shape(value: string, weight: FontWeight = 400): Promise<ShapedLine> {
    const text = drawableText(value);
    const shaped: ShapedRun[] = [];
    let total = 0;
    for (const run of visualOrder(runsOf(text, weight))) {
      const font = await this.font(run.face);
      const embedder = (font as unknown as { embedder: SubsetEmbedder }).embedder;
      const scale = 1000 / embedder.font.unitsPerEm;
      const { glyphs, positions } = embedder.font.layout(run.text);
      const placed: ShapedRun["glyphs"] = [];
      let pen = 0;
      glyphs.forEach((glyph, i) => {
        const id = embedder.subset.includeGlyph(glyph);
        embedder.glyphs[id - 1] = glyph;
        embedder.glyphIdMap.set(glyph.id, id);
        const position = positions[i]!;
        placed.push({
          hex: id.toString(16).padStart(4, "0"),
          x: (pen + position.xOffset) * scale,
          y: position.yOffset * scale,
        });
        pen += position.xAdvance;
      });
      embedder.glyphCache.invalidate();
      shaped.push({ font, text: run.text, rtl: run.rtl, glyphs: placed, advance: pen * scale });
      total += pen * scale;
    }
    return { text, runs: shaped, advance: total };
  }

  /** The width of `value` at `size` points. */
  async width(value: string, size: number, weight: FontWeight = 400): Promise<number> {
    return ((await this.shape(value, weight)).advance * size) / 1000;
  }

  /** Words of `value` in lines no wider than `width` points at `size` (a longer word gets a line of its own). */
  async wrap(value: string, size: number, width: number, weight: FontWeight = 400): Promise<string[]> {
    const words = drawableText(value).split(/\s+/).filter(Boolean);
    const lines: string[] = [];
    let line = "";
    for (const word of words) {
      const candidate = line ? `${line} ${word}` : word;
      if (!line || (await this.width(candidate, size, weight)) <= width) line = candidate;
      else {
        lines.push(line);
        line = word;
      }
    }
    if (line) lines.push(line);
    return lines;
  }

  /**
   * Draws a shaped line with its left end at (x, y). Each left-to-right run is wrapped in an /ActualText span of
   * its text; a right-to-left run is not, as extractors put its characters back in logical order themselves
   * from the glyphs' Unicode mapping (fontkit keeps each shaped glyph's code points).
   */
  draw(
    page: PDFPage,
    line: ShapedLine,
    options: { x: number; y: number; size: number; color: Color; rotate?: Rotation },
  ): void {
    const { size } = options;
    const radians = options.rotate ? (toRadians(options.rotate) as number) : 0;
    const cos = Math.cos(radians);
    const sin = Math.sin(radians);
    const operators: PDFOperator[] = [];
    const keys = this.keys.get(page) ?? new Map<PDFFont, PDFName>();
    this.keys.set(page, keys);
    let x = options.x;
    for (const run of line.runs) {
      const key = keys.get(run.font) ?? page.node.newFontDictionary(run.font.name, run.font.ref);
      keys.set(run.font, key);
      const actual = run.rtl ? [...run.text].reverse().join("") : run.text;
      const span = this.pdf.context.obj({ ActualText: PDFHexString.fromText(actual) });
      operators.push(
        PDFOperator.of(PDFOperatorNames.BeginMarkedContentSequence, [PDFName.of("Span"), span as never]),
      );
      operators.push(beginText(), setFillingColor(options.color), setFontAndSize(key, size));
      for (const glyph of run.glyphs) {
        // The glyph's place along the (rotated) baseline from the line's origin.
        const dx = x - options.x + (glyph.x * size) / 1000;
        const dy = (glyph.y * size) / 1000;
        operators.push(
          setTextMatrix(
            cos,
            sin,
            -sin,
            cos,
            options.x + dx * cos - dy * sin,
            options.y + dx * sin + dy * cos,
          ),
          showText(PDFHexString.of(glyph.hex)),
        );
      }
      operators.push(endText());
      operators.push(PDFOperator.of(PDFOperatorNames.EndMarkedContent));
      x += (run.advance * size) / 1000;
    }
    page.pushOperators(...operators);
  }
}
