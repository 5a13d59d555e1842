import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { terminalSafe } from '../../src/shared/terminal-text';
import { makeTempDir, removeDir, startPostgres, type PostgresServer } from '../harness/index';
import { runCli, runCliInProcess } from '../support/cli';

const home = makeTempDir('cli-escape');
let pg: PostgresServer;
before(async () => (pg = await startPostgres()));
after(async () => {
  await pg?.stop();
  removeDir(home);
});
process.env.OPSCONSOLE_VAULT = 'file';
const cli = (args: string[], input?: string) => runCliInProcess(home, args, { input });

/** OSC 52 writing "rm -rf ~" to the clipboard, a screen clear, a C1 CSI and a bidi override. */
const hostile = '\x1b]52;c;cm0gLXJmIH4=\x07\x1b[2J\u009b31m\u202eevil\r';
const control = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202e]/;

test('terminalSafe shows every control character but tab and newline as its escape', () => {
  assert.equal(terminalSafe(hostile), '\\x1b]52;c;cm0gLXJmIH4=\\x07\\x1b[2J\\x9b31m\\u202eevil\\x0d');
  assert.equal(terminalSafe('a\tb\nc é ü 日本'), 'a\tb\nc é ü 日本');
});

test('a cell, a note, a title, a tag and profile notes print escaped in text mode and exact in --json', async () => {
  const added = await cli(
    [
      'profiles',
      'add',
      '--name',
      'local',
      '--environment',
      'staging',
      '--tag',
      `t${hostile}`,
      '--notes',
      `n${hostile}`,
      '--pg-host',
      '127.0.0.1',
      '--pg-port',
      String(pg.port),
      '--pg-database',
      pg.database,
      '--pg-user',
      pg.user,
      '--pg-password-stdin',
    ],
    pg.password,
  );
  assert.equal(added.code, 0, added.stderr);
  assert.doesNotMatch(added.stdout, control);
  assert.ok(added.stdout.includes('\\x1b]52;c;'), added.stdout);
  const shown = await cli(['profiles', 'show', 'local']);
  assert.doesNotMatch(shown.stdout, control);
  assert.match(shown.stdout, /tags: t\\x1b\]52;c;cm0gLXJmIH4=\\x07/);
  assert.match(shown.stdout, /notes: n\\x1b\]52/);
  const asJson = await cli(['profiles', 'show', 'local', '--json']);
  assert.equal(asJson.json<{ notes: string }>().notes, `n${hostile}`, '--json carries the exact value');

  const cell = await runCli(home, [
    'sql',
    'run',
    '--profile',
    'local',
    `SELECT E'${hostile.replace(/\x1b/g, '\\x1b').replace(/\x07/g, '\\x07').replace(/\r/g, '\\r')}' AS v`,
  ]);
  assert.equal(cell.code, 0, cell.stderr);
  assert.doesNotMatch(cell.stdout, control);
  assert.ok(cell.stdout.includes('\\x1b[2J'), cell.stdout);

  const id = (await cli(['incident', 'start', '--title', `title${hostile}`, '--severity', 'P2', '--json'])).json<{
    id: string;
  }>().id;
  const noted = await cli(['incident', 'note', id, `note${hostile}`]);
  assert.doesNotMatch(noted.stdout, control);
  const incident = await cli(['incident', 'show', id]);
  assert.doesNotMatch(incident.stdout, control);
  assert.match(incident.stdout, /title\\x1b\]52/);
  assert.match(incident.stdout, /note\\x1b\]52/);

  const runbook = join(home, 'hostile.md');
  writeFileSync(runbook, `# Restart${hostile}\n\n\`\`\`sql\nSELECT 1;\n\`\`\`\n`);
  const inspected = await cli(['runbook', 'inspect', runbook]);
  assert.doesNotMatch(inspected.stdout + inspected.stderr, control);
  assert.match(inspected.stdout, /Restart\\x1b\]52/);
});
