import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { startPostgres, type PostgresServer } from '../harness/index';
import { runCliInProcess } from '../support/cli';
import { harnessProfile } from '../support/profiles';
import { tempCore, type TempCore } from '../support/temp-core';

let pgServer: PostgresServer;
let temp: TempCore;
let folder: string;

type Listed = {
  name: string;
  source: string;
  path?: string;
  error?: string;
  params: { name: string; secret: boolean }[];
}[];

before(async () => {
  pgServer = await startPostgres();
  const direct = new pg.Client({ connectionString: pgServer.connectionString() });
  await direct.connect();
  await direct.query('CREATE TABLE IF NOT EXISTS tokens (id int PRIMARY KEY, owner text, secret text)');
  await direct.query("INSERT INTO tokens VALUES (1, 'ana', 's3cr3t-value'), (2, 'bo', 'other') ON CONFLICT DO NOTHING");
  await direct.end();
  temp = tempCore();
  await temp.core.invoke('profiles.save', { profile: harnessProfile('staging', { pg: pgServer }) });
  folder = mkdtempSync(join(tmpdir(), 'opsconsole-queries-'));
  writeFileSync(
    join(folder, 'owner.sql'),
    '-- name: Token owner\n-- description: Who holds a token.\n-- param: token text secret\nSELECT owner FROM tokens WHERE secret = $1\n',
  );
  writeFileSync(
    join(folder, 'broken.sql'),
    '-- name: Broken one\n-- param: id integer\nSELECT * FROM tokens WHERE id = $1\n',
  );
});
after(async () => {
  await temp?.dispose();
  await pgServer?.stop();
  rmSync(folder, { recursive: true, force: true });
});

const cli = (args: string[], env: NodeJS.ProcessEnv = { OPSCONSOLE_QUERIES: folder }) =>
  runCliInProcess(temp.dataDir, args, { env });

test('templates list reads the OPSCONSOLE_QUERIES folder: good files with their params, bad ones with their error', async () => {
  const listed = await cli(['templates', 'list', '--json']);
  assert.equal(listed.code, 0, listed.stderr);
  const files = listed.json<Listed>().filter((t) => t.source === 'file');
  assert.deepEqual(
    files.map((f) => f.name),
    ['Broken one', 'Token owner'],
  );
  assert.match(files[0]!.error!, /^broken\.sql line 2: param id\.type must be one of/);
  assert.equal(files[1]!.error, undefined);
  assert.equal(files[1]!.path, join(folder, 'owner.sql'));
  assert.deepEqual(
    files[1]!.params.map((p) => [p.name, p.secret]),
    [['token', true]],
  );
  const text = await cli(['templates', 'list']);
  assert.match(text.stdout, /Broken one\(\) \[file .*broken\.sql\]\n {2}ERROR broken\.sql line 2/);
});

test('sql run --template runs a saved query file, bound and redacted; a broken one is refused with its error', async () => {
  const ran = await cli([
    'sql',
    'run',
    '--profile',
    'staging',
    '--template',
    'Token owner',
    '--param',
    'token=s3cr3t-value',
    '--json',
  ]);
  assert.equal(ran.code, 0, ran.stderr);
  assert.deepEqual(ran.json<{ statements: { rows: unknown[][] }[] }>().statements[0]!.rows, [['ana']]);
  const history = (await cli(['sql', 'history', '--json'])).json<{ entries: { sql: string; params: unknown[] }[] }>();
  assert.equal(history.entries[0]!.sql, 'SELECT owner FROM tokens WHERE secret = $1');
  assert.deepEqual(history.entries[0]!.params, [{ name: 'token', value: '[redacted]', secret: true }]);
  assert.doesNotMatch(JSON.stringify(history), /s3cr3t-value/);

  const broken = await cli([
    'sql',
    'run',
    '--profile',
    'staging',
    '--template',
    'Broken one',
    '--param',
    'id=1',
    '--json',
  ]);
  assert.equal(broken.code, 2);
  assert.match(broken.stdout, /cannot run: broken\.sql line 2/);
});

test("without the variable: the folder set in Settings, else the data folder's queries/", async () => {
  mkdirSync(join(temp.dataDir, 'queries'), { recursive: true });
  writeFileSync(join(temp.dataDir, 'queries', 'default.sql'), '-- name: From the data folder\nSELECT 1');
  const names = async () =>
    (await cli(['templates', 'list', '--json'], { OPSCONSOLE_QUERIES: '' }))
      .json<Listed>()
      .filter((t) => t.source === 'file')
      .map((t) => t.name);
  assert.deepEqual(await names(), ['From the data folder']);
  await temp.core.invoke('settings.update', { patch: { queriesFolder: folder } });
  assert.deepEqual(await names(), ['Broken one', 'Token owner']);
  await temp.core.invoke('settings.update', { patch: { queriesFolder: '' } });
});

test('a saved query file is not saved over from the app: the file is the source', async () => {
  const file = (await temp.core.invoke('templates.list', {})).find((t) => t.source === 'file')!;
  await assert.rejects(
    temp.core.invoke('templates.save', { template: { id: file.id, name: file.name, sql: 'SELECT 2' } }),
    /is a saved query file .*: edit the file itself/,
  );
});
