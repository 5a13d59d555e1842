import type { SqlRunResult } from '../../../../shared/contract';
import { recordedNotice } from '../../../../shared/incident';
import { useApp } from '../../store';
import { RiskBadge } from './RiskBadge';
import { StatementResult } from './StatementResults';

const outcomeText = {
  read: 'Ran read-only',
  pending: 'Waiting for confirmation',
  committed: 'Committed',
  rolled_back: 'Rolled back',
  refused: 'Refused',
  cancelled: 'Cancelled',
  unknown: 'Outcome unknown: check before retrying',
} as const;

/** How the last run ended (and whether it was recorded), and its results per statement. */
export function SqlOutcome({
  profileId,
  result,
  running,
}: {
  profileId: string;
  result: SqlRunResult;
  running: boolean;
}) {
  const { sqlStreamRequested } = useApp.getState();
  return (
    <div className="result" data-testid="sql-result">
      <p className={`outcome outcome-${result.outcome}`} role="status" data-testid="sql-outcome">
        <strong>{outcomeText[result.outcome]}</strong> · <RiskBadge risk={result.risk} /> · {result.durationMs} ms
        {result.role && <span data-testid="sql-role"> · as {result.role}</span>}
        {result.message && <span className="outcome-message"> — {result.message}</span>}
      </p>
      {recordedNotice(result.recorded) && (
        <p className="outcome-recording" role="alert" data-testid="sql-recorded">
          {recordedNotice(result.recorded)}
        </p>
      )}
      {result.statements.map((statement, i) => (
        <StatementResult key={i} statement={statement} index={i} />
      ))}
      {result.statements.some((s) => s.truncated) && (
        <p className="sql-hint" data-testid="sql-truncated">
          The row cap cut this result.{' '}
          <button
            type="button"
            onClick={() => void sqlStreamRequested(profileId)}
            disabled={running}
            data-testid="sql-stream-all"
          >
            Stream every row into the grid
          </button>
        </p>
      )}
    </div>
  );
}
