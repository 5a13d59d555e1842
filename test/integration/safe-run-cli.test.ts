import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { Redis } from 'ioredis';
import pg from 'pg';
import {
  startPostgres,
  startRedis,
  startSshd,
  type PostgresServer,
  type RedisServer,
  type SshdServer,
} from '../harness/index';
import { harnessProfile } from '../support/profiles';
import { runCli, runCliInProcess } from '../support/cli';
import { tempCore, type TempCore } from '../support/temp-core';

let pgServer: PostgresServer;
let redisServer: RedisServer;
let sshd: SshdServer;
let temp: TempCore;
let direct: pg.Client;
let redisDirect: Redis;
let incidentId: string;
const ids: Record<string, string> = {};

const cli = (args: string[]) => runCliInProcess(temp.dataDir, args);

before(async () => {
  [pgServer, redisServer, sshd] = await Promise.all([
    startPostgres(),
    startRedis(['--requirepass', 'redis-secret']),
    startSshd(),
  ]);
  temp = tempCore({ hostKeyPrompter: { ask: async () => true } });
  direct = new pg.Client({ connectionString: pgServer.connectionString() });
  await direct.connect();
  await direct.query('CREATE TABLE items (id int PRIMARY KEY, name text, amount numeric, big int8)');
  await direct.query("INSERT INTO items VALUES (1, 'one', 1.10, 9007199254740993), (2, 'two', 2.20, 2)");
  redisDirect = new Redis({ host: redisServer.host, port: redisServer.port, password: 'redis-secret' });
  await redisDirect.set('k1', 'v1');
  for (const [name, environment] of [
    ['prod-eu', 'production'],
    ['dev', 'development'],
  ] as const) {
    const saved = await temp.core.invoke('profiles.save', {
      profile: harnessProfile(name, { pg: pgServer, redis: redisServer }, environment, {
        secrets: { redisPassword: { set: 'redis-secret' } },
      }),
    });
    ids[name] = saved.id;
  }
  const tunnelled = await temp.core.invoke('profiles.save', {
    profile: harnessProfile('prod-ssh', { sshd, redis: redisServer }, 'production', {
      secrets: { redisPassword: { set: 'redis-secret' } },
    }),
  });
  ids['prod-ssh'] = tunnelled.id;
  await temp.core.invoke('templates.save', {
    template: {
      name: 'item by id',
      sql: 'SELECT id, name, amount, big FROM items WHERE id = $1',
      params: [{ name: 'id', type: 'int' }],
    },
  });
  incidentId = (await temp.core.invoke('incidents.start', { title: 'checkout errors', severity: 'P2' })).id;
});
after(async () => {
  redisDirect?.disconnect();
  await direct?.end();
  await temp?.dispose();
  await Promise.all([pgServer?.stop(), redisServer?.stop(), sshd?.dispose()]);
});

test('sql run --template --param: the documented JSON shape, bigint and numeric as strings, recorded into --incident', async () => {
  const run = await runCli(temp.dataDir, [
    'sql',
    'run',
    '--profile',
    'prod-eu',
    '--template',
    'item by id',
    '--param',
    'id=1',
    '--incident',
    incidentId,
    '--json',
  ]);
  assert.equal(run.code, 0, run.stderr);
  const doc = run.json<Record<string, unknown>>();
  assert.deepEqual(Object.keys(doc), ['risk', 'outcome', 'statements', 'durationMs']);
  assert.equal(doc.outcome, 'read');
  const [statement] = doc.statements as {
    text: string;
    fields: unknown;
    rows: unknown[][];
    rowCount: number;
    truncated: boolean;
  }[];
  assert.deepEqual(Object.keys(statement!), ['text', 'fields', 'rows', 'rowCount', 'truncated']);
  assert.deepEqual(statement!.rows, [['1', 'one', '1.10', '9007199254740993']]);
  assert.deepEqual(statement!.fields, [
    { name: 'id', type: 'int4' },
    { name: 'name', type: 'text' },
    { name: 'amount', type: 'numeric' },
    { name: 'big', type: 'int8' },
  ]);
  const events = await temp.core.invoke('incidents.events', { id: incidentId });
  const recorded = events.find((e) => e.kind === 'sql.run');
  assert.deepEqual(recorded?.payload.parameters, [{ name: 'id', value: '1', secret: false }]);
});

test('sql run --template: a secret parameter refused for its type is not in the error (JSON, stderr, log file)', async () => {
  await temp.core.invoke('templates.save', {
    template: { name: 'sec', sql: 'SELECT $1::int AS pin', params: [{ name: 'pin', type: 'int', secret: true }] },
  });
  const run = await cli(['sql', 'run', '--profile', 'dev', '--template', 'sec', '--param', 'pin=SEKRITabc', '--json']);
  assert.equal(run.code, 2, run.stderr);
  const { error } = run.json<{ error: { code: string; message: string } }>();
  assert.equal(error.code, 'invalid_input');
  assert.match(error.message, /params\.pin must be a whole number \(int\)/);
  assert.doesNotMatch(run.stdout, /SEKRIT/);
  assert.doesNotMatch(run.stderr, /SEKRIT/);
  const logs = join(temp.dataDir, 'logs');
  for (const file of existsSync(logs) ? readdirSync(logs) : [])
    assert.doesNotMatch(readFileSync(join(logs, file), 'utf8'), /SEKRIT/, file);
});

test('sql run: a write without --confirm previews, rolls back, prints what it would have done, exits 1', async () => {
  const run = await cli(['sql', 'run', '--profile', 'prod-eu', "UPDATE items SET name = 'x' WHERE id = 2", '--json']);
  assert.equal(run.code, 1);
  const doc = run.json<{ outcome: string; risk: string; statements: { rowCount: number }[] }>();
  assert.equal(doc.outcome, 'rolled_back');
  assert.equal(doc.risk, 'write');
  assert.equal(doc.statements[0]!.rowCount, 1);
  assert.match(run.stderr, /--confirm prod-eu/);
  assert.equal((await direct.query('SELECT name FROM items WHERE id = 2')).rows[0].name, 'two');
});

test('sql run: the wrong --confirm is refused on production; the right one commits', async () => {
  const wrong = await cli([
    'sql',
    'run',
    '--profile',
    'prod-eu',
    "UPDATE items SET name = 'x' WHERE id = 2",
    '--confirm',
    'dev',
    '--json',
  ]);
  assert.equal(wrong.code, 1);
  assert.equal(wrong.json<{ outcome: string }>().outcome, 'refused');
  assert.equal((await direct.query('SELECT name FROM items WHERE id = 2')).rows[0].name, 'two');
  const right = await cli([
    'sql',
    'run',
    '--profile',
    'prod-eu',
    "UPDATE items SET name = 'x' WHERE id = 2",
    '--confirm',
    'prod-eu',
    '--json',
  ]);
  assert.equal(right.code, 0, right.stderr);
  assert.equal(right.json<{ outcome: string }>().outcome, 'committed');
  assert.equal((await direct.query('SELECT name FROM items WHERE id = 2')).rows[0].name, 'x');
});

test('redis run: reads run with typed replies; writes need --confirm; the wrong name is refused', async () => {
  const get = await cli(['redis', 'run', '--profile', 'prod-eu', '--json', '--', 'GET', 'k1']);
  assert.equal(get.code, 0, get.stderr);
  assert.deepEqual(get.json(), { risk: 'read', outcome: 'ok', reply: { type: 'string', value: 'v1' } });
  const unconfirmed = await cli(['redis', 'run', '--profile', 'prod-eu', '--json', '--', 'SET', 'k2', 'x y']);
  assert.equal(unconfirmed.code, 1);
  assert.equal(unconfirmed.json<{ outcome: string }>().outcome, 'refused');
  assert.equal(await redisDirect.get('k2'), null, 'nothing was sent');
  const wrong = await cli([
    'redis',
    'run',
    '--profile',
    'prod-eu',
    '--confirm',
    'prod',
    '--json',
    '--',
    'SET',
    'k2',
    'x y',
  ]);
  assert.equal(wrong.json<{ outcome: string }>().outcome, 'refused');
  const set = await cli([
    'redis',
    'run',
    '--profile',
    'prod-eu',
    '--confirm',
    'prod-eu',
    '--json',
    '--',
    'SET',
    'k2',
    'x y',
  ]);
  assert.deepEqual(set.json(), { risk: 'write', outcome: 'ok', reply: { type: 'string', value: 'OK' } });
  assert.equal(await redisDirect.get('k2'), 'x y', 'the argument went as one argv item');
  const list = await cli(['redis', 'run', '--profile', 'dev', '--json', '--', 'MGET', 'k1', 'nope']);
  assert.deepEqual(list.json<{ reply: unknown }>().reply, {
    type: 'array',
    items: [{ type: 'string', value: 'v1' }, { type: 'nil' }],
    total: 2,
  });
});

test('a refused run says why in its --json document too (message), beside every field it had', async () => {
  const sql = await cli([
    'sql',
    'run',
    '--profile',
    'prod-eu',
    'delete from items where id = 2',
    '--confirm',
    'wrong',
    '--json',
  ]);
  assert.equal(sql.code, 1);
  const sqlDoc = sql.json<Record<string, unknown>>();
  assert.deepEqual(Object.keys(sqlDoc).slice(0, 4), ['risk', 'outcome', 'statements', 'durationMs']);
  assert.equal(sqlDoc.outcome, 'refused');
  assert.equal(typeof sqlDoc.message, 'string');
  assert.ok(sql.stderr.includes(sqlDoc.message as string), 'the same reason as on stderr');
  const preview = await cli(['sql', 'run', '--profile', 'dev', 'delete from items where id = 2', '--json']);
  assert.equal(preview.json<{ outcome: string }>().outcome, 'rolled_back');
  assert.match(preview.json<{ message: string }>().message, /rolled back\. Run again with --confirm dev/);
  const redis = await cli(['redis', 'run', '--profile', 'prod-eu', '--json', '--', 'SET', 'k3', 'v']);
  assert.equal(redis.code, 1);
  const redisDoc = redis.json<Record<string, unknown>>();
  assert.deepEqual(
    { ...redisDoc, message: undefined },
    { risk: 'write', outcome: 'refused', reply: null, message: undefined },
  );
  assert.match(redisDoc.message as string, /Run again with --confirm prod-eu\.$/);
  assert.equal(await redisDirect.get('k3'), null);
});

test('redis run: -h and --json after -- are sent as arguments, never read as the CLI flags', async () => {
  const set = await cli(['redis', 'run', '--profile', 'dev', '--confirm', 'dev', '--', 'SET', 'flag', '-h']);
  assert.equal(set.code, 0, set.stderr);
  assert.doesNotMatch(set.stdout, /Usage:/);
  assert.equal(await redisDirect.get('flag'), '-h', 'SET was sent with -h as its value');
  await redisDirect.del('flag'); // the SSH test below counts the keys
  const echo = await cli(['redis', 'run', '--profile', 'dev', '--', 'ECHO', '--json']);
  assert.equal(echo.code, 0, echo.stderr);
  assert.match(echo.stdout, /^ok · risk read/, 'text output, not JSON');
  assert.match(echo.stdout, /"value": "--json"/);
});

test('redis over SSH: the dangerous-command gate, KEYS offers SCAN, read-only refuses', async () => {
  const profileId = ids['prod-ssh']!;
  const flush = await temp.core.invoke('redis.run', { profileId, argv: ['FLUSHALL'] });
  assert.equal(flush.outcome, 'confirmation_required');
  assert.equal(flush.risk, 'dangerous');
  assert.equal(flush.confirmation?.policy, 'type-profile-name');
  const noName = await temp.core.invoke('redis.run', { profileId, argv: ['FLUSHALL'], confirm: {} });
  assert.equal(noName.outcome, 'refused');
  assert.equal(await redisDirect.get('k1'), 'v1', 'FLUSHALL was not sent');
  const keys = await temp.core.invoke('redis.run', { profileId, line: 'KEYS user:*' });
  assert.equal(keys.outcome, 'confirmation_required');
  assert.deepEqual(keys.suggestion, ['SCAN', '0', 'MATCH', 'user:*', 'COUNT', '1000']);
  const count = await temp.core.invoke('redis.run', { profileId, argv: ['DBSIZE'] });
  assert.deepEqual(count.reply, { type: 'integer', value: 2 });
  const error = await temp.core.invoke('redis.run', {
    profileId,
    argv: ['INCR', 'k1'],
    confirm: { typedName: 'prod-ssh' },
  });
  assert.equal(error.outcome, 'error');
  assert.equal(error.reply?.type, 'error');
  const view = await temp.core.invoke('profiles.get', { id: profileId });
  await temp.core.invoke('profiles.save', {
    id: profileId,
    profile: { name: view.name, environment: view.environment, ssh: view.ssh, redis: view.redis, safety: 'read-only' },
  });
  const locked = await temp.core.invoke('redis.run', {
    profileId,
    argv: ['DEL', 'k1'],
    confirm: { typedName: 'prod-ssh' },
  });
  assert.equal(locked.outcome, 'refused');
  assert.match(locked.message ?? '', /read-only/);
  assert.equal(await redisDirect.get('k1'), 'v1');
});

test('templates save/list from the CLI, and sql run --runbook FILE --template STEP --param', async () => {
  const file = join(temp.dataDir, 'tpl.json');
  writeFileSync(
    file,
    JSON.stringify({
      name: 'items named',
      sql: 'SELECT id FROM items WHERE name = ANY($1::text[]) ORDER BY id',
      params: [{ name: 'names', type: 'text', list: true }],
    }),
  );
  assert.equal((await cli(['templates', 'save', '--file', file, '--json'])).code, 0);
  const list = await cli(['templates', 'list']);
  assert.match(list.stdout, /items named\(names: text\[\]\)/);
  const byList = await cli([
    'sql',
    'run',
    '--profile',
    'dev',
    '--template',
    'items named',
    '--param',
    'names=one',
    '--param',
    'names=x',
    '--json',
  ]);
  assert.deepEqual(byList.json<{ statements: { rows: unknown[][] }[] }>().statements[0]!.rows, [['1'], ['2']]);
  const runbook = join(temp.dataDir, 'items.md');
  writeFileSync(
    runbook,
    [
      '---',
      'title: Items',
      'parameters:',
      '  - name: item_id',
      '    type: int',
      '---',
      '',
      '# Items',
      '',
      '```sql {name=item-name}',
      'SELECT name FROM items WHERE id = {{item_id}};',
      '```',
      '',
    ].join('\n'),
  );
  const fromRunbook = await cli([
    'sql',
    'run',
    '--profile',
    'dev',
    '--runbook',
    runbook,
    '--template',
    'item-name',
    '--param',
    'item_id=1',
    '--json',
  ]);
  assert.equal(fromRunbook.code, 0, fromRunbook.stderr);
  const doc = fromRunbook.json<{ statements: { text: string; rows: unknown[][] }[] }>();
  assert.equal(doc.statements[0]!.text, 'SELECT name FROM items WHERE id = $1');
  assert.deepEqual(doc.statements[0]!.rows, [['one']]);
  const bad = await cli([
    'sql',
    'run',
    '--profile',
    'dev',
    '--runbook',
    runbook,
    '--template',
    'item-name',
    '--param',
    'item_id=1 OR 1=1',
    '--json',
  ]);
  assert.equal(bad.code, 2);
  assert.match(bad.json<{ error: { message: string } }>().error.message, /params\.item_id must be a whole number/);
  // A folder (or a FIFO, a device) is refused by name before anything is read or run, as for `runbook run FILE`.
  const folder = await cli([
    'sql',
    'run',
    '--profile',
    'dev',
    '--runbook',
    dirname(runbook),
    '--template',
    'item-name',
    '--json',
  ]);
  assert.equal(folder.code, 2, folder.stderr);
  assert.equal(
    folder.json<{ error: { code: string; message: string } }>().error.message,
    `--runbook ${dirname(runbook)} is not a file: give a markdown runbook.`,
  );
});
