import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { summarizeEvent } from '../../src/shared/incident-summary';
import { startPostgres, type PostgresServer } from '../harness/index';
import { tempCore } from '../support/temp-core';

let server: PostgresServer;
before(async () => {
  server = await startPostgres();
});
after(() => server?.stop());

test('a health run is recorded into the timeline once per change of statuses, not once per poll', async () => {
  const temp = tempCore();
  try {
    const profile = await temp.core.invoke('profiles.save', {
      profile: {
        name: 'local-db',
        environment: 'development',
        postgres: { host: '127.0.0.1', port: server.port, database: server.database, user: server.user },
        secrets: { pgPassword: { set: server.password } },
      },
    });
    const ids = ['pg.connections', 'pg.cache_hit'];
    await temp.core.invoke('health.run', { profileId: profile.id, ids });
    await temp.core.invoke('health.run', { profileId: profile.id, ids });
    const active = await temp.core.invoke('incidents.active', {});
    const events = await temp.core.invoke('incidents.events', { id: active!.id, afterSeq: 0, limit: 100 });
    const runs = events.filter((e) => e.kind === 'health.run');
    assert.equal(runs.length, 1, 'the same statuses twice: recorded once');
    assert.match(summarizeEvent(runs[0]!), /^Health checks on local-db: \d ok, \d warn, \d critical, \d error/);
    // A different threshold flips a status: that change is recorded.
    await temp.core.invoke('health.run', { profileId: profile.id, ids, params: { 'pg.connections.warnPercent': 1 } });
    const after = (await temp.core.invoke('incidents.events', { id: active!.id, afterSeq: 0, limit: 100 })).filter(
      (e) => e.kind === 'health.run',
    );
    assert.equal(after.length, 2);
  } finally {
    await temp.dispose();
  }
});
