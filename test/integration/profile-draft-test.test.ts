import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { ProfileInput } from '../../src/shared/profile';
import { startPostgres, startRedis, type PostgresServer, type RedisServer } from '../harness/index';
import { tempCore, type TempCore } from '../support/temp-core';

let pg: PostgresServer;
let redis: RedisServer;
let temp: TempCore;
const redisPassword = 'draft-redis-pw';

before(async () => {
  [pg, redis] = await Promise.all([
    startPostgres(),
    startRedis(['--user', 'ops', 'on', `>${redisPassword}`, '~*', '+@all']),
  ]);
  temp = tempCore();
});
after(async () => {
  await temp?.dispose();
  await Promise.all([pg?.stop(), redis?.stop()]);
});

const draft = (overrides: Partial<ProfileInput> = {}): ProfileInput => ({
  name: 'draft-db',
  environment: 'staging',
  postgres: { host: '127.0.0.1', port: pg.port, database: pg.database, user: pg.user },
  redis: { host: '127.0.0.1', port: redis.port, username: 'ops' },
  secrets: {},
  ...overrides,
});
const statuses = (result: { steps: { stage: string; status: string }[] }) =>
  result.steps.map((s) => `${s.stage}:${s.status}`);

test('a new draft is tested with the secrets typed in the form, and nothing is saved', async () => {
  const typed = draft({ secrets: { pgPassword: { set: pg.password }, redisPassword: { set: redisPassword } } });
  const result = await temp.core.invoke('profiles.testDraft', { profile: typed, testId: 'draft-1' });
  assert.equal(result.ok, true, JSON.stringify(result.steps));
  assert.equal(result.profileId, 'draft:new');
  assert.deepEqual(statuses(result), ['postgres:ok', 'redis:ok']);
  assert.deepEqual(await temp.core.invoke('profiles.list', {}), [], 'testing a draft saves no profile');
});

test('a wrong typed password fails its own stage and names the cause', async () => {
  const result = await temp.core.invoke('profiles.testDraft', {
    profile: draft({ secrets: { pgPassword: { set: 'wrong' }, redisPassword: { set: redisPassword } } }),
  });
  assert.equal(result.ok, false);
  assert.equal(result.failedStage, 'postgres');
  assert.match(result.steps[0]!.detail ?? '', /password authentication failed/i);
});

test('an edit uses the stored secrets while the route is unchanged, and never sends them to a changed route', async () => {
  const saved = await temp.core.invoke('profiles.save', {
    profile: draft({ secrets: { pgPassword: { set: pg.password }, redisPassword: { set: redisPassword } } }),
  });
  const same = await temp.core.invoke('profiles.testDraft', {
    id: saved.id,
    profile: draft({ notes: 'edited, route unchanged' }),
  });
  assert.equal(same.ok, true, JSON.stringify(same.steps));
  assert.equal(same.profileId, `draft:${saved.id}`);
  // "localhost" is the same server, but a different route as far as secrets go: the stored passwords stay home.
  const moved = await temp.core.invoke('profiles.testDraft', {
    id: saved.id,
    profile: draft({
      postgres: { host: 'localhost', port: pg.port, database: pg.database, user: pg.user },
      redis: { host: 'localhost', port: redis.port, username: 'ops' },
    }),
  });
  assert.deepEqual(statuses(moved), ['postgres:failed', 'redis:failed'], JSON.stringify(moved.steps));
  assert.match(
    moved.steps[0]!.detail ?? '',
    /password must be a string/,
    'the server was reached, with no password sent',
  );
  assert.match(moved.steps[1]!.detail ?? '', /WRONGPASS/, 'Redis was reached, without the stored password');
  const typedAgain = await temp.core.invoke('profiles.testDraft', {
    id: saved.id,
    profile: draft({
      postgres: { host: 'localhost', port: pg.port, database: pg.database, user: pg.user },
      secrets: { pgPassword: { set: pg.password } },
    }),
  });
  assert.deepEqual(statuses(typedAgain), ['postgres:ok', 'redis:ok'], 'a password typed again goes to the new route');
  const after = await temp.core.invoke('profiles.get', { id: saved.id });
  assert.equal(after.notes, '', 'the stored profile is untouched by the tests');
  assert.equal(after.postgres?.host, '127.0.0.1');
});

test('a draft that breaks the profile schema is refused naming the field', async () => {
  await assert.rejects(
    temp.core.invoke('profiles.testDraft', {
      profile: draft({ postgres: { host: '', port: pg.port, database: pg.database, user: pg.user } }),
    }),
    (error: Error & { code?: string }) => error.code === 'invalid_input' && /postgres\.host/.test(error.message),
  );
  await assert.rejects(
    temp.core.invoke('profiles.testDraft', { id: 'no-such-profile', profile: draft() }),
    (error: Error & { code?: string }) => error.code === 'not_found',
  );
});
