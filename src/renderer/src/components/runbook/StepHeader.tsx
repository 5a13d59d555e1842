import type { Ref } from 'react';
import type { RunbookStep } from '../../../../shared/runbook';
import { RiskBadge } from '../sql/RiskBadge';

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

/** The step's title (focus lands on it from the palette) and its badges: kind, target, risk, where it came from. */
export function StepHeader({
  step,
  titleId,
  heading,
}: {
  step: RunbookStep;
  titleId: string;
  heading: Ref<HTMLHeadingElement>;
}) {
  return (
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
  );
}
