import type { SqlClassification } from '../../shared/risk';

const deletePattern =
  /^\s*delete\s+from\s+(?:only\s+)?([\w."$]+)(?:\s+(?:as\s+)?(?!where\b)(\w+))?\s+where\s+([\s\S]+?)\s*;?\s*$/i;
const updatePattern =
  /^\s*update\s+(?:only\s+)?([\w."$]+)(?:\s+(?:as\s+)?(?!set\b)(\w+))?\s+set\s+[\s\S]+?\s+where\s+([\s\S]+?)\s*;?\s*$/i;

/**
 * The SELECTs that read what a plain UPDATE or DELETE would touch (its own WHERE), or undefined
 * when the statement has another form (USING, FROM, RETURNING, WITH): then shaped rows answer.
 */
export function predicateQueries(sql: string, limit = 100): { count: string; rows: string } | undefined {
  if (/\b(returning|using)\b/i.test(sql) || /^\s*with\b/i.test(sql)) return undefined;
  const match = deletePattern.exec(sql) ?? updatePattern.exec(sql);
  if (
    !match ||
    /\bfrom\b/i.test(sql.slice(0, sql.toLowerCase().lastIndexOf(' where ')).replace(/^\s*delete\s+from/i, ''))
  )
    return undefined;
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
    if (statement!.risk !== 'read')
      return `the SELECT built from its predicate is classified ${statement!.risk}, not a read (${statement!.reasons.join(', ') || 'unknown function'})`;
  }
  return undefined;
}
