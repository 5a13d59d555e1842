import { maskedPromptPattern, type CastEventType, type CastHeader } from '../../shared/terminal';
import { CastFile } from './cast-file';

export const maskChar = '*';

interface HeldInput {
  at: number;
  data: string;
  /** Control keys and escape sequences are never secret: kept as they are. */
  control: boolean;
  enter: boolean;
}

export interface CastRecorderOptions {
  path: string;
  header: CastHeader;
  /** Scrubs the vault's secrets from any text. */
  redact: (text: string) => string;
  /** Output past this many bytes is dropped (a marker says so). */
  limitBytes: number;
  nowMs?: () => number;
}

/** Escape sequences and control characters: what a shell's echo of typed text does not contain. */
const controlPattern = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)|\x1b[@-_]|[\x00-\x09\x0b-\x1f\x7f]/g;

/**
 * Writes one shell's session as asciicast v2. Input is held until the shell echoes it: typed text
 * that was never echoed by the time Enter is pressed (echo off: a password prompt) is recorded as
 * asterisks, and so is everything typed after a prompt that asks for a password. Secret values
 * (parameters marked secret, the vault's secrets) are masked in input and output.
 */
export class CastRecorder {
  readonly #file: CastFile;
  readonly #start: number;
  readonly #now: () => number;
  #lastTime = 0;
  #held: HeldInput[] = [];
  #maskNextLine = false;
  #lastLine = '';
  #secrets: string[] = [];
  #carry = '';
  #bytes = 0;
  #truncated = false;
  #closed = false;

  constructor(private readonly options: CastRecorderOptions) {
    this.#now = options.nowMs ?? (() => performance.now());
    this.#start = this.#now();
    this.#file = new CastFile(options.path);
    this.line(JSON.stringify(options.header));
  }

  get bytes(): number {
    return this.#bytes;
  }

  get truncated(): boolean {
    return this.#truncated;
  }

  get durationMs(): number {
    return Math.round(this.#now() - this.#start);
  }

  /** Values masked from now on, wherever they appear (short values would mask everything: ≥ 3 chars). */
  addSecrets(values: string[]): void {
    const fresh = values.filter((v) => v.length >= 3 && !this.#secrets.includes(v));
    this.#secrets = [...this.#secrets, ...fresh].sort((a, b) => b.length - a.length);
  }

  /** Masks the secret values of a text (what `send` reports and records). */
  mask(text: string): string {
    let out = this.options.redact(text);
    for (const secret of this.#secrets) out = out.split(secret).join(maskChar.repeat(8));
    return out;
  }

  output(text: string): void {
    if (this.#closed) return;
    // Only typed input waiting for its echo needs the whole chunk; the prompt check needs its tail.
    if (this.#held.length > 0) this.resolveEchoed(text.replace(controlPattern, ''));
    const tail = text.slice(-400).replace(controlPattern, '');
    const newline = tail.lastIndexOf('\n');
    this.#lastLine = (newline >= 0 || text.length > 400 ? tail.slice(newline + 1) : this.#lastLine + tail).slice(-200);
    if (maskedPromptPattern.test(this.#lastLine)) this.#maskNextLine = true;
    this.writeOutput(text);
  }

  /** Keystrokes typed by the operator. */
  input(data: string): void {
    if (this.#closed) return;
    const at = this.elapsed();
    for (const part of splitControls(data)) {
      const enter = part.control && /[\r\n]/.test(part.text);
      if (this.#maskNextLine && this.#held.length === 0) {
        // After a password prompt: masked at once, up to Enter.
        this.event(at, 'i', part.control ? part.text : maskChar.repeat(part.text.length));
        if (enter) this.#maskNextLine = false;
        continue;
      }
      this.#held.push({ at, data: part.text, control: part.control, enter });
      if (this.#held.reduce((n, h) => n + h.data.length, 0) > 4096) this.releaseHeld(true);
    }
  }

  /** Input already masked by the caller (a command sent with its secret parameters). */
  inputMasked(text: string): void {
    if (this.#closed) return;
    this.releaseHeld(true);
    this.event(this.elapsed(), 'i', text);
  }

  resize(cols: number, rows: number): void {
    if (!this.#closed) this.event(this.elapsed(), 'r', `${cols}x${rows}`);
  }

  marker(label: string): void {
    if (!this.#closed) this.event(this.elapsed(), 'm', label);
  }

  close(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.releaseHeld(true);
    if (this.#carry) this.event(this.elapsed(), 'o', this.mask(this.#carry));
    this.#carry = '';
    this.#closed = true;
    return this.#file.end();
  }

  /**
   * Typed text is recorded once the shell echoed it. A line whose Enter was pressed and whose
   * text is not in the output that follows was typed with echo off: it is masked.
   */
  private resolveEchoed(visible: string): void {
    let from = 0;
    let decidedLine = false;
    while (this.#held.length > 0) {
      const enterAt = this.#held.findIndex((h) => h.enter);
      if (enterAt < 0) {
        this.releaseMatching(visible, from);
        return;
      }
      const line = this.#held.slice(0, enterAt);
      const text = line
        .filter((h) => !h.control)
        .map((h) => h.data)
        .join('');
      const index = text === '' ? from : visible.indexOf(text, from);
      if (index < 0 && decidedLine) return; // a later line: its echo may come with the next output
      for (const held of this.#held.splice(0, enterAt + 1)) {
        this.event(held.at, 'i', index < 0 && !held.control ? maskChar.repeat(held.data.length) : held.data);
      }
      if (index >= 0) from = index + text.length;
      decidedLine = true;
    }
  }

  /** Before Enter: records the typed pieces the output echoes, in order. */
  private releaseMatching(visible: string, from: number): number {
    while (this.#held.length > 0) {
      const next = this.#held[0]!;
      if (!next.control) {
        const index = visible.indexOf(next.data, from);
        if (index < 0) break;
        from = index + next.data.length;
      }
      this.#held.shift();
      this.event(next.at, 'i', next.data);
    }
    return from;
  }

  private releaseHeld(masked: boolean): void {
    for (const held of this.#held)
      this.event(held.at, 'i', masked && !held.control ? maskChar.repeat(held.data.length) : held.data);
    this.#held = [];
  }

  /** Secrets split across two chunks are caught: the tail that could start one waits for the next chunk. */
  private writeOutput(text: string): void {
    if (this.#truncated) return;
    const masked = this.mask(this.#carry + text);
    const keep = this.partialSecretTail(masked);
    this.#carry = masked.slice(masked.length - keep);
    const ready = masked.slice(0, masked.length - keep);
    if (ready) this.event(this.elapsed(), 'o', ready);
    if (this.#bytes > this.options.limitBytes) {
      this.#truncated = true;
      this.marker(
        `recording truncated: output past ${Math.round(this.options.limitBytes / 1048576)} MB was not recorded`,
      );
    }
  }

  private partialSecretTail(text: string): number {
    let keep = 0;
    for (const secret of this.#secrets) {
      for (let n = Math.min(secret.length - 1, text.length); n > keep; n--) {
        if (text.endsWith(secret.slice(0, n))) {
          keep = n;
          break;
        }
      }
    }
    return keep;
  }

  private elapsed(): number {
    return (this.#now() - this.#start) / 1000;
  }

  private event(at: number, type: CastEventType, data: string): void {
    const time = Math.max(at, this.#lastTime);
    this.#lastTime = time;
    // Output arrives masked already (writeOutput and close run it through mask): only input is scrubbed here.
    const clean = type === 'i' ? this.options.redact(data) : data;
    this.line(JSON.stringify([Number(time.toFixed(6)), type, clean]));
  }

  private line(text: string): void {
    this.#bytes += text.length + 1;
    this.#file.writeLine(text);
  }
}

/** Splits typed data into runs of plain text and single control keys / escape sequences. */
function splitControls(data: string): { text: string; control: boolean }[] {
  const parts: { text: string; control: boolean }[] = [];
  let last = 0;
  for (const match of data.matchAll(controlPattern)) {
    if (match.index > last) parts.push({ text: data.slice(last, match.index), control: false });
    parts.push({ text: match[0], control: true });
    last = match.index + match[0].length;
  }
  if (last < data.length) parts.push({ text: data.slice(last), control: false });
  return parts;
}
