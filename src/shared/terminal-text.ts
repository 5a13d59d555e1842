/**
 * Control characters a terminal would act on rather than show: C0 except tab and newline (ESC,
 * BEL, CR, backspace…), DEL, C1 (U+0080–U+009F, which some terminals read as CSI/OSC), and the
 * bidirectional overrides that reorder what the reader sees (Trojan Source).
 */
const unsafe = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text from data (a cell, a note, a title, a server's message) made safe to print on a terminal:
 * each control character becomes its visible escape (ESC → \x1b, U+009B → \u009b), so OSC 52
 * cannot write the clipboard and no sequence can clear or fake the screen.
 */
export function terminalSafe(text: string): string {
  return text.replace(unsafe, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
