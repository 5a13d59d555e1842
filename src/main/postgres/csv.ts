import { neutralizeCell } from '../../shared/csv-formula';

/**
 * CSV exactly as Postgres's COPY … (FORMAT csv) writes it, for exports that cannot use COPY (a
 * template's bound parameters): NULL is an empty unquoted field; a value is quoted when it is
 * empty, has a comma, a quote, CR or LF, or is `\.` alone on its line; quotes are doubled; lines end with LF.
 */
export function csvField(value: string | null, alone = false): string {
  if (value === null) return '';
  if (value === '' || (alone && value === '\\.') || /[",\r\n]/.test(value)) return `"${value.replaceAll('"', '""')}"`;
  return value;
}

/** A record; unless `raw`, formula cells are neutralised (shared/csv-formula.ts). */
export function csvLine(row: (string | null)[], raw = false): string {
  return `${row.map((value) => csvField(value === null || raw ? value : neutralizeCell(value), row.length === 1)).join(',')}\n`;
}

/** The header line: column names quoted by the same rule (COPY's HEADER). */
export function csvHeader(names: string[], raw = false): string {
  return csvLine(names, raw);
}
