import type { TerminalDataEvent } from '../../../shared/terminal';
import { stepResult, type TerminalStepResult } from '../../../shared/terminal-step-result';

type Tap = (event: TerminalDataEvent) => void;
const taps = new Set<Tap>();

/** Called for every chunk of terminal output (terminals-slice): hands it to the steps waiting on it. */
export function terminalOutputTapped(event: TerminalDataEvent): void {
  for (const tap of taps) tap(event);
}

/** Collected output is capped: a step that floods the terminal keeps its tail (where the end mark is). */
const maxCollected = 1_000_000;

/**
 * Waits for a terminal step's end mark in its terminal's output (the sentinel's marker): the
 * exit status and output, or undefined when the step did not end within `timeoutMs`.
 */
export function awaitTerminalStep(
  terminalId: string,
  token: string,
  timeoutMs: number,
): { result: Promise<TerminalStepResult | undefined>; cancel(): void } {
  let cancel = () => undefined as void;
  const result = new Promise<TerminalStepResult | undefined>((resolve) => {
    let collected = '';
    const finish = (result: TerminalStepResult | undefined) => {
      taps.delete(tap);
      clearTimeout(timer);
      resolve(result);
    };
    const tap: Tap = (event) => {
      if (event.terminalId !== terminalId) return;
      collected = (collected + event.data).slice(-maxCollected);
      const result = stepResult(collected, token);
      if (result) finish(result);
    };
    const timer = setTimeout(() => finish(undefined), timeoutMs);
    cancel = () => finish(undefined);
    taps.add(tap);
  });
  return { result, cancel: () => cancel() };
}
