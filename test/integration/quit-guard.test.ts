import assert from 'node:assert/strict';
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

test('what quitting would roll back is listed, and closing the core rolls it back', async () => {
  const temp = tempCore();
  const profile = await temp.core.invoke('profiles.save', {
    profile: {
      name: 'local-db',
      environment: 'development',
      postgres: { host: '127.0.0.1', port: server.port, database: server.database, user: server.user },
      secrets: { pgPassword: { set: server.password } },
    },
  });
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
