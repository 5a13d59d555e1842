/**
 * Control bytes in text sent to a terminal act as keys: ESC starts escape sequences (and ends a
 * bracketed paste early, so the rest runs), CR presses Enter, ETX is Ctrl-C. A runbook step may
 * send only tab and newline unless its fence declares more: {controlBytes="ESC,ETX"}.
 */
const names = [
  'NUL',
  'SOH',
  'STX',
  'ETX',
  'EOT',
  'ENQ',
  'ACK',
  'BEL',
  'BS',
  'HT',
  'LF',
  'VT',
  'FF',
  'CR',
  'SO',
  'SI',
  'DLE',
  'DC1',
  'DC2',
  'DC3',
  'DC4',
  'NAK',
  'SYN',
  'ETB',
  'CAN',
  'EM',
  'SUB',
  'ESC',
  'FS',
  'GS',
  'RS',
  'US',
];
const alwaysAllowed = new Set([0x09, 0x0a]);

/** C0 controls, DEL and the C1 controls (U+0080–U+009F, which some terminals read as ESC sequences). */
export function isControl(code: number): boolean {
  return code < 0x20 || (code >= 0x7f && code <= 0x9f);
}

/** How a byte is named in messages: ESC (0x1b). */
export function controlName(code: number): string {
  const name = code < 0x20 ? names[code] : code === 0x7f ? 'DEL' : 'C1';
  return `${name} (0x${code.toString(16).padStart(2, '0')})`;
}

/** Reads a fence's controlBytes attribute: names (ESC, CR), caret forms (^C) or hex (0x1b, \x1b), comma-separated. */
export function parseControlBytes(declared: string | undefined): { codes: number[] } | { error: string } {
  const codes: number[] = [];
  for (const raw of (declared ?? '').split(/[,\s]+/).filter(Boolean)) {
    const item = raw.trim();
    const byName = names.indexOf(item.toUpperCase());
    const caret = /^\^([@A-Z[\\\]^_])$/i.exec(item);
    const hex = /^(?:0x|\\x)([0-9a-f]{1,2})$/i.exec(item);
    const code =
      byName >= 0
        ? byName
        : item.toUpperCase() === 'DEL'
          ? 0x7f
          : caret
            ? caret[1]!.toUpperCase().charCodeAt(0) - 64
            : hex
              ? parseInt(hex[1]!, 16)
              : -1;
    if (code < 0 || !isControl(code))
      return { error: `"${item}" is not a control byte: write names such as ESC or CR, ^C, or hex such as 0x1b` };
    codes.push(code);
  }
  return { codes };
}

/** The first control byte in `text` that is neither tab, newline nor declared, with its position. */
export function firstForbiddenControl(
  text: string,
  declared: readonly number[],
): { code: number; index: number } | undefined {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (isControl(code) && !alwaysAllowed.has(code) && !declared.includes(code)) return { code, index };
  }
  return undefined;
}
