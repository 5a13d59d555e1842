import { appendFileSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const logLevels = ['error', 'warn', 'info', 'debug'] as const;
export type LogLevel = (typeof logLevels)[number];

export interface LoggerOptions {
  dir: string;
  level?: LogLevel;
  /** Scrubs secrets from every line before it is written. */
  redact: (text: string) => string;
  maxBytes?: number;
  keepFiles?: number;
  now?: () => Date;
}

/**
 * A small rotating JSON-lines log in the data folder (opsconsole.log, .1, .2 …). Every line passes
 * through the vault's redaction first: a secret the process has opened never reaches the file.
 * Callers log operation names, codes and timings, never inputs.
 */
export class Logger {
  readonly file: string;
  #level: LogLevel;

  constructor(private readonly options: LoggerOptions) {
    mkdirSync(options.dir, { recursive: true, mode: 0o700 });
    this.file = join(options.dir, 'opsconsole.log');
    this.#level = options.level ?? 'info';
  }

  get level(): LogLevel {
    return this.#level;
  }

  setLevel(level: LogLevel): void {
    this.#level = level;
  }

  error(message: string, fields?: Record<string, unknown>): void {
    this.write('error', message, fields);
  }
  warn(message: string, fields?: Record<string, unknown>): void {
    this.write('warn', message, fields);
  }
  info(message: string, fields?: Record<string, unknown>): void {
    this.write('info', message, fields);
  }
  debug(message: string, fields?: Record<string, unknown>): void {
    this.write('debug', message, fields);
  }

  private write(level: LogLevel, message: string, fields?: Record<string, unknown>): void {
    if (logLevels.indexOf(level) > logLevels.indexOf(this.#level)) return;
    const time = (this.options.now?.() ?? new Date()).toISOString();
    const line = this.options.redact(JSON.stringify({ time, level, message, ...fields })) + '\n';
    try {
      this.rotateIfNeeded(line.length);
      appendFileSync(this.file, line, { mode: 0o600 });
    } catch {
      // Logging must never break an operation (disk full, folder removed).
    }
  }

  private rotateIfNeeded(incoming: number): void {
    const max = this.options.maxBytes ?? 5 * 1024 * 1024;
    let size: number;
    try {
      size = statSync(this.file).size;
    } catch {
      return;
    }
    if (size + incoming <= max) return;
    const keep = this.options.keepFiles ?? 3;
    rmSync(`${this.file}.${keep}`, { force: true });
    for (let i = keep - 1; i >= 1; i--) {
      try {
        renameSync(`${this.file}.${i}`, `${this.file}.${i + 1}`);
      } catch {
        // that generation does not exist yet
      }
    }
    renameSync(this.file, `${this.file}.1`);
  }
}
