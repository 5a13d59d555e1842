import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { after, test } from 'node:test';
import { createCore } from '../../src/main/core';
import { readStoredProfiles } from '../support/stored-profiles';
import { fileKeySource } from '../../src/main/vault/key-sources';
import { profilesExportFormat, profilesExportVersion } from '../../src/shared/profile';
import { makeTempDir, removeDir } from '../harness/index';
import { runCli } from '../support/cli';

const home = makeTempDir('concurrency');
after(() => removeDir(home));

test('the app core and CLI processes writing the same store at once lose nothing', async () => {
  const core = createCore({ dataDir: home, keySource: fileKeySource(home), knownHostsFiles: [] });
  try {
    const importers = [0, 1, 2].map((batch) => {
      const file = join(home, `batch-${batch}.json`);
      const profiles = Array.from({ length: 15 }, (_, i) => ({
        name: `cli-${batch}-${i}`,
        environment: 'staging',
        postgres: { host: 'db', database: 'app', user: `u${i}` },
      }));
      writeFileSync(file, JSON.stringify({ format: profilesExportFormat, version: profilesExportVersion, profiles }));
      return runCli(home, ['profiles', 'import', file, '--json']);
    });
    const adders = [0, 1].map((n) =>
      runCli(
        home,
        [
          'profiles',
          'add',
          '--name',
          `cli-add-${n}`,
          '--environment',
          'development',
          '--pg-host',
          'db',
          '--pg-database',
          'app',
          '--pg-user',
          'u',
          '--pg-password-stdin',
          '--json',
        ],
        { input: `cli-password-${n}` },
      ),
    );

    // Meanwhile the app saves and edits its own profiles until every process has finished.
    const cliRuns = Promise.all([...importers, ...adders]);
    let cliDone = false;
    void cliRuns.finally(() => (cliDone = true));
    const appIds: string[] = [];
    for (let i = 0; !cliDone || i < 20; i++) {
      const saved = await core.invoke('profiles.save', {
        profile: {
          name: `app-${i}`,
          environment: 'development',
          redis: { host: 'r' },
          secrets: { redisPassword: { set: `app-password-${i}` } },
        },
      });
      appIds.push(saved.id);
      if (i % 4 === 0)
        await core.invoke('profiles.save', {
          id: appIds[i / 2]!,
          profile: { name: `app-${i / 2}`, environment: 'development', notes: 'edited', redis: { host: 'r' } },
        });
      await delay(5);
    }
    for (const run of await cliRuns) assert.equal(run.code, 0, run.stderr);

    const names = (await core.invoke('profiles.list', {})).map((p) => p.name);
    assert.ok(appIds.length > 40, `the app kept writing while the CLI ran (${appIds.length} saves)`);
    assert.equal(names.length, 45 + 2 + appIds.length, 'every profile from every writer is there');
    for (let batch = 0; batch < 3; batch++) for (let i = 0; i < 15; i++) assert.ok(names.includes(`cli-${batch}-${i}`));
    for (let i = 0; i < appIds.length; i++)
      assert.equal(
        readStoredProfiles(home, (profiles) => profiles.secret(appIds[i]!, 'redisPassword')),
        `app-password-${i}`,
        'edits kept the secret',
      );
    for (let n = 0; n < 2; n++) {
      const added = await core.invoke('profiles.get', { name: `cli-add-${n}` });
      assert.equal(
        readStoredProfiles(home, (profiles) => profiles.secret(added.id, 'pgPassword')),
        `cli-password-${n}`,
        'a secret sealed by the CLI opens in the app',
      );
    }
    assert.equal((await core.invoke('profiles.get', { name: 'app-0' })).notes, 'edited');
  } finally {
    await core.dispose();
  }
  const db = new Database(join(home, 'opsconsole.db'), { readonly: true });
  assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
  db.close();
});
