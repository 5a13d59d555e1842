import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Redis } from 'ioredis';
import { callWithDeadline, RedisTimeoutError } from '../../src/main/redis/lost-connection';
import { RedisConnections } from '../../src/main/redis/redis-connections';
import { startRedis, type RedisServer } from '../harness/index';
import { sessionRig, type SessionRig } from '../support/session-rig';
import { until } from '../support/until';

let server: RedisServer;
let admin: Redis;
let rig: SessionRig;
let connections: RedisConnections;
let profileId: string;

before(async () => {
  server = await startRedis();
  admin = new Redis({ host: server.host, port: server.port, maxRetriesPerRequest: 1 });
  rig = sessionRig();
  connections = rig.own(new RedisConnections(rig.profiles, rig.sessions));
  profileId = rig.saveProfile({
    name: 'staging',
    environment: 'staging',
    redis: { host: '127.0.0.1', port: server.port },
  }).id;
});
after(async () => {
  admin?.disconnect();
  await rig?.dispose();
  await server?.stop();
});

async function blockedClients(): Promise<number> {
  return Number(String(await admin.call('INFO', 'clients')).match(/blocked_clients:(\d+)/)?.[1]);
}

test('a command past its deadline gives its connection up: Redis frees it, queued commands fail at once, the next one starts on a new connection', async () => {
  const stuck = await connections.acquire(profileId);
  // BLPOP of 3 s stands for any command the server holds past the console's deadline (here 300 ms).
  const started = performance.now();
  const call = callWithDeadline(stuck, ['BLPOP', 'q', '3'], 300);
  const queued = stuck.call('PING'); // sent behind it on the same connection
  await assert.rejects(call, RedisTimeoutError);
  await assert.rejects(queued, /Connection is closed/, 'a command queued behind it fails at once instead of waiting');
  assert.ok(performance.now() - started < 2000, 'nothing waited for the block to end');
  await until('Redis to free the blocked client', async () => (await blockedClients()) === 0, 2000);

  const fresh = await connections.acquire(profileId);
  assert.notEqual(fresh, stuck, 'the next command opens a new connection');
  const pingAt = performance.now();
  assert.equal(await callWithDeadline(fresh, ['PING'], 1000), 'PONG');
  assert.ok(performance.now() - pingAt < 1000);
});

test('a command answered within its deadline keeps its connection', async () => {
  const client = await connections.acquire(profileId);
  assert.equal(await callWithDeadline(client, ['BLPOP', 'q', '0.1'], 2000), null);
  assert.equal(await connections.acquire(profileId), client);
  assert.equal(client.status, 'ready');
});
