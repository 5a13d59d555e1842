import type { ParseArgsOptionDescriptor } from 'node:util';
import type { Core } from '../main/core';

/**
 * One flag of a command: what node:util parseArgs needs, and what its --help line says. Plain
 * data, so the built CLI's manifest carries it and --help loads no command module.
 */
interface CliOption extends ParseArgsOptionDescriptor {
  /** The value's name in --help (`--profile NAME`); string flags only. */
  value?: string;
  /** One line in --help. */
  description?: string;
}

/** A command's flags by name (without the dashes). */
export type OptionSpec = Record<string, CliOption>;

type OptionValue<O extends CliOption> = O extends { type: 'boolean'; multiple: true }
  ? boolean[]
  : O extends { type: 'boolean' }
    ? boolean
    : O extends { type: 'string'; multiple: true }
      ? string[]
      : O extends { type: 'string' }
        ? string
        : string | boolean | string[] | boolean[];

/** What parseArgs gives for a table of flags: each one absent, or of its declared type. */
type OptionValues<T extends OptionSpec> = { [K in keyof T]?: OptionValue<T[K]> };

/** The flags every command takes (main.ts parses them before the command's own). */
export const globalOptions = {
  json: { type: 'boolean', description: 'print exactly one JSON document on stdout' },
  'trust-host-key': {
    type: 'string',
    multiple: true,
    value: 'SHA256:…',
    description: 'trust that unknown host key; any other unknown key is refused',
  },
} as const satisfies OptionSpec;

/** Flags several commands share, described once. */
export const sharedOptions = {
  profile: { type: 'string', value: 'NAME', description: 'the profile to run on (its name, or its id)' },
  param: {
    type: 'string',
    multiple: true,
    value: 'NAME=VALUE',
    description: 'a parameter of the template or step (repeat it); always bound, never spliced',
  },
  confirm: {
    type: 'string',
    value: 'PROFILE_NAME',
    description: "the profile's exact name: lets a write or a dangerous command run",
  },
  incident: { type: 'string', value: 'ID', description: 'the incident to record into (default: the active one)' },
} as const satisfies OptionSpec;

/** What a command gets: its parsed flags and positionals, the lazily created core, and I/O. */
export interface CliContext<T extends OptionSpec = OptionSpec> {
  values: OptionValues<T & typeof globalOptions>;
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

/** The context as a helper shared by commands needs it: these string flags, and these repeatable ones. */
export type CliContextOf<S extends string, M extends string = never> = CliContext<
  Record<S, { type: 'string' }> & Record<M, { type: 'string'; multiple: true }>
>;

/** One `opsconsole <domain> <verb>` command; `T` types its flags' values. */
export interface CliCommand<T extends OptionSpec = OptionSpec> {
  /** e.g. ['sql', 'classify'] */
  path: string[];
  /** One line, shown in --help. */
  summary: string;
  /** Usage after the command path, e.g. 'SQL [--file F] [--json]'. */
  usage: string;
  options: T;
  /** Longer help shown by `--help` after the command (every flag, examples); optional. */
  help?: string;
  /** Allows `--` followed by raw arguments (redis commands). */
  allowPositionals?: boolean;
  /**
   * A last `--json` after `--` is still the CLI's flag (only for a command that sends nothing and
   * whose usage has promised it: redis classify). Elsewhere nothing after `--` is read as a flag.
   */
  trailingJson?: boolean;
  /** Only reads the store: it is opened read-only (works while another process writes, or on a read-only file). */
  readOnly?: boolean | { unlessFlags: string[] };
  /**
   * Records what it did (incident export) but must still work where the store cannot be written (a
   * read-only mount): the store is opened for writing, as for every recording command, and
   * read-only only when it cannot be (the record then becomes a warning).
   */
  recordsIfWritable?: boolean;
  /**
   * Runs without the core and without native modules, so on any Node 18 or newer and without
   * loading SQLite, SSH or drivers; except when one of `unlessFlags` is given (they need the core).
   */
  light?: { unlessFlags?: string[] };
  run(context: CliContext<T>): Promise<CommandOutcome>;
}

/** Declares a command whose `run` sees its flags typed from its option table (no casts). */
export function defineCommand<const T extends OptionSpec>(command: CliCommand<T>): CliCommand {
  return command;
}
