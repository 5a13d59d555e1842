import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { HostKeyPrompt } from '../../src/shared/contract';
import { startPostgres, startSshd, type PostgresServer, type SshdServer } from '../harness/index';
import { tempCore, type TempCore } from '../support/temp-core';
import { harnessProfile } from '../support/profiles';
import { readSql } from '../support/sql';

let pg: PostgresServer;
let sshd: SshdServer;
let temp: TempCore;

before(async () => {
  [pg, sshd] = await Promise.all([startPostgres(), startSshd()]);
  temp = tempCore();
});
after(async () => {
  await temp?.dispose();
  await Promise.all([pg?.stop(), sshd?.dispose()]);
});

function saveProfile() {
  return temp.core.invoke('profiles.save', { profile: harnessProfile('staging-eu', { sshd, pg }) });
}

test('profile → SSH (host key asked, then trusted) → pg over forwardOut → SELECT version()', async () => {
  const profile = await saveProfile();
  assert.equal(profile.secrets.pgPassword, true);
  assert.equal(JSON.stringify(profile).includes(pg.password), false, 'the view carries no secret');

  const prompts: HostKeyPrompt[] = [];
  const unsubscribe = temp.core.subscribe((name, payload) => {
    if (name !== 'onHostKeyPrompt') return;
    const prompt = payload as HostKeyPrompt;
    prompts.push(prompt);
    void temp.core.invoke('sessions.answerHostKey', { promptId: prompt.promptId, trust: true });
  });
  const result = await readSql(temp.core, { profileId: profile.id, sql: 'SELECT version()' });
  unsubscribe();
  assert.equal(prompts.length, 1);
  assert.equal(prompts[0]!.fingerprint, sshd.hostKeyFingerprint);
  assert.match(String(result.rows[0]![0]), /^PostgreSQL \d+/);
  assert.deepEqual(result.fields, [{ name: 'version', type: 'text' }]);

  // Trusted now: a second connection is not asked again.
  await temp.core.invoke('sessions.disconnect', { profileId: profile.id });
  const again = await readSql(temp.core, { profileId: profile.id, sql: 'SELECT 1::int8 AS one' });
  assert.deepEqual(again.rows, [['1']], 'bigint stays a string');
  assert.equal(prompts.length, 1);
});

test('a write never runs as a read: sql.run previews it in a transaction and rolling back keeps nothing', async () => {
  const [profile] = await temp.core.invoke('profiles.list', {});
  await assert.rejects(
    readSql(temp.core, { profileId: profile!.id, sql: 'CREATE TABLE t (id int)' }),
    /ended pending \(risk ddl\)/,
  );
  const left = await readSql(temp.core, { profileId: profile!.id, sql: "SELECT to_regclass('t') IS NULL AS gone" });
  assert.deepEqual(left.rows, [['t']]);
});

test('a rejected host key sends nothing and fails with host_key_rejected', async () => {
  const other = tempCore();
  try {
    const profile = await other.core.invoke('profiles.save', {
      profile: harnessProfile('p', { sshd }, 'development'),
    });
    other.core.subscribe((name, payload) => {
      if (name === 'onHostKeyPrompt')
        void other.core.invoke('sessions.answerHostKey', {
          promptId: (payload as HostKeyPrompt).promptId,
          trust: false,
        });
    });
    await assert.rejects(
      other.core.invoke('sessions.connect', { profileId: profile.id }),
      (e: Error & { code?: string }) => e.code === 'host_key_rejected',
    );
  } finally {
    await other.dispose();
  }
});
