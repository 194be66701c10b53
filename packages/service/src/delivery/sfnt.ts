// WOFF 1.0 to a plain TrueType (sfnt) font, as pdf-lib's font subsetter needs one. The font packages ship only
// WOFF and WOFF2; WOFF is zlib per table, so Node's zlib suffices. On the way, `glyf` is rewritten with every
// glyph padded to 4 bytes and `loca` in its long format: fontkit's subsetter copies glyph records as they come
// and writes the source's `loca` format, so a font with odd-length glyphs and short offsets (Noto Sans Arabic)
// would otherwise come out damaged.

import { inflateSync } from "node:zlib";

type Table = { tag: string; data: Uint8Array };

function readWoffTables(woff: Uint8Array): { flavor: number; tables: Table[] } {
  const view = new DataView(woff.buffer, woff.byteOffset, woff.byteLength);
  if (view.getUint32(0) !== 0x774f4646) throw new Error("not a WOFF 1.0 font");
  const flavor = view.getUint32(4);
  const count = view.getUint16(12);
  const tables: Table[] = [];
  for (let i = 0; i < count; i++) {
    const at = 44 + i * 20;
    const tag = String.fromCharCode(...woff.subarray(at, at + 4));
    const offset = view.getUint32(at + 4);
    const compressed = view.getUint32(at + 8);
    const length = view.getUint32(at + 12);
    const raw = woff.subarray(offset, offset + compressed);
    tables.push({ tag, data: compressed < length ? new Uint8Array(inflateSync(raw)) : raw.slice() });
  }
  return { flavor, tables };
}

/** `glyf` with each glyph padded to 4 bytes and `loca` in the long format; `head` set to say so. */
function padGlyphs(tables: Table[]): void {
  const find = (tag: string) => tables.find((t) => t.tag === tag);
  const head = find("head");
  const maxp = find("maxp");
  const loca = find("loca");
  const glyf = find("glyf");
  if (!head || !maxp || !loca || !glyf) return;
  const headView = new DataView(head.data.buffer, head.data.byteOffset, head.data.byteLength);
  const long = headView.getInt16(50) === 1;
  const glyphs = new DataView(maxp.data.buffer, maxp.data.byteOffset).getUint16(4);
  const locaView = new DataView(loca.data.buffer, loca.data.byteOffset, loca.data.byteLength);
  const offsetOf = (i: number) => (long ? locaView.getUint32(i * 4) : locaView.getUint16(i * 2) * 2);
  const parts: Uint8Array[] = [];
  const offsets = new Uint32Array(glyphs + 1);
  let size = 0;
  for (let i = 0; i < glyphs; i++) {
    offsets[i] = size;
    const data = glyf.data.subarray(offsetOf(i), offsetOf(i + 1));
    parts.push(data);
    size += (data.length + 3) & ~3;
  }
  offsets[glyphs] = size;
  const newGlyf = new Uint8Array(size);
  for (let i = 0; i < glyphs; i++) newGlyf.set(parts[i]!, offsets[i]!);
  const newLoca = new Uint8Array((glyphs + 1) * 4);
  const newLocaView = new DataView(newLoca.buffer);
  for (let i = 0; i <= glyphs; i++) newLocaView.setUint32(i * 4, offsets[i]!);
  glyf.data = newGlyf;
  loca.data = newLoca;
  headView.setInt16(50, 1);
}

/** A WOFF 1.0 font as a TrueType font file (`glyf` normalised, see above). */
export function woffToSfnt(woff: Uint8Array): Uint8Array {
  const { flavor, tables } = readWoffTables(woff);
  padGlyphs(tables);
  const count = tables.length;
  let size = 12 + 16 * count;
  for (const table of tables) size += (table.data.length + 3) & ~3;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  let power = 1;
  let log = 0;
  while (power * 2 <= count) {
    power *= 2;
    log++;
  }
  view.setUint32(0, flavor);
  view.setUint16(4, count);
  view.setUint16(6, power * 16);
  view.setUint16(8, log);
  view.setUint16(10, count * 16 - power * 16);
  let offset = 12 + 16 * count;
  tables.forEach((table, i) => {
    const at = 12 + i * 16;
    for (let k = 0; k < 4; k++) out[at + k] = table.tag.charCodeAt(k);
    view.setUint32(at + 4, checksum(table.data));
    view.setUint32(at + 8, offset);
    view.setUint32(at + 12, table.data.length);
    out.set(table.data, offset);
    offset += (table.data.length + 3) & ~3;
  });
  return out;
}

function checksum(data: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < data.length; i += 4) {
    sum =
      (sum +
        (((data[i] ?? 0) << 24) |
          ((data[i + 1] ?? 0) << 16) |
          ((data[i + 2] ?? 0) << 8) |
          (data[i + 3] ?? 0))) >>>
      0;
  }
  return sum;
}
