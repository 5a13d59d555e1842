import { worstRisk, type SqlClassification, type SqlStatementClassification } from '../../shared/risk';
import { OpsError } from '../errors';
import { classifyStatementNode, type StatementReferences } from './classify-statement';
import { isSqlParserLoaded, loadSqlParser, splitSql } from './split';

/**
 * Loads the Postgres parser (WebAssembly) once. Call and await it before `classifySql`; later
 * calls resolve at once.
 */
export function initSqlClassifier(): Promise<void> {
  return loadSqlParser();
}

/**
 * Splits a SQL text into statements with the real Postgres parser and classifies each one
 * (see src/shared/risk.ts for the levels and reason codes). The text's risk is its worst
 * statement's; an empty text (only whitespace and comments) is `read` with no statements.
 * A statement that does not parse is `unknown` with reason `parse_error` and the parser's message
 * and position. Every statement's `text === sql.slice(start, end)`.
 *
 * Synchronous: `await initSqlClassifier()` first, or it throws.
 */
export function classifySql(sql: string): SqlClassification {
  const analysis = analyzeSql(sql);
  return { risk: analysis.risk, statements: analysis.statements.map(({ references: _, ...statement }) => statement) };
}

/** A classified statement with the names only the server's catalog can resolve. */
export interface AnalyzedStatement extends SqlStatementClassification {
  references: StatementReferences;
}

/** `classifySql`, keeping each statement's references for the catalog lookup (src/main/sql/catalog-classifier.ts). */
export function analyzeSql(sql: string): { risk: SqlClassification['risk']; statements: AnalyzedStatement[] } {
  if (!isSqlParserLoaded())
    throw new OpsError(
      'internal',
      'The SQL classifier is not loaded yet: await initSqlClassifier() before classifySql().',
    );
  const statements = splitSql(sql).map((split): AnalyzedStatement => {
    const text = sql.slice(split.start, split.end);
    if (!split.node) {
      return {
        text,
        risk: 'unknown',
        reasons: ['parse_error'],
        start: split.start,
        end: split.end,
        error: split.error,
        references: { functions: [], operators: [], relations: [], types: [] },
      };
    }
    return { text, ...classifyStatementNode(split.node), start: split.start, end: split.end };
  });
  return { risk: worstRisk(statements.map((s) => s.risk)), statements };
}

/** `classifySql` after loading the parser if needed. */
export async function classifySqlAsync(sql: string): Promise<SqlClassification> {
  await initSqlClassifier();
  return classifySql(sql);
}
