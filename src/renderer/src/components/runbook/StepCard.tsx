import { useEffect, useRef, useState } from 'react';
import type { RunbookStep } from '../../../../shared/runbook';
import { ParamField } from './ParamField';
import { CellPicker } from './CellPicker';
import { OpenTerminalButton, TerminalStepOutput } from './TerminalStepResult';
import { effectiveValues } from '../../store/runbook-values';
import { RedisReplyView } from '../sql/RedisConsole';
import { ReasonList, RiskBadge } from '../sql/RiskBadge';
import { StatementResult } from '../sql/StatementResults';
import { fillPlaceholders, stepParameters, terminalPreview } from './runbook-params';
import { isRunnable, whyNotRunnable } from '../../store/runbook-steps';
import type { StepRun } from '../../store/state/runbooks';
import { useApp } from '../../store';

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

const targetLabel = (step: RunbookStep) =>
  step.target === 'postgres'
    ? 'Postgres'
    : step.target === 'redis'
      ? 'Redis'
      : step.target === 'terminal'
        ? 'Terminal'
        : step.target === 'http'
          ? 'HTTP'
          : 'none';

/** Each command of a shell step with its own risk, the worst first: why the step has the risk it has. */
function StepCommands({ step }: { step: RunbookStep }) {
  const risky = (step.commands ?? []).filter((c) => c.risk !== 'read');
  if (risky.length === 0) return null;
  return (
    <ul className="runbook-commands" aria-label="Commands in this step" data-testid="runbook-step-commands">
      {risky.map((command, i) => (
        <li key={i}>
          <RiskBadge risk={command.risk} /> <code>{command.text}</code>
        </li>
      ))}
    </ul>
  );
}

/** A step of the runbook: badges, the command, its parameters, Run / Send to terminal / Copy, and its result. */
export function StepCard({ step }: { step: RunbookStep }) {
  const plan = useApp((s) => s.runbookPlan!);
  const typed = useApp((s) => s.runbookParams);
  const variables = useApp((s) => s.runbookVariables);
  const values = effectiveValues(plan, step, typed, variables);
  const [picked, setPicked] = useState<{ value: unknown; column: string }>();
  const run = useApp((s) => s.runbookSteps[step.id]);
  const why = useApp((s) => whyNotRunnable(s, step));
  const focused = useApp((s) => s.runbookFocusStepId === step.id);
  const hasTerminal = useApp((s) => !!s.activeTerminalId);
  const runAllActive = useApp((s) => !!s.runbookRunAll && !s.runbookRunAll.finished);
  const {
    runbookStepRunRequested,
    runbookStepSendRequested,
    runbookRedisNameTyped,
    runbookRedisConfirmed,
    runbookRedisDismissed,
    runbookStepFocused,
  } = useApp.getState();
  const heading = useRef<HTMLHeadingElement>(null);
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!focused) return;
    heading.current?.scrollIntoView({ block: 'center' });
    heading.current?.focus();
    runbookStepFocused(undefined);
  }, [focused]);
  const params = stepParameters(plan, step, values);
  const status = run?.status ?? 'idle';
  const busy = status === 'running';
  const titleId = `step-${step.id}-title`;
  const flagged = step.statements.filter((s) => s.risk !== 'read' && s.reasons.length > 0);
  const terminalStep = step.kind === 'shell' || step.target === 'terminal';
  // Values are quoted for the shell of the terminal the step goes to (the active one).
  const dialect = useApp((s) => (s.activeTerminalId ? s.terminals[s.activeTerminalId]?.dialect : undefined) ?? 'posix');
  const preview = terminalStep ? terminalPreview(plan, step, values, dialect) : undefined;
  const shownText = preview ? preview.text : fillPlaceholders(plan, step, step.text, values, false);

  const copy = async () => {
    await navigator.clipboard.writeText(shownText).catch(() => undefined);
    setCopied(true);
    setTimeout(() => setCopied(false), 1500);
  };

  return (
    <article
      className={`runbook-step step-${status} risk-border-${step.risk}`}
      aria-labelledby={titleId}
      data-testid="runbook-step"
      data-step-id={step.id}
    >
      <header className="runbook-step-header">
        <h4 id={titleId} ref={heading} tabIndex={-1}>
          {step.title ?? step.id}
        </h4>
        <span className="runbook-badges">
          <span className="badge" title="Kind">
            {step.kind}
          </span>
          <span className="badge" title="Runs on">
            {targetLabel(step)}
          </span>
          {step.mentioned && (
            <span
              className="badge"
              title="Given as inline code in the text, not as a block"
              data-testid="runbook-step-mentioned"
            >
              mentioned in the text · optional
            </span>
          )}
          {step.script && (
            <span className="badge" title="Runs as one script in one shell">
              script
            </span>
          )}
          {step.sniffed && (
            <span
              className="badge"
              title="The block has no language: this is the importer's guess"
              data-testid="runbook-step-sniffed"
            >
              read as {step.sniffed.language} ({Math.round(step.sniffed.confidence * 100)}%)
            </span>
          )}
          <RiskBadge risk={step.risk} testId="runbook-step-risk" />
          {step.confirm && <span className="badge badge-warn">asks first</span>}
          <span className="result-meta">line {step.line}</span>
        </span>
      </header>
      {step.runsIn && (
        <p className="runbook-runs-in" data-testid="runbook-step-runs-in">
          Runs inside <strong>{step.runsIn}</strong>: open that session first, then send it there.
        </p>
      )}
      <pre className="runbook-code" aria-label={`${step.kind} of step ${step.title ?? step.id}`}>
        <code data-testid="runbook-step-text">{shownText}</code>
      </pre>
      {preview && dialect === 'powershell' && (
        <p className="hint" data-testid="runbook-step-dialect">
          Values quoted for PowerShell (the active terminal).
        </p>
      )}
      <StepCommands step={step} />
      {step.expectedOutput && (
        <details className="runbook-expected" data-testid="runbook-step-expected">
          <summary>Expected output (from the runbook)</summary>
          <pre className="runbook-code">
            <code>{step.expectedOutput}</code>
          </pre>
        </details>
      )}
      {preview?.error && (
        <p className="field-error" role="alert" data-testid="runbook-step-fill-error">
          Cannot send: {preview.error}
        </p>
      )}
      {preview?.flag.dangerous && (
        <div
          className="runbook-reasons"
          aria-label="Why the filled-in command is risky"
          data-testid="runbook-step-filled-risk"
        >
          <ReasonList reasons={preview.flag.reasons} />
        </div>
      )}
      {flagged.length > 0 && (
        <div className="runbook-reasons" aria-label="Why this step is risky">
          {flagged.map((statement, i) => (
            <div key={i}>
              {step.statements.length > 1 && <code className="statement-text">{statement.text.slice(0, 120)}</code>}
              <ReasonList reasons={statement.reasons} />
            </div>
          ))}
        </div>
      )}
      {step.notes.length > 0 && (
        <ul className="runbook-notes">
          {step.notes.map((note) => (
            <li key={note}>{note}</li>
          ))}
        </ul>
      )}
      {params.length > 0 && (
        <fieldset className="runbook-params">
          <legend>Parameters</legend>
          {params.map(({ parameter, value, error }) => (
            <ParamField
              key={parameter.name}
              stepId={step.id}
              parameter={parameter}
              value={value}
              error={error}
              showEmpty={status === 'failed'}
              origin={
                !typed[parameter.name]?.trim() && variables[parameter.name]
                  ? `variable ${parameter.name}, ${variables[parameter.name]!.origin}`
                  : undefined
              }
            />
          ))}
        </fieldset>
      )}
      <div className="runbook-actions">
        {isRunnable(step) && (
          <button
            type="button"
            className="primary"
            disabled={busy || runAllActive || !!why}
            onClick={() => void runbookStepRunRequested(step.id)}
            data-testid="runbook-step-run"
            aria-describedby={why ? `${titleId}-why` : undefined}
          >
            {busy ? 'Running…' : 'Run'}
          </button>
        )}
        {terminalStep && (
          <>
            <button
              type="button"
              disabled={!!why}
              onClick={() => void runbookStepSendRequested(step.id, false)}
              data-testid="runbook-step-send"
              aria-describedby={why ? `${titleId}-why` : undefined}
            >
              Send to terminal
            </button>
            <button
              type="button"
              disabled={!!why}
              onClick={() => void runbookStepSendRequested(step.id, true)}
              data-testid="runbook-step-send-run"
            >
              Send and run
            </button>
          </>
        )}
        {(step.kind === 'http' || terminalStep || step.kind === 'sql' || step.kind === 'redis') && (
          <button type="button" onClick={() => void copy()} data-testid="runbook-step-copy">
            {copied ? 'Copied' : 'Copy'}
          </button>
        )}
        {why && (
          <span id={`${titleId}-why`} className="runbook-why" data-testid="runbook-step-why">
            {why}
          </span>
        )}
        {terminalStep && !hasTerminal && !why?.startsWith('The demo') && <OpenTerminalButton />}
      </div>
      {step.http && (
        <p className="result-meta">
          {step.http.method} {step.http.url}
          {step.http.headers.length > 0 && ` · headers: ${step.http.headers.map((h) => h.name).join(', ')}`}
        </p>
      )}
      {status !== 'idle' && (
        <div className="runbook-result" aria-live="polite">
          <p className={`runbook-status status-${status}`} data-testid="runbook-step-status">
            {statusLabel[status]}
            {/* One duration for the step, however many statements or commands it ran. */}
            {run?.durationMs !== undefined && (status === 'ok' || status === 'failed') && (
              <span data-testid="runbook-step-duration">{` · ${Math.round(run.durationMs)} ms`}</span>
            )}
          </p>
          {run?.message && (
            <p className={status === 'failed' || status === 'refused' ? 'form-error' : 'result-meta'}>{run.message}</p>
          )}
          {run && <TerminalStepOutput run={run} />}
          {run?.error && (
            <p className="form-error" role="alert" data-testid="runbook-step-error">
              {run.error.message}
            </p>
          )}
          {run?.sql && run.sql.outcome !== 'pending' && (
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
              {picked && <CellPicker stepId={step.id} picked={picked} onClose={() => setPicked(undefined)} />}
            </div>
          )}
          {run?.redis?.map((result, i) => (
            <div key={i} className="redis-result" data-testid="runbook-redis-result">
              <p className="result-meta">
                <code>{result.argv.join(' ')}</code> · {result.outcome}
              </p>
              {result.reply && <RedisReplyView reply={result.reply} />}
              {result.message && <p>{result.message}</p>}
            </div>
          ))}
          {run?.redisPending && (
            <div
              className="redis-confirm"
              role="group"
              aria-label="Confirm the Redis command"
              data-testid="runbook-redis-confirm"
            >
              <p>
                <RiskBadge risk={run.redisPending.result.risk} /> {run.redisPending.result.message}
              </p>
              <ReasonList reasons={run.redisPending.result.reasons} />
              <form
                onSubmit={(e) => {
                  e.preventDefault();
                  void runbookRedisConfirmed(step.id);
                }}
              >
                {run.redisPending.result.confirmation?.policy === 'type-profile-name' && (
                  <label>
                    <span>
                      Type <strong>{run.redisPending.result.confirmation.profileName}</strong> to send it
                    </span>
                    <input
                      value={run.redisPending.typedName}
                      onChange={(e) => runbookRedisNameTyped(step.id, e.target.value)}
                      autoComplete="off"
                      data-testid="runbook-redis-confirm-name"
                    />
                  </label>
                )}
                <div className="actions">
                  <button type="button" onClick={() => runbookRedisDismissed(step.id)}>
                    Don't send
                  </button>
                  <button type="submit" className="danger-solid" data-testid="runbook-redis-confirm-send">
                    Send {run.redisPending.result.argv[0]}
                  </button>
                </div>
              </form>
            </div>
          )}
        </div>
      )}
    </article>
  );
}
