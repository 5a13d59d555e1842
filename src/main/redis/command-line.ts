import { OpsError } from '../errors';

/**
 * Splits a command line into arguments with redis-cli's rules (sdssplitargs):
 * - arguments are separated by spaces, tabs and newlines;
 * - "double quotes" understand \n \r \t \b \a \\ \" and \xHH (two hex digits); any other
 *   backslash sequence is the character itself;
 * - 'single quotes' are literal except \' for a quote;
 * - a quote may start inside an argument (foo"bar baz" is one argument), but a closing quote
 *   must be followed by a space or the end of the line;
 * - an unterminated quote is an error.
 * Returns the arguments as bytes, exactly as redis-cli would send them.
 * Throws OpsError('invalid_input') naming the position of the bad quote.
 */
export function parseRedisCommandLineBytes(line: string): Buffer[] {
  const input = Buffer.from(line, 'utf8');
  const args: Buffer[] = [];
  let p = 0;
  for (;;) {
    while (p < input.length && isSpace(input[p]!)) p++;
    if (p >= input.length) return args;
    const bytes: number[] = [];
    let quote: 0 | 1 | 2 = 0; // 1 in "double", 2 in 'single'
    const quoteStart = () => line.length - input.subarray(p).toString('utf8').length;
    let openedAt = 0;
    for (;;) {
      const c = input[p];
      if (quote === 1) {
        if (c === undefined) throw unbalanced(openedAt);
        if (c === 0x5c && input[p + 1] === 0x78 && isHex(input[p + 2]) && isHex(input[p + 3])) {
          bytes.push(parseInt(String.fromCharCode(input[p + 2]!, input[p + 3]!), 16));
          p += 4;
        } else if (c === 0x5c && p + 1 < input.length) {
          bytes.push(unescape(input[p + 1]!));
          p += 2;
        } else if (c === 0x22) {
          p++;
          if (p < input.length && !isSpace(input[p]!)) throw closingNotFollowedBySpace(quoteStart());
          break;
        } else {
          bytes.push(c);
          p++;
        }
      } else if (quote === 2) {
        if (c === undefined) throw unbalanced(openedAt);
        if (c === 0x5c && input[p + 1] === 0x27) {
          bytes.push(0x27);
          p += 2;
        } else if (c === 0x27) {
          p++;
          if (p < input.length && !isSpace(input[p]!)) throw closingNotFollowedBySpace(quoteStart());
          break;
        } else {
          bytes.push(c);
          p++;
        }
      } else {
        if (c === undefined || c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) break;
        if (c === 0x22 || c === 0x27) {
          openedAt = quoteStart();
          quote = c === 0x22 ? 1 : 2;
        } else bytes.push(c);
        p++;
      }
    }
    args.push(Buffer.from(bytes));
  }
}

/**
 * `parseRedisCommandLineBytes` decoded as UTF-8 text: what the UI and the JSON output show.
 * (An argument built from \xHH escapes that is not valid UTF-8 is decoded with U+FFFD; send the
 * bytes version when exact bytes matter.)
 */
export function parseRedisCommandLine(line: string): string[] {
  return parseRedisCommandLineBytes(line).map((arg) => arg.toString('utf8'));
}

function unescape(c: number): number {
  switch (c) {
    case 0x6e:
      return 0x0a; // n
    case 0x72:
      return 0x0d; // r
    case 0x74:
      return 0x09; // t
    case 0x62:
      return 0x08; // b
    case 0x61:
      return 0x07; // a
    default:
      return c;
  }
}

function isSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

function isHex(c: number | undefined): boolean {
  return c !== undefined && ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66));
}

function unbalanced(at: number): OpsError {
  return new OpsError(
    'invalid_input',
    `line has an unterminated quote opened at character ${at + 1}: close it (inside "…" write \\" for a quote).`,
  );
}

function closingNotFollowedBySpace(at: number): OpsError {
  return new OpsError(
    'invalid_input',
    `line has a closing quote followed by a character at ${at + 1}: put a space after the closing quote.`,
  );
}
