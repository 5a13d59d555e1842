import { isIrreversible, type SqlStatementClassification } from '../../shared/risk';

/**
 * What the safe executor needs to know about one statement beyond its risk: whether Postgres lets
 * it run inside a transaction block, and whether EXPLAIN applies to it. Read from the statement's
 * leading words (the classifier already split and parsed the text).
 */

/** The statement without leading whitespace and comments, words separated by single spaces. */
export function leadingWords(text: string, count = 8): string {
  let rest = text;
  for (;;) {
    const trimmed = rest.replace(/^\s+/, '');
    if (trimmed.startsWith('--')) {
      const end = trimmed.indexOf('\n');
      rest = end < 0 ? '' : trimmed.slice(end + 1);
    } else if (trimmed.startsWith('/*')) {
      const end = trimmed.indexOf('*/');
      rest = end < 0 ? '' : trimmed.slice(end + 2);
    } else {
      rest = trimmed;
      break;
    }
  }
  return rest.split(/\s+/, count).join(' ').toLowerCase();
}

// Statements whose execution Postgres refuses inside a transaction block ("cannot run inside a
// transaction block", SQLSTATE 25001). The executor also falls back when the server says so.
const outsideTransaction: RegExp[] = [
  /^vacuum\b/,
  /^create (unique )?index concurrently\b/,
  /^drop index concurrently\b/,
  /^reindex (\(.*\) )?(index|table|schema|database|system) concurrently\b/,
  /^reindex (\(.*\) )?(database|system)\b/,
  /^(create|drop) database\b/,
  /^alter database \S+ set tablespace\b/,
  /^(create|drop) tablespace\b/,
  /^alter system\b/,
  /^cluster;?$/,
  /^create subscription\b/,
  /^drop subscription\b/,
  /^alter subscription \S+ (refresh|enable|disable)\b/,
];

export function canRunInTransaction(text: string): boolean {
  const words = leadingWords(text);
  return !outsideTransaction.some((pattern) => pattern.test(words));
}

/** The opening every dialog and CLI message about an irreversible run starts with. */
export const cannotBeUndone = 'This cannot be previewed or undone:';

/**
 * Why a text gets no preview, or undefined when it can be previewed: a statement Postgres refuses
 * inside a transaction block, or one whose effects no ROLLBACK undoes (signals, session settings,
 * locks, files, notifications, unknown functions …). Nothing of it runs before the confirmation.
 */
export function unpreviewableNote(
  statements: Pick<SqlStatementClassification, 'text' | 'reasons'>[],
): string | undefined {
  const outside = statements.filter((s) => !canRunInTransaction(s.text));
  const irreversible = [...new Set(statements.flatMap((s) => s.reasons.filter(isIrreversible)))];
  if (outside.length === 0 && irreversible.length === 0) return undefined;
  const why =
    outside.length > 0
      ? 'a statement here cannot run inside a transaction (VACUUM, CREATE INDEX CONCURRENTLY …)'
      : `its effects live outside the transaction, so no ROLLBACK can take them back (${irreversible.join(', ')})`;
  const each =
    statements.length > 1
      ? ` Its ${statements.length} statements run one by one, each kept as it finishes: a failure stops the rest but keeps those before it.`
      : '';
  return `${cannotBeUndone} ${why}. Nothing has run yet. It runs, and is kept, once you confirm.${each}`;
}

/** EXPLAIN (without ANALYZE: nothing runs) applies to queries and data changes. */
export function explainable(text: string): boolean {
  return /^(select|with|insert|update|delete|merge|values|table)\b/.test(leadingWords(text, 1));
}
