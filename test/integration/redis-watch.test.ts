import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Redis } from 'ioredis';
import type { RedisWatchEvent } from '../../src/shared/contract';
import { startRedis, type RedisServer } from '../harness/index';
import { runCli } from '../support/cli';
import { tempCore, type TempCore } from '../support/temp-core';
import { untilFound } from '../support/until';

let server: RedisServer;
let admin: Redis;
let temp: TempCore;
const events: RedisWatchEvent[] = [];
const ids: Record<string, string> = {};

before(async () => {
  server = await startRedis();
  admin = new Redis({ host: server.host, port: server.port });
  temp = tempCore();
  temp.core.subscribe((name, payload) => name === 'onRedisWatch' && events.push(payload as RedisWatchEvent));
  for (const [name, environment, safety] of [
    ['staging', 'staging', 'standard'],
    ['prod', 'production', 'production'],
    ['prod-ro', 'production', 'read-only'],
  ] as const) {
    ids[name] = (
      await temp.core.invoke('profiles.save', {
        profile: { name, environment, safety, redis: { host: '127.0.0.1', port: server.port } },
      })
    ).id;
  }
});
after(async () => {
  admin?.disconnect();
  await temp?.dispose();
  await server?.stop();
});

const ofWatch = (watchId: string) => events.filter((e) => e.watchId === watchId);
const subscribers = async () => ((await admin.call('PUBSUB', 'NUMSUB', 'news')) as [string, number])[1];

test('SUBSCRIBE runs on its own connection: messages arrive, Stop ends it, the shared client stays usable', async () => {
  const started = await temp.core.invoke('redis.watch', {
    profileId: ids.staging!,
    argv: ['SUBSCRIBE', 'news'],
    seconds: 60,
  });
  assert.equal(started.outcome, 'watching');
  assert.ok(started.watchId && started.expiresAt);
  assert.equal(await subscribers(), 1);
  await admin.publish('news', 'first');
  await admin.publish('news', 'second');
  const batch = await untilFound('two messages', () => {
    const texts = ofWatch(started.watchId!).flatMap((e) =>
      e.type === 'messages' ? e.messages.map((m) => `${m.channel}:${m.text}`) : [],
    );
    return texts.length >= 2 ? texts : undefined;
  });
  assert.deepEqual(batch, ['news:first', 'news:second']);
  assert.deepEqual(
    (await temp.core.invoke('redis.run', { profileId: ids.staging!, argv: ['PING'] })).reply,
    { type: 'string', value: 'PONG' },
    'the shared client is not a subscriber',
  );
  assert.deepEqual(await temp.core.invoke('redis.stopWatch', { watchId: started.watchId! }), { stopped: true });
  const ended = ofWatch(started.watchId!).find((e) => e.type === 'ended');
  assert.deepEqual(ended && ended.type === 'ended' && [ended.reason, ended.count], ['stopped by the operator', 2]);
  await untilFound('the dedicated connection to close', async () => ((await subscribers()) === 0 ? true : undefined));
});

test('the time limit ends a watch and closes its connection; the end is recorded', async () => {
  const incident = await temp.core.invoke('incidents.start', { title: 'watch', severity: 'P3' });
  const started = await temp.core.invoke('redis.watch', {
    profileId: ids.staging!,
    argv: ['PSUBSCRIBE', 'n*'],
    seconds: 1,
    incidentId: incident.id,
  });
  assert.equal(started.outcome, 'watching');
  await admin.publish('nightly', 'x');
  const ended = await untilFound('the time limit', () => ofWatch(started.watchId!).find((e) => e.type === 'ended'));
  assert.deepEqual(ended.type === 'ended' && [ended.reason, ended.count], ['time limit of 1 s reached', 1]);
  await untilFound('the dedicated connection to close', async () =>
    (await admin.call('PUBSUB', 'NUMPAT')) === 0 ? true : undefined,
  );
  const recorded = (await temp.core.invoke('incidents.events', { id: incident.id })).find(
    (e) => e.kind === 'redis.run',
  );
  assert.match(String(recorded?.payload.reply), /dedicated connection: 1 messages; time limit/);
  assert.equal(await temp.core.invoke('redis.stopWatch', { watchId: started.watchId! }).then((r) => r.stopped), false);
});

test('MONITOR asks first (the name typed on production), masks secrets it sees, and never runs on the shared client', async () => {
  const unconfirmed = await temp.core.invoke('redis.watch', { profileId: ids.prod!, argv: ['MONITOR'] });
  assert.deepEqual(
    [unconfirmed.outcome, unconfirmed.confirmation?.policy],
    ['confirmation_required', 'type-profile-name'],
  );
  assert.equal(
    (await temp.core.invoke('redis.watch', { profileId: ids.prod!, argv: ['MONITOR'], confirm: { typedName: 'nope' } }))
      .outcome,
    'refused',
  );
  const started = await temp.core.invoke('redis.watch', {
    profileId: ids.prod!,
    argv: ['MONITOR'],
    seconds: 30,
    confirm: { typedName: 'prod' },
  });
  assert.equal(started.outcome, 'watching');
  await admin.call('CONFIG', 'SET', 'masterauth', 'monitor-canary-pw');
  await admin.set('seen', 'yes');
  const texts = await untilFound('the SET in MONITOR', () => {
    const all = ofWatch(started.watchId!).flatMap((e) => (e.type === 'messages' ? e.messages.map((m) => m.text) : []));
    return all.some((t) => t.includes('"seen"') || t.includes('seen')) ? all : undefined;
  });
  assert.equal(texts.join('\n').includes('monitor-canary-pw'), false, texts.join('\n'));
  await temp.core.invoke('redis.stopWatch', { watchId: started.watchId! });
  const shared = await temp.core.invoke('redis.run', {
    profileId: ids.prod!,
    argv: ['MONITOR'],
    confirm: { typedName: 'prod' },
  });
  assert.equal(shared.outcome, 'refused', 'MONITOR on the shared client stays refused');
  await admin.call('CONFIG', 'SET', 'masterauth', '');
});

test('a read-only profile may SUBSCRIBE but not MONITOR', async () => {
  const monitor = await temp.core.invoke('redis.watch', {
    profileId: ids['prod-ro']!,
    argv: ['MONITOR'],
    confirm: { typedName: 'prod-ro' },
  });
  assert.equal(monitor.outcome, 'refused');
  assert.match(monitor.message ?? '', /read-only: MONITOR slows the server/);
  const subscribe = await temp.core.invoke('redis.watch', {
    profileId: ids['prod-ro']!,
    argv: ['SUBSCRIBE', 'ro-news'],
    seconds: 5,
  });
  assert.equal(subscribe.outcome, 'watching');
  assert.equal(await temp.core.invoke('redis.stopWatch', { watchId: subscribe.watchId! }).then((r) => r.stopped), true);
});

test('redis.watch takes only watch commands, with a channel', async () => {
  await assert.rejects(
    temp.core.invoke('redis.watch', { profileId: ids.staging!, argv: ['GET', 'k'] }),
    /must be SUBSCRIBE/,
  );
  await assert.rejects(
    temp.core.invoke('redis.watch', { profileId: ids.staging!, argv: ['SUBSCRIBE'] }),
    /names no channel/,
  );
  await assert.rejects(
    temp.core.invoke('redis.watch', { profileId: ids.staging!, argv: ['SUBSCRIBE', 'x'], seconds: 601 }),
    /seconds must be at most 600/,
  );
});

test('the CLI watches for --seconds and prints every message; MONITOR without --confirm exits 1', async () => {
  const cli = runCli(temp.dataDir, [
    'redis',
    'watch',
    '--profile',
    'staging',
    '--seconds',
    '3',
    '--json',
    '--',
    'SUBSCRIBE',
    'cli-news',
  ]);
  await untilFound('the CLI to subscribe', async () =>
    ((await admin.call('PUBSUB', 'NUMSUB', 'cli-news')) as unknown[])[1] === 1 ? true : undefined,
  );
  await admin.publish('cli-news', 'line\u001b[31m one');
  const run = await cli;
  assert.equal(run.code, 0, run.stderr);
  const doc = run.json<{
    outcome: string;
    count: number;
    reason: string;
    messages: { channel: string; text: string }[];
  }>();
  assert.deepEqual(
    [doc.outcome, doc.count, doc.reason, doc.messages.map((m) => [m.channel, m.text])],
    ['watched', 1, 'time limit of 3 s reached', [['cli-news', 'line\u001b[31m one']]],
  );
  assert.match(run.stderr, /cli-news "line\\u001b\[31m one"/, 'control characters are escaped on the terminal');
  const monitor = await runCli(temp.dataDir, ['redis', 'watch', '--profile', 'prod', '--json', '--', 'MONITOR']);
  assert.equal(monitor.code, 1);
  assert.match(monitor.stderr, /--confirm prod/);
});

test("a SUBSCRIBE the server refuses (no channel rights) is recorded as the server's error, not as ok", async () => {
  await admin.call('ACL', 'SETUSER', 'nochan', 'on', '>nochan-pw', '~*', 'resetchannels', '+@all');
  const profileId = (
    await temp.core.invoke('profiles.save', {
      profile: {
        name: 'nochan',
        environment: 'staging',
        redis: { host: '127.0.0.1', port: server.port, username: 'nochan' },
        secrets: { redisPassword: { set: 'nochan-pw' } },
      } as never,
    })
  ).id;
  const incident = await temp.core.invoke('incidents.start', { title: 'refused watch', severity: 'P3' });
  const started = await temp.core.invoke('redis.watch', {
    profileId,
    argv: ['SUBSCRIBE', 'orders'],
    seconds: 5,
    incidentId: incident.id,
  });
  assert.equal(started.outcome, 'refused');
  assert.match(started.message ?? '', /NOPERM/);
  const recorded = (await temp.core.invoke('incidents.events', { id: incident.id })).filter(
    (e) => e.kind === 'redis.run',
  );
  assert.deepEqual(
    recorded.map((e) => [e.payload.outcome, /NOPERM/.test(String(e.payload.error)), e.payload.reply]),
    [['error', true, undefined]],
  );
});

test('MONITOR refusals and confirmations are recorded, as redis.run records them', async () => {
  const incident = await temp.core.invoke('incidents.start', { title: 'monitor records', severity: 'P3' });
  const watch = (profile: string, confirm?: { typedName?: string }) =>
    temp.core.invoke('redis.watch', {
      profileId: ids[profile]!,
      argv: ['MONITOR'],
      seconds: 5,
      incidentId: incident.id,
      ...(confirm ? { confirm } : {}),
    });
  assert.equal((await watch('prod-ro', { typedName: 'prod-ro' })).outcome, 'refused');
  assert.equal((await watch('prod', { typedName: 'nope' })).outcome, 'refused');
  assert.equal((await watch('prod')).outcome, 'confirmation_required');
  const started = await watch('prod', { typedName: 'prod' });
  assert.equal(started.outcome, 'watching');
  await temp.core.invoke('redis.stopWatch', { watchId: started.watchId! });
  const events = (await temp.core.invoke('incidents.events', { id: incident.id }))
    .filter((e) => e.kind !== 'incident.opened')
    .map((e) => [
      e.kind,
      String(e.payload.profileName),
      String(e.payload.reason ?? e.payload.method ?? e.payload.outcome),
    ]);
  assert.equal(events.length, 4, JSON.stringify(events));
  assert.deepEqual(events[0]!.slice(0, 2), ['refusal', 'prod-ro']);
  assert.match(events[0]![2]!, /read-only: MONITOR/);
  assert.deepEqual(events[1]!.slice(0, 2), ['refusal', 'prod']);
  assert.match(events[1]![2]!, /not the profile's name/);
  assert.deepEqual(events.slice(2), [
    ['confirmation', 'prod', 'typed-name'],
    ['redis.run', 'prod', 'ok'],
  ]);
});
