import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { builtinCommandTable } from '../../src/main/redis/builtin-command-table';
import { knownBlockingCommands } from '../../src/main/redis/blocking-timeout';
import type { CommandTable } from '../../src/main/redis/command-table';
import { fetchCommandTable } from '../../src/main/redis/live-command-table';
import type { RedisRunResult } from '../../src/shared/contract';
import { startRedis, type RedisServer } from '../harness/index';
import { tempCore, type TempCore } from '../support/temp-core';

let server: RedisServer;
let admin: Redis;
let temp: TempCore;
let profileId: string;

before(async () => {
  server = await startRedis();
  admin = new Redis({ host: server.host, port: server.port, maxRetriesPerRequest: 1 });
  temp = tempCore();
  profileId = (
    await temp.core.invoke('profiles.save', {
      profile: { name: 'staging', environment: 'staging', redis: { host: '127.0.0.1', port: server.port } },
    })
  ).id;
});
after(async () => {
  admin?.disconnect();
  await temp?.dispose();
  await server?.stop();
});

/** The run, or a failure after `ms`: a command that hangs the shared client fails the test instead of hanging it. */
async function runWithin(argv: string[], ms: number, confirm?: { typedName?: string }): Promise<RedisRunResult> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${argv.join(' ')} did not answer within ${ms} ms`)), ms);
  });
  const run = temp.core.invoke('redis.run', { profileId, argv, ...(confirm ? { confirm } : {}) });
  return Promise.race([run, hang]).finally(() => clearTimeout(timer));
}

/** How many times the server ran `command` (INFO commandstats, read on a client of the test's own). */
async function calls(command: string): Promise<number> {
  const stats = String(await admin.call('INFO', 'commandstats'));
  return Number(stats.match(new RegExp(`cmdstat_${command}:calls=(\\d+)`))?.[1] ?? 0);
}

describe('blocking commands on the shared client', () => {
  test('an unbounded or too long block is refused before it is sent; the next PING answers at once', async () => {
    const refused: [string[], RegExp][] = [
      [['XREAD', 'BLOCK', '0', 'STREAMS', 's', '$'], /at most 60000 \(milliseconds\)/],
      [['XREAD', 'BLOCK', '100', 'BLOCK', '0', 'STREAMS', 's', '$'], /at most 60000/],
      [['WAIT', '1', '0'], /at most 60000 \(milliseconds\)/],
      [['WAIT', '1', '999999999'], /at most 60000/],
      [['BLPOP', 'q', '0'], /at most 60 \(seconds\)/],
      [['BLPOP', 'q', '61'], /at most 60 \(seconds\)/],
    ];
    for (const [argv, advice] of refused) {
      const result = await runWithin(argv, 3000, { typedName: 'staging' });
      assert.equal(result.outcome, 'refused', argv.join(' '));
      assert.ok(
        result.reasons.some((r) => r.startsWith('unbounded_block')),
        result.reasons.join(', '),
      );
      assert.match(result.message ?? '', advice);
      const started = performance.now();
      assert.deepEqual((await runWithin(['PING'], 1000)).reply, { type: 'string', value: 'PONG' });
      assert.ok(performance.now() - started < 1000);
    }
    assert.deepEqual([await calls('xread'), await calls('wait'), await calls('blpop')], [0, 0, 0], 'nothing was sent');
    const nothingToWaitFor = await runWithin(['WAIT', '0', '0'], 1000);
    assert.deepEqual([nothingToWaitFor.outcome, nothingToWaitFor.reply], ['ok', { type: 'integer', value: 0 }]);
  });

  test('a bounded XREAD BLOCK answers when its block ends, and the shared client answers after it', async () => {
    const started = performance.now();
    const result = await runWithin(['XREAD', 'BLOCK', '500', 'STREAMS', 's', '$'], 2000);
    assert.equal(result.outcome, 'ok');
    assert.deepEqual(result.reply, { type: 'nil' });
    assert.ok(performance.now() - started < 1500);
    assert.deepEqual((await runWithin(['PING'], 1000)).reply, { type: 'string', value: 'PONG' });
    assert.equal(await calls('xread'), 1);
  });

  test('every command the server or the built-in table flags blocking has a known timeout', async () => {
    const blocking = (table: CommandTable) =>
      [...table.commands.values()].filter((meta) => meta.flags.includes('blocking')).map((meta) => meta.name);
    const live = await fetchCommandTable(admin);
    const missing = [...blocking(live), ...blocking(builtinCommandTable())].filter(
      (name) => !knownBlockingCommands.has(name),
    );
    assert.deepEqual(missing, []);
  });
});

describe('SCAN with a huge COUNT, a KEYS in one call', () => {
  test('COUNT 100 runs as a read; COUNT 100000000 asks first (with a bounded SCAN to use) and nothing is sent', async () => {
    await admin.mset('scan:1', 'a', 'scan:2', 'b');
    await admin.hset('scan:h', 'f', 'v');
    const small = await runWithin(['SCAN', '0', 'COUNT', '100'], 2000);
    assert.deepEqual([small.outcome, small.risk], ['ok', 'read']);
    const before = await calls('scan');
    const huge = await runWithin(['SCAN', '0', 'MATCH', 'scan:*', 'COUNT', '100000000'], 2000);
    assert.deepEqual([huge.outcome, huge.risk], ['confirmation_required', 'dangerous']);
    assert.ok(huge.reasons.includes('scan_count_too_large:SCAN'), huge.reasons.join(', '));
    assert.deepEqual(huge.suggestion, ['SCAN', '0', 'MATCH', 'scan:*', 'COUNT', '1000']);
    assert.equal(await calls('scan'), before, 'nothing was sent before the confirmation');
    const field = await runWithin(['HSCAN', 'scan:h', '0', 'COUNT', '10', 'COUNT', '20000'], 2000);
    assert.deepEqual([field.outcome, field.risk], ['confirmation_required', 'dangerous'], 'the last COUNT counts');
    assert.equal(await calls('hscan'), 0);
    const confirmed = await runWithin(['SCAN', '0', 'MATCH', 'scan:*', 'COUNT', '100000000'], 2000, {});
    assert.equal(confirmed.outcome, 'ok', 'a confirmed one runs');
  });
});
