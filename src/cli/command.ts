import type { ParseArgsConfig } from 'node:util';
import type { Core } from '../main/core';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

/** What a command gets: its parsed flags and positionals, the lazily created core, and I/O. */
export interface CliContext {
  values: Record<string, string | boolean | string[] | boolean[] | undefined>;
  positionals: string[];
  json: boolean;
  env: NodeJS.ProcessEnv;
  /** The core over the shared data folder; created on first use, disposed after the command. */
  core(): Core;
  /** All of standard input as text (for --x-stdin secrets, files given as "-"). */
  readStdin(): Promise<string>;
  /** Progress and logs: stderr, never stdout. */
  log(message: string): void;
}

export interface CommandOutcome {
  /** The document printed with --json. */
  value: unknown;
  /** What a person reads without --json; defaults to pretty JSON. */
  text?: string;
  /** 0 done, 1 failed or refused; defaults to 0. */
  exitCode?: number;
  /** Nothing is printed: stdout belonged to a protocol (the MCP server). */
  silent?: boolean;
}

/** One `opsconsole <domain> <verb>` command. */
export interface CliCommand {
  /** e.g. ['sql', 'classify'] */
  path: string[];
  /** One line, shown in --help. */
  summary: string;
  /** Usage after the command path, e.g. 'SQL [--file F] [--json]'. */
  usage: string;
  options: OptionSpec;
  /** Longer help shown by `--help` after the command (every flag, examples); optional. */
  help?: string;
  /** Allows `--` followed by raw arguments (redis commands). */
  allowPositionals?: boolean;
  /** Only reads the store: it is opened read-only (works while another process writes, or on a read-only file). */
  readOnly?: boolean | { unlessFlags: string[] };
  /**
   * Runs without the core and without native modules, so on any Node 18 or newer and without
   * loading SQLite, SSH or drivers; except when one of `unlessFlags` is given (they need the core).
   */
  light?: { unlessFlags?: string[] };
  run(context: CliContext): Promise<CommandOutcome>;
}
