import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { deflateSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import { isControl } from '../../../shared/control-bytes';
import { TrueTypeFont } from './truetype';

/**
 * A PDF written directly: pages of positioned text in embedded DejaVu fonts (subset, with a
 * ToUnicode map so the text can be searched and copied), filled rectangles and rules. No
 * browser, no layout engine: the caller places every line (export-pdf.ts).
 */

export type FontName = 'regular' | 'bold' | 'italic' | 'boldItalic' | 'mono';
export type Rgb = readonly [number, number, number];

export interface TextStyle {
  font: FontName;
  /** Points. */
  size: number;
  color: Rgb;
}

/** This writer cannot make the PDF faithfully; the caller prints the HTML report through a browser instead. */
export class PdfFallbackError extends Error {}

/**
 * A character the embedded fonts cannot draw as it should be drawn: not in the font, or in a
 * script that needs shaping or right-to-left ordering (Arabic, Hebrew, Indic, combining marks,
 * bidirectional controls).
 */
export class NotCoveredError extends PdfFallbackError {
  constructor(readonly codePoint: number) {
    const code = `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;
    // Shown beside its code only where it prints as itself (no control a terminal would act on).
    const printable =
      codePoint > 0x20 && !(codePoint >= 0x7f && codePoint <= 0x9f) && !(codePoint >= 0xd800 && codePoint <= 0xdfff);
    const shown = printable ? ` "${String.fromCodePoint(codePoint)}"` : '';
    super(`${code}${shown} is not drawn by the report's own PDF fonts`);
  }
}

const fontFiles: Record<FontName, string> = {
  regular: 'DejaVuSans.ttf',
  bold: 'DejaVuSans-Bold.ttf',
  italic: 'DejaVuSans-Oblique.ttf',
  boldItalic: 'DejaVuSans-BoldOblique.ttf',
  mono: 'DejaVuSansMono.ttf',
};
/** The font files the writer may read (the Electron package keeps these and drops the rest). */
export const pdfFontFiles: readonly string[] = Object.values(fontFiles);

const fontNames: Record<FontName, string> = {
  regular: 'DejaVuSans',
  bold: 'DejaVuSans-Bold',
  italic: 'DejaVuSans-Oblique',
  boldItalic: 'DejaVuSans-BoldOblique',
  mono: 'DejaVuSansMono',
};

const loaded = new Map<FontName, TrueTypeFont>();

/** The fonts are read once per process, each when a report first uses it (about 0.7 MB each). */
function loadFont(name: FontName): TrueTypeFont {
  let font = loaded.get(name);
  if (!font) {
    try {
      const require = createRequire(import.meta.url);
      font = new TrueTypeFont(readFileSync(require.resolve(`dejavu-fonts-ttf/ttf/${fontFiles[name]}`)));
    } catch (error) {
      // An installation missing its fonts still exports, the slow way.
      throw new PdfFallbackError(`the PDF font ${fontFiles[name]} could not be read: ${(error as Error).message}`);
    }
    loaded.set(name, font);
  }
  return font;
}

/** Code points drawn only with shaping or reordering this writer does not do. */
function needsShaping(c: number): boolean {
  return (
    (c >= 0x0300 && c <= 0x036f) || // combining diacritical marks
    (c >= 0x0483 && c <= 0x0489) ||
    (c >= 0x0590 && c <= 0x08ff) || // Hebrew, Arabic, Syriac, Thaana, N'Ko…
    (c >= 0x0900 && c <= 0x0dff) || // Indic scripts
    (c >= 0x0e00 && c <= 0x0fff) || // Thai, Lao, Tibetan
    (c >= 0x1000 && c <= 0x109f) || // Myanmar
    (c >= 0x1780 && c <= 0x17ff) || // Khmer
    (c >= 0x1ab0 && c <= 0x1aff) ||
    (c >= 0x1dc0 && c <= 0x1dff) ||
    (c >= 0x200b && c <= 0x200f) || // zero-width characters, LRM, RLM
    (c >= 0x202a && c <= 0x202e) || // bidirectional embeddings and overrides
    (c >= 0x2066 && c <= 0x2069) || // bidirectional isolates
    (c >= 0x20d0 && c <= 0x20ff) ||
    (c >= 0xfb1d && c <= 0xfdff) || // Hebrew and Arabic presentation forms
    (c >= 0xfe00 && c <= 0xfe0f) || // variation selectors
    (c >= 0xfe20 && c <= 0xfe2f) ||
    (c >= 0xfe70 && c <= 0xfeff) ||
    (c >= 0xe000 && c <= 0xf8ff) || // private use: DejaVu's own glyphs there are not what the writer meant
    (c >= 0x10800 && c <= 0x10fff) || // right-to-left scripts outside the BMP
    (c >= 0x1e800 && c <= 0x1efff) ||
    c >= 0xf0000 ||
    isControl(c)
  );
}

/** One font as used in this document: widths and glyph ids per code point, cached. */
class UsedFont {
  /** Glyph id → the text it stands for (ToUnicode). */
  readonly glyphs = new Map<number, string>();
  /** Advance per UTF-16 code unit in font units, -1 until learnt (a surrogate pair is learnt by its pair). */
  private readonly widths = new Float64Array(0x10000).fill(-1);
  /** Glyph per UTF-16 code unit, valid once its width is learnt. */
  private readonly gids = new Uint16Array(0x10000);
  private readonly astral = new Map<number, { width: number; glyph: number }>();
  readonly metrics: { ascent: number; descent: number };

  constructor(
    readonly font: TrueTypeFont,
    readonly resource: string,
  ) {
    this.metrics = { ascent: font.ascent / font.unitsPerEm, descent: font.descent / font.unitsPerEm };
  }

  /** Width of the text (from start to end) at size 1 (em), checking every character. */
  width(text: string, start = 0, end = text.length): number {
    this.fit(text, start, end, Infinity);
    return this.fitted;
  }

  /**
   * How much of the text (from start, before end) fits in `max` em: the index where it stops
   * (end when all of it fits; a surrogate pair is never split), its width in `fitted`.
   */
  fit(text: string, start: number, end: number, max: number): number {
    const limit = max * this.font.unitsPerEm;
    let units = 0;
    let i = start;
    while (i < end) {
      const unit = text.charCodeAt(i);
      const pair = unit >= 0xd800 && unit <= 0xdbff;
      let w = this.widths[unit]!;
      if (pair) w = this.learnAstral(text.codePointAt(i)!).width;
      else if (w < 0) w = this.learn(unit);
      if (units + w > limit) break;
      units += w;
      i += pair ? 2 : 1;
    }
    this.fitted = units / this.font.unitsPerEm;
    return i;
  }

  fitted = 0;

  /** Writes the text's glyph ids, two bytes each, as the inside of a literal string. */
  writeGlyphs(sink: ByteSink, text: string): void {
    for (let i = 0; i < text.length; i++) {
      const unit = text.charCodeAt(i);
      if (unit >= 0xd800 && unit <= 0xdbff) sink.glyph(this.learnAstral(text.codePointAt(i++)!).glyph);
      else {
        if (this.widths[unit]! < 0) this.learn(unit);
        sink.glyph(this.gids[unit]!);
      }
    }
  }

  private learn(unit: number): number {
    // A lone surrogate has no glyph: glyphOf() refuses it.
    const g = this.glyphOf(unit);
    const w = this.font.advance(g);
    this.widths[unit] = w;
    this.gids[unit] = g;
    if (!this.glyphs.has(g)) this.glyphs.set(g, String.fromCharCode(unit));
    return w;
  }

  private learnAstral(c: number): { width: number; glyph: number } {
    let known = this.astral.get(c);
    if (!known) {
      const g = this.glyphOf(c);
      known = { width: this.font.advance(g), glyph: g };
      this.astral.set(c, known);
      if (!this.glyphs.has(g)) this.glyphs.set(g, String.fromCodePoint(c));
    }
    return known;
  }

  private glyphOf(c: number): number {
    const g = needsShaping(c) || (c >= 0xd800 && c <= 0xdfff) ? 0 : this.font.glyph(c);
    if (g === 0) throw new NotCoveredError(c);
    return g;
  }
}

/**
 * A page's text operators, written as bytes as they come: as strings, each run's glyph codes
 * were a rope of a hundred small pieces kept alive until the end (most of the time went to the
 * garbage collector copying them). Glyph ids go in literal strings as two raw bytes (half the
 * size of hex, so half the deflating).
 */
class ByteSink {
  private buf = Buffer.allocUnsafe(1 << 16);
  private length = 0;

  ascii(text: string): void {
    this.room(text.length);
    this.length += this.buf.write(text, this.length, 'latin1');
  }

  /** A glyph id's two bytes inside a literal string: ( ) \\ escaped, and CR (a reader would read it as a line end). */
  glyph(id: number): void {
    this.room(4);
    this.byte(id >> 8);
    this.byte(id & 0xff);
  }

  private byte(b: number): void {
    if (b === 0x28 || b === 0x29 || b === 0x5c) this.buf[this.length++] = 0x5c;
    else if (b === 0x0d) {
      this.buf[this.length++] = 0x5c;
      b = 0x72; // \r
    }
    this.buf[this.length++] = b;
  }

  bytes(): Buffer {
    return this.buf.subarray(0, this.length);
  }

  private room(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.length + n));
    this.buf.copy(grown, 0, 0, this.length);
    this.buf = grown;
  }
}

interface Page {
  graphics: string[];
  text: ByteSink;
}

export const a4 = { width: 595.28, height: 841.89 };

export class PdfDocument {
  private readonly pages: Page[] = [];
  private readonly fonts = new Map<FontName, UsedFont>();
  private page: Page | undefined;
  private current = { font: '', size: 0, color: '' };

  get pageCount(): number {
    return this.pages.length;
  }

  /** Width in points of the text (from start to end) in the style; throws NotCoveredError for a character it cannot draw. */
  measure(text: string, font: FontName, size: number, start?: number, end?: number): number {
    return this.font(font).width(text, start, end) * size;
  }

  /**
   * How much of the text (from start, before end) fits in `max` points: the index where it
   * stops (end when all of it fits), its width in `fitted`. It stops measuring there, so cutting
   * a 100,000-character word into lines stays linear.
   */
  fit(text: string, font: FontName, size: number, start: number, end: number, max: number): number {
    const used = this.font(font);
    const stop = used.fit(text, start, end, max / size);
    this.fitted = used.fitted * size;
    return stop;
  }

  /** The width of what the last fit() took, in points. */
  fitted = 0;

  /** Ascent and descent (negative) at size 1. */
  metrics(font: FontName): { ascent: number; descent: number } {
    return this.font(font).metrics;
  }

  addPage(): void {
    this.page = { graphics: [], text: new ByteSink() };
    this.pages.push(this.page);
    this.current = { font: '', size: 0, color: '' };
  }

  /** Goes back to an earlier page (1-based), to add its page number once the count is known. */
  onPage(n: number): void {
    this.page = this.pages[n - 1];
    this.current = { font: '', size: 0, color: '' };
  }

  /** Text with its baseline's left end at (x, y), y from the page's top. */
  text(x: number, y: number, text: string, style: TextStyle): void {
    const ops = this.page!.text;
    const used = this.font(style.font);
    if (this.current.font !== style.font || this.current.size !== style.size) {
      ops.ascii(`/${used.resource} ${num(style.size)} Tf\n`);
      this.current.font = style.font;
      this.current.size = style.size;
    }
    const color = rgb(style.color);
    if (this.current.color !== color) {
      ops.ascii(`${color} rg\n`);
      this.current.color = color;
    }
    ops.ascii(`1 0 0 1 ${num(x)} ${num(a4.height - y)} Tm (`);
    used.writeGlyphs(ops, text);
    ops.ascii(') Tj\n');
  }

  /** A filled rectangle, (x, y) its top-left corner from the page's top. */
  fill(x: number, y: number, width: number, height: number, color: Rgb): void {
    this.page!.graphics.push(
      `${rgb(color)} rg ${num(x)} ${num(a4.height - y - height)} ${num(width)} ${num(height)} re f`,
    );
  }

  /** A horizontal rule. */
  rule(x: number, y: number, width: number, thickness: number, color: Rgb): void {
    const at = num(a4.height - y);
    this.page!.graphics.push(
      `${rgb(color).toUpperCase()} ${num(thickness)} w ${num(x)} ${at} m ${num(x + width)} ${at} l S`,
    );
  }

  /** The whole file. `created` is the report's own time, so one report gives one file. */
  finish(info: { title: string; created: string }): Buffer {
    const objects: (Buffer | string)[] = [];
    const add = (body: Buffer | string): number => objects.push(body);
    const stream = (data: Buffer, dict = ''): Buffer => {
      const packed = deflateSync(data);
      return Buffer.concat([
        Buffer.from(`<< /Length ${packed.length} /Filter /FlateDecode${dict} >>\nstream\n`, 'latin1'),
        packed,
        Buffer.from('\nendstream', 'latin1'),
      ]);
    };

    const catalog = add('<< /Type /Catalog /Pages 2 0 R >>');
    const pagesAt = add(''); // filled once the pages exist
    const infoAt = add(`<< /Title ${utf16(info.title)} /Producer (Ops Console)${pdfDate(info.created)} >>`);
    const fontRefs: string[] = [];
    for (const [name, used] of this.fonts)
      fontRefs.push(`/${used.resource} ${this.embed(name, used, add, stream)} 0 R`);
    const resources = add(`<< /Font << ${fontRefs.join(' ')} >> >>`);
    const kids: number[] = [];
    for (const page of this.pages) {
      const body = Buffer.concat([
        Buffer.from(`${page.graphics.join('\n')}\nBT\n`, 'latin1'),
        page.text.bytes(),
        Buffer.from('ET', 'latin1'),
      ]);
      const content = add(stream(body));
      kids.push(
        add(
          `<< /Type /Page /Parent ${pagesAt} 0 R /MediaBox [0 0 ${a4.width} ${a4.height}] /Resources ${resources} 0 R /Contents ${content} 0 R >>`,
        ),
      );
    }
    objects[pagesAt - 1] = `<< /Type /Pages /Count ${kids.length} /Kids [${kids.map((k) => `${k} 0 R`).join(' ')}] >>`;

    const chunks: Buffer[] = [Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
    let offset = chunks[0]!.length;
    const offsets: number[] = [];
    objects.forEach((body, i) => {
      offsets.push(offset);
      const bytes = Buffer.concat([
        Buffer.from(`${i + 1} 0 obj\n`, 'latin1'),
        typeof body === 'string' ? Buffer.from(body, 'latin1') : body,
        Buffer.from('\nendobj\n', 'latin1'),
      ]);
      chunks.push(bytes);
      offset += bytes.length;
    });
    const xref = [
      'xref',
      `0 ${objects.length + 1}`,
      '0000000000 65535 f ',
      ...offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n `),
      'trailer',
      `<< /Size ${objects.length + 1} /Root ${catalog} 0 R /Info ${infoAt} 0 R >>`,
      'startxref',
      String(offset),
      '%%EOF',
      '',
    ].join('\n');
    chunks.push(Buffer.from(xref, 'latin1'));
    return Buffer.concat(chunks);
  }

  private font(name: FontName): UsedFont {
    let used = this.fonts.get(name);
    if (!used) {
      used = new UsedFont(loadFont(name), `F${this.fonts.size + 1}`);
      this.fonts.set(name, used);
    }
    return used;
  }

  /** Type0 font over a CIDFontType2 (glyph ids as CIDs), its subset file and ToUnicode map; returns the Type0's object number. */
  private embed(
    name: FontName,
    used: UsedFont,
    add: (body: Buffer | string) => number,
    stream: (data: Buffer, dict?: string) => Buffer,
  ): number {
    const { font } = used;
    const glyphs = [...used.glyphs.keys()].sort((a, b) => a - b);
    const scale = 1000 / font.unitsPerEm;
    const tag = createHash('sha256')
      .update(`${name}:${glyphs.join(',')}`)
      .digest()
      .subarray(0, 6)
      .reduce((s, b) => s + String.fromCharCode(65 + (b % 26)), '');
    const baseFont = `${tag}+${fontNames[name]}`;
    const file = font.subset(glyphs);
    const fontFile = add(stream(file, ` /Length1 ${file.length}`));
    const flags = (name === 'mono' ? 1 : 0) | 32 | (name === 'italic' || name === 'boldItalic' ? 64 : 0);
    const descriptor = add(
      `<< /Type /FontDescriptor /FontName /${baseFont} /Flags ${flags} /FontBBox [${font.bbox.map((v) => Math.round(v * scale)).join(' ')}] /ItalicAngle ${num(font.italicAngle)} /Ascent ${Math.round(font.ascent * scale)} /Descent ${Math.round(font.descent * scale)} /CapHeight ${Math.round(font.capHeight * scale)} /StemV 80 /FontFile2 ${fontFile} 0 R >>`,
    );
    // Two decimals, as the layout measured them: whole units drift by up to a point over a line.
    const widths = glyphs.map((g) => `${g} [${num(font.advance(g) * scale)}]`).join(' ');
    const cid = add(
      `<< /Type /Font /Subtype /CIDFontType2 /BaseFont /${baseFont} /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor ${descriptor} 0 R /W [${widths}] /CIDToGIDMap /Identity >>`,
    );
    const toUnicode = add(stream(Buffer.from(unicodeMap(glyphs.map((g) => [g, used.glyphs.get(g)!])), 'latin1')));
    return add(
      `<< /Type /Font /Subtype /Type0 /BaseFont /${baseFont} /Encoding /Identity-H /DescendantFonts [${cid} 0 R] /ToUnicode ${toUnicode} 0 R >>`,
    );
  }
}

function unicodeMap(entries: [number, string][]): string {
  const lines = [
    '/CIDInit /ProcSet findresource begin',
    '12 dict begin',
    'begincmap',
    '/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def',
    '/CMapName /Adobe-Identity-UCS def',
    '/CMapType 2 def',
    '1 begincodespacerange',
    '<0000> <FFFF>',
    'endcodespacerange',
  ];
  for (let i = 0; i < entries.length; i += 100) {
    const block = entries.slice(i, i + 100);
    lines.push(`${block.length} beginbfchar`);
    for (const [g, text] of block)
      lines.push(`<${g.toString(16).padStart(4, '0')}> <${Buffer.from(text, 'utf16le').swap16().toString('hex')}>`);
    lines.push('endbfchar');
  }
  lines.push('endcmap', 'CMapName currentdict /CMap defineresource pop', 'end', 'end');
  return lines.join('\n');
}

/** ` /CreationDate (D:…Z)` from an ISO time; nothing for anything else. */
function pdfDate(iso: string): string {
  const m = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)/.exec(iso);
  return m ? ` /CreationDate (D:${m.slice(1).join('')}Z)` : '';
}

/** A text string as UTF-16BE with its byte-order mark, in hex. */
function utf16(text: string): string {
  return `<feff${Buffer.from(text, 'utf16le').swap16().toString('hex')}>`;
}

function rgb([r, g, b]: Rgb): string {
  return `${num(r)} ${num(g)} ${num(b)}`;
}

function num(n: number): string {
  return String(Math.round(n * 100) / 100);
}
