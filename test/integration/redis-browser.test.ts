import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Redis } from 'ioredis';
import type { RedisEdit, RedisKeyEntry, RedisRunResult } from '../../src/shared/contract';
import { quoteRedisBytes } from '../../src/shared/redis-bytes';
import { startRedis, type RedisServer } from '../harness/index';
import { runCli } from '../support/cli';
import { tempCore, type TempCore } from '../support/temp-core';

let server: RedisServer;
let admin: Redis;
let temp: TempCore;
const ids: Record<string, string> = {};
const allBytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
// 50,000 fields by default; OPSCONSOLE_TEST_HUGE_HASH=1 pages a hash of 5 M fields (minutes of seeding: never in npm test).
const hashFields = Number(process.env.OPSCONSOLE_TEST_HUGE_HASH ? 5_000_000 : 50_000);

before(async () => {
  server = await startRedis();
  admin = new Redis({ host: server.host, port: server.port });
  // An ACL user that may read keys but not run MEMORY, INFO, DEBUG or SLOWLOG.
  await admin.call(
    'ACL',
    'SETUSER',
    'narrow',
    'on',
    '>narrow-pw',
    '~*',
    '+@read',
    '+@write',
    '+@keyspace',
    '+scan',
    '+type',
    '+ping',
    '+hello',
    '+command',
    '-memory',
    '-info',
    '-debug',
    '-slowlog',
    '-object',
  );
  for (let start = 0; start < hashFields; start += 10_000) {
    const args: string[] = [];
    for (let i = start; i < Math.min(start + 10_000, hashFields); i++) args.push(`field:${i}`, `value ${i}`);
    await admin.hset('big:hash', ...args);
  }
  await admin.set(Buffer.from('line\nbreak:\x01ctl'), 'with control bytes');
  await admin.set(Buffer.from([0x62, 0x69, 0x6e, 0x3a, 0xff, 0x00, 0xfe]), allBytes);
  await admin.set('cache:user:1', '{"id":1}', 'EX', 3600);
  temp = tempCore();
  const redis = { host: '127.0.0.1', port: server.port };
  ids.staging = (
    await temp.core.invoke('profiles.save', { profile: { name: 'staging', environment: 'staging', redis } as never })
  ).id;
  ids.prod = (
    await temp.core.invoke('profiles.save', { profile: { name: 'prod-eu', environment: 'production', redis } as never })
  ).id;
  ids.narrow = (
    await temp.core.invoke('profiles.save', {
      profile: {
        name: 'narrow',
        environment: 'staging',
        redis: { ...redis, username: 'narrow' },
        secrets: { redisPassword: { set: 'narrow-pw' } },
      } as never,
    })
  ).id;
});
after(async () => {
  admin?.disconnect();
  await temp?.dispose();
  await server?.stop();
});

async function allKeys(profileId: string, match?: string): Promise<RedisKeyEntry[]> {
  const keys: RedisKeyEntry[] = [];
  let cursor = '0';
  do {
    const page = await temp.core.invoke('redis.scan', {
      profileId,
      cursor,
      ...(match ? { match } : {}),
      pageSize: 100,
    });
    keys.push(...page.keys);
    cursor = page.cursor;
  } while (cursor !== '0');
  return keys;
}

test('SCAN pages list keys with type and TTL; binary and control-byte keys are escaped and addressed by their exact bytes', async () => {
  const keys = await allKeys(ids.staging!);
  const byText = new Map(keys.map((k) => [k.key.text, k]));
  assert.equal(byText.get('big:hash')?.type, 'hash');
  assert.equal(byText.get('big:hash')?.ttlMs, -1);
  assert.ok(byText.get('cache:user:1')!.ttlMs > 3_590_000, 'TTL in ms');
  const control = byText.get('line\\nbreak:\\x01ctl');
  assert.ok(control, `control-byte key shown escaped: ${[...byText.keys()].join(', ')}`);
  assert.equal(control.key.binary, true);
  const binary = keys.find((k) => k.key.text === 'bin:\\xff\\x00\\xfe');
  assert.ok(binary, 'binary key shown as \\xHH');
  const facts = await temp.core.invoke('redis.keyFacts', { profileId: ids.staging!, key: binary.key.b64 });
  assert.equal(facts.type, 'string');
  assert.equal(facts.length, 256);
  const value = await temp.core.invoke('redis.value', { profileId: ids.staging!, key: binary.key.b64 });
  assert.equal(value.string?.binary, true);
  assert.deepEqual(Buffer.from(value.string!.b64, 'base64'), allBytes, 'the exact bytes come back');
  const typed = await temp.core.invoke('redis.scan', {
    profileId: ids.staging!,
    cursor: '0',
    type: 'hash',
    pageSize: 500,
  });
  assert.ok(typed.keys.every((k) => k.type === 'hash'));
});

test(`a hash of ${hashFields} fields is read a page at a time by HSCAN, never whole`, async () => {
  const [entry] = (await allKeys(ids.staging!, 'big:*')).filter((k) => k.key.text === 'big:hash');
  const first = await temp.core.invoke('redis.value', { profileId: ids.staging!, key: entry!.key.b64, count: 200 });
  assert.equal(first.type, 'hash');
  assert.equal(first.length, hashFields);
  assert.ok(first.items.length > 0 && first.items.length < 1000, `one page, got ${first.items.length}`);
  assert.ok(first.next, 'a cursor for the next page');
  const second = await temp.core.invoke('redis.value', {
    profileId: ids.staging!,
    key: entry!.key.b64,
    count: 200,
    from: first.next!,
  });
  assert.ok(second.items.length > 0);
  const item = first.items[0]!;
  assert.match(item.field!.text, /^field:\d+$/);
  assert.equal(item.value.text, `value ${item.field!.text.slice(6)}`);
});

test('a TTL change goes through the gate: production asks for the typed name, then the TTL is set', async () => {
  const key = Buffer.from('cache:user:1').toString('base64');
  const asked = await temp.core.invoke('redis.edit', {
    profileId: ids.prod!,
    key,
    edit: { op: 'expire', seconds: 120 },
  });
  assert.equal(asked.outcome, 'confirmation_required');
  assert.equal(asked.confirmation?.policy, 'type-profile-name');
  assert.ok((await admin.ttl('cache:user:1')) > 3000, 'nothing sent before confirmation');
  const wrong = await temp.core.invoke('redis.edit', {
    profileId: ids.prod!,
    key,
    edit: { op: 'expire', seconds: 120 },
    confirm: { typedName: 'prod' },
  });
  assert.equal(wrong.outcome, 'refused');
  const done = await temp.core.invoke('redis.edit', {
    profileId: ids.prod!,
    key,
    edit: { op: 'expire', seconds: 120 },
    confirm: { typedName: 'prod-eu' },
  });
  assert.equal(done.outcome, 'ok');
  assert.ok((await admin.ttl('cache:user:1')) <= 120);
  await assert.rejects(
    temp.core.invoke('redis.edit', { profileId: ids.staging!, key: 'not base64!', edit: { op: 'persist' } }),
    /key must be the key as base64/,
  );
  const persisted = await temp.core.invoke('redis.edit', {
    profileId: ids.staging!,
    key,
    edit: { op: 'persist' },
    confirm: {},
  });
  assert.equal(persisted.outcome, 'ok');
  assert.equal(await admin.ttl('cache:user:1'), -1);
});

test('set, sorted set, list and stream edits are one command each, sent as exact bytes after the confirmation', async () => {
  await admin.sadd('edit:set', 'keep', 'drop');
  await admin.zadd('edit:zset', 1, 'low', 2, 'high');
  await admin.rpush('edit:list', 'a', 'b', 'a');
  const entry = await admin.xadd('edit:stream', '*', 'k', 'v');
  await admin.xadd('edit:stream', '*', 'k', 'w');
  const b64 = (text: string | Buffer) => Buffer.from(text).toString('base64');
  const edit = async (key: string, change: RedisEdit) => {
    const asked = await temp.core.invoke('redis.edit', { profileId: ids.staging!, key: b64(key), edit: change });
    assert.equal(asked.outcome, 'confirmation_required', `${change.op} waits for its confirmation`);
    const done = await temp.core.invoke('redis.edit', {
      profileId: ids.staging!,
      key: b64(key),
      edit: change,
      confirm: {},
    });
    assert.equal(done.outcome, 'ok', `${change.op}: ${done.message ?? ''}`);
    return done;
  };
  const binaryMember = Buffer.from([0, 0xff, 0x0a, 0x22]);
  await edit('edit:set', { op: 'sadd', member: b64(binaryMember) });
  await edit('edit:set', { op: 'srem', member: b64('drop') });
  assert.deepEqual(
    (await admin.smembersBuffer('edit:set')).map((m) => m.toString('hex')).sort(),
    [binaryMember.toString('hex'), Buffer.from('keep').toString('hex')].sort(),
  );
  await edit('edit:zset', { op: 'zadd', member: b64('low'), score: 2.5 });
  await edit('edit:zset', { op: 'zadd', member: b64('new'), score: -1 });
  await edit('edit:zset', { op: 'zrem', member: b64('high') });
  assert.deepEqual(await admin.zrange('edit:zset', 0, -1, 'WITHSCORES'), ['new', '-1', 'low', '2.5']);
  await edit('edit:list', { op: 'lset', index: 1, value: b64('B') });
  await edit('edit:list', { op: 'rpush', value: b64('tail') });
  await edit('edit:list', { op: 'lrem', value: b64('a') });
  assert.deepEqual(
    await admin.lrange('edit:list', 0, -1),
    ['B', 'a', 'tail'],
    'LREM 1 removes the first equal element only',
  );
  const deleted = await edit('edit:stream', { op: 'xdel', id: entry! });
  assert.equal(deleted.reply?.type === 'integer' ? deleted.reply.value : undefined, 1);
  assert.equal(await admin.xlen('edit:stream'), 1);
  await assert.rejects(
    temp.core.invoke('redis.edit', {
      profileId: ids.staging!,
      key: b64('edit:stream'),
      edit: { op: 'xdel', id: '1-0 FLUSHALL' },
    }),
    /must be a stream entry id/,
  );
});

test('a binary value of all 256 byte values round-trips byte for byte: shown escaped, copied, SET back through the console line', async () => {
  await admin.set('blob', allBytes);
  const shown = (await temp.core.invoke('redis.run', { profileId: ids.staging!, line: 'GET blob' })) as RedisRunResult;
  assert.equal(shown.reply?.type, 'string');
  assert.ok(shown.reply?.type === 'string' && shown.reply.binary, 'marked binary');
  assert.ok(shown.reply?.type === 'string' && !shown.reply.value.includes('\ufffd'), 'no replacement characters');
  const copied = `"${shown.reply?.type === 'string' ? shown.reply.value : ''}"`;
  assert.equal(copied, quoteRedisBytes(allBytes), 'the copy is the redis-cli escape');
  const set = (await temp.core.invoke('redis.run', {
    profileId: ids.staging!,
    line: `SET blob-copy ${copied}`,
    confirm: {},
  })) as RedisRunResult;
  assert.equal(set.outcome, 'ok', set.message);
  assert.deepEqual(await admin.getBuffer('blob-copy'), allBytes);
});

test('a restrictive ACL user (no MEMORY, INFO, SLOWLOG, OBJECT): the views degrade with a note, nothing fails', async () => {
  const keys = await allKeys(ids.narrow!, 'cache:*');
  assert.equal(keys.length, 1);
  const facts = await temp.core.invoke('redis.keyFacts', { profileId: ids.narrow!, key: keys[0]!.key.b64 });
  assert.equal(facts.memoryBytes, null);
  assert.equal(facts.encoding, null);
  assert.ok(
    facts.notes.some((n) => /memory/i.test(n)),
    facts.notes.join(' | '),
  );
  const info = await temp.core.invoke('redis.info', { profileId: ids.narrow! });
  assert.match(info.note ?? '', /INFO is not available.*NOPERM|no permissions/i);
  const slowlog = await temp.core.invoke('redis.slowlog', { profileId: ids.narrow! });
  assert.match(slowlog.note ?? '', /SLOWLOG/);
  const sample = await temp.core.invoke('redis.sample', { profileId: ids.narrow!, budgetMs: 500 });
  assert.ok(sample.scanned >= 4);
  assert.ok(sample.notes.some((n) => /memory/i.test(n)));
  assert.ok(sample.ttl.length > 0);
  await admin.call('ACL', 'SETUSER', 'narrow', '-hscan');
  await assert.rejects(
    temp.core.invoke('redis.value', { profileId: ids.narrow!, key: Buffer.from('big:hash').toString('base64') }),
    /Redis refused reading the value: NOPERM.*ACL user may not run it/,
  );
  await admin.call('ACL', 'SETUSER', 'narrow', '+hscan');
});

test('INFO comes back as tables per section; the sample finds the big hash first', async () => {
  const info = await temp.core.invoke('redis.info', { profileId: ids.staging! });
  const memory = info.sections.find((s) => s.name === 'Memory');
  assert.ok(memory?.rows.some(([k]) => k === 'used_memory'));
  const sample = await temp.core.invoke('redis.sample', { profileId: ids.staging!, budgetMs: 2000 });
  assert.equal(sample.complete, true);
  assert.equal(sample.biggest[0]?.key.text, 'big:hash');
  assert.ok(sample.ttl.some((b) => b.bucket === 'no expiry'));
});

test('opsconsole redis scan pages with --json; binary keys carry their exact bytes; a bad --type is named', async () => {
  let cursor = '0';
  const seen: { key: string; binary: boolean; b64: string; type: string }[] = [];
  do {
    const run = await runCli(temp.dataDir, [
      'redis',
      'scan',
      '--profile',
      'staging',
      '--cursor',
      cursor,
      '--page-size',
      '3',
      '--json',
    ]);
    assert.equal(run.code, 0, run.stderr);
    const page = JSON.parse(run.stdout) as { cursor: string; done: boolean; keys: typeof seen };
    seen.push(...page.keys);
    cursor = page.cursor;
  } while (cursor !== '0');
  const binary = seen.find((k) => k.key === 'bin:\\xff\\x00\\xfe');
  assert.ok(binary?.binary, JSON.stringify(seen.map((k) => k.key)));
  assert.deepEqual(Buffer.from(binary.b64, 'base64'), Buffer.from([0x62, 0x69, 0x6e, 0x3a, 0xff, 0x00, 0xfe]));
  const text = await runCli(temp.dataDir, ['redis', 'scan', '--profile', 'staging', '--match', 'line*']);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /"line\\nbreak:\\x01ctl"/);
  assert.doesNotMatch(text.stdout, /\x01/, 'no raw control byte reaches the terminal');
  const bad = await runCli(temp.dataDir, ['redis', 'scan', '--profile', 'staging', '--type', 'blob', '--json']);
  assert.equal(bad.code, 2);
  assert.match(JSON.parse(bad.stdout).error.message, /type/);
});
