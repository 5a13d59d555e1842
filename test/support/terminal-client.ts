import type { Core } from '../../src/main/core';
import type { TerminalDataEvent, TerminalExitEvent, TerminalInfo } from '../../src/shared/terminal';

/** Acknowledges a terminal's output, as the renderer's terminals.ack does. */
type Ack = (terminalId: string, chars: number) => Promise<unknown>;

/**
 * Plays the renderer's part for one core (or a terminal registry built alone, given its events and ack): collects each terminal's output, acknowledges it
 * (at once, or not at all when `autoAck` is off, so a test can act as a slow consumer) and waits
 * for text to appear.
 */
export class TerminalClient {
  readonly output = new Map<string, string>();
  readonly exits = new Map<string, TerminalExitEvent>();
  readonly states: TerminalInfo[] = [];
  autoAck = true;
  /** Characters received and not acknowledged yet, per terminal (when autoAck is off). */
  readonly unacked = new Map<string, number>();
  readonly #off: () => void;
  #waiters = new Set<() => void>();

  readonly #ack: Ack;

  constructor(core: Core);
  constructor(events: Pick<Core, 'subscribe'>, ack: Ack);
  constructor(core: Pick<Core, 'subscribe'> & Partial<Pick<Core, 'invoke'>>, ack?: Ack) {
    this.#ack = ack ?? ((terminalId, chars) => core.invoke!('terminals.ack', { terminalId, chars }));
    this.#off = core.subscribe((name, payload) => {
      if (name === 'onTerminalData') this.data(payload as TerminalDataEvent);
      else if (name === 'onTerminalExit')
        this.exits.set((payload as TerminalExitEvent).terminalId, payload as TerminalExitEvent);
      else if (name === 'onTerminalState') this.states.push(payload as TerminalInfo);
      else return;
      for (const wake of this.#waiters) wake();
    });
  }

  text(terminalId: string): string {
    return this.output.get(terminalId) ?? '';
  }

  /** Resolves once `check` passes, re-checked on every terminal event; fails after `timeoutMs`. */
  until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const wake = () => {
        if (!check()) return;
        clearTimeout(timer);
        clearInterval(poll);
        this.#waiters.delete(wake);
        resolve();
      };
      // Events wake it; the poll catches what changes without one (a recording being finished).
      const poll = setInterval(wake, 50);
      const timer = setTimeout(() => {
        clearInterval(poll);
        this.#waiters.delete(wake);
        reject(new Error(`Timed out waiting for ${what}`));
      }, timeoutMs);
      this.#waiters.add(wake);
    });
  }

  /** Waits for the terminal's output (after `from` characters) to match. */
  waitFor(terminalId: string, pattern: RegExp, from = 0, timeoutMs = 10_000): Promise<void> {
    return this.until(
      () => pattern.test(this.text(terminalId).slice(from)),
      `${pattern} in terminal output:\n${this.text(terminalId).slice(-500)}`,
      timeoutMs,
    );
  }

  dispose(): void {
    this.#off();
  }

  private data(event: TerminalDataEvent): void {
    const before = this.output.get(event.terminalId) ?? '';
    // Keep the tail only: a flood test must not keep 100 MB in the test process.
    this.output.set(event.terminalId, (before + event.data).slice(-200_000));
    if (this.autoAck) void this.#ack(event.terminalId, event.data.length).catch(() => undefined);
    else this.unacked.set(event.terminalId, (this.unacked.get(event.terminalId) ?? 0) + event.data.length);
  }
}
