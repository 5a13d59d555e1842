import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Redis } from 'ioredis';
import { startPostgres, startRedis, type PostgresServer, type RedisServer } from '../harness/index';
import { runCli } from '../support/cli';
import { tempCore, type TempCore } from '../support/temp-core';

/**
 * Canary secrets through every path that records: runs, refusals, confirmations, errors and
 * exports, from the core and from the CLI. Afterwards no byte of any canary may be in the data
 * folder (the SQLite store and its WAL, the log, recordings) or in any export.
 */
const canaries = {
  template: 'canary-tpl-7f3a9e',
  sqlPlain: 'canary-sql-plain-1',
  sqlGlued: 'canary-sql-glued-2',
  sqlEscape: 'canary-sql-escape-3',
  sqlComment: 'canary-sql-comment-4',
  sqlDollar: 'canary-sql-dollar-5',
  sqlConninfo: 'canary-sql-conninfo-6',
  redisAuth: 'canary-redis-auth-7',
  redisHello: 'canary-redis-hello-8',
  redisRequirepass: 'canary-redis-requirepass-9',
  redisMasterauth: 'canary-redis-masterauth-10',
  redisAcl: 'canary-redis-acl-11',
  redisMigrate: 'canary-redis-migrate-12',
  redisMigrate2: 'canary-redis-migrate2-13',
  cli: 'canary-cli-14',
  runbookParam: 'canary-runbook-param-15',
};

let pg: PostgresServer;
let redisServer: RedisServer;
let admin: Redis;
let temp: TempCore;
let exportsDir: string;
let incidentId: string;
const ids: Record<string, string> = {};

before(async () => {
  [pg, redisServer] = await Promise.all([startPostgres(), startRedis()]);
  admin = new Redis({ host: redisServer.host, port: redisServer.port });
  temp = tempCore();
  exportsDir = mkdtempSync(join(tmpdir(), 'opsconsole-canary-exports-'));
  const postgres = { host: '127.0.0.1', port: pg.port, database: pg.database, user: pg.user };
  const redis = { host: '127.0.0.1', port: redisServer.port };
  for (const [name, environment, safety] of [
    ['dev', 'development', undefined],
    ['prod-ro', 'production', 'read-only'],
    ['prod', 'production', 'production'],
  ] as const) {
    const profile = {
      name,
      environment,
      postgres,
      redis,
      secrets: { pgPassword: { set: pg.password } },
      ...(safety ? { safety } : {}),
    };
    ids[name] = (await temp.core.invoke('profiles.save', { profile })).id;
  }
  incidentId = (await temp.core.invoke('incidents.start', { title: 'Canary run', severity: 'P2' })).id;
});
after(async () => {
  await admin?.call('CONFIG', 'SET', 'requirepass', '').catch(() => undefined);
  admin?.disconnect();
  await temp?.dispose();
  rmSync(exportsDir, { recursive: true, force: true });
  await Promise.all([pg?.stop(), redisServer?.stop()]);
});

/** A SQL run, or the error it failed with (errors are recorded too: that path is under test). */
const sqlRun = (profile: string, sql: string) =>
  temp.core
    .invoke('sql.run', { profileId: ids[profile]!, sql, incidentId })
    .catch((error: Error) => ({ outcome: 'thrown', runId: '', message: error.message }));
const redisRun = (profile: string, argv: string[], confirm?: { typedName?: string }) =>
  temp.core.invoke('redis.run', { profileId: ids[profile]!, argv, incidentId, ...(confirm ? { confirm } : {}) });

/** Every file under a folder, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

test('a secret template parameter quoted by a Postgres error is masked in the result and the timeline', async () => {
  await temp.core.invoke('templates.save', {
    template: {
      name: 'pin check',
      sql: 'SELECT $1::int AS pin',
      params: [{ name: 'pin', type: 'text', secret: true }],
    },
  });
  const run = temp.core.invoke('sql.run', {
    profileId: ids.dev!,
    template: { name: 'pin check' },
    params: { pin: canaries.template },
    incidentId,
  });
  await assert.rejects(
    run,
    (error: Error) =>
      /invalid input syntax for type integer: "\[redacted\]"/.test(error.message) &&
      !error.message.includes(canaries.template),
  );
  const events = await temp.core.invoke('incidents.events', { id: incidentId });
  const recorded = events.filter((e) => e.kind === 'sql.run').map((e) => JSON.stringify(e.payload));
  assert.ok(
    recorded.some((p) => p.includes('invalid input syntax for type integer: \\"[redacted]\\"')),
    recorded.join('\n'),
  );
});

test('SQL passwords in five spellings and a conninfo literal: previews, refusals, confirmations, errors', async () => {
  const statements = [
    `ALTER ROLE CURRENT_USER PASSWORD '${canaries.sqlPlain}'`,
    `ALTER ROLE CURRENT_USER PASSWORD'${canaries.sqlGlued}'`,
    `ALTER ROLE CURRENT_USER PASSWORD E'${canaries.sqlEscape}'`,
    `ALTER ROLE CURRENT_USER PASSWORD /* rotate */ '${canaries.sqlComment}'`,
    `ALTER ROLE CURRENT_USER PASSWORD $$${canaries.sqlDollar}$$`,
    `SELECT dblink_connect('host=127.0.0.1 password=${canaries.sqlConninfo}')`,
  ];
  for (const sql of statements) {
    const preview = await sqlRun('dev', sql);
    if (preview.outcome === 'pending')
      await temp.core.invoke('sql.confirm', { runId: preview.runId, decision: 'rollback' });
    assert.equal((await sqlRun('prod-ro', sql)).outcome, 'refused', sql);
    const pending = await sqlRun('prod', sql);
    if (pending.outcome === 'pending')
      await temp.core
        .invoke('sql.confirm', { runId: pending.runId, decision: 'commit', typedName: 'not-prod' })
        .catch(() => undefined);
  }
  const events = await temp.core.invoke('incidents.events', { id: incidentId });
  assert.ok(
    events.some((e) => JSON.stringify(e.payload).includes("PASSWORD '[redacted]'")),
    'SQL with its password masked was recorded',
  );
});

test('Redis secrets in argv and replies: refusals, confirmations, runs and server errors', async () => {
  const commands = [
    ['AUTH', canaries.redisAuth],
    ['HELLO', '3', 'AUTH', 'default', canaries.redisHello],
    ['CONFIG', 'SET', 'requirepass', canaries.redisRequirepass],
    ['CONFIG', 'SET', 'masterauth', canaries.redisMasterauth],
    ['ACL', 'SETUSER', 'canary', 'on', `>${canaries.redisAcl}`, '~*', '+get'],
    ['MIGRATE', '127.0.0.1', '1', '', '0', '100', 'AUTH', canaries.redisMigrate, 'KEYS', 'k'],
    ['MIGRATE', '127.0.0.1', '1', '', '0', '100', 'AUTH2', 'u', canaries.redisMigrate2, 'KEYS', 'k'],
  ];
  for (const argv of commands) {
    assert.equal((await redisRun('prod-ro', argv, { typedName: 'prod-ro' })).outcome, 'refused');
    assert.equal((await redisRun('prod', argv, { typedName: 'prod-typo' })).outcome, 'refused');
    const ran = await redisRun('dev', argv, {});
    assert.equal(
      JSON.stringify(ran).includes('canary-redis'),
      false,
      `the result carries no secret: ${JSON.stringify(ran)}`,
    );
  }
  // A runbook step's secret parameter filled into argv: the core is told which values are secret.
  const step = await temp.core.invoke('redis.run', {
    profileId: ids.dev!,
    argv: ['SET', 'api-token', canaries.runbookParam],
    secretValues: [canaries.runbookParam],
    confirm: {},
    incidentId,
  });
  assert.deepEqual([step.outcome, step.argv], ['ok', ['SET', 'api-token', '[redacted]']]);
  assert.equal(await admin.get('api-token'), canaries.runbookParam, 'the real value was sent');
  await temp.core.invoke('redis.run', { profileId: ids.dev!, argv: ['GET', 'api-token'], incidentId });
  for (const name of ['requirepass', 'masterauth', '*']) {
    const reply = await redisRun('dev', ['CONFIG', 'GET', name]);
    assert.equal(reply.outcome, 'ok');
    assert.equal(JSON.stringify(reply).includes('canary'), false, JSON.stringify(reply.reply).slice(0, 300));
  }
  assert.equal(
    await admin.call('CONFIG', 'GET', 'requirepass').then((r) => (r as string[])[1]),
    canaries.redisRequirepass,
    'the confirmed CONFIG SET did run',
  );
  await admin.call('CONFIG', 'SET', 'requirepass', '');
  const events = await temp.core.invoke('incidents.events', { id: incidentId });
  const kinds = new Set(events.filter((e) => JSON.stringify(e.payload).includes('[redacted]')).map((e) => e.kind));
  assert.deepEqual([...kinds].filter((k) => ['redis.run', 'refusal', 'confirmation'].includes(k)).sort(), [
    'confirmation',
    'redis.run',
    'refusal',
  ]);
});

test('the CLI masks too: a refused command and a SQL password', async () => {
  const refused = await runCli(temp.dataDir, [
    'redis',
    'run',
    '--profile',
    'prod-ro',
    '--incident',
    incidentId,
    '--json',
    '--',
    'CONFIG',
    'SET',
    'requirepass',
    canaries.cli,
  ]);
  assert.equal(refused.code, 1);
  assert.equal(refused.stdout.includes(canaries.cli) || refused.stderr.includes(canaries.cli), false);
  const sql = await runCli(temp.dataDir, [
    'sql',
    'run',
    '--profile',
    'prod-ro',
    '--incident',
    incidentId,
    '--json',
    `ALTER ROLE CURRENT_USER PASSWORD '${canaries.cli}'`,
  ]);
  assert.equal(sql.code, 1);
});

test('no canary byte in the data folder, the log or any export', async () => {
  const written: string[] = [];
  for (const format of ['md', 'html', 'json'] as const) {
    const path = join(exportsDir, `report.${format}`);
    await temp.core.invoke('incidents.export', { id: incidentId, format, path });
    written.push(path);
  }
  const report = readFileSync(written[2]!, 'utf8');
  assert.match(report, /\[redacted\]/, 'the export holds the masked events');
  const files = [...filesUnder(temp.dataDir), ...filesUnder(exportsDir)];
  assert.ok(
    files.some((f) => f.endsWith('opsconsole.db')) && files.some((f) => f.endsWith('opsconsole.log')),
    files.join('\n'),
  );
  const leaks: string[] = [];
  for (const file of files) {
    const bytes = readFileSync(file);
    for (const [name, canary] of Object.entries(canaries))
      if (bytes.includes(Buffer.from(canary))) leaks.push(`${name} in ${file}`);
  }
  assert.deepEqual(leaks, []);
});
