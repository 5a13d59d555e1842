import { useState } from 'react';
import type { StepRun } from '../../store/state/runbooks';
import { RedisReplyView } from '../sql/RedisConsole';
import { StatementResult } from '../sql/StatementResults';
import { CellPicker } from './CellPicker';
import { RedisStepConfirm } from './RedisStepConfirm';
import { TerminalStepOutput } from './TerminalStepResult';

const statusLabel: Record<StepRun['status'], string> = {
  idle: 'Not run',
  running: 'Running…',
  ok: 'Done',
  failed: 'Failed',
  pending: 'Waiting for your confirmation',
  refused: 'Refused',
  cancelled: 'Not kept',
  sent: 'Sent to the terminal',
};

/** Where the step's run stands, and what came back: rows (a cell can become a variable), replies, output. */
export function StepResult({ stepId, run }: { stepId: string; run: StepRun }) {
  const [picked, setPicked] = useState<{ value: unknown; column: string }>();
  const { status } = run;
  return (
    <div className="runbook-result" aria-live="polite">
      <p className={`runbook-status status-${status}`} data-testid="runbook-step-status">
        {statusLabel[status]}
        {/* One duration for the step, however many statements or commands it ran. */}
        {run.durationMs !== undefined && (status === 'ok' || status === 'failed') && (
          <span data-testid="runbook-step-duration">{` · ${Math.round(run.durationMs)} ms`}</span>
        )}
      </p>
      {run.message && (
        <p className={status === 'failed' || status === 'refused' ? 'form-error' : 'result-meta'}>{run.message}</p>
      )}
      <TerminalStepOutput run={run} />
      {run.error && (
        <p className="form-error" role="alert" data-testid="runbook-step-error">
          {run.error.message}
        </p>
      )}
      {run.sql && run.sql.outcome !== 'pending' && (
        <div className="statements" data-testid="runbook-sql-result">
          {run.sql.statements.map((statement, i) => (
            <StatementResult
              key={i}
              statement={statement}
              index={i}
              showDuration={false}
              onCellPicked={(value, column) => setPicked({ value, column })}
            />
          ))}
          {picked && <CellPicker stepId={stepId} picked={picked} onClose={() => setPicked(undefined)} />}
        </div>
      )}
      {run.redis?.map((result, i) => (
        <div key={i} className="redis-result" data-testid="runbook-redis-result">
          <p className="result-meta">
            <code>{result.argv.join(' ')}</code> · {result.outcome}
          </p>
          {result.reply && <RedisReplyView reply={result.reply} />}
          {result.message && <p>{result.message}</p>}
        </div>
      ))}
      {run.redisPending && <RedisStepConfirm stepId={stepId} pending={run.redisPending} />}
    </div>
  );
}
