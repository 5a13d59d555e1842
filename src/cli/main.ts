import { parseArgs } from 'node:util';
import type { Core } from '../main/core';
import { OpsError, toErrorPayload } from '../main/errors';
import { terminalSafe } from '../shared/terminal-text';
import {
  asksHelp,
  findCommand,
  flagArguments,
  readsOnly,
  runsLight,
  sourceCatalog,
  type CommandCatalog,
  type CommandInfo,
} from './catalog';
import { globalOptions, type CliContext, type OptionSpec } from './command';
import { parseTrustedFingerprints } from './host-key-prompter';
import { packageVersion } from './package-version';

/** Thrown for a wrong command line: exit 2 with usage. */
export class UsageError extends Error {}

function helpText(commands: CommandInfo[]): string {
  const lines = [
    'opsconsole — the Ops Console core on the command line',
    '',
    'Usage: opsconsole <domain> <verb> [args] [--json]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${[...c.path, c.usage].join(' ').padEnd(58)} ${c.summary}`),
    '',
    'Conventions:',
    '  --json       print exactly one JSON document on stdout (progress goes to stderr)',
    '  --trust-host-key SHA256:…  trust that unknown host key (repeatable); any other unknown key is refused',
    "  --help, -h   show this help, or a command's usage after its name",
    '  exit status  0 done; 1 failed or refused (the message says why); 2 wrong command line or input;',
    "               3 the server's outcome is unknown (a write whose answer was lost: check before retrying)",
    '  OPSCONSOLE_HOME  data folder shared with the app (default: the per-user config folder)',
  ];
  return lines.join('\n') + '\n';
}

/** One line per flag of the table, e.g. `  --param K=V …   a template parameter`. */
function optionLines(options: OptionSpec): string[] {
  return Object.entries(options).map(([name, option]) => {
    const value = option.type === 'string' ? ` ${option.value ?? name.toUpperCase()}` : '';
    const flag = `--${name}${option.short ? `, -${option.short}` : ''}${value}${option.multiple ? ' …' : ''}`;
    // A flag too long for the column puts its description on the next line, aligned.
    const gap = flag.length < 30 ? ' '.repeat(31 - flag.length) : `\n${' '.repeat(33)}`;
    return option.description ? `  ${flag}${gap}${option.description}` : `  ${flag}`;
  });
}

/** A command's --help: its usage, every flag from its option table, then its own notes. */
function usageOf(command: CommandInfo): string {
  const flags = optionLines({ ...command.options, ...globalOptions });
  return [
    `Usage: opsconsole ${command.path.join(' ')} ${command.usage}`,
    command.summary,
    '',
    'Options:',
    ...flags,
    ...(command.help ? ['', command.help.trimEnd()] : []),
    '',
  ].join('\n');
}

/**
 * Runs one CLI invocation; returns the exit status. Streams are injectable for tests; the catalog
 * is the sources' (every command loaded) unless the built CLI passes its manifest's.
 */
export async function main(
  argv: string[],
  io: {
    stdout: NodeJS.WritableStream;
    stderr: NodeJS.WritableStream;
    stdin: NodeJS.ReadableStream;
    env: NodeJS.ProcessEnv;
  } = {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
  },
  catalog?: CommandCatalog,
): Promise<number> {
  const { infos, load } = catalog ?? (await sourceCatalog());
  // Only what comes before `--` may be the CLI's flags: after it, `--json` is a command's argument.
  let json = flagArguments(argv).includes('--json');
  // Whatever reaches the terminal has its control characters escaped: data printed in text mode
  // comes from others (cells, notes, titles, server messages). JSON escapes them by itself.
  const write = (stream: NodeJS.WritableStream, text: string) => {
    const safe = terminalSafe(text);
    stream.write(safe.endsWith('\n') ? safe : safe + '\n');
  };
  const writeJson = (text: string) => io.stdout.write(text + '\n');
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    write(io.stdout, helpText(infos));
    return 0;
  }
  if (argv[0] === '--version') {
    if (json) writeJson(JSON.stringify({ version: packageVersion() }));
    else write(io.stdout, packageVersion());
    return 0;
  }
  const found = findCommand(infos, argv);
  if (!found) {
    return fail(
      new UsageError(
        `Unknown command "${argv
          .filter((a) => !a.startsWith('-'))
          .slice(0, 2)
          .join(' ')}". Run opsconsole --help for the list.`,
      ),
    );
  }
  const { command: info, rest } = found;
  // A command that only prints (redis classify) has always read a last `--json` as the flag.
  if (info.trailingJson && rest.at(-1) === '--json') json = true;
  if (asksHelp(rest)) {
    write(io.stdout, usageOf(info));
    return 0;
  }
  let core: Core | undefined;
  // A light command never loads the core: no SQLite, SSH or driver module at start-up.
  const cliCore = runsLight(info, rest) ? undefined : await import('./cli-core');
  try {
    const flags = flagArguments(rest);
    const raw = rest.slice(flags.length + 1);
    const options = { ...globalOptions, ...info.options };
    let parsed;
    try {
      parsed = parseArgs({ args: flags, options, allowPositionals: true, strict: true });
    } catch (error) {
      // Loaded only for a wrong command line: --help and every valid one stay without it.
      const { explainFlagError } = await import('./flag-errors');
      throw new UsageError(`${explainFlagError(error as Error, options)}\n${usageOf(info)}`);
    }
    // Any command that connects refuses an unknown host key unless --trust-host-key names it.
    const trustedKeys = parseTrustedFingerprints(parsed.values['trust-host-key']);
    const context: CliContext = {
      values: parsed.values,
      positionals: [...parsed.positionals, ...raw],
      json,
      env: io.env,
      core: () =>
        (core ??= requireCore(cliCore).createCliCore(io.env, trustedKeys, (m) => write(io.stderr, m), {
          readOnlyStore: readsOnly(info, flags),
          readOnlyIfUnwritable: !!info.recordsIfWritable,
          queriesDir: io.env.OPSCONSOLE_QUERIES || undefined,
        })),
      readStdin: () => readAll(io.stdin),
      log: (message) => write(io.stderr, message),
    };
    const command = await load(info);
    const outcome = await command.run(context);
    if (outcome.silent) {
      // The MCP server owns stdout (its protocol stream): nothing else may be written there.
    } else if (json) writeJson(JSON.stringify(outcome.value));
    else write(io.stdout, outcome.text ?? JSON.stringify(outcome.value, null, 2));
    return outcome.exitCode ?? 0;
  } catch (error) {
    return fail(error, info);
  } finally {
    await core?.dispose();
  }

  function fail(error: unknown, command?: CommandInfo): number {
    const usage = error instanceof UsageError;
    const payload = usage
      ? { code: 'invalid_input' as const, message: (error as Error).message }
      : toErrorPayload(error, (t) => core?.redact(t) ?? t);
    // DESIGN.md's exit 3: the server may have applied a write whose answer never came; check before retrying.
    const exit = usage || payload.code === 'invalid_input' ? 2 : payload.code === 'outcome_unknown' ? 3 : 1;
    if (json) writeJson(JSON.stringify({ ok: false, error: payload }));
    write(io.stderr, `opsconsole: ${payload.message}`);
    if (usage && !command) write(io.stderr, 'Run opsconsole --help for usage.');
    return exit;
  }
}

function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer | string) => chunks.push(Buffer.from(chunk)));
    stream.once('end', () => {
      try {
        resolve(new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks)));
      } catch {
        reject(new OpsError('invalid_input', 'stdin is not valid UTF-8: send UTF-8 text.'));
      }
    });
    stream.once('error', reject);
  });
}

export { OpsError };

function requireCore(module: typeof import('./cli-core') | undefined): typeof import('./cli-core') {
  // A command marked light that asks for the core is a programming error, not the operator's.
  if (!module)
    throw new OpsError('internal', 'This command is marked light but needs the core: remove its light flag.');
  return module;
}
