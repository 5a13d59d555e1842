import type { CliCommand } from './command';

/** What --help and the dispatcher need of a command, without loading its module. */
export type CommandInfo = Omit<CliCommand, 'run'>;

/**
 * The commands the CLI knows: their descriptions, and how to load one. From the sources every
 * module is loaded at once; the built CLI reads a manifest and loads only the command it runs.
 */
export interface CommandCatalog {
  infos: CommandInfo[];
  load(info: CommandInfo): Promise<CliCommand>;
}

/**
 * The arguments that may be flags: those before the first `--`. What follows it is the command's
 * own (a Redis command's arguments), so `-- SET flag -h` or `-- ECHO --json` is never read as
 * --help or --json.
 */
export function flagArguments(args: string[]): string[] {
  const dashDash = args.indexOf('--');
  return dashDash >= 0 ? args.slice(0, dashDash) : args;
}

/** Whether the command line asks for --help (or -h) before any `--`. */
export function asksHelp(args: string[]): boolean {
  const flags = flagArguments(args);
  return flags.includes('--help') || flags.includes('-h');
}

/** Whether this invocation of the command can run without the core (and its native modules). */
export function runsLight(info: CommandInfo, args: string[]): boolean {
  return !!info.light && !givesAny(flagArguments(args), info.light.unlessFlags ?? []);
}

/** Whether the command line gives one of these flags (`--name` or `--name=value`). */
function givesAny(flags: string[], names: string[]): boolean {
  return flags.some((flag) => names.some((name) => flag === `--${name}` || flag.startsWith(`--${name}=`)));
}

/** Whether this invocation only reads the store, so it opens it read-only (a flag such as --sync may write). */
export function readsOnly(info: CommandInfo, flags: string[]): boolean {
  return !!info.readOnly && !givesAny(flags, info.readOnly === true ? [] : info.readOnly.unlessFlags);
}

/** The longest command path that prefixes argv, and the arguments after it. */
export function findCommand<T extends { path: string[] }>(
  infos: T[],
  argv: string[],
): { command: T; rest: string[] } | undefined {
  let best: { command: T; rest: string[] } | undefined;
  for (const command of infos) {
    const n = command.path.length;
    if (
      argv.length >= n &&
      command.path.every((part, i) => argv[i] === part) &&
      (!best || n > best.command.path.length)
    ) {
      best = { command, rest: argv.slice(n) };
    }
  }
  return best;
}

/** Every command of the sources, loaded now (tsx and in-process tests). */
export async function sourceCatalog(): Promise<CommandCatalog> {
  const { commands } = await import('./commands/index');
  return { infos: commands, load: async (info) => info as CliCommand };
}
