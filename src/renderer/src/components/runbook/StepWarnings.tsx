import type { RunbookStep } from '../../../../shared/runbook';
import { ReasonList, RiskBadge } from '../sql/RiskBadge';
import type { terminalPreview } from './runbook-params';

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

/** What the operator should know before running the step: risky commands, expected output, reasons, notes. */
export function StepWarnings({
  step,
  preview,
}: {
  step: RunbookStep;
  preview: ReturnType<typeof terminalPreview> | undefined;
}) {
  const flagged = step.statements.filter((s) => s.risk !== 'read' && s.reasons.length > 0);
  return (
    <>
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
    </>
  );
}
