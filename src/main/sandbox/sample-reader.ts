import type pg from 'pg';
import { columnIsMasked } from '../../shared/profile';
import type { SqlClassification } from '../../shared/risk';
import { extended, withReadOnlyTransaction } from '../postgres/read-only-transaction';

/** The most rows a sample copies from the server, and the most bytes (a 10 GB table is never copied). */
export const sampleRowLimit = 100;
export const sampleByteLimit = 2 * 1024 * 1024;

/** What the server says a write's own predicate selects: the exact count and the first rows, masked. */
export interface ServerSample {
  count: number;
  columns: string[];
  rows: Record<string, unknown>[];
}

const deletePattern = /^\s*delete\s+from\s+(?:only\s+)?([\w."$]+)(?:\s+(?:as\s+)?(?!where\b)(\w+))?\s+where\s+([\s\S]+?)\s*;?\s*$/i;
const updatePattern = /^\s*update\s+(?:only\s+)?([\w."$]+)(?:\s+(?:as\s+)?(?!set\b)(\w+))?\s+set\s+[\s\S]+?\s+where\s+([\s\S]+?)\s*;?\s*$/i;

/**
 * The SELECTs that read what a plain UPDATE or DELETE would touch (its own WHERE), or undefined
 * when the statement has another form (USING, FROM, RETURNING, WITH): then shaped rows answer.
 */
export function predicateQueries(sql: string, limit = sampleRowLimit): { count: string; rows: string } | undefined {
  if (/\b(returning|using)\b/i.test(sql) || /^\s*with\b/i.test(sql)) return undefined;
  const match = deletePattern.exec(sql) ?? updatePattern.exec(sql);
  if (!match || /\bfrom\b/i.test(sql.slice(0, sql.toLowerCase().lastIndexOf(' where ')).replace(/^\s*delete\s+from/i, ''))) return undefined;
  const [, table, alias, predicate] = match;
  const from = `${table}${alias ? ` ${alias}` : ''}`;
  return {
    count: `SELECT count(*) AS n FROM ${from} WHERE ${predicate}`,
    rows: `SELECT ${alias ?? table}.* FROM ${from} WHERE ${predicate} LIMIT ${limit}`,
  };
}

/** Both SELECTs must be classified as reads, like any other text sent to the server. */
export function notAReadReason(classifications: SqlClassification[]): string | undefined {
  for (const c of classifications) {
    if (c.statements.length !== 1) return 'its predicate does not make exactly one SELECT';
    const [statement] = c.statements;
    if (statement!.risk !== 'read') return `the SELECT built from its predicate is classified ${statement!.risk}, not a read (${statement!.reasons.join(', ') || 'unknown function'})`;
  }
  return undefined;
}

/**
 * Reads the count and the first rows through the read-only path, masking every column that
 * matches the profile's patterns before the rows leave this function.
 */
export async function readSample(client: pg.Client, queries: { count: string; rows: string }, values: unknown[], maskPatterns: readonly string[]): Promise<ServerSample> {
  return withReadOnlyTransaction(client, { statementTimeoutMs: 30_000 }, async () => {
    const count = await client.query(extended({ text: queries.count, values }));
    const rows = await client.query(extended({ text: queries.rows, values }));
    const columns = rows.fields.map((f) => f.name);
    const masked: Record<string, unknown>[] = [];
    let bytes = 0;
    for (const row of rows.rows as Record<string, unknown>[]) {
      const copy = Object.fromEntries(columns.map((c, i) => [c, columnIsMasked(c, maskPatterns) ? mask(row[c], i) : row[c]]));
      bytes += JSON.stringify(copy).length;
      if (bytes > sampleByteLimit) break;
      masked.push(copy);
    }
    return { count: Number((count.rows[0] as { n: string }).n), columns, rows: masked };
  });
}

function mask(value: unknown, column: number): unknown {
  if (value === null || value === undefined) return value;
  // Keeps an e-mail's form (a domain CHECK still holds in the sandbox), never its content.
  if (typeof value === 'string' && value.includes('@')) return `masked${column}@example.invalid`;
  return '•••• masked';
}
