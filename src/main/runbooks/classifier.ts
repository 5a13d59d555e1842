import type { SqlClassification } from '../../shared/risk';
import { classifySqlAsync } from '../sql/classifier';

/**
 * The SQL classifier the importer is given (injected so the importer stays a function of its
 * inputs); by default the one on the real Postgres parser (src/main/sql).
 */
export type SqlClassifier = (sql: string) => SqlClassification | Promise<SqlClassification>;

export const defaultSqlClassifier: SqlClassifier = classifySqlAsync;

/** The first parse error of a classification, as "message (at character N)", or undefined. */
export function parseErrorOf(classification: SqlClassification): string | undefined {
  const failed = classification.statements.find((s) => s.error);
  return failed?.error ? `${failed.error.message.replace(/\.$/, '')} (at character ${failed.error.position + 1})` : undefined;
}
