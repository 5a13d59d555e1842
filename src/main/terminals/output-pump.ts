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

  constructor(
    private readonly source: Pausable,
    private readonly send: (data: string) => void,
    private readonly limits: {
      highWatermark: number;
      lowWatermark: number;
      batchMs: number;
      batchChars: number;
    } = flowControl,
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
    this.send(data);
    this.checkHigh();
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
