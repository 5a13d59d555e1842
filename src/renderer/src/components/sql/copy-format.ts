import type { SqlField } from '../../../../shared/contract';
import { neutralizeCell } from '../../../../shared/csv-formula';

export type CopyFormat = 'csv' | 'markdown' | 'json';

type Row = (string | null)[];

/** CSV as COPY writes it (NULL empty and unquoted, '' quoted), with a header line; formula cells neutralised for spreadsheets. */
function csv(fields: SqlField[], rows: Row[]): string {
  const quoted = (value: string) => (value === '' || /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);
  const field = (value: string | null) => (value === null ? '' : quoted(neutralizeCell(value)));
  return [fields.map((f) => field(f.name)), ...rows.map((r) => r.map(field))].map((cells) => cells.join(',')).join('\n') + '\n';
}

/** A GitHub table: pipes escaped, newlines as <br>, NULL written NULL in italics so it differs from 'NULL'. */
function markdown(fields: SqlField[], rows: Row[]): string {
  const cell = (value: string | null) => (value === null ? '*NULL*' : value.replaceAll('\\', '\\\\').replaceAll('|', '\\|').replace(/\r?\n/g, '<br>'));
  const lines = [`| ${fields.map((f) => cell(f.name)).join(' | ')} |`, `| ${fields.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)];
  return `${lines.join('\n')}\n`;
}

/** An array of objects keyed by column name (a repeated name gets its position appended). */
function json(fields: SqlField[], rows: Row[]): string {
  const seen = new Set<string>();
  const keys = fields.map((f, i) => {
    const key = seen.has(f.name) ? `${f.name}_${i + 1}` : f.name;
    seen.add(key);
    return key;
  });
  return `${JSON.stringify(rows.map((r) => Object.fromEntries(keys.map((k, i) => [k, r[i] ?? null]))), null, 2)}\n`;
}

/** Rows as text to put on the clipboard. */
export function formatRows(format: CopyFormat, fields: SqlField[], rows: Row[]): string {
  return format === 'csv' ? csv(fields, rows) : format === 'markdown' ? markdown(fields, rows) : json(fields, rows);
}
