import type { RunbookStep } from '../../../shared/runbook';
import { outputExcerpt, withSentinel } from '../../../shared/terminal-step-result';
import { awaitTerminalStep } from './terminal-step-capture';
import type { StepRun, StepStatus } from './state/runbooks';

/** How long a terminal step may run before the card stops waiting for its end mark (the terminal keeps it). */
const stepTimeoutMs = 30 * 60_000;

interface Hooks {
  settled(change: Partial<StepRun>): void;
  record(
    status: StepStatus,
    durationMs: number | undefined,
    terminal?: { exitStatus: number; output: string; terminal: string },
  ): Promise<void>;
  terminalTitle(terminalId: string): string;
}

function token(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(6));
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Every form of a secret value masked in the output kept in the card and the timeline. */
function masked(output: string, parameters: { value: string; secret: boolean }[]): string {
  return parameters
    .filter((p) => p.secret && p.value)
    .reduce((text, p) => text.split(p.value).join('[redacted]'), output);
}

/**
 * A step run in a terminal ("Send and run"): the command gets the sentinel, and its end mark
 * (the sentinel, its status confirmed by an OSC 133 mark where the shell emits one) settles the card and records the step with its exit status and an
 * output excerpt. Not for interactive steps or steps that run inside another program's prompt:
 * the sentinel would be typed into that program. Undefined when there is nothing to watch.
 */
export function terminalStepSent(
  step: RunbookStep,
  run: boolean,
  terminalId: string | undefined,
  parameters: { value: string; secret: boolean }[],
  hooks: Hooks,
) {
  if (!run || !terminalId || step.runsIn || step.attributes.interactive === 'true' || step.script) return undefined;
  const id = token();
  const started = performance.now();
  const watch = awaitTerminalStep(terminalId, id, stepTimeoutMs);
  void watch.result.then(async (result) => {
    const durationMs = performance.now() - started;
    const terminalTitle = hooks.terminalTitle(terminalId);
    if (!result) {
      hooks.settled({
        status: 'sent',
        message: 'No end mark arrived: the command may still run, or it was cancelled. Its output is in the terminal.',
      });
      return hooks.record('sent', durationMs);
    }
    const output = outputExcerpt(masked(result.output, parameters));
    const status: StepStatus = result.exitStatus === 0 ? 'ok' : 'failed';
    hooks.settled({
      status,
      durationMs,
      message: `Exit status ${result.exitStatus} (${result.via === 'osc133' ? 'sentinel, confirmed by the shell integration mark' : 'sentinel'}).`,
      terminal: { exitStatus: result.exitStatus, output, via: result.via, terminalId, terminalTitle },
    });
    return hooks.record(status, durationMs, { exitStatus: result.exitStatus, output, terminal: terminalTitle });
  });
  return { command: withSentinel(step.text, id), cancel: watch.cancel };
}
