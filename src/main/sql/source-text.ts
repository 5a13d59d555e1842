/**
 * Offsets into a SQL text. The parser reports statement locations in bytes of UTF-8 and error
 * cursors in characters (code points); callers want UTF-16 indices (`String.prototype.slice`).
 */
export class SourceText {
  private byteToIndex: Uint32Array | undefined;
  private readonly ascii: boolean;

  constructor(readonly text: string) {
    this.ascii = !/[^\x00-\x7f]/.test(text);
  }

  /** Length of the text in bytes of UTF-8. */
  get byteLength(): number {
    return this.ascii ? this.text.length : this.map().length - 1;
  }

  /** UTF-16 index of a byte offset (a byte inside a character maps to that character's start). */
  indexOfByte(byte: number): number {
    if (this.ascii) return Math.min(byte, this.text.length);
    const map = this.map();
    return map[Math.min(Math.max(byte, 0), map.length - 1)]!;
  }

  /** UTF-16 index of a code-point offset (what Postgres error cursors count). */
  indexOfCodePoint(codePoints: number): number {
    if (this.ascii) return Math.min(codePoints, this.text.length);
    let index = 0;
    for (let n = 0; n < codePoints && index < this.text.length; n++) {
      const code = this.text.charCodeAt(index);
      index += code >= 0xd800 && code <= 0xdbff ? 2 : 1;
    }
    return Math.min(index, this.text.length);
  }

  private map(): Uint32Array {
    if (this.byteToIndex) return this.byteToIndex;
    const bytes: number[] = [];
    const text = this.text;
    for (let i = 0; i < text.length; i++) {
      const code = text.codePointAt(i)!;
      const width = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
      for (let b = 0; b < width; b++) bytes.push(i);
      if (code >= 0x10000) i++;
    }
    bytes.push(text.length);
    return (this.byteToIndex = Uint32Array.from(bytes));
  }
}

/** Skips whitespace, `-- …` and (nested) `/* … *\/` comments forward from `index`. */
export function skipTrivia(text: string, index: number, end = text.length): number {
  let i = index;
  for (;;) {
    while (i < end && isSpace(text.charCodeAt(i))) i++;
    if (text.startsWith('--', i)) {
      const newline = text.indexOf('\n', i);
      i = newline < 0 || newline >= end ? end : newline + 1;
    } else if (text.startsWith('/*', i)) {
      let depth = 1;
      i += 2;
      while (i < end && depth > 0) {
        if (text.startsWith('/*', i)) (depth++, (i += 2));
        else if (text.startsWith('*/', i)) (depth--, (i += 2));
        else i++;
      }
    } else {
      return Math.min(i, end);
    }
  }
}

/** True when the end of text[0, end) could be a comment, so trimming it needs the scanner. */
export function mayEndInComment(text: string, start: number, end: number): boolean {
  if (text.startsWith('*/', end - 2)) return true;
  const lineStart = text.lastIndexOf('\n', end - 1) + 1;
  return text.slice(Math.max(lineStart, start), end).includes('--');
}

export function trimEndSpace(text: string, start: number, end: number): number {
  let i = end;
  while (i > start && isSpace(text.charCodeAt(i - 1))) i--;
  return i;
}

function isSpace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13);
}
