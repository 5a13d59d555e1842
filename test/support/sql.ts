import type { SqlStatementResult } from '../../src/shared/contract';
import type { TempCore } from './temp-core';

/**
 * Runs SQL through `sql.run`, the one SQL path, and insists it ran as a read: the last statement's
 * result (fields, rows, rowCount, truncated). Anything else (a preview, a refusal) fails the test.
 */
export async function readSql(
  core: TempCore['core'],
  input: { profileId: string; sql: string },
): Promise<SqlStatementResult> {
  const result = await core.invoke('sql.run', input);
  if (result.outcome !== 'read') {
    if (result.outcome === 'pending') await core.invoke('sql.confirm', { runId: result.runId, decision: 'rollback' });
    throw new Error(
      `expected "${input.sql}" to run as a read, it ended ${result.outcome} (risk ${result.risk}): ${result.message ?? ''}`,
    );
  }
  return result.statements.at(-1)!;
}
