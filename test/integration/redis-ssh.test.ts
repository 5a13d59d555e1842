import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Redis } from 'ioredis';
import { OpsError } from '../../src/main/errors';
import { join } from 'node:path';
import {
  freePort,
  makeTempDir,
  removeDir,
  run,
  startRedis,
  startSshd,
  type RedisServer,
  type SshdServer,
} from '../harness/index';
import { RedisConnections } from '../../src/main/redis/redis-connections';
import { RedisService } from '../../src/main/redis/redis-service';
import { harnessProfile } from '../support/profiles';
import { sessionRig } from '../support/session-rig';
import { tempCore, type TempCore } from '../support/temp-core';
import { until } from '../support/until';

let redisServer: RedisServer;
let sshd: SshdServer;
let temp: TempCore;
let admin: Redis;
let tlsPort: number;
let certDir: string;
const ids: Record<string, string> = {};

type RedisOptions = NonNullable<Parameters<typeof harnessProfile>[3]>['redis'];

/** ACL user `ops` in db 3, over the SSH session. */
const plain = { db: 3, username: 'ops' };
const opsProfile = (name: string, password: string, redis: RedisOptions) =>
  harnessProfile(name, { sshd, redis: redisServer }, 'staging', {
    redis,
    secrets: { redisPassword: { set: password } },
  });

/** The connections of ACL user `ops` as the server lists them. */
async function opsClients(): Promise<string[]> {
  const list = (await admin.call('CLIENT', 'LIST')) as string;
  return list.split('\n').filter((line) => / user=ops /.test(line));
}

before(async () => {
  // Bound to 127.0.0.1 by the harness and reached only through the SSH session (forwardOut from sshd).
  // A self-signed certificate for the TLS port (the plain port stays for the admin client).
  certDir = makeTempDir('redis-tls');
  run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    join(certDir, 'key.pem'),
    '-out',
    join(certDir, 'cert.pem'),
    '-days',
    '1',
    '-subj',
    '/CN=redis.internal',
    '-addext',
    'subjectAltName=DNS:redis.internal',
  ]);
  tlsPort = await freePort();
  const tls = [
    '--tls-port',
    String(tlsPort),
    '--tls-cert-file',
    join(certDir, 'cert.pem'),
    '--tls-key-file',
    join(certDir, 'key.pem'),
    '--tls-auth-clients',
    'no',
  ];
  [redisServer, sshd] = await Promise.all([startRedis(['--requirepass', 'admin-secret', ...tls]), startSshd()]);
  admin = new Redis({ host: redisServer.host, port: redisServer.port, password: 'admin-secret' });
  await admin.call(
    'ACL',
    'SETUSER',
    'ops',
    'on',
    '>ops-secret',
    '~*',
    '&*',
    '+@all',
    '-@dangerous',
    '+info',
    '+command',
    '+client|list',
  );
  await admin.select(3);
  await admin.set('only-in-db3', 'three');
  await admin.select(0);
  temp = tempCore({ hostKeyPrompter: { ask: async () => true } });
  const overTls = { ...plain, port: tlsPort, tls: true, tlsServerName: 'redis.internal' };
  for (const [name, password, redis] of [
    ['redis-ssh', 'ops-secret', plain],
    ['redis-wrong', 'not-the-password', plain],
    ['redis-tls', 'ops-secret', { ...overTls, tlsVerify: false }],
    ['redis-tls-verify', 'ops-secret', overTls],
  ] as const) {
    const saved = await temp.core.invoke('profiles.save', { profile: opsProfile(name, password, redis) });
    ids[name] = saved.id;
  }
});
after(async () => {
  admin?.disconnect();
  await temp?.dispose();
  await Promise.all([redisServer?.stop(), sshd?.dispose()]);
  if (certDir) removeDir(certDir);
});

test('Redis through the SSH session: ACL user, db number, live COMMAND metadata for classification', async () => {
  const profileId = ids['redis-ssh']!;
  const offline = await temp.core.invoke('redis.classify', { profileId, argv: ['GET', 'k'] });
  assert.equal(offline.source, 'builtin', 'not connected yet: classification opens no connection');
  assert.deepEqual(await opsClients(), []);

  const get = await temp.core.invoke('redis.run', { profileId, argv: ['GET', 'only-in-db3'] });
  assert.deepEqual(get.reply, { type: 'string', value: 'three' }, 'db 3 from the profile is selected');
  const whoami = await temp.core.invoke('redis.run', { profileId, argv: ['ACL', 'WHOAMI'] });
  assert.deepEqual(whoami.reply, { type: 'string', value: 'ops' });
  const [line] = await opsClients();
  assert.match(line ?? '', / db=3 /);

  const live = await temp.core.invoke('redis.classify', { profileId, argv: ['GET', 'k'] });
  assert.equal(live.source, 'server');
  assert.equal(live.risk, 'read');
  assert.equal((await temp.core.invoke('redis.classify', { profileId, line: 'FLUSHALL' })).risk, 'dangerous');
});

test('the SSH session dies: the Redis client goes with it and is rebuilt on the new session', async () => {
  // The client object is below the contract: this builds the store, sessions and Redis clients alone.
  await temp.core.invoke('sessions.disconnect', { profileId: ids['redis-ssh']! });
  await until('the core to close its ops client', async () => (await opsClients()).length === 0);
  const rig = sessionRig();
  try {
    const { id: profileId } = rig.saveProfile(opsProfile('redis-ssh', 'ops-secret', plain));
    const redis = new RedisService(rig.own(new RedisConnections(rig.profiles, rig.sessions)));
    const client = await redis.client(profileId);
    assert.equal((await opsClients()).length, 1);
    assert.ok(sshd.killSessions() > 0);
    await until('the ops client to be dropped with the session', async () => (await opsClients()).length === 0);
    await until('our client to see the session go', async () => client.status !== 'ready');
    await until('the session to be rebuilt', async () => rig.sessions.state(profileId)?.state === 'ready', 20_000);
    const rebuilt = await redis.client(profileId);
    assert.equal(await rebuilt.get('only-in-db3'), 'three');
    assert.notEqual(rebuilt, client, 'a new client on the new session');
    assert.equal((await opsClients()).length, 1);

    await rig.sessions.disconnect(profileId);
    await until('the client to close with the session', async () => (await opsClients()).length === 0);
  } finally {
    await rig.dispose();
  }
});

test("a refused login names what failed: host, port, db, user and the server's reason", async () => {
  const error = await temp.core.invoke('redis.run', { profileId: ids['redis-wrong']!, argv: ['PING'] }).then(
    () => assert.fail('the wrong password was accepted'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof OpsError);
  assert.equal(error.code, 'redis_error');
  assert.match(
    error.message,
    new RegExp(
      `127\\.0\\.0\\.1:${redisServer.port} \\(through the SSH session of "redis-wrong"\\) \\(db 3, user ops\\)`,
    ),
  );
  assert.match(error.message, /WRONGPASS/);
});

test('TLS from the profile, inside the SSH channel: works unverified; verification names the certificate problem', async () => {
  const ok = await temp.core.invoke('redis.run', { profileId: ids['redis-tls']!, argv: ['GET', 'only-in-db3'] });
  assert.deepEqual(ok.reply, { type: 'string', value: 'three' });
  const error = await temp.core.invoke('redis.run', { profileId: ids['redis-tls-verify']!, argv: ['PING'] }).then(
    () => assert.fail('a self-signed certificate was accepted with tlsVerify on'),
    (e: unknown) => e as OpsError,
  );
  assert.equal(error.code, 'redis_error');
  assert.match(
    error.message,
    new RegExp(`127\\.0\\.0\\.1:${tlsPort} .*TLS\\) refused the connection: .*self-signed certificate`),
  );
});
