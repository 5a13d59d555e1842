import { flowControl } from '../../shared/terminal';

/** What the pump can ask of the shell's output: an ssh2 channel or a node-pty process. */
export interface Pausable {
  pause(): void;
  resume(): void;
}

export interface PumpStats {
  /** Characters sent to the renderer and not yet acknowledged. */
  unacked: number;
  /** Characters waiting for the next batch. */
  pending: number;
  paused: boolean;
  /** Peak of unacked + pending since the pump started. */
  peakBuffered: number;
  totalChars: number;
}

/**
 * Batches a shell's output (every `batchMs` or `batchChars`) and applies acknowledged flow
 * control: above the high watermark of unacknowledged characters the shell is paused (ssh2 then
 * stops granting window to the server, node-pty stops reading), below the low one it resumes.
 * Memory held for a terminal is therefore bounded whatever the shell prints.
 */
export class OutputPump {
  #pending: string[] = [];
  #pendingChars = 0;
  #unacked = 0;
  #paused = false;
  #timer: NodeJS.Timeout | undefined;
  #peak = 0;
  #total = 0;
  #closed = false;
  /** The last output sent (about `tailChars`), for a window that takes the terminal over. */
  #tail: string[] = [];
  #tailChars = 0;

  constructor(
    private readonly source: Pausable,
    private readonly send: (data: string) => void,
    private readonly limits: {
      highWatermark: number;
      lowWatermark: number;
      batchMs: number;
      batchChars: number;
    } = flowControl,
    private readonly tailChars = 256 * 1024,
  ) {}

  push(text: string): void {
    if (this.#closed || text === '') return;
    this.#pending.push(text);
    this.#pendingChars += text.length;
    this.#total += text.length;
    this.#peak = Math.max(this.#peak, this.#pendingChars + this.#unacked);
    if (this.#pendingChars >= this.limits.batchChars) this.flush();
    else this.#timer ??= setTimeout(() => this.flush(), this.limits.batchMs);
    this.checkHigh();
  }

  /** Sends what is pending now (also before an exit, so the last output is not lost). */
  flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#pendingChars === 0) return;
    const data = this.#pending.length === 1 ? this.#pending[0]! : this.#pending.join('');
    this.#pending = [];
    this.#pendingChars = 0;
    this.#unacked += data.length;
    this.keep(data);
    this.send(data);
    this.checkHigh();
  }

  private keep(data: string): void {
    this.#tail.push(data);
    this.#tailChars += data.length;
    while (this.#tail.length > 1 && this.#tailChars - this.#tail[0]!.length >= this.tailChars)
      this.#tailChars -= this.#tail.shift()!.length;
  }

  /**
   * A window (re)loaded and shows this terminal: the last output sent, to draw its screen again
   * (from a line start where it was cut), and the flow control starts afresh, since what was sent
   * to the window that is gone will never be acknowledged (a paused shell resumes).
   */
  takeOver(): string {
    let screen = this.#tail.join('');
    this.#tail = screen ? [screen] : [];
    if (screen.length > this.tailChars) {
      const cut = screen.length - this.tailChars;
      const line = screen.indexOf('\n', cut);
      screen = screen.slice(line < 0 ? cut : line + 1);
    }
    this.ack(this.#unacked);
    return screen;
  }

  ack(chars: number): number {
    this.#unacked = Math.max(0, this.#unacked - chars);
    if (this.#paused && this.#unacked + this.#pendingChars < this.limits.lowWatermark && !this.#closed) {
      this.#paused = false;
      this.source.resume();
    }
    return this.#unacked;
  }

  stats(): PumpStats {
    return {
      unacked: this.#unacked,
      pending: this.#pendingChars,
      paused: this.#paused,
      peakBuffered: this.#peak,
      totalChars: this.#total,
    };
  }

  close(): void {
    this.flush();
    this.#closed = true;
  }

  private checkHigh(): void {
    if (!this.#paused && this.#unacked + this.#pendingChars > this.limits.highWatermark) {
      this.#paused = true;
      this.source.pause();
    }
  }
}
