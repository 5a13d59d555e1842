import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rmSync } from 'node:fs';
import { createCore } from '../../src/main/core';
import { fileKeySource } from '../../src/main/vault/key-sources';
import { tempCore } from '../support/temp-core';

test('the workbench session survives a restart of the core; secrets in editor text are masked; removed profiles drop out', async () => {
  const first = tempCore();
  const kept = (
    await first.core.invoke('profiles.save', {
      profile: {
        name: 'kept',
        environment: 'staging',
        postgres: { host: 'db', port: 5432, database: 'app', user: 'ops' },
      } as never,
    })
  ).id;
  const gone = (
    await first.core.invoke('profiles.save', {
      profile: {
        name: 'gone',
        environment: 'staging',
        postgres: { host: 'db', port: 5432, database: 'app', user: 'ops' },
      } as never,
    })
  ).id;
  const tabs = (text: string) => ({
    tabs: [
      { id: 'sql-1', kind: 'sql' as const, title: 'SQL 1', text },
      { id: 'redis-1', kind: 'redis' as const, title: 'Redis 1', text: 'AUTH admin s3cret-pw' },
    ],
    active: 'redis-1',
  });
  await first.core.invoke('workbench.saveSession', {
    session: {
      profiles: { [kept]: tabs("SELECT 1;\nALTER ROLE app PASSWORD 'hunter2-secret';"), [gone]: tabs('SELECT 2') },
      runbookPath: 'runbooks/redis-memory.md',
      selectedProfileId: kept,
    },
  });
  await first.core.invoke('profiles.remove', { id: gone });
  await first.core.dispose();
  // A restart: a new core over the same data folder.
  const second = createCore({
    dataDir: first.dataDir,
    keySource: fileKeySource(first.dataDir),
    knownHostsFiles: [],
    operator: 'tester',
  });
  try {
    const session = await second.invoke('workbench.session', {});
    assert.deepEqual(Object.keys(session.profiles), [kept]);
    const restored = session.profiles[kept]!;
    assert.equal(restored.active, 'redis-1');
    assert.match(restored.tabs[0]!.text, /^SELECT 1;/);
    assert.doesNotMatch(restored.tabs[0]!.text, /hunter2-secret/);
    assert.doesNotMatch(restored.tabs[1]!.text, /s3cret-pw/);
    assert.equal(session.runbookPath, 'runbooks/redis-memory.md');
    assert.equal(session.selectedProfileId, kept);
  } finally {
    await second.dispose();
    rmSync(first.dataDir, { recursive: true, force: true });
  }
});

test('a bad session is refused with the field named, and nothing is written', async () => {
  const temp = tempCore();
  try {
    await assert.rejects(
      temp.core.invoke('workbench.saveSession', {
        session: { profiles: { p: { tabs: [{ id: 'Bad Id', kind: 'sql', title: 't', text: '' }], active: 'x' } } },
      } as never),
      /id/,
    );
    assert.deepEqual(await temp.core.invoke('workbench.session', {}), { profiles: {} });
  } finally {
    await temp.dispose();
  }
});
