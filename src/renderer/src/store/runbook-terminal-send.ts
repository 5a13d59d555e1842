import type { RunbookStep } from '../../../shared/runbook';
import type { AppState } from './app-state';
import { runbookParams, type StepRunner } from './runbook-step-runner';
import type { StepRun } from './state/runbooks';
import { terminalStepSent } from './terminal-step-run';

const noTerminal = 'No terminal is open: open one with "Open a terminal" here or in the dock, then send the command.';

/** Where the card stands once the terminal answered the send. */
function sentChange(sent: boolean, waiting: boolean, run: boolean, notice: string | undefined): Partial<StepRun> {
  if (sent)
    return {
      status: 'sent',
      message: run
        ? 'Sent to the terminal and run: its output is in the terminal.'
        : 'Pasted into the terminal: press Enter there to run it.',
    };
  // A dangerous command waits for the terminal's own confirmation dialog: not sent yet. A refused
  // one (control bytes, a closed terminal) says why.
  if (waiting) return { status: 'idle', message: 'Waiting for the terminal: confirm or cancel there.' };
  return { status: 'failed', message: notice ?? 'Not sent to the terminal.' };
}

const stepOrigin = (step: RunbookStep) => ({
  id: step.id,
  ...(step.title ? { title: step.title } : {}),
  ...(step.attributes.controlBytes ? { controlBytes: step.attributes.controlBytes } : {}),
});

/** Sends a shell step to the active terminal (pasted, or run) and watches for its end mark. */
export async function sendStepToTerminal(
  runner: StepRunner,
  get: () => AppState,
  stepId: string,
  run: boolean,
): Promise<void> {
  const { stepParameters, shellParameters } = await runbookParams();
  const step = runner.stepOf(stepId);
  const state = get();
  const terminalId = state.activeTerminalId;
  if (!step || !state.runbookPlan) return;
  if (!terminalId) {
    runner.patchStep(stepId, { status: 'failed', durationMs: undefined, message: noTerminal });
    return;
  }
  const values = runner.valuesFor(step);
  const invalid = stepParameters(state.runbookPlan, step, values).find((p) => p.error);
  if (invalid) {
    runner.patchStep(stepId, { status: 'failed', durationMs: undefined, message: invalid.error });
    return;
  }
  // Filled as a headless run fills them: every form the importer recognised, with its default.
  const parameters = shellParameters(state.runbookPlan, step, values);
  const watch = terminalStepSent(step, run, terminalId, parameters, {
    settled: (change) => runner.patchStep(stepId, change),
    record: (status, durationMs, terminal) => runner.record(step, status, durationMs, terminal),
    terminalTitle: (id) => get().terminals[id]?.title ?? id,
  });
  const sent = await state.terminalSendRequested({
    command: watch?.command ?? step.text,
    parameters,
    run,
    step: stepOrigin(step),
  });
  const waiting = !!get().pendingSend;
  runner.patchStep(stepId, sentChange(!!sent, waiting, run, get().notice?.message));
  if (!sent && !waiting) watch?.cancel();
  if (sent && watch)
    runner.patchStep(stepId, {
      status: 'running',
      message: 'Running in the terminal: the output and exit status land here when it ends.',
    });
  else if (sent) await runner.record(step, 'sent');
}
