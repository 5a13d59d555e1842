import { spawn } from 'node:child_process';
import { homedir } from 'node:os';
import { StringDecoder } from 'node:string_decoder';
import type { Client } from 'ssh2';
import { OpsError } from '../errors';

/** What a headless shell step did: its exit status (null when a signal ended it), its output, and why it ended. */
export interface ShellExecResult {
  exitStatus: number | null;
  signal: string | null;
  /** stdout and stderr interleaved as they arrived, cut at `maxOutputChars`. */
  output: string;
  /** Characters produced in all, so a reader knows how much was cut. */
  outputChars: number;
  timedOut: boolean;
}

/** The most output a step keeps: enough for any diagnostic, far below what `cat hugefile` would flood. */
export const maxOutputChars = 256 * 1024;

/** Collects output up to the cap and counts the rest. */
class OutputBuffer {
  text = '';
  chars = 0;
  append(chunk: string): void {
    this.chars += chunk.length;
    if (this.text.length < maxOutputChars) this.text += chunk.slice(0, maxOutputChars - this.text.length);
  }
  finish(exitStatus: number | null, signal: string | null, timedOut: boolean): ShellExecResult {
    const cut = this.chars > this.text.length ? `\n… [output cut: ${this.chars} characters in all, the first ${this.text.length} kept]` : '';
    return { exitStatus, signal, output: this.text + cut, outputChars: this.chars, timedOut };
  }
}

/**
 * Runs one command over an SSH exec channel (no pty: the output is the command's own, with no
 * prompt or echo), as ssh(1) does with `ssh host CMD`. The channel is closed at the deadline.
 */
export function execRemote(client: Client, command: string, timeoutMs: number): Promise<ShellExecResult> {
  return new Promise((resolve, reject) => {
    client.exec(command, (error, channel) => {
      if (error) return reject(new OpsError('ssh_connect_failed', `The server refused to run the command: ${error.message}. Check that the account may open a session (ForceCommand, PermitOpen).`));
      const out = new OutputBuffer();
      const stdout = new StringDecoder('utf8');
      const stderr = new StringDecoder('utf8');
      let exit: { code: number | null; signal: string | null } = { code: null, signal: null };
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        channel.close();
      }, timeoutMs);
      channel.on('data', (chunk: Buffer) => out.append(stdout.write(chunk)));
      channel.stderr.on('data', (chunk: Buffer) => out.append(stderr.write(chunk)));
      channel.on('exit', (code: number | null, signal?: string) => (exit = { code: signal ? null : (code ?? null), signal: signal ?? null }));
      channel.on('close', () => {
        clearTimeout(timer);
        out.append(stdout.end() + stderr.end());
        resolve(out.finish(exit.code, exit.signal, timedOut));
      });
    });
  });
}

/** The same on this computer (a profile without SSH): `/bin/sh -c CMD` in the home folder, killed at the deadline. */
export function execLocal(command: string, timeoutMs: number): Promise<ShellExecResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', command], { cwd: homedir(), stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs, killSignal: 'SIGKILL' });
    const out = new OutputBuffer();
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => out.append(chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => out.append(chunk));
    child.once('error', (error) => reject(new OpsError('internal', `The local shell could not start: ${error.message}.`)));
    child.once('close', (code, signal) => resolve(out.finish(signal ? null : code, signal, signal === 'SIGKILL' && child.killed)));
  });
}

/** The step's `timeout` fence attribute (`90`, `90s`, `500ms`, `5m`), else `fallbackMs`. */
export function stepTimeoutMs(attribute: string | undefined, fallbackMs: number): number {
  const match = attribute?.trim().match(/^(\d+(?:\.\d+)?)\s*(ms|s|m|h)?$/);
  if (!match) return fallbackMs;
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match[2] ?? 's']!;
  return Math.min(Math.max(1, Number(match[1]) * unit), 24 * 3_600_000);
}
