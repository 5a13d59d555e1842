import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeZodError } from '../../src/main/errors';
import { defaultSafety, profileInputSchema, writePolicy } from '../../src/shared/profile';

const base = { name: 'p', environment: 'staging' };
const ssh = { host: 'target.example', user: 'deploy' };

function errorOf(input: unknown): string {
  const parsed = profileInputSchema.safeParse(input);
  assert.equal(parsed.success, false, `expected ${JSON.stringify(input)} to be refused`);
  return describeZodError(parsed.error!, 'profile');
}

test('a profile of every shape parses, with defaults filled in', () => {
  const parsed = profileInputSchema.parse({
    ...base,
    tags: ['eu', 'payments'],
    ssh: {
      ...ssh,
      auth: 'key',
      keyPath: '~/.ssh/id_ed25519',
      jumps: [
        { host: 'bastion', port: 2222, user: 'alice', auth: 'password' },
        { host: 'inner', user: 'bob', auth: 'key', keyPath: '/k' },
      ],
    },
    postgres: { host: '10.0.0.5', database: 'app', user: 'ro' },
    redis: { host: '10.0.0.6', username: 'ops', tls: true, tlsServerName: 'redis.internal' },
    safety: 'read-only',
    secrets: { pgPassword: { set: 'x' }, jump1Password: { set: 'y' }, redisPassword: { clear: true } },
  });
  assert.equal(parsed.ssh!.port, 22);
  assert.equal(parsed.ssh!.jumps[1]!.port, 22);
  assert.equal(parsed.postgres!.port, 5432);
  assert.equal(parsed.postgres!.readOnlyByDefault, true);
  assert.equal(parsed.redis!.db, 0);
  assert.equal(parsed.redis!.tlsVerify, true);
  assert.equal(parsed.safety, 'read-only');
});

test('each bad field is named with its fix', () => {
  const cases: [unknown, RegExp][] = [
    [{ ...base, ssh: { ...ssh, port: 0 } }, /profile\.ssh\.port must be between 1 and 65535/],
    [{ ...base, ssh: { ...ssh, port: 70000 } }, /profile\.ssh\.port must be between 1 and 65535/],
    [
      { ...base, postgres: { host: 'h', database: 'd', user: 'u', port: 70000 } },
      /profile\.postgres\.port must be between 1 and 65535/,
    ],
    [{ ...base, redis: { host: 'h', port: 1.5 } }, /profile\.redis\.port must be a whole number/],
    [{ ...base, ssh: { ...ssh, host: '   ' } }, /profile\.ssh\.host is empty: give a host name/],
    [{ ...base, ssh: { ...ssh, host: 'deploy@target' } }, /profile\.ssh\.host must be a bare host name/],
    [{ ...base, environment: 'prod' }, /profile\.environment must be one of production, staging, development, custom/],
    [{ ...base, ssh: { ...ssh, port: '22' } }, /profile\.ssh\.port must be a number between 1 and 65535/],
    [{ ...base, ssh: { ...ssh, auth: 'key' } }, /profile\.ssh\.keyPath is missing: auth "key" needs the path/],
    [
      { ...base, ssh: { ...ssh, jumps: [{ host: 'b', user: 'u', auth: 'key' }] } },
      /profile\.ssh\.jumps\.0\.keyPath is missing/,
    ],
    [
      { ...base, environment: 'production', safety: 'standard' },
      /profile\.safety cannot be "standard" on a production profile/,
    ],
    [{ ...base, name: '' }, /profile\.name is empty: give the profile a name/],
    [{ ...base, colour: '#fff' }, /profile has unknown field\(s\) colour: remove them/],
    [{ ...base, secrets: { pgPassword: 'plain' } }, /profile\.secrets\.pgPassword must be \{"set": "…"\}/],
    [{ ...base, secrets: { jump9Password: { set: 'x' } } }, /profile\.secrets/],
    [
      { ...base, ssh: { ...ssh, jumps: Array.from({ length: 9 }, (_, i) => ({ host: `h${i}`, user: 'u' })) } },
      /profile\.ssh\.jumps has more than 8 hops/,
    ],
  ];
  for (const [input, expected] of cases) assert.match(errorOf(input), expected);
});

test('a ProxyJump chain that visits the same host twice is a loop', () => {
  assert.match(
    errorOf({
      ...base,
      ssh: {
        ...ssh,
        jumps: [
          { host: 'bastion', user: 'a' },
          { host: 'inner', user: 'b' },
          { host: 'BASTION', port: 22, user: 'c' },
        ],
      },
    }),
    /profile\.ssh\.jumps\.2\.host makes a ProxyJump loop: jump 3 \(bastion:22\) is the same host as jump 1\. Remove the repeated hop/,
  );
  assert.match(
    errorOf({ ...base, ssh: { ...ssh, jumps: [{ host: 'target.example', user: 'a' }] } }),
    /profile\.ssh\.host makes a ProxyJump loop: the target host/,
  );
  // Same host on another port is another sshd: no loop.
  assert.equal(
    profileInputSchema.safeParse({
      ...base,
      ssh: { ...ssh, jumps: [{ host: 'target.example', port: 2222, user: 'a' }] },
    }).success,
    true,
  );
});

test('safety levels decide what a write needs: read-only forbids writes altogether', () => {
  assert.equal(writePolicy({ safety: 'read-only' }), 'forbidden');
  assert.equal(writePolicy({ safety: 'production' }), 'type-profile-name');
  assert.equal(writePolicy({ safety: 'standard' }), 'confirm');
  assert.equal(defaultSafety('production'), 'production');
  assert.equal(defaultSafety('staging'), 'standard');
});
