/**
 * Bytes from Redis (keys, values, arguments) as the console shows and copies them. Redis strings
 * are bytes, not text: a value that is not valid UTF-8, or holds control characters, is shown
 * escaped the way redis-cli prints it and marked binary, so nothing is silently replaced by U+FFFD
 * and a copy parses back (through the console's own command line) to the very same bytes.
 * Pure TypeScript: used by the core and the renderer alike.
 */

/** Strict UTF-8 (no overlongs, no surrogates, nothing past U+10FFFF): shared code has no TextDecoder in its lib. */
function decodeUtf8(bytes: Uint8Array): string | undefined {
  let out = '';
  let i = 0;
  while (i < bytes.length) {
    const b0 = bytes[i]!;
    const length =
      b0 < 0x80 ? 1 : b0 >= 0xc2 && b0 <= 0xdf ? 2 : b0 >= 0xe0 && b0 <= 0xef ? 3 : b0 >= 0xf0 && b0 <= 0xf4 ? 4 : 0;
    if (length === 0 || i + length > bytes.length) return undefined;
    let code = length === 1 ? b0 : b0 & (0xff >> (length + 1));
    for (let j = 1; j < length; j++) {
      const next = bytes[i + j]!;
      if ((next & 0xc0) !== 0x80) return undefined;
      code = (code << 6) | (next & 0x3f);
    }
    const min = [0, 0, 0x80, 0x800, 0x10000][length]!;
    if (code < min || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return undefined;
    out += String.fromCodePoint(code);
    i += length;
  }
  return out;
}

function encodeUtf8(text: string): Uint8Array {
  const out: number[] = [];
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (code < 0x80) out.push(code);
    else if (code < 0x800) out.push(0xc0 | (code >> 6), 0x80 | (code & 0x3f));
    else if (code < 0x10000) out.push(0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f));
    else out.push(0xf0 | (code >> 18), 0x80 | ((code >> 12) & 0x3f), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f));
  }
  return Uint8Array.from(out);
}

/** C0 controls except tab, newline and carriage return; DEL; C1 controls. */
const controlInText = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

/** The bytes as text when they are valid UTF-8 without control characters (tab and newlines allowed); undefined otherwise. */
export function plainText(bytes: Uint8Array): string | undefined {
  const text = decodeUtf8(bytes);
  return text === undefined || controlInText.test(text) ? undefined : text;
}

const named: Record<number, string> = {
  0x0a: '\\n',
  0x0d: '\\r',
  0x09: '\\t',
  0x08: '\\b',
  0x07: '\\a',
  0x22: '\\"',
  0x5c: '\\\\',
};

function hexByte(byte: number): string {
  return `\\x${byte.toString(16).padStart(2, '0')}`;
}

/**
 * The inside of a redis-cli double-quoted string for these bytes: printable ASCII as is, `"` and `\`
 * escaped, \n \r \t \b \a by name, other control bytes as \xHH; characters beyond ASCII stay as
 * they are when the bytes are valid UTF-8, and every byte ≥ 0x80 becomes \xHH when they are not.
 */
export function escapeRedisBytes(bytes: Uint8Array): string {
  const valid = decodeUtf8(bytes) !== undefined;
  let out = '';
  let i = 0;
  while (i < bytes.length) {
    const byte = bytes[i]!;
    if (named[byte]) out += named[byte];
    else if (byte >= 0x20 && byte < 0x7f) out += String.fromCharCode(byte);
    else if (byte < 0x80 || !valid) out += hexByte(byte);
    else {
      const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2;
      const char = decodeUtf8(bytes.subarray(i, i + length)) ?? '';
      out += controlInText.test(char) ? [...bytes.subarray(i, i + length)].map(hexByte).join('') : char;
      i += length;
      continue;
    }
    i++;
  }
  return out;
}

/** One argument as the console's Redis command line (and redis-cli) reads it back to exactly these bytes. */
export function quoteRedisBytes(bytes: Uint8Array): string {
  return `"${escapeRedisBytes(bytes)}"`;
}

/** A text argument quoted for the console's Redis command line. */
export function quoteRedisText(text: string): string {
  return quoteRedisBytes(encodeUtf8(text));
}

/** Lower-case hex of the bytes, two digits per byte. */
export function hexOfBytes(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += byte.toString(16).padStart(2, '0');
  return out;
}

/** Bytes as they travel in the contract: exact (base64) and shown (text, or escaped when binary). */
export interface RedisBytes {
  /** The exact bytes, base64: what an edit or a copy addresses. */
  b64: string;
  /** As shown: the text itself, or the redis-cli escape of the bytes when `binary`. */
  text: string;
  binary: boolean;
  /** Length in bytes (of the whole value when `truncated`). */
  size: number;
  /** Only the first bytes came back (the value is larger than the viewer loads at once). */
  truncated?: boolean;
}

/** Decodes a base64 string to bytes (no Buffer: the renderer has none). */
export function bytesOfB64(b64: string): Uint8Array {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (const char of b64.replace(/=+$/, '')) {
    const index = alphabet.indexOf(char);
    if (index < 0) continue;
    value = ((value << 6) | index) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push((value >> bits) & 0xff);
    }
  }
  return Uint8Array.from(out);
}

/** The one-line form of a key for a list or tree: controls and newlines always escaped. */
export function keyLabel(bytes: Uint8Array): string {
  const text = plainText(bytes);
  return text !== undefined && !/[\n\r\t]/.test(text) ? text : escapeRedisBytes(bytes);
}
