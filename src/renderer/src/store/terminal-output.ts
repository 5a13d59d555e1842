import type { TerminalDataEvent } from '../../../shared/terminal';

type OutputListener = (data: string) => void;

/**
 * Terminal output does not go through the store (it arrives every few milliseconds): the store's
 * action hands it to the xterm of that terminal, or keeps it until that xterm is mounted.
 */
class OutputRouter {
  readonly #listeners = new Map<string, OutputListener>();
  readonly #early = new Map<string, string[]>();

  publish(event: TerminalDataEvent): void {
    const listener = this.#listeners.get(event.terminalId);
    if (listener) listener(event.data);
    else this.#early.set(event.terminalId, [...(this.#early.get(event.terminalId) ?? []), event.data]);
  }

  /** Attaches a terminal's xterm; what arrived before it is delivered first. */
  attach(terminalId: string, listener: OutputListener): () => void {
    this.#listeners.set(terminalId, listener);
    for (const data of this.#early.get(terminalId) ?? []) listener(data);
    this.#early.delete(terminalId);
    return () => {
      if (this.#listeners.get(terminalId) === listener) this.#listeners.delete(terminalId);
    };
  }

  forget(terminalId: string): void {
    this.#listeners.delete(terminalId);
    this.#early.delete(terminalId);
  }
}

export const terminalOutput = new OutputRouter();
