import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { classifyRedis } from '../../src/main/redis/classify';
import type { CommandMeta, CommandTable } from '../../src/main/redis/command-table';
import { fetchCommandTable } from '../../src/main/redis/live-command-table';
import { reviewedCategories, reviewedCommands } from '../../src/main/redis/reviewed-commands';
import type { RedisRunResult } from '../../src/shared/contract';
import { startRedis, type RedisServer } from '../harness/index';
import { runCli } from '../support/cli';
import { tempCore, type TempCore } from '../support/temp-core';

let server: RedisServer;
let admin: Redis;
let live: CommandTable;
let temp: TempCore;
const ids: Record<string, string> = {};

before(async () => {
  server = await startRedis();
  admin = new Redis({ host: server.host, port: server.port, lazyConnect: true, maxRetriesPerRequest: 1 });
  await admin.connect();
  live = await fetchCommandTable(admin);
  await admin.call(
    'ACL',
    'SETUSER',
    'restricted',
    'on',
    '>restricted-pw',
    '~*',
    '&*',
    '+@all',
    '-@dangerous',
    '-command',
  );
  await admin.select(2);
  await admin.set('where', 'db2');
  await admin.select(0);
  await admin.set('where', 'db0');
  temp = tempCore();
  const redis = { host: '127.0.0.1', port: server.port };
  const profiles = [
    ['prod-ro', { environment: 'production', safety: 'read-only', redis: { ...redis, db: 2 } }],
    ['staging', { environment: 'staging', redis: { ...redis, db: 2 } }],
    [
      'restricted',
      {
        environment: 'staging',
        redis: { ...redis, username: 'restricted' },
        secrets: { redisPassword: { set: 'restricted-pw' } },
      },
    ],
  ] as const;
  for (const [name, profile] of profiles)
    ids[name] = (await temp.core.invoke('profiles.save', { profile: { name, ...profile } as never })).id;
});
after(async () => {
  admin?.disconnect();
  await temp?.dispose();
  await server?.stop();
});

/** Every command and subcommand of a table with its metadata. */
function everyCommand(table: CommandTable): CommandMeta[] {
  return [...table.commands.values()].flatMap((meta) => [meta, ...(meta.subcommands?.values() ?? [])]);
}

const run = (profile: string, argv: string[], confirm?: { typedName?: string }) =>
  temp.core.invoke('redis.run', { profileId: ids[profile]!, argv, ...(confirm ? { confirm } : {}) });

describe('the reviewed table against the live server', () => {
  test('every @admin, @dangerous, @connection, @scripting, @transaction and @pubsub command of the server is reviewed', () => {
    const special = everyCommand(live).filter((meta) => meta.categories.some((c) => reviewedCategories.includes(c)));
    assert.ok(
      special.filter((meta) => meta.categories.includes('admin')).length > 50,
      'the harness server lists its admin commands',
    );
    const missing = special.filter((meta) => !reviewedCommands.has(meta.name));
    assert.deepEqual(
      missing.map((meta) => `${meta.name} [${meta.categories.join(' ')}]`),
      [],
    );
  });

  test('the gate per kind holds for every command of the server', () => {
    const gated = ['write', 'dangerous', 'unknown'];
    for (const meta of everyCommand(live)) {
      const argv = meta.name.split('|');
      const verdict = classifyRedis(argv, live);
      const kind = reviewedCommands.get(meta.name);
      const where = `${meta.name}: ${verdict.risk} [${verdict.reasons.join(', ')}]`;
      if (kind === 'connection')
        assert.ok(
          verdict.reasons.some((r) => r.startsWith('connection_state')),
          where,
        );
      else if (kind === 'script') assert.ok(verdict.reasons.includes('script') && gated.includes(verdict.risk), where);
      else if (kind === 'changes') assert.equal(verdict.risk, 'dangerous', where);
      else if (kind === 'reads') assert.ok(['read', 'admin'].includes(verdict.risk), where);
      else if (meta.flags.includes('write') || meta.categories.includes('write') || /^s?publish$/.test(meta.name))
        assert.ok(gated.includes(verdict.risk), where);
      else if (meta.subcommands?.size)
        continue; // a container alone: the server asks for a subcommand
      else assert.ok(['read', 'dangerous'].includes(verdict.risk), where);
    }
  });

  test('what stays ungated is explicit: diagnostics read or admin, never gated', () => {
    const ungated = [
      'PING',
      'INFO',
      'INFO memory',
      'SLOWLOG GET 10',
      'SLOWLOG LEN',
      'MEMORY USAGE k',
      'MEMORY STATS',
      'CLIENT LIST',
      'CLIENT INFO',
      'CONFIG GET maxmemory-policy',
      'CONFIG GET *',
      'LATENCY LATEST',
      'LATENCY DOCTOR',
      'ACL WHOAMI',
      'ACL LIST',
      'ACL LOG',
      'ROLE',
      'LASTSAVE',
      'DBSIZE',
      'TIME',
      'COMMAND COUNT',
      'FUNCTION LIST',
      'PUBSUB CHANNELS',
      'WAIT 0 0',
    ];
    for (const line of ungated) {
      const verdict = classifyRedis(line.split(' '), live);
      assert.ok(['read', 'admin'].includes(verdict.risk), `${line}: ${verdict.risk} [${verdict.reasons}]`);
    }
  });
});

describe('a read-only production profile', () => {
  test('ACL SETUSER, CONFIG SET and EVAL_RO are refused with the reason and the server is unchanged', async () => {
    const usersBefore = await admin.call('ACL', 'USERS');
    const maxmemoryBefore = await admin.call('CONFIG', 'GET', 'maxmemory');
    const attempts = [
      ['ACL', 'SETUSER', 'mallory', 'on', '>mallory-pw', '+@all', '~*'],
      ['CONFIG', 'SET', 'maxmemory', '12345678'],
      ['EVAL_RO', "redis.call('get','where') while true do end", '0'],
      ['FCALL_RO', 'f', '0'],
      ['BGSAVE'],
      ['SLOWLOG', 'RESET'],
      ['CLIENT', 'NO-EVICT', 'on'],
    ];
    for (const argv of attempts) {
      const result = await run('prod-ro', argv, { typedName: 'prod-ro' });
      assert.equal(result.outcome, 'refused', argv.join(' '));
      assert.match(result.message ?? '', /read-only|connection/, argv.join(' '));
    }
    assert.deepEqual(await admin.call('ACL', 'USERS'), usersBefore);
    assert.deepEqual(await admin.call('CONFIG', 'GET', 'maxmemory'), maxmemoryBefore);
  });

  test('cluster, persistence, monitor and reset admin commands never reach the server, confirmed or not (INFO commandstats)', async () => {
    const lines = [
      'CLUSTER REPLICATE abc',
      'CLUSTER FLUSHSLOTS',
      'CLUSTER FORGET abc',
      'CLUSTER MEET 127.0.0.1 1',
      'CLUSTER SETSLOT 1 STABLE',
      'BGSAVE',
      'BGREWRITEAOF',
      'MONITOR',
      'SLOWLOG RESET',
      'LATENCY RESET',
      'CLIENT NO-EVICT on',
      'CONFIG RESETSTAT',
      'ACL DELUSER default',
      'SHUTDOWN NOSAVE',
      'FUNCTION FLUSH',
      'SCRIPT FLUSH',
      'FCALL f 0',
      'EVALSHA_RO abc 0',
    ];
    for (const line of lines) {
      for (const confirm of [undefined, { typedName: 'prod-ro' }])
        assert.equal((await run('prod-ro', line.split(' '), confirm)).outcome, 'refused', line);
    }
    const stats = String(await admin.call('INFO', 'commandstats'));
    const reached = lines
      .map((line) => line.split(' ').slice(0, 2).join('|').toLowerCase())
      .filter((name) => stats.includes(`cmdstat_${name}:`) || stats.includes(`cmdstat_${name.split('|')[0]}:`));
    assert.deepEqual(
      reached.filter((name) => !name.startsWith('acl|') && !name.startsWith('config|')),
      [],
    );
    assert.doesNotMatch(stats, /cmdstat_acl\|deluser|cmdstat_config\|resetstat|cmdstat_slowlog\|reset/);
  });

  test('PING, GET, INFO and CONFIG GET maxmemory-policy still answer', async () => {
    assert.deepEqual((await run('prod-ro', ['PING'])).reply, { type: 'string', value: 'PONG' });
    assert.deepEqual((await run('prod-ro', ['GET', 'where'])).reply, { type: 'string', value: 'db2' });
    const info = await run('prod-ro', ['INFO', 'server']);
    assert.equal(info.outcome, 'ok');
    assert.match(info.reply?.type === 'string' ? info.reply.value : '', /redis_version/);
    const policy = await run('prod-ro', ['CONFIG', 'GET', 'maxmemory-policy']);
    assert.equal(policy.outcome, 'ok');
    assert.deepEqual(policy.reply, {
      type: 'array',
      items: [
        { type: 'string', value: 'maxmemory-policy' },
        { type: 'string', value: 'noeviction' },
      ],
      total: 2,
    });
  });

  test('the CLI exits 1 with the reason; reads exit 0', async () => {
    for (const argv of [
      ['ACL', 'SETUSER', 'mallory', 'on', '>pw', '+@all'],
      ['CONFIG', 'SET', 'maxmemory', '1'],
      ['EVAL_RO', 'return 1', '0'],
    ]) {
      const cli = await runCli(temp.dataDir, [
        'redis',
        'run',
        '--profile',
        'prod-ro',
        '--confirm',
        'prod-ro',
        '--json',
        '--',
        ...argv,
      ]);
      assert.equal(cli.code, 1, cli.stderr);
      assert.equal(cli.json<{ outcome: string }>().outcome, 'refused');
      assert.match(cli.stderr, /read-only/);
    }
    const ping = await runCli(temp.dataDir, [
      'redis',
      'run',
      '--profile',
      'prod-ro',
      '--json',
      '--',
      'CONFIG',
      'GET',
      'maxmemory-policy',
    ]);
    assert.equal(ping.code, 0, ping.stderr);
    assert.equal(((await admin.call('ACL', 'USERS')) as string[]).includes('mallory'), false);
  });
});

describe('the shared client', () => {
  test("SELECT 1 is refused even confirmed; later commands still run on the profile's database", async () => {
    for (const confirm of [undefined, { typedName: 'staging' }, {}]) {
      const select = await run('staging', ['SELECT', '0'], confirm);
      assert.equal(select.outcome, 'refused');
      assert.match(select.message ?? '', /SELECT changes the state of the connection.*db 2/);
    }
    for (const argv of [
      ['AUTH', 'x'],
      ['HELLO', '3'],
      ['RESET'],
      ['CLIENT', 'REPLY', 'OFF'],
      ['MULTI'],
      ['SUBSCRIBE', 'news'],
      ['MONITOR'],
    ]) {
      assert.equal((await run('staging', argv, { typedName: 'staging' })).outcome, 'refused', argv.join(' '));
    }
    assert.deepEqual((await run('staging', ['GET', 'where'])).reply, { type: 'string', value: 'db2' });
    const set = await run('staging', ['SET', 'written', 'yes'], {});
    assert.equal(set.outcome, 'ok');
    await admin.select(2);
    assert.equal(await admin.get('written'), 'yes', 'the confirmed write went to db 2');
    await admin.select(0);
    assert.equal(await admin.get('written'), null);
  });

  test('an unknown subcommand asks first instead of running as a read', async () => {
    const result = await run('staging', ['CONFIG', 'NOSUCH']);
    assert.deepEqual(
      [result.outcome, result.risk, result.reasons],
      ['confirmation_required', 'unknown', ['unknown_subcommand:CONFIG NOSUCH']],
    );
  });
});

describe('a restricted ACL user (-@dangerous, no COMMAND)', () => {
  test('works from the built-in table with a notice', async () => {
    const get: RedisRunResult = await run('restricted', ['GET', 'where']);
    assert.deepEqual(get.reply, { type: 'string', value: 'db0' });
    assert.match(get.notice ?? '', /refused COMMAND.*built-in Redis 7 table.*\+command/);
    const flush = await run('restricted', ['FLUSHALL']);
    assert.equal(flush.outcome, 'confirmation_required', 'still gated from the built-in table');
    const cli = await runCli(temp.dataDir, ['redis', 'run', '--profile', 'restricted', '--json', '--', 'GET', 'where']);
    assert.equal(cli.code, 0, cli.stderr);
    assert.match(cli.stderr, /built-in Redis 7 table/);
  });
});
