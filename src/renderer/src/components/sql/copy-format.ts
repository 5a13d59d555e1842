import type { SqlField } from '../../../../shared/contract';
import { neutralizeCell } from '../../../../shared/csv-formula';

export type CopyFormat = 'csv' | 'tsv' | 'markdown' | 'json' | 'insert';

type Row = (string | null)[];

/** CSV as COPY writes it (NULL empty and unquoted, '' quoted), with a header line; formula cells neutralised for spreadsheets. */
function csv(fields: SqlField[], rows: Row[]): string {
  const quoted = (value: string) =>
    value === '' || /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
  const field = (value: string | null) => (value === null ? '' : quoted(neutralizeCell(value)));
  return (
    [fields.map((f) => field(f.name)), ...rows.map((r) => r.map(field))].map((cells) => cells.join(',')).join('\n') +
    '\n'
  );
}

/** A GitHub table: pipes escaped, newlines as <br>, NULL written NULL in italics so it differs from 'NULL'. */
function markdown(fields: SqlField[], rows: Row[]): string {
  const cell = (value: string | null) =>
    value === null ? '*NULL*' : value.replaceAll('\\', '\\\\').replaceAll('|', '\\|').replace(/\r?\n/g, '<br>');
  const lines = [
    `| ${fields.map((f) => cell(f.name)).join(' | ')} |`,
    `| ${fields.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ];
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
  return `${JSON.stringify(
    rows.map((r) => Object.fromEntries(keys.map((k, i) => [k, r[i] ?? null]))),
    null,
    2,
  )}\n`;
}

/** Tab-separated for pasting into a spreadsheet: tabs, newlines and backslashes escaped as COPY does, NULL empty, formulas neutralised. */
function tsv(fields: SqlField[], rows: Row[]): string {
  const escape = (value: string) =>
    value.replace(/[\\\t\r\n]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\r': '\\r', '\n': '\\n' })[c]!);
  const field = (value: string | null) => (value === null ? '' : escape(neutralizeCell(value)));
  return (
    [fields.map((f) => field(f.name)), ...rows.map((r) => r.map(field))].map((cells) => cells.join('\t')).join('\n') +
    '\n'
  );
}

const numericTypes = new Set(['int2', 'int4', 'int8', 'float4', 'float8', 'numeric', 'oid']);
const plainNumber = /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/;
const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** One INSERT per row into a placeholder table (rename it): numbers and booleans bare, the rest as quoted literals, NULL as NULL. */
function inserts(fields: SqlField[], rows: Row[]): string {
  const literal = (value: string | null, type: string) => {
    if (value === null) return 'NULL';
    if (numericTypes.has(type) && plainNumber.test(value)) return value;
    if (type === 'bool' && (value === 't' || value === 'f')) return value === 't' ? 'true' : 'false';
    return `'${value.replaceAll("'", "''")}'`;
  };
  const columns = fields.map((f) => quoteIdent(f.name)).join(', ');
  return rows
    .map(
      (r) =>
        `INSERT INTO table_name (${columns}) VALUES (${r.map((v, i) => literal(v, fields[i]?.type ?? 'text')).join(', ')});\n`,
    )
    .join('');
}

/** How the grid names each format ("Copied 3 rows as INSERT statements"). */
export const copyFormatNames: Record<CopyFormat, string> = {
  csv: 'CSV',
  tsv: 'TSV',
  markdown: 'Markdown',
  json: 'JSON',
  insert: 'INSERT statements',
};

const formatters: Record<CopyFormat, (fields: SqlField[], rows: Row[]) => string> = {
  csv,
  tsv,
  markdown,
  json,
  insert: inserts,
};

/** Rows as text to put on the clipboard. */
export function formatRows(format: CopyFormat, fields: SqlField[], rows: Row[]): string {
  return formatters[format](fields, rows);
}
