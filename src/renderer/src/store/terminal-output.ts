import type { TerminalDataEvent } from '../../../shared/terminal';

/** `replay`: output drawn again for a window that reloaded, already acknowledged by the core. */
type OutputListener = (data: string, replay?: boolean) => void;
type Chunk = { data: string; at?: number; replay?: boolean };

/**
 * Terminal output does not go through the store (it arrives every few milliseconds): the store's
 * action hands it to the xterm of that terminal, or keeps it until that xterm is mounted.
 */
export class OutputRouter {
  readonly #listeners = new Map<string, OutputListener>();
  readonly #early = new Map<string, Chunk[]>();
  /** Per terminal taken over: the output its replayed screen holds (chunks below it are skipped). */
  readonly #through = new Map<string, number>();

  publish(event: TerminalDataEvent): void {
    const chunk = this.unseen({ data: event.data, at: event.at }, this.#through.get(event.terminalId));
    if (chunk) this.deliver(event.terminalId, chunk);
  }

  /**
   * The screen of a terminal this window takes over (terminals.attach), drawn first; output that
   * overtook the answer is kept after it, minus what the screen already holds (up to `through`).
   */
  replay(terminalId: string, screen: string, through: number): void {
    this.#through.set(terminalId, through);
    const later = (this.#early.get(terminalId) ?? []).flatMap((chunk) => this.unseen(chunk, through) ?? []);
    this.#early.delete(terminalId);
    if (screen) this.deliver(terminalId, { data: screen, replay: true });
    for (const chunk of later) this.deliver(terminalId, chunk);
  }

  /** The part of a chunk past `through` (all of it when there is no `through`). */
  private unseen(chunk: Chunk, through: number | undefined): Chunk | undefined {
    if (through === undefined || chunk.at === undefined || chunk.at >= through) return chunk;
    const skip = through - chunk.at;
    return skip >= chunk.data.length ? undefined : { ...chunk, data: chunk.data.slice(skip), at: through };
  }

  private deliver(terminalId: string, chunk: Chunk): void {
    const listener = this.#listeners.get(terminalId);
    if (listener) listener(chunk.data, chunk.replay);
    else this.#early.set(terminalId, [...(this.#early.get(terminalId) ?? []), chunk]);
  }

  /** Attaches a terminal's xterm; what arrived before it is delivered first. */
  attach(terminalId: string, listener: OutputListener): () => void {
    this.#listeners.set(terminalId, listener);
    for (const chunk of this.#early.get(terminalId) ?? []) listener(chunk.data, chunk.replay);
    this.#early.delete(terminalId);
    return () => {
      if (this.#listeners.get(terminalId) === listener) this.#listeners.delete(terminalId);
    };
  }

  forget(terminalId: string): void {
    this.#listeners.delete(terminalId);
    this.#early.delete(terminalId);
    this.#through.delete(terminalId);
  }
}

export const terminalOutput = new OutputRouter();
