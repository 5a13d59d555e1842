import { Transform } from 'node:stream';

const quote = 0x22;
const apostrophe = Buffer.from("'");
const triggers = new Set([0x3d, 0x2b, 0x2d, 0x40, 0x09, 0x0d]); // = + - @ tab CR

/**
 * Neutralises formula cells in a CSV byte stream as COPY … (FORMAT csv) writes it (fields split
 * by commas, records by LF, quotes doubled), so the fast COPY path keeps the spreadsheet rule of
 * csv-formula.ts: an apostrophe goes before the first character of each field (inside its quotes
 * when quoted) that would start a formula. Works byte by byte across chunk boundaries; the
 * characters that matter are ASCII, so UTF-8 sequences pass untouched.
 */
export function neutralizeCsvStream(): Transform {
  let fieldStart = true;
  let inQuotes = false;
  let firstInQuotes = false;
  let quotePending = false; // a quote inside quotes: closes, or is the first of a doubled pair
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      const out: Buffer[] = [];
      let from = 0;
      const insertBefore = (i: number) => {
        out.push(chunk.subarray(from, i), apostrophe);
        from = i;
      };
      for (let i = 0; i < chunk.length; i++) {
        const c = chunk[i]!;
        if (inQuotes) {
          if (quotePending) {
            quotePending = false;
            if (c === quote) continue; // "" inside quotes
            inQuotes = false; // the pending quote closed the field: read c as outside
          } else if (c === quote) {
            quotePending = true;
            firstInQuotes = false;
            continue;
          } else {
            if (firstInQuotes && triggers.has(c)) insertBefore(i);
            firstInQuotes = false;
            continue;
          }
        }
        if (fieldStart && c === quote) {
          inQuotes = true;
          firstInQuotes = true;
          fieldStart = false;
          continue;
        }
        if (fieldStart && triggers.has(c)) insertBefore(i);
        fieldStart = c === 0x2c || c === 0x0a;
      }
      out.push(chunk.subarray(from));
      done(null, Buffer.concat(out));
    },
  });
}
