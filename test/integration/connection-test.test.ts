import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { ConnectionTestStep, HostKeyPrompt } from '../../src/shared/contract';
import type { ProfileInput } from '../../src/shared/profile';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  freePort,
  makeTempDir,
  passwordUser,
  removeDir,
  run,
  startPostgres,
  startRedis,
  startSshd,
  type PostgresServer,
  type RedisServer,
  type SshdServer,
} from '../harness/index';
import { runCliInProcess } from '../support/cli';
import { harnessSsh } from '../support/profiles';
import { tempCore, type TempCore } from '../support/temp-core';
import { readSql } from '../support/sql';

let pg: PostgresServer;
let redis: RedisServer;
let bastion: SshdServer;
let target: SshdServer;
let temp: TempCore;
const redisPassword = 'redis-acl-pw';
const bastionLogin = passwordUser(); // a password-only account when we are root: the jump hop's own auth
const steps: ConnectionTestStep[] = [];
let trustHostKeys = true;

before(async () => {
  [pg, redis, bastion, target] = await Promise.all([
    startPostgres(),
    startRedis(['--user', 'ops', 'on', `>${redisPassword}`, '~*', '+@all']),
    startSshd(),
    startSshd(),
  ]);
  temp = tempCore();
  temp.core.subscribe((name, payload) => {
    if (name === 'onConnectionTestStep') steps.push(payload as ConnectionTestStep);
    if (name === 'onHostKeyPrompt')
      void temp.core.invoke('sessions.answerHostKey', {
        promptId: (payload as HostKeyPrompt).promptId,
        trust: trustHostKeys,
      });
  });
});
after(async () => {
  await temp?.dispose();
  await Promise.all([pg?.stop(), redis?.stop(), bastion?.dispose(), target?.dispose()]);
});

function profile(name: string, overrides: Partial<ProfileInput> = {}): ProfileInput {
  const jump = harnessSsh(bastion, { sshAccount: bastionLogin });
  return {
    name,
    environment: 'staging',
    ssh: { ...harnessSsh(target), jumps: [jump] },
    postgres: { host: '127.0.0.1', port: pg.port, database: pg.database, user: pg.user },
    redis: { host: '127.0.0.1', port: redis.port, username: 'ops' },
    secrets: {
      pgPassword: { set: pg.password },
      redisPassword: { set: redisPassword },
      ...(bastionLogin ? { jump1Password: { set: bastionLogin.password } } : {}),
    },
    ...overrides,
  };
}

async function runTest(input: ProfileInput) {
  // Keep only the secrets of the sections this variant still has.
  const secrets = Object.fromEntries(
    Object.entries(input.secrets ?? {}).filter(([name]) =>
      name.startsWith('pg')
        ? input.postgres
        : name.startsWith('redis')
          ? input.redis
          : name.startsWith('jump')
            ? input.ssh?.jumps?.length
            : true,
    ),
  );
  const saved = await temp.core.invoke('profiles.save', { profile: { ...input, secrets } });
  steps.length = 0;
  const result = await temp.core.invoke('profiles.testConnection', { id: saved.id, testId: `t-${input.name}` });
  const outline = result.steps.map((s) => `${s.stage}${s.hop ? '@' + s.hop : ''}:${s.status}`);
  return { result, outline };
}

test('every stage through a ProxyJump hop with its own auth, reported as it happens', async () => {
  const { result, outline } = await runTest(profile('all-good'));
  assert.equal(result.ok, true, JSON.stringify(result.steps, null, 1));
  assert.deepEqual(outline, [
    'ssh.connect@1:ok',
    'ssh.hostKey@1:ok',
    'ssh.auth@1:ok',
    'ssh.connect@2:ok',
    'ssh.hostKey@2:ok',
    'ssh.auth@2:ok',
    'postgres:ok',
    'redis:ok',
  ]);
  // Events: each step announced running, then finished, in order, all for this test.
  assert.deepEqual(
    steps.map((s) => s.status),
    outline.flatMap(() => ['running', 'ok']),
  );
  assert.ok(steps.every((s) => s.testId === 't-all-good'));
  const detail = (stage: string, hop?: number) => result.steps.find((s) => s.stage === stage && s.hop === hop)!.detail;
  assert.equal(detail('ssh.hostKey', 1), 'new key, trusted by you now');
  assert.equal(detail('ssh.auth', 1), `authenticated (${bastionLogin ? 'password' : 'key'})`);
  assert.match(
    detail('postgres')!,
    new RegExp(
      `^PostgreSQL \\d+\\.\\d+ \\(primary\\) as ${pg.user}; not encrypted: the server does not offer TLS \\(sslmode prefer fell back\\)$`,
    ),
  );
  assert.match(detail('redis')!, /^Redis \d+\.\d+\.\d+ \(master\), PING answered$/);
  assert.equal(JSON.stringify(result).includes(pg.password), false);

  const again = await runTest(profile('all-good-again'));
  assert.equal(again.result.steps.find((s) => s.stage === 'ssh.hostKey')!.detail, 'known (app trust store)');
});

test('a wrong Postgres password or Redis ACL password fails that stage only, with the reason', async () => {
  const { result, outline } = await runTest(
    profile('bad-services', {
      secrets: {
        pgPassword: { set: 'wrong' },
        redisPassword: { set: 'wrong' },
        ...(bastionLogin ? { jump1Password: { set: bastionLogin.password } } : {}),
      },
    }),
  );
  assert.equal(result.ok, false);
  assert.equal(result.failedStage, 'postgres');
  assert.deepEqual(outline.slice(-2), ['postgres:failed', 'redis:failed']);
  const pgStep = result.steps.find((s) => s.stage === 'postgres')!;
  assert.equal(pgStep.code, 'pg_error');
  assert.match(pgStep.detail!, /password authentication failed/);
  assert.match(result.steps.find((s) => s.stage === 'redis')!.detail!, /WRONGPASS/);
});

test('the failing SSH stage is the one named: connect, host key, or auth on the right hop', async () => {
  const closed = await freePort();
  const refusedFirst = await runTest(
    profile('no-bastion', { ssh: { ...profile('x').ssh!, jumps: [{ host: '127.0.0.1', port: closed, user: 'u' }] } }),
  );
  assert.deepEqual(refusedFirst.outline, ['ssh.connect@1:failed', 'postgres:skipped', 'redis:skipped']);
  assert.equal(refusedFirst.result.steps[0]!.code, 'ssh_connect_failed');
  assert.match(refusedFirst.result.steps[0]!.detail!, new RegExp(`Cannot reach 127\\.0\\.0\\.1:${closed}`));

  const unreachableTarget = await runTest(
    profile('no-target', { ssh: { ...profile('x').ssh!, port: closed }, postgres: undefined, redis: undefined }),
  );
  assert.deepEqual(unreachableTarget.outline, [
    'ssh.connect@1:ok',
    'ssh.hostKey@1:ok',
    'ssh.auth@1:ok',
    'ssh.connect@2:failed',
  ]);
  assert.match(unreachableTarget.result.steps.at(-1)!.detail!, /could not open a connection to 127\.0\.0\.1/);

  const wrongUser = await runTest(
    profile('wrong-user', { ssh: { ...profile('x').ssh!, user: 'nobody' }, redis: undefined }),
  );
  assert.deepEqual(wrongUser.outline, [
    'ssh.connect@1:ok',
    'ssh.hostKey@1:ok',
    'ssh.auth@1:ok',
    'ssh.connect@2:ok',
    'ssh.hostKey@2:ok',
    'ssh.auth@2:failed',
    'postgres:skipped',
  ]);
  assert.equal(wrongUser.result.failedStage, 'ssh.auth');
  assert.match(wrongUser.result.steps[5]!.detail!, /SSH authentication as nobody@127\.0\.0\.1:\d+ failed/);

  const missingKey = await runTest(
    profile('missing-key', {
      ssh: { ...profile('x').ssh!, jumps: [], keyPath: '/nonexistent/key' },
      postgres: undefined,
      redis: undefined,
    }),
  );
  assert.equal(missingKey.result.failedStage, 'ssh.auth');
  assert.match(
    missingKey.result.steps.find((s) => s.status === 'failed')!.detail!,
    /The SSH key file \/nonexistent\/key cannot be opened \(ENOENT\): check the path/,
  );

  trustHostKeys = false;
  const fresh = await startSshd();
  try {
    const rejected = await runTest(
      profile('rejected', {
        ssh: harnessSsh(fresh),
        secrets: { pgPassword: { set: pg.password }, redisPassword: { set: redisPassword } },
      }),
    );
    assert.deepEqual(rejected.outline, [
      'ssh.connect@1:ok',
      'ssh.hostKey@1:failed',
      'postgres:skipped',
      'redis:skipped',
    ]);
    assert.equal(rejected.result.steps[1]!.code, 'host_key_rejected');
  } finally {
    trustHostKeys = true;
    await fresh.dispose();
  }
});

test('without SSH, Postgres and Redis are tested directly', async () => {
  const { result, outline } = await runTest({
    ...profile('direct'),
    ssh: undefined,
    secrets: { pgPassword: { set: pg.password }, redisPassword: { set: redisPassword } },
  });
  assert.deepEqual(outline, ['postgres:ok', 'redis:ok']);
  assert.equal(result.ok, true);
});

test('opsconsole profiles test NAME prints each stage on stderr and exits 1 on a failed stage', async () => {
  process.env.OPSCONSOLE_VAULT = 'file';
  const good = await runCliInProcess(temp.dataDir, ['profiles', 'test', 'all-good', '--json']);
  assert.equal(good.code, 0, good.stderr);
  assert.equal(good.json<{ ok: boolean }>().ok, true);
  assert.match(good.stderr, /^ok +ssh\.connect \(hop 1\) /m);
  assert.match(good.stderr, /^ok +redis ops@127\.0\.0\.1:\d+\/0: Redis /m);
  const bad = await runCliInProcess(temp.dataDir, ['profiles', 'test', 'wrong-user']);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /^failed +ssh\.auth \(hop 2\) nobody@/m);
  assert.match(bad.stdout, /wrong-user: ssh\.auth failed: SSH authentication as nobody@/);
});

test('the thread works with a profile made by the CLI: jump with its own password from the environment, pg password from stdin', async () => {
  process.env.OPSCONSOLE_VAULT = 'file';
  const jump = bastionLogin
    ? `${bastionLogin.user}@${bastion.host}:${bastion.port},auth=password`
    : `${bastion.user}@${bastion.host}:${bastion.port},key=${bastion.clientKeyPath}`;
  const added = await runCliInProcess(
    temp.dataDir,
    [
      'profiles',
      'add',
      '--name',
      'from-cli',
      '--environment',
      'staging',
      '--ssh-host',
      target.host,
      '--ssh-port',
      String(target.port),
      '--ssh-user',
      target.user,
      '--ssh-key',
      target.clientKeyPath,
      '--ssh-jump',
      jump,
      '--pg-host',
      '127.0.0.1',
      '--pg-port',
      String(pg.port),
      '--pg-database',
      pg.database,
      '--pg-user',
      pg.user,
      '--pg-password-stdin',
      '--json',
    ],
    { input: `${pg.password}\n`, env: bastionLogin ? { OPSCONSOLE_SSH_JUMP1_PASSWORD: bastionLogin.password } : {} },
  );
  assert.equal(added.code, 0, added.stderr);
  const profileId = added.json<{ id: string }>().id;
  const result = await readSql(temp.core, { profileId, sql: 'SELECT current_user' });
  assert.deepEqual(result.rows, [[pg.user]]);
});

test('editing where a profile connects closes its open session; editing its notes does not', async () => {
  const profile = await temp.core.invoke('profiles.get', { name: 'all-good' });
  await temp.core.invoke('sessions.connect', { profileId: profile.id });
  const state = async () =>
    (await temp.core.invoke('sessions.list', {})).find((s) => s.profileId === profile.id)?.state;
  assert.equal(await state(), 'ready');
  const { id, createdAt: _c, updatedAt: _u, secrets: _s, ...fields } = profile;
  await temp.core.invoke('profiles.save', { id, profile: { ...fields, notes: 'only notes' } });
  assert.equal(await state(), 'ready', 'a notes edit leaves the session alone');
  await temp.core.invoke('profiles.save', {
    id,
    profile: { ...fields, ssh: { ...fields.ssh!, keepaliveIntervalMs: 7000 } },
  });
  assert.notEqual(await state(), 'ready', 'the session built from the old settings is closed');
});

test('Redis over TLS through the SSH chain; the certificate is verified unless told otherwise', async () => {
  const dir = makeTempDir('redis-tls');
  const openssl = (...args: string[]) => run('openssl', args, { cwd: dir });
  openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
    '-days',
    '1',
    '-subj',
    '/CN=opsconsole-test-ca',
  );
  openssl(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'redis.key',
    '-out',
    'redis.csr',
    '-subj',
    '/CN=redis.internal',
  );
  writeFileSync(join(dir, 'ext'), 'subjectAltName=DNS:redis.internal');
  openssl(
    'x509',
    '-req',
    '-in',
    'redis.csr',
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'redis.crt',
    '-days',
    '1',
    '-extfile',
    'ext',
  );
  const tlsPort = await freePort();
  const tlsRedis = await startRedis([
    '--tls-port',
    String(tlsPort),
    '--tls-cert-file',
    join(dir, 'redis.crt'),
    '--tls-key-file',
    join(dir, 'redis.key'),
    '--tls-ca-cert-file',
    join(dir, 'ca.crt'),
    '--tls-auth-clients',
    'no',
  ]);
  try {
    const base = { ...profile('x'), secrets: bastionLogin ? { jump1Password: { set: bastionLogin.password } } : {} };
    const redisTls = { host: '127.0.0.1', port: tlsPort, tls: true, tlsServerName: 'redis.internal' };
    const unverified = await runTest({
      ...base,
      name: 'tls-unverified',
      postgres: undefined,
      redis: { ...redisTls, tlsVerify: false },
    });
    assert.equal(unverified.outline.at(-1), 'redis:ok', JSON.stringify(unverified.result.steps.at(-1)));
    assert.match(unverified.result.steps.at(-1)!.target, /\(TLS\)$/);
    const verified = await runTest({ ...base, name: 'tls-verified', postgres: undefined, redis: redisTls });
    assert.equal(verified.outline.at(-1), 'redis:failed');
    assert.match(verified.result.steps.at(-1)!.detail!, /certificate/i);
  } finally {
    await tlsRedis.stop();
    removeDir(dir);
  }
});
