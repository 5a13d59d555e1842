/**
 * Just enough of a TrueType font for the report's PDF writer: the character map, advance widths,
 * vertical metrics, and a subset for embedding. The subset keeps every glyph's id (the glyphs not
 * used are emptied, not removed), so the ids the layout chose are the ids in the PDF
 * (CIDToGIDMap /Identity) and nothing is renumbered.
 */
export class TrueTypeFont {
  readonly unitsPerEm: number;
  readonly ascent: number;
  readonly descent: number;
  readonly capHeight: number;
  readonly italicAngle: number;
  readonly bbox: [number, number, number, number];
  readonly numGlyphs: number;
  private readonly tables = new Map<string, { offset: number; length: number }>();
  private readonly advances: Uint16Array;
  /** Glyph id per Basic Multilingual Plane code point (0: none); astral code points below. */
  private readonly bmp = new Uint16Array(0x10000);
  private readonly astral = new Map<number, number>();
  private readonly locaOffsets: Uint32Array;

  constructor(private readonly data: Buffer) {
    const numTables = data.readUInt16BE(4);
    for (let i = 0; i < numTables; i++) {
      const at = 12 + i * 16;
      this.tables.set(data.toString('latin1', at, at + 4), {
        offset: data.readUInt32BE(at + 8),
        length: data.readUInt32BE(at + 12),
      });
    }
    const head = this.table('head');
    this.unitsPerEm = data.readUInt16BE(head + 18);
    this.bbox = [0, 1, 2, 3].map((i) => data.readInt16BE(head + 36 + i * 2)) as [number, number, number, number];
    const longLoca = data.readInt16BE(head + 50) === 1;
    const hhea = this.table('hhea');
    this.ascent = data.readInt16BE(hhea + 4);
    this.descent = data.readInt16BE(hhea + 6);
    const metrics = data.readUInt16BE(hhea + 34);
    this.numGlyphs = data.readUInt16BE(this.table('maxp') + 4);
    const os2 = this.tables.get('OS/2');
    this.capHeight =
      os2 && data.readUInt16BE(os2.offset) >= 2 ? data.readInt16BE(os2.offset + 88) : Math.round(this.ascent * 0.7);
    const post = this.tables.get('post');
    this.italicAngle = post ? data.readInt32BE(post.offset + 4) / 65536 : 0;

    this.advances = new Uint16Array(this.numGlyphs);
    const hmtx = this.table('hmtx');
    for (let g = 0; g < this.numGlyphs; g++) this.advances[g] = data.readUInt16BE(hmtx + Math.min(g, metrics - 1) * 4);

    this.locaOffsets = new Uint32Array(this.numGlyphs + 1);
    const loca = this.table('loca');
    for (let g = 0; g <= this.numGlyphs; g++)
      this.locaOffsets[g] = longLoca ? data.readUInt32BE(loca + g * 4) : data.readUInt16BE(loca + g * 2) * 2;

    this.readCmap();
  }

  /** The glyph for a code point, 0 (.notdef) when the font has none. */
  glyph(codePoint: number): number {
    return codePoint < 0x10000 ? this.bmp[codePoint]! : (this.astral.get(codePoint) ?? 0);
  }

  /** A glyph's advance in font units. */
  advance(glyph: number): number {
    return this.advances[glyph]!;
  }

  /**
   * A TrueType font holding only the given glyphs' outlines (and the glyphs composite ones are
   * built from), every other glyph empty; the tables a PDF reader uses for an embedded CIDFont.
   */
  subset(glyphs: Iterable<number>): Buffer {
    const keep = new Set<number>([0]);
    const pending = [...glyphs];
    while (pending.length) {
      const g = pending.pop()!;
      if (g >= this.numGlyphs || keep.has(g)) continue;
      keep.add(g);
      pending.push(...this.components(g));
    }
    const glyf = this.table('glyf');
    const pieces: Buffer[] = [];
    const loca = Buffer.alloc((this.numGlyphs + 1) * 4);
    let size = 0;
    for (let g = 0; g < this.numGlyphs; g++) {
      loca.writeUInt32BE(size, g * 4);
      if (!keep.has(g)) continue;
      const padded = padded4(this.data.subarray(glyf + this.locaOffsets[g]!, glyf + this.locaOffsets[g + 1]!));
      pieces.push(padded);
      size += padded.length;
    }
    loca.writeUInt32BE(size, this.numGlyphs * 4);
    const head = Buffer.from(this.raw('head'));
    head.writeUInt32BE(0, 8); // checkSumAdjustment, set below
    head.writeInt16BE(1, 50); // long loca offsets
    const tables: [string, Buffer][] = [
      ['glyf', Buffer.concat(pieces)],
      ['head', head],
      ['hhea', this.raw('hhea')],
      ['hmtx', this.raw('hmtx')],
      ['loca', loca],
      ['maxp', this.raw('maxp')],
    ];
    // Hinting programs the glyphs' instructions may call.
    for (const tag of ['cvt ', 'fpgm', 'prep']) if (this.tables.has(tag)) tables.push([tag, this.raw(tag)]);
    tables.sort(([a], [b]) => (a < b ? -1 : 1));
    const { font, offsets } = sfnt(tables);
    font.writeUInt32BE((0xb1b0afba - checksum(font)) >>> 0, offsets.get('head')! + 8);
    return font;
  }

  private components(glyph: number): number[] {
    const start = this.table('glyf') + this.locaOffsets[glyph]!;
    if (this.locaOffsets[glyph + 1]! <= this.locaOffsets[glyph]! || this.data.readInt16BE(start) >= 0) return [];
    const found: number[] = [];
    let at = start + 10;
    for (;;) {
      const flags = this.data.readUInt16BE(at);
      found.push(this.data.readUInt16BE(at + 2));
      at += 4 + (flags & 0x0001 ? 4 : 2);
      if (flags & 0x0008) at += 2;
      else if (flags & 0x0040) at += 4;
      else if (flags & 0x0080) at += 8;
      if (!(flags & 0x0020)) return found;
    }
  }

  private readCmap(): void {
    const cmap = this.table('cmap');
    const count = this.data.readUInt16BE(cmap + 2);
    const subtables = new Map<string, number>();
    for (let i = 0; i < count; i++) {
      const at = cmap + 4 + i * 8;
      const key = `${this.data.readUInt16BE(at)}/${this.data.readUInt16BE(at + 2)}`;
      const offset = cmap + this.data.readUInt32BE(at + 4);
      subtables.set(`${key}/${this.data.readUInt16BE(offset)}`, offset);
    }
    const full = subtables.get('3/10/12') ?? subtables.get('0/4/12');
    if (full !== undefined) return this.readFormat12(full);
    const bmp = subtables.get('3/1/4') ?? subtables.get('0/3/4');
    if (bmp === undefined) throw new Error('the font has no Unicode character map');
    this.readFormat4(bmp);
  }

  private readFormat4(at: number): void {
    const d = this.data;
    const segments = d.readUInt16BE(at + 6) / 2;
    const ends = at + 14;
    const starts = ends + segments * 2 + 2;
    const deltas = starts + segments * 2;
    const rangeOffsets = deltas + segments * 2;
    for (let s = 0; s < segments; s++) {
      const end = d.readUInt16BE(ends + s * 2);
      const start = d.readUInt16BE(starts + s * 2);
      const delta = d.readInt16BE(deltas + s * 2);
      const rangeAt = rangeOffsets + s * 2;
      const range = d.readUInt16BE(rangeAt);
      for (let c = start; c <= end && c !== 0xffff; c++) {
        let g: number;
        if (range === 0) g = (c + delta) & 0xffff;
        else {
          g = d.readUInt16BE(rangeAt + range + (c - start) * 2);
          if (g !== 0) g = (g + delta) & 0xffff;
        }
        this.bmp[c] = g;
      }
    }
  }

  private readFormat12(at: number): void {
    const d = this.data;
    const groups = d.readUInt32BE(at + 12);
    for (let i = 0; i < groups; i++) {
      const group = at + 16 + i * 12;
      const start = d.readUInt32BE(group);
      const end = d.readUInt32BE(group + 4);
      const first = d.readUInt32BE(group + 8);
      for (let c = start; c <= end; c++) {
        if (c < 0x10000) this.bmp[c] = first + c - start;
        else this.astral.set(c, first + c - start);
      }
    }
  }

  private table(tag: string): number {
    const table = this.tables.get(tag);
    if (!table) throw new Error(`the font has no ${tag} table`);
    return table.offset;
  }

  private raw(tag: string): Buffer {
    const table = this.tables.get(tag)!;
    return this.data.subarray(table.offset, table.offset + table.length);
  }
}

/** An sfnt file of the given tables (already in tag order), and where each table starts in it. */
function sfnt(tables: [string, Buffer][]): { font: Buffer; offsets: Map<string, number> } {
  const header = Buffer.alloc(12 + tables.length * 16);
  header.writeUInt32BE(0x00010000, 0);
  header.writeUInt16BE(tables.length, 4);
  const power = 2 ** Math.floor(Math.log2(tables.length));
  header.writeUInt16BE(power * 16, 6);
  header.writeUInt16BE(Math.log2(power), 8);
  header.writeUInt16BE(tables.length * 16 - power * 16, 10);
  const bodies: Buffer[] = [];
  const offsets = new Map<string, number>();
  let offset = header.length;
  tables.forEach(([tag, body], i) => {
    const at = 12 + i * 16;
    header.write(tag, at, 'latin1');
    header.writeUInt32BE(checksum(body), at + 4);
    header.writeUInt32BE(offset, at + 8);
    offsets.set(tag, offset);
    header.writeUInt32BE(body.length, at + 12);
    const padded = padded4(body);
    bodies.push(padded);
    offset += padded.length;
  });
  return { font: Buffer.concat([header, ...bodies]), offsets };
}

/** The bytes with zeros after them up to a multiple of four (how sfnt tables and glyphs are aligned). */
function padded4(bytes: Buffer): Buffer {
  return bytes.length % 4 ? Buffer.concat([bytes, Buffer.alloc(4 - (bytes.length % 4))]) : bytes;
}

/** The sum of the bytes as big-endian 32-bit words, the last one zero-padded. */
function checksum(bytes: Buffer): number {
  const words = padded4(bytes);
  let sum = 0;
  for (let i = 0; i < words.length; i += 4) sum = (sum + words.readUInt32BE(i)) >>> 0;
  return sum;
}
