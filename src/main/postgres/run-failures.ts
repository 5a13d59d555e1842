import type { SqlRunResult } from '../../shared/contract';
import { OpsError } from '../errors';
import type { SafeRun } from './run-context';
import type { SqlRunRecording } from './run-recording';
import { roundMs, sqlState } from './statement-runner';

/** How a text ran: read-only, inside the break-glass transaction, or statement by statement (no transaction). */
export type RunMode = 'read' | 'transaction' | 'autocommit';

/** What is left after a failure, in each mode: the operator must know whether anything was kept. */
const aftermath: Record<RunMode, string> = {
  read: 'nothing was changed',
  transaction: 'rolled back, nothing was kept',
  autocommit: 'the statements before it (if any) were kept, since each ran on its own',
};

/** A Postgres or driver failure as an OpsError that says what happened, what is left, and what to do. */
function failureOf(error: unknown, mode: RunMode, timeoutMs: number): OpsError {
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

/**
 * Maps a failure to a result (cancelled; a write Postgres refused in the read-only transaction)
 * or rethrows it as an OpsError with a plain message, recording it either way.
 */
export function settleFailure(
  recording: SqlRunRecording,
  run: SafeRun,
  target: SqlRunResult,
  failed: { error: unknown; started: number; mode: RunMode },
): SqlRunResult {
  const { error, mode } = failed;
  target.durationMs = roundMs(performance.now() - failed.started);
  if (error instanceof OpsError && error.code === 'cancelled') {
    target.outcome = 'cancelled';
    target.message = `Cancelled by the operator while it ran: ${aftermath[mode]}.`;
    if (mode === 'read') recording.read(run, target);
    else (recording.cancel(run, 'cancelled by the operator while it ran'), recording.write(run, target, 'cancelled'));
    return target;
  }
  if (mode === 'read' && sqlState(error) === '25006') {
    target.outcome = 'refused';
    target.message = `Postgres refused a write inside the read-only transaction (${(error as Error).message}). The classifier judged this text a read; nothing was changed. Run it as a write if that is what you meant.`;
    recording.read(run, target);
    return target;
  }
  const failure = failureOf(error, mode, run.statementTimeoutMs);
  recording.failed(run, target.risk, mode === 'read', target.durationMs, failure.code, failure.message);
  throw failure;
}
