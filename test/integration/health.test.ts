import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Redis } from 'ioredis';
import pg from 'pg';
import type { HealthCheckResult, HealthRunResult } from '../../src/shared/health';
import { HealthService } from '../../src/main/health/health-service';
import {
  startPostgres,
  startRedis,
  startSshd,
  type PostgresServer,
  type RedisServer,
  type SshdServer,
} from '../harness/index';
import { PgConnectionRegistry } from '../../src/main/postgres/connection-registry';
import { RedisConnections } from '../../src/main/redis/redis-connections';
import { RedisService } from '../../src/main/redis/redis-service';
import { harnessProfile } from '../support/profiles';
import { sessionRig } from '../support/session-rig';
import { until } from '../support/until';
import { runCli } from '../support/cli';
import { tempCore, type TempCore } from '../support/temp-core';

let pgServer: PostgresServer;
let redisServer: RedisServer;
let sshd: SshdServer;
let temp: TempCore;
let admin: Redis;
const sessions: pg.Client[] = [];
const pids: Record<'holder' | 'waiter' | 'queued', number> = { holder: 0, waiter: 0, queued: 0 };
let profileId: string;
let redisOnlyId: string;

const byId = (run: HealthRunResult) =>
  Object.fromEntries(run.checks.map((c) => [c.id, c])) as Record<string, HealthCheckResult>;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const healthRedis = { redis: { username: 'health' }, secrets: { redisPassword: { set: 'health-secret' } } };
/** How many connections ACL user `health` has open, as the server lists them. */
const healthClients = async () =>
  ((await admin.call('CLIENT', 'LIST')) as string).split('\n').filter((line) => / user=health /.test(line)).length;

async function session(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: pgServer.connectionString() });
  await client.connect();
  client.on('error', () => undefined);
  sessions.push(client);
  return client;
}

before(async () => {
  [pgServer, redisServer, sshd] = await Promise.all([
    startPostgres(),
    startRedis(['--requirepass', 'admin-secret']),
    startSshd(),
  ]);
  // Redis: an ACL user that may not read the slowlog (that check must fail alone), Bull queues, a big key.
  admin = new Redis({ host: redisServer.host, port: redisServer.port, password: 'admin-secret' });
  await admin.call('ACL', 'SETUSER', 'health', 'on', '>health-secret', '~*', '&*', '+@all', '-slowlog');
  await admin.rpush('bull:emails:wait', 'j1', 'j2', 'j3');
  await admin.rpush('bull:emails:active', 'j4');
  await admin.zadd('bull:emails:delayed', 1, 'j5', 2, 'j6');
  await admin.zadd('bull:emails:failed', 1, 'j7');
  await admin.zadd('bull:emails:completed', 1, 'a', 2, 'b', 3, 'c', 4, 'd');
  await admin.set('bull:emails:id', '7');
  await admin.hset('bull:emails:j1', 'data', '{}');
  await admin.rpush('bull:reports:wait', ...Array.from({ length: 1500 }, (_, i) => `r${i}`));
  await admin.set('blob:big', 'x'.repeat(1024 * 1024));

  // Postgres: a session idle in transaction holding a row lock, and two sessions queued behind it.
  const setup = await session();
  await setup.query('CREATE TABLE items (id int PRIMARY KEY, n int)');
  await setup.query('INSERT INTO items VALUES (1, 0), (2, 0)');
  const holder = await session();
  const waiter = await session();
  const queued = await session();
  pids.holder = Number((await holder.query('SELECT pg_backend_pid() AS pid')).rows[0].pid);
  pids.waiter = Number((await waiter.query('SELECT pg_backend_pid() AS pid')).rows[0].pid);
  pids.queued = Number((await queued.query('SELECT pg_backend_pid() AS pid')).rows[0].pid);
  await holder.query('BEGIN');
  await holder.query('UPDATE items SET n = n + 1 WHERE id = 1');
  void waiter.query('UPDATE items SET n = n + 10 WHERE id = 1').catch(() => undefined);
  await sleep(200);
  void queued.query('UPDATE items SET n = n + 100 WHERE id = 1').catch(() => undefined);

  temp = tempCore({ hostKeyPrompter: { ask: async () => true } });
  // Both servers listen on 127.0.0.1 only and are reached through the SSH session.
  const saved = await temp.core.invoke('profiles.save', {
    profile: harnessProfile('staging-health', { sshd, pg: pgServer, redis: redisServer }, 'staging', healthRedis),
  });
  profileId = saved.id;
  const redisOnly = await temp.core.invoke('profiles.save', {
    profile: harnessProfile('redis-only', { sshd, redis: redisServer }, 'development', healthRedis),
  });
  redisOnlyId = redisOnly.id;
  await sleep(1200);
});
after(async () => {
  admin?.disconnect();
  await Promise.all(sessions.map((s) => s.end().catch(() => undefined)));
  await temp?.dispose();
  await Promise.all([pgServer?.stop(), redisServer?.stop(), sshd?.dispose()]);
});

test("Postgres: idle in transaction is critical with the holder's pid; the lock chain is warn, rooted at it", async () => {
  const run = await temp.core.invoke('health.run', {
    profileId,
    params: { 'pg.idle_in_transaction.minSeconds': 1, 'pg.idle_in_transaction.criticalSeconds': 1 },
  });
  const checks = byId(run);
  const idle = checks['pg.idle_in_transaction']!;
  assert.equal(idle.status, 'critical', idle.message);
  assert.deepEqual(idle.pids, [pids.holder]);
  assert.equal(idle.value, 1);
  assert.match(idle.threshold, /1 s/);

  const locks = checks['pg.blocking_locks']!;
  assert.equal(locks.status, 'warn', locks.message);
  assert.equal(locks.pids![0], pids.holder, 'the root blocker comes first');
  assert.deepEqual(new Set(locks.pids), new Set([pids.holder, pids.waiter, pids.queued]));
  assert.match(locks.message, new RegExp(`root blocker pid ${pids.holder}\\b`));
  assert.equal(locks.value, 2);

  const connections = checks['pg.connections']!;
  assert.equal(connections.status, 'ok');
  assert.ok(
    typeof connections.value === 'number' && connections.value > 0 && connections.value < 80,
    String(connections.value),
  );
  assert.match(connections.message, /idle in transaction 1/);
  const version = checks['pg.version']!;
  assert.equal(version.status, 'warn', 'a server up for seconds reads as a recent restart');
  assert.match(String(version.value), /^\d+/);
  assert.match(version.message, /^PostgreSQL \d+.* \(primary\), up \d/);
  assert.match(
    version.message,
    /cannot see other roles' sessions.*GRANT pg_monitor/,
    'the ops user is not a member of pg_read_all_stats',
  );
});

test('a check that cannot run (no pg_stat_statements, a Redis command the ACL user lacks) is error with its reason; the others still report', async () => {
  const run = await temp.core.invoke('health.run', { profileId });
  const checks = byId(run);
  assert.equal(checks['pg.top_queries']!.status, 'error');
  assert.match(
    checks['pg.top_queries']!.message,
    /pg_stat_statements is not available here.*CREATE EXTENSION pg_stat_statements/,
  );
  assert.equal(checks['redis.slowlog']!.status, 'error');
  assert.match(checks['redis.slowlog']!.message, /NOPERM/);
  const others = run.checks.filter((c) => !['pg.top_queries', 'redis.slowlog'].includes(c.id));
  assert.deepEqual(
    others.filter((c) => c.status === 'error').map((c) => `${c.id}: ${c.message}`),
    [],
  );
  assert.equal(run.checks.length, 20, 'every Postgres and Redis check, in order');
  assert.deepEqual(run.checks.map((c) => c.id).slice(0, 2), ['pg.version', 'pg.connections']);
});

test('Redis through SSH only: Bull queue depths for lists and sorted sets, a big key found by SCAN', async () => {
  const run = await temp.core.invoke('health.run', {
    profileId: redisOnlyId,
    params: { 'redis.big_keys.warnMb': 0.5 },
  });
  assert.ok(run.checks.every((c) => c.target === 'redis'));
  const checks = byId(run);
  const queues = checks['redis.queues']!;
  assert.equal(queues.status, 'warn', queues.message);
  assert.equal(queues.value, 1500);
  assert.match(queues.message, /emails: wait 3 · active 1 · delayed 2 · failed 1 · completed 4/);
  assert.match(queues.message, /reports: wait 1500/);
  assert.deepEqual(queues.details?.rows, [
    ['emails', 3, 1, 2, 1, 4],
    ['reports', 1500, 0, 0, 0, 0],
  ]);
  const big = checks['redis.big_keys']!;
  assert.equal(big.status, 'warn', big.message);
  assert.equal(big.details?.rows[0]?.[0], 'blob:big');
  assert.equal(big.details?.rows[0]?.[1], 'string');
  assert.match(big.message, /all \d+ keys/);
  assert.equal(checks['redis.ping']!.status, 'ok');
  assert.equal(typeof checks['redis.ping']!.value, 'number');
  assert.equal(checks['redis.keyspace']!.value, 9);
  // The Redis connection went through the SSH session: it dies with it.
  const before = await healthClients();
  await temp.core.invoke('sessions.disconnect', { profileId: redisOnlyId });
  await until('the Redis connection to close with the session', async () => (await healthClients()) === before - 1);
});

test('re-running one check; a check that hangs times out alone while the others answer', async (t) => {
  const one = await temp.core.invoke('health.run', { profileId, ids: ['redis.queues'] });
  assert.deepEqual(
    one.checks.map((c) => c.id),
    ['redis.queues'],
  );
  await assert.rejects(temp.core.invoke('health.run', { profileId, ids: ['pg.nope'] }), /no check "pg.nope"/);
  await assert.rejects(
    temp.core.invoke('health.run', { profileId: redisOnlyId, ids: ['pg.version'] }),
    /does not have/,
  );
  await assert.rejects(
    temp.core.invoke('health.run', { profileId, params: { 'pg.version.nope': 1 } }),
    /not a check parameter/,
  );

  // Checks of the test's own: the service is built alone, over its own store and sessions.
  const rig = sessionRig();
  t.after(() => rig.dispose());
  const { id } = rig.saveProfile(
    harnessProfile('staging-health', { sshd, pg: pgServer, redis: redisServer }, 'staging', healthRedis),
  );
  const base = { threshold: () => 'test', meaning: 'm', next: 'n', numeric: false, params: {} };
  const service = new HealthService({
    profiles: rig.profiles,
    pg: rig.own(new PgConnectionRegistry(rig.profiles, rig.sessions)),
    redis: new RedisService(rig.own(new RedisConnections(rig.profiles, rig.sessions))),
    checks: [
      {
        ...base,
        id: 'pg.slow',
        title: 'slow',
        target: 'pg',
        sql: 'SELECT pg_sleep(5)',
        evaluate: () => ({ status: 'ok', value: 1, message: 'slept' }),
      },
      {
        ...base,
        id: 'pg.fast',
        title: 'fast',
        target: 'pg',
        sql: 'SELECT 41 + 1 AS n',
        evaluate: ([row]) => ({ status: 'ok', value: Number(row!.n), message: 'fast' }),
      },
      {
        ...base,
        id: 'pg.write',
        title: 'write',
        target: 'pg',
        sql: 'CREATE TABLE health_was_here (id int)',
        evaluate: () => ({ status: 'ok', value: 1, message: 'wrote' }),
      },
      {
        ...base,
        id: 'redis.hang',
        title: 'hang',
        target: 'redis',
        commands: '-',
        run: () => new Promise(() => undefined),
      },
      {
        ...base,
        id: 'redis.fast',
        title: 'fast',
        target: 'redis',
        commands: 'PING',
        run: async (r) => ({ status: 'ok', value: String(await r.call('PING')), message: 'pong' }),
      },
    ],
  });
  const started = performance.now();
  const run = await service.run({ profileId: id, timeoutMs: 1000 });
  assert.ok(performance.now() - started < 3000, `took ${performance.now() - started} ms`);
  const checks = byId(run);
  assert.equal(checks['pg.slow']!.status, 'error');
  assert.match(checks['pg.slow']!.message, /Timed out/);
  assert.equal(checks['redis.hang']!.status, 'error');
  assert.match(checks['redis.hang']!.message, /Timed out: no answer within 1 s/);
  assert.deepEqual([checks['pg.fast']!.value, checks['redis.fast']!.value], [42, 'PONG']);
  assert.equal(checks['pg.write']!.status, 'error', 'checks run read-only');
  assert.match(checks['pg.write']!.message, /read-only transaction/);
});

test('Postgres refusing the login fails only the Postgres checks, each saying why; Redis checks still report', async () => {
  const view = await temp.core.invoke('profiles.get', { id: profileId });
  const wrong = await temp.core.invoke('profiles.save', {
    profile: {
      name: 'wrong-pg',
      environment: 'staging',
      ssh: view.ssh,
      postgres: view.postgres,
      redis: view.redis,
      secrets: { pgPassword: { set: 'not-the-password' }, redisPassword: { set: 'health-secret' } },
    },
  });
  const run = await temp.core.invoke('health.run', { profileId: wrong.id });
  const pgChecks = run.checks.filter((c) => c.target === 'pg');
  assert.equal(pgChecks.length, 11);
  for (const check of pgChecks) {
    assert.equal(check.status, 'error', check.id);
    assert.match(check.message, /refused the connection: password authentication failed for user "ops"/, check.id);
  }
  assert.deepEqual(
    run.checks.filter((c) => c.target === 'redis' && c.id !== 'redis.slowlog' && c.status === 'error').map((c) => c.id),
    [],
  );
});

test('opsconsole health --json: exactly the documented shape, exit 1 when a check is critical', async () => {
  const trust = ['--trust-host-key', sshd.hostKeyFingerprint];
  const critical = await runCli(temp.dataDir, [
    'health',
    '--profile',
    'staging-health',
    '--set',
    'pg.idle_in_transaction.minSeconds=1',
    '--set',
    'pg.idle_in_transaction.criticalSeconds=1',
    '--json',
    ...trust,
  ]);
  assert.equal(critical.code, 1, critical.stderr);
  const doc = critical.json<{ checks: Record<string, unknown>[] }>();
  assert.deepEqual(Object.keys(doc), ['checks']);
  for (const check of doc.checks)
    assert.deepEqual(Object.keys(check), ['id', 'status', 'value', 'threshold', 'message']);
  const idle = doc.checks.find((c) => c.id === 'pg.idle_in_transaction')!;
  assert.equal(idle.status, 'critical');
  assert.match(String(idle.message), new RegExp(`pid ${pids.holder}`));

  const calm = await runCli(temp.dataDir, [
    'health',
    '--profile',
    'redis-only',
    '--check',
    'redis.ping',
    '--check',
    'redis.queues',
    '--json',
    ...trust,
  ]);
  assert.equal(calm.code, 0, calm.stderr);
  assert.deepEqual(
    calm.json<{ checks: { id: string; status: string }[] }>().checks.map((c) => [c.id, c.status]),
    [
      ['redis.ping', 'ok'],
      ['redis.queues', 'warn'],
    ],
  );
  const bad = await runCli(temp.dataDir, ['health', '--profile', 'redis-only', '--set', 'oops', '--json']);
  assert.equal(bad.code, 2);
  assert.match(bad.stdout, /CHECK\.PARAM=NUMBER/);
});
