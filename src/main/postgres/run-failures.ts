import { OpsError } from '../errors';
import { sqlState } from './statement-runner';

/** How a text ran: read-only, inside the break-glass transaction, or statement by statement (no transaction). */
export type RunMode = 'read' | 'transaction' | 'autocommit';

/** What is left after a failure, in each mode: the operator must know whether anything was kept. */
export const aftermath: Record<RunMode, string> = {
  read: 'nothing was changed',
  transaction: 'rolled back, nothing was kept',
  autocommit: 'the statements before it (if any) were kept, since each ran on its own',
};

/** A Postgres or driver failure as an OpsError that says what happened, what is left, and what to do. */
export function failureOf(error: unknown, mode: RunMode, timeoutMs: number): OpsError {
  if (error instanceof OpsError) return error;
  if (sqlState(error) === '57014') {
    return new OpsError(
      'timeout',
      `The statement ran longer than the profile's statement timeout (${timeoutMs} ms) and Postgres stopped it; ${aftermath[mode]}. Narrow it, or raise postgres.statementTimeoutMs in the profile.`,
      { cause: error },
    );
  }
  return new OpsError('pg_error', `Postgres refused the statement: ${(error as Error).message} (${aftermath[mode]}).`, {
    cause: error,
  });
}
