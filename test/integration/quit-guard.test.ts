import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { startPostgres, type PostgresServer } from '../harness/index';
import { tempCore } from '../support/temp-core';

let server: PostgresServer;
before(async () => {
  server = await startPostgres();
  const direct = new pg.Client({ connectionString: server.connectionString() });
  await direct.connect();
  await direct.query(
    "CREATE TABLE flags (name text PRIMARY KEY, on_ boolean); INSERT INTO flags VALUES ('checkout', true)",
  );
  await direct.end();
});

after(() => server?.stop());

/** A development profile on the harness's Postgres, saved in `temp`'s core. */
function saveProfile(temp: ReturnType<typeof tempCore>, name: string) {
  return temp.core.invoke('profiles.save', {
    profile: {
      name,
      environment: 'development',
      postgres: { host: '127.0.0.1', port: server.port, database: server.database, user: server.user },
      secrets: { pgPassword: { set: server.password } },
    },
  });
}

/** app.openWork once it lists something (the work starts asynchronously), within 5 s. */
async function openWorkSoon(temp: ReturnType<typeof tempCore>): Promise<string[]> {
  let open: string[] = [];
  for (let i = 0; i < 50 && open.length === 0; i++) {
    await new Promise((r) => setTimeout(r, 100));
    open = await temp.core.invoke('app.openWork', {});
  }
  return open;
}

test('what quitting would roll back is listed, and closing the core rolls it back', async () => {
  const temp = tempCore();
  const profile = await saveProfile(temp, 'local-db');
  assert.deepEqual(await temp.core.invoke('app.openWork', {}), []);
  const pending = await temp.core.invoke('sql.run', {
    profileId: profile.id,
    sql: "UPDATE flags SET on_ = false WHERE name = 'checkout'",
  });
  assert.equal(pending.outcome, 'pending');
  const open = await temp.core.invoke('app.openWork', {});
  assert.equal(open.length, 1);
  assert.match(open[0]!, /write run on local-db waiting for your confirmation/);
  await temp.dispose();

  const direct = new pg.Client({ connectionString: server.connectionString() });
  await direct.connect();
  assert.equal(
    (await direct.query("SELECT on_ FROM flags WHERE name = 'checkout'")).rows[0].on_,
    true,
    'nothing was kept',
  );
  await direct.end();
});

test('quitting would also end the shells still open and drop the exports being written: both are listed', async () => {
  const temp = tempCore();
  try {
    const shell = await temp.core.invoke('terminals.open', { kind: 'local', cols: 80, rows: 24, title: 'scratch' });
    assert.deepEqual(await temp.core.invoke('app.openWork', {}), ['a local shell (scratch)']);
    await temp.core.invoke('terminals.close', { terminalId: shell.terminalId });
    assert.deepEqual(await temp.core.invoke('app.openWork', {}), [], 'a closed shell is not open work');

    const profile = await saveProfile(temp, 'export-db');
    const path = join(temp.dataDir, 'slow.csv');
    const exporting = temp.core
      .invoke('sql.export', {
        profileId: profile.id,
        sql: 'SELECT pg_sleep(20)',
        format: 'csv',
        path,
        exportId: 'slow-export',
      })
      .catch((error: Error) => error);
    assert.deepEqual(await openWorkSoon(temp), [`an export to ${path} still being written`]);
    assert.deepEqual(await temp.core.invoke('sql.cancelExport', { exportId: 'slow-export' }), { cancelled: true });
    await exporting;
    assert.deepEqual(await temp.core.invoke('app.openWork', {}), []);
  } finally {
    await temp.dispose();
  }
});

test('a confirmed change still being committed is open work, and closing the core waits for its outcome', async () => {
  const temp = tempCore();
  const holder = new pg.Client({ connectionString: server.connectionString() });
  await holder.connect();
  try {
    const profile = await saveProfile(temp, 'index-db');
    // CREATE INDEX CONCURRENTLY cannot be previewed: it runs once confirmed, and waits here behind a lock.
    const pending = await temp.core.invoke('sql.run', {
      profileId: profile.id,
      sql: 'CREATE INDEX CONCURRENTLY flags_on ON flags (on_)',
    });
    assert.equal(pending.outcome, 'pending');
    assert.equal(pending.confirmation?.previewed, false);
    await holder.query('BEGIN');
    await holder.query('LOCK TABLE flags IN ACCESS EXCLUSIVE MODE');
    const confirmed = temp.core.invoke('sql.confirm', { runId: pending.runId, decision: 'commit' });
    assert.deepEqual(await openWorkSoon(temp), ['a confirmed admin on index-db still being committed']);
    setTimeout(() => void holder.query('COMMIT'), 1000);
    // Quitting now: the core waits for the change instead of leaving its outcome unknown.
    await temp.dispose();
    const done = await confirmed;
    assert.equal(done.outcome, 'committed');
    const index = await holder.query("SELECT 1 FROM pg_indexes WHERE indexname = 'flags_on'");
    assert.equal(index.rowCount, 1);
    await holder.query('DROP INDEX flags_on');
  } finally {
    await holder.end();
  }
});
