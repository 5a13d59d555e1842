import { useLayoutEffect, useRef } from 'react';
import type { RunbookStep } from '../../../../shared/runbook';
import { useApp } from '../../store';
import { whyNotRunnable } from '../../store/runbook-steps';
import { effectiveValues } from '../../store/runbook-values';
import { ParamField } from './ParamField';
import { fillPlaceholders, stepParameters, terminalPreview } from './runbook-params';
import { StepActions } from './StepActions';
import { StepHeader } from './StepHeader';
import { StepResult } from './StepResult';
import { StepWarnings } from './StepWarnings';

/** A step of the runbook: badges, the command, its parameters, Run / Send to terminal / Copy, and its result. */
export function StepCard({ step }: { step: RunbookStep }) {
  const plan = useApp((s) => s.runbookPlan!);
  const typed = useApp((s) => s.runbookParams);
  const variables = useApp((s) => s.runbookVariables);
  const values = effectiveValues(plan, step, typed, variables);
  const run = useApp((s) => s.runbookSteps[step.id]);
  const why = useApp((s) => whyNotRunnable(s, step));
  const focused = useApp((s) => s.runbookFocusStepId === step.id);
  const heading = useRef<HTMLHeadingElement>(null);
  useLayoutEffect(() => {
    if (!focused) return;
    heading.current?.scrollIntoView({ block: 'center' });
    heading.current?.focus();
    useApp.getState().runbookStepFocused(undefined);
  }, [focused]);
  const params = stepParameters(plan, step, values);
  const status = run?.status ?? 'idle';
  const titleId = `step-${step.id}-title`;
  const terminalStep = step.kind === 'shell' || step.target === 'terminal';
  // Values are quoted for the shell of the terminal the step goes to (the active one).
  const dialect = useApp((s) => (s.activeTerminalId ? s.terminals[s.activeTerminalId]?.dialect : undefined) ?? 'posix');
  const preview = terminalStep ? terminalPreview(plan, step, values, dialect) : undefined;
  const shownText = preview ? preview.text : fillPlaceholders(plan, step, step.text, values, false);

  return (
    <article
      className={`runbook-step step-${status} risk-border-${step.risk}`}
      aria-labelledby={titleId}
      data-testid="runbook-step"
      data-step-id={step.id}
    >
      <StepHeader step={step} titleId={titleId} heading={heading} />
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
      <StepWarnings step={step} preview={preview} />
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
      <StepActions step={step} titleId={titleId} why={why} busy={status === 'running'} shownText={shownText} />
      {step.http && (
        <p className="result-meta">
          {step.http.method} {step.http.url}
          {step.http.headers.length > 0 && ` · headers: ${step.http.headers.map((h) => h.name).join(', ')}`}
        </p>
      )}
      {run && status !== 'idle' && <StepResult stepId={step.id} run={run} />}
    </article>
  );
}
