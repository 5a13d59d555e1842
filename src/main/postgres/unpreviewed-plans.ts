import type { SqlStatementResult } from '../../shared/contract';
import { reasonCode } from '../../shared/risk';
import type { PgConnectionRegistry } from './connection-registry';
import { withReadOnlyTransaction } from './read-only-transaction';
import { explainInTransaction } from './statement-runner';
import { explainable } from './statement-traits';

/**
 * Reasons that mean a statement calls something that is not known harmless: the planner evaluates
 * immutable and stable functions while planning, so even EXPLAIN (without ANALYZE) may run them.
 */
export const callsUnvetted = new Set<string>([
  'side_effect_function',
  'dynamic_sql',
  'advisory_lock',
  'notify',
  'sequence_change',
  'unknown_function',
  'unknown_operator',
  'too_complex',
  'parse_error',
  'unrecognized_statement',
  'execute_prepared',
]);

/**
 * Plans (EXPLAIN, never ANALYZE) the statements of a run that cannot be previewed, inside
 * BEGIN READ ONLY, but only those whose every function and operator is known harmless after the
 * catalog's resolution: the operator sees what will run, and nothing runs. A plan the server
 * refuses is left out.
 */
export async function planWithoutRunning(
  connections: Pick<PgConnectionRegistry, 'run'>,
  profileId: string,
  statements: SqlStatementResult[],
  values: unknown[] | undefined,
  timeoutMs: number,
): Promise<void> {
  const plannable = statements
    .map((s, i) => [s, i] as const)
    .filter(([s]) => explainable(s.text) && !s.reasons.some((r) => callsUnvetted.has(reasonCode(r) ?? r)));
  if (plannable.length === 0) return;
  const binds = values && values.length > 0 ? values : undefined;
  await connections.run(profileId, (client) =>
    withReadOnlyTransaction(client, { statementTimeoutMs: timeoutMs }, async () => {
      for (const [statement, i] of plannable) {
        const plan = await explainInTransaction(client, statement.text, binds);
        if (plan !== undefined) statements[i] = { ...statement, plan };
      }
    }),
  );
}
