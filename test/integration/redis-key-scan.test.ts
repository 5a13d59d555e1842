import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Redis } from 'ioredis';
import { startRedis, type RedisServer } from '../harness/index';
import { biggestKeys, memoryUsages, scanKeys } from '../../src/main/redis/key-scan';

// The keyspace walk the big-key check and the Redis browser share, against a real Redis 7.

let server: RedisServer;
let redis: Redis;
const keyCount = 5000;

before(async () => {
  server = await startRedis();
  redis = new Redis({ host: server.host, port: server.port });
  const pipeline = redis.pipeline();
  for (let i = 0; i < keyCount; i++) pipeline.set(`k:${i}`, 'x'.repeat(i % 100));
  pipeline.set('big:one', 'y'.repeat(200_000));
  pipeline.rpush('big:list', ...Array.from({ length: 5000 }, (_, i) => `item-${i}`));
  await pipeline.exec();
});
after(async () => {
  redis.disconnect();
  await server.stop();
});

test('a whole walk sees every key once and names the biggest', async () => {
  const seen = new Set<string>();
  const walk = await scanKeys(redis, { deadline: Date.now() + 60_000 }, async (keys) =>
    keys.forEach((k) => seen.add(k)),
  );
  assert.equal(walk.complete, true);
  assert.equal(walk.cursor, '0');
  assert.equal(seen.size, keyCount + 2);
  const { top } = await biggestKeys(redis, { deadline: Date.now() + 60_000 }, 3);
  assert.deepEqual(
    top.map((t) => t.key),
    ['big:one', 'big:list', top[2]!.key],
  );
  assert.ok(top[0]!.bytes > 200_000, `big:one is ${top[0]!.bytes} bytes`);
});

test('pipelined sizes equal one MEMORY USAGE per key; a missing key is null', async () => {
  const keys = ['k:1', 'k:99', 'big:one', 'no:such:key'];
  const piped = await memoryUsages(redis, keys);
  const oneByOne = await memoryUsages({ call: (...args) => redis.call(...(args as [string, ...string[]])) }, keys);
  assert.deepEqual(piped, oneByOne);
  assert.equal(piped[3], null);
  assert.ok(piped.slice(0, 3).every((n) => typeof n === 'number' && n > 0));
});

test('a paused walk resumes from its cursor and the two halves cover the keyspace', async () => {
  const seen = new Set<string>();
  let batches = 0;
  const first = await scanKeys(
    redis,
    { deadline: Date.now() + 60_000, shouldPause: () => batches >= 2 },
    async (keys) => {
      batches++;
      keys.forEach((k) => seen.add(k));
    },
  );
  assert.equal(first.complete, false);
  assert.notEqual(first.cursor, '0');
  assert.ok(first.scanned < keyCount, `paused after ${first.scanned} keys`);
  const rest = await scanKeys(redis, { deadline: Date.now() + 60_000, cursor: first.cursor }, async (keys) =>
    keys.forEach((k) => seen.add(k)),
  );
  assert.equal(rest.complete, true);
  assert.equal(seen.size, keyCount + 2);
});

test('a deadline already past sends no SCAN after the first and reports the walk incomplete', async () => {
  const sent: string[] = [];
  const counting = {
    call: (command: string, ...args: (string | number)[]) => (
      sent.push(command),
      redis.call(command, ...args.map(String))
    ),
  };
  const walk = await scanKeys(counting, { deadline: Date.now() - 1 }, async () => undefined);
  assert.equal(walk.complete, false);
  assert.deepEqual(sent, ['SCAN']);
  assert.ok(walk.scanned > 0 && walk.scanned < keyCount);
});

test("the next batches' visits start while earlier ones wait for their replies, never more than three at once", async () => {
  let running = 0;
  let most = 0;
  let seen = 0;
  const walk = await scanKeys(redis, { deadline: Date.now() + 60_000 }, async (keys) => {
    most = Math.max(most, ++running);
    await memoryUsages(redis, keys); // the visit's own round trip, as the big-key check makes it
    // Held a little longer than the round trip, so the walk has time to start every visit it may
    // while this one waits: on a fast loopback the replies could otherwise come back before the
    // third batch is even scanned, and the cap would not be reached, let alone tested.
    await new Promise((resolve) => setTimeout(resolve, 25));
    seen += keys.length;
    running--;
  });
  assert.equal(walk.complete, true);
  assert.equal(seen, keyCount + 2, 'every batch was visited to its end');
  assert.equal(most, 3);
});

test('a visit that fails fails the walk, with its own error', async () => {
  let visits = 0;
  await assert.rejects(
    scanKeys(redis, { deadline: Date.now() + 60_000 }, async () => {
      if (++visits === 2) throw new Error('visit broke');
    }),
    /visit broke/,
  );
});
