import assert from 'node:assert/strict';
import { test } from 'node:test';
import { secretsOffRoute, type RouteProfile } from '../../src/main/profiles/secret-route';
import { diffProfiles } from '../../src/shared/profile-diff';
import {
  postgresSettingsSchema,
  redisSettingsSchema,
  sshSettingsSchema,
  type EnvironmentKind,
} from '../../src/shared/profile';

const base = (): RouteProfile & { environment: EnvironmentKind } => ({
  environment: 'production',
  ssh: sshSettingsSchema.parse({
    host: 'db1.internal',
    user: 'deploy',
    auth: 'key',
    keyPath: '/k/id',
    jumps: [{ host: 'bastion.example', user: 'alice' }],
  }),
  postgres: postgresSettingsSchema.parse({ host: '127.0.0.1', database: 'app', user: 'ops', sslmode: 'require' }),
  redis: redisSettingsSchema.parse({ host: '127.0.0.1', tls: true }),
});

test('database secrets follow the whole route: every hop, the address, and TLS no weaker', () => {
  const same = base();
  assert.deepEqual(secretsOffRoute(base(), same), []);
  const cases: [string, (p: ReturnType<typeof base>) => void, string[]][] = [
    [
      'a new first hop',
      (p) => (p.ssh!.jumps[0]!.host = 'evil.example'),
      ['jump1Password', 'jump1Passphrase', 'sshPassword', 'sshPassphrase', 'pgPassword', 'redisPassword'],
    ],
    [
      'another user on the first hop',
      (p) => (p.ssh!.jumps[0]!.user = 'mallory'),
      ['jump1Password', 'jump1Passphrase', 'sshPassword', 'sshPassphrase', 'pgPassword', 'redisPassword'],
    ],
    [
      'the target on another port',
      (p) => (p.ssh!.port = 2222),
      ['sshPassword', 'sshPassphrase', 'pgPassword', 'redisPassword'],
    ],
    [
      'a hop added',
      (p) => p.ssh!.jumps.push({ host: 'inner', port: 22, user: 'x', auth: 'agent' }),
      ['jump1Password', 'jump1Passphrase', 'sshPassword', 'sshPassphrase', 'pgPassword', 'redisPassword'],
    ],
    [
      'SSH removed',
      (p) => delete p.ssh,
      ['jump1Password', 'jump1Passphrase', 'sshPassword', 'sshPassphrase', 'pgPassword', 'redisPassword'],
    ],
    ['another key file', (p) => (p.ssh!.keyPath = '/k/other'), ['sshPassphrase']],
    ['another database', (p) => (p.postgres!.database = 'billing'), ['pgPassword']],
    ['sslmode weaker', (p) => (p.postgres!.sslmode = 'prefer'), ['pgPassword']],
    ['legacy password auth turned on', (p) => (p.postgres!.legacyPasswordAuth = true), ['pgPassword']],
    ['Redis TLS off', (p) => (p.redis!.tls = false), ['redisPassword']],
    ['Redis certificate no longer checked', (p) => (p.redis!.tlsVerify = false), ['redisPassword']],
    ['Redis on another host', (p) => (p.redis!.host = 'cache.evil'), ['redisPassword']],
  ];
  for (const [what, change, dropped] of cases) {
    const after = base();
    change(after);
    assert.deepEqual(secretsOffRoute(base(), after).sort(), [...dropped].sort(), what);
  }
  const stronger = base();
  stronger.postgres!.sslmode = 'verify-full';
  stronger.postgres!.statementTimeoutMs = 1000;
  stronger.ssh!.host = 'DB1.INTERNAL';
  assert.deepEqual(
    secretsOffRoute(base(), stronger),
    [],
    'stronger TLS, other settings and host-name case keep the secrets',
  );
});

test('the diff lists every changed field and marks each safety downgrade', () => {
  const after = base();
  after.environment = 'development';
  after.postgres!.readOnlyByDefault = false;
  after.postgres!.sslmode = 'disable';
  after.redis!.tls = false;
  after.ssh!.jumps[0]!.host = 'evil.example';
  const changes = diffProfiles(base(), after);
  assert.deepEqual(
    changes.map((c) => [c.field, c.before, c.after, c.downgrade ?? null]),
    [
      ['color', '#e03131', '#2f9e44', null],
      ['environment', 'production', 'development', 'less protected environment'],
      ['postgres.readOnlyByDefault', 'true', 'false', 'queries no longer read-only by default'],
      ['postgres.sslmode', 'require', 'disable', 'weaker Postgres TLS'],
      ['redis.tls', 'true', 'false', 'weaker Redis TLS'],
      ['safety', 'production', 'standard', 'weaker safety level'],
      ['ssh.jumps.0.host', 'bastion.example', 'evil.example', null],
    ],
  );
  const upgraded = base();
  upgraded.postgres!.sslmode = 'verify-full';
  assert.deepEqual(
    diffProfiles(base(), upgraded).map((c) => [c.field, c.downgrade ?? null]),
    [['postgres.sslmode', null]],
  );
  assert.deepEqual(diffProfiles(base(), base()), []);
});

test('later profile fields are covered by name: the CA, the read user, legacy SSH algorithms', () => {
  const withCa = () => {
    const p = base();
    Object.assign(p.postgres!, { sslCa: '/etc/ssl/ca.pem', readUser: 'reader' });
    return p;
  };
  const noCa = withCa();
  delete (noCa.postgres as { sslCa?: string }).sslCa;
  assert.deepEqual(secretsOffRoute(withCa(), noCa), ['pgPassword', 'pgReadPassword']);
  assert.deepEqual(
    diffProfiles(withCa(), noCa).map((c) => [c.field, c.downgrade ?? null]),
    [['postgres.sslCa', 'no longer checks the server certificate against its CA']],
  );
  const legacy = base();
  Object.assign(legacy.ssh!, { legacyAlgorithms: true });
  assert.deepEqual(
    diffProfiles(base(), legacy).map((c) => [c.field, c.downgrade ?? null]),
    [['ssh.legacyAlgorithms', 'accepts legacy SSH algorithms (SHA-1)']],
  );
});

test('assistant consent, row sampling and fewer masked columns are downgrades too', () => {
  const after = { ...base(), allowAssistants: true, rehearsalSample: true, maskPatterns: ['password', 'secret'] };
  const downgrades = diffProfiles(base(), after)
    .filter((c) => c.downgrade)
    .map((c) => [c.field, c.downgrade]);
  assert.deepEqual(downgrades, [
    ['allowAssistants', 'lets AI assistants read through opsconsole mcp'],
    ['maskPatterns', 'masks fewer result columns'],
    ['rehearsalSample', 'rehearsals may copy rows from the server'],
  ]);
  const moreMasked = {
    ...base(),
    maskPatterns: ['password', 'secret', 'token', 'email', 'phone', 'ssn', 'card', 'iban', 'address', 'salary'],
  };
  assert.deepEqual(
    diffProfiles(base(), moreMasked).map((c) => [c.field, c.downgrade ?? null]),
    [['maskPatterns', null]],
    'a longer list masks more: no downgrade',
  );
});
