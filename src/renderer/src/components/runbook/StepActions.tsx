import { useState } from 'react';
import type { RunbookStep } from '../../../../shared/runbook';
import { useApp } from '../../store';
import { isRunnable } from '../../store/runbook-steps';
import { OpenTerminalButton } from './TerminalStepResult';

interface Props {
  step: RunbookStep;
  titleId: string;
  /** Why it cannot run now (also disables Run and Send), or undefined. */
  why: string | undefined;
  busy: boolean;
  /** The command as shown (values filled in): what Copy copies. */
  shownText: string;
}

/** Run / Send to terminal / Send and run / Copy, and why the step cannot run right now. */
export function StepActions({ step, titleId, why, busy, shownText }: Props) {
  const hasTerminal = useApp((s) => !!s.activeTerminalId);
  const runAllActive = useApp((s) => !!s.runbookRunAll && !s.runbookRunAll.finished);
  const { runbookStepRunRequested, runbookStepSendRequested } = useApp.getState();
  const [copied, setCopied] = useState(false);
  const terminalStep = step.kind === 'shell' || step.target === 'terminal';
  const whyId = why ? `${titleId}-why` : undefined;
  const copy = async () => {
    await navigator.clipboard.writeText(shownText).catch(() => undefined);
    setCopied(true);
    setTimeout(() => setCopied(false), 1500);
  };
  return (
    <div className="runbook-actions">
      {isRunnable(step) && (
        <button
          type="button"
          className="primary"
          disabled={busy || runAllActive || !!why}
          onClick={() => void runbookStepRunRequested(step.id)}
          data-testid="runbook-step-run"
          aria-describedby={whyId}
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
            aria-describedby={whyId}
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
        <span id={whyId} className="runbook-why" data-testid="runbook-step-why">
          {why}
        </span>
      )}
      {terminalStep && !hasTerminal && !why?.startsWith('The demo') && <OpenTerminalButton />}
    </div>
  );
}
