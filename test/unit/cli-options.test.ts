import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { after, test } from 'node:test';
import { defineCommand, type CliCommand } from '../../src/cli/command';
import { commands } from '../../src/cli/commands/index';
import { main } from '../../src/cli/main';
import { runCliInProcess } from '../support/cli';

const home = mkdtempSync(join(tmpdir(), 'opsconsole-cli-options-'));
after(() => rmSync(home, { recursive: true, force: true }));

test("every command's --help lists every flag of its option table, and the global ones", async () => {
  for (const command of commands) {
    const help = await runCliInProcess(home, [...command.path, '--help']);
    assert.equal(help.code, 0, command.path.join(' '));
    for (const name of [...Object.keys(command.options), 'json', 'trust-host-key']) {
      assert.match(help.stdout, new RegExp(`^  --${name}\\b`, 'm'), `${command.path.join(' ')} --help lists --${name}`);
    }
  }
});

test('a flag line shows its value name and description; repeatable flags are marked', async () => {
  const help = await runCliInProcess(home, ['sql', 'run', '--help']);
  assert.match(help.stdout, /^ {2}--profile NAME +the profile to run on/m);
  assert.match(help.stdout, /^ {2}--param NAME=VALUE … +a parameter of the template/m);
  assert.match(help.stdout, /^ {2}--json +print exactly one JSON document/m);
});

test('a mistyped flag exits 2 naming it and the flag meant, with the usage; a missing value names what it wants', async () => {
  const typo = await runCliInProcess(home, ['sql', 'run', '--profle', 'prod', 'SELECT 1']);
  assert.equal(typo.code, 2);
  assert.match(typo.stderr, /Unknown option '--profle': did you mean --profile\?/);
  assert.match(typo.stderr, /^ {2}--profile NAME/m, 'the usage lists the flag meant');
  const json = await runCliInProcess(home, ['sql', 'export', '--format', '--json']);
  assert.equal(json.code, 2);
  const { ok, error } = json.json<{ ok: boolean; error: { code: string; message: string } }>();
  assert.equal(ok, false);
  assert.equal(error.code, 'invalid_input');
  assert.match(error.message, /^Option '--format' needs a value: --format csv\|jsonl/);
});

/** Runs one command through main() with its own catalog; returns what run() saw of its flags. */
async function parsedBy(command: CliCommand, argv: string[]): Promise<{ code: number; seen: unknown }> {
  let seen: unknown;
  const probe: CliCommand = {
    ...command,
    async run(context) {
      seen = await command.run(context);
      return { value: null };
    },
  };
  const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
  const code = await main(
    argv,
    { stdout: sink, stderr: sink, stdin: Readable.from([]), env: { OPSCONSOLE_HOME: home } },
    { infos: [probe], load: async () => probe },
  );
  return { code, seen };
}

test('run() gets each flag as its table declares it: strings, lists, booleans, absent ones undefined', async () => {
  const command = defineCommand({
    path: ['probe'],
    summary: 'probe',
    usage: '',
    options: {
      name: { type: 'string' },
      tag: { type: 'string', multiple: true },
      force: { type: 'boolean' },
      out: { type: 'string' },
    },
    light: {},
    async run({ values }) {
      const name: string | undefined = values.name;
      const tags: string[] | undefined = values.tag;
      const force: boolean | undefined = values.force;
      // @ts-expect-error a string flag is never typed as a list
      const wrong: string[] | undefined = values.out;
      return { value: { name, tags, force, out: wrong ?? null } };
    },
  });
  const { code, seen } = await parsedBy(command, ['probe', '--name', 'a', '--tag', 'x', '--tag', 'y', '--force']);
  assert.equal(code, 0);
  assert.deepEqual(seen, { value: { name: 'a', tags: ['x', 'y'], force: true, out: null } });
  assert.equal((await parsedBy(command, ['probe', '--force=yes'])).code, 2, 'a boolean flag takes no value');
});

test("a flag limited to the contract's choices is refused naming the field, before anything is imported", async () => {
  const bad = await runCliInProcess(home, ['profiles', 'import', '--ssh-config', '--environment', 'prod', '--json']);
  assert.equal(bad.code, 2);
  assert.match(
    bad.json<{ error: { message: string } }>().error.message,
    /environment must be one of production, staging, development, custom/,
  );
  const listed = await runCliInProcess(home, ['profiles', 'list', '--json']);
  assert.deepEqual(listed.json(), [], 'nothing was imported');
});

test('--help lists every exit status (3: outcome unknown), and --version --json prints {"version"}', async () => {
  const help = await runCliInProcess(home, ['--help']);
  assert.match(
    help.stdout,
    /exit status {2}0 done; 1 failed or refused .*; 2 wrong command line or input;\n +3 the server's outcome is unknown/,
  );
  const version = await runCliInProcess(home, ['--version', '--json']);
  assert.equal(version.code, 0);
  const { version: text } = version.json<{ version: string }>();
  assert.match(text, /^\d+\.\d+\.\d+/);
  assert.equal((await runCliInProcess(home, ['--version'])).stdout, `${text}\n`, 'plain text without --json');
});

test('a wrong value is refused naming the flag or argument the operator typed, not the contract field', async () => {
  const cases: [string[], RegExp][] = [
    [['redis', 'scan', '--profile', 'any', '--type', 'blob'], /^--type Invalid option: expected one of "string"/],
    [
      ['profiles', 'import', '--ssh-config', '--on-conflict', 'merge'],
      /^--on-conflict must be one of skip, rename, replace$/,
    ],
    [['incident', 'start', '--severity', 'P3'], /^--title is empty: give the incident a title$/],
    [['known-hosts', 'remove', 'h', 'abc'], /^PORT must be a number from 1 to 65535 \(e\.g\. 22\), not "abc"\.$/],
    [['known-hosts', 'remove', 'h', '70000'], /^PORT must be a number from 1 to 65535/],
  ];
  for (const [args, message] of cases) {
    const run = await runCliInProcess(home, [...args, '--json']);
    assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
    const { error } = run.json<{ error: { code: string; message: string } }>();
    assert.equal(error.code, 'invalid_input');
    assert.match(error.message, message, args.join(' '));
  }
  const file = join(home, 'not-a-folder');
  writeFileSync(file, '');
  for (const dataDir of [file, join(file, 'below')]) {
    const run = await runCliInProcess(dataDir, ['incident', 'list', '--json']);
    assert.equal(run.code, 2, run.stderr);
    assert.match(
      run.json<{ error: { message: string } }>().error.message,
      /^The data folder .*not-a-folder(\/below)? is not a folder \(a file is in the way\): point OPSCONSOLE_HOME at a folder/,
    );
  }
});
