import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import pg from 'pg';
import type { HeadlessRunResult } from '../../src/shared/contract';
import { startPostgres, type PostgresServer } from '../harness/index';
import { runCliInProcess } from '../support/cli';
import { harnessProfile } from '../support/profiles';
import { tempCore, type TempCore } from '../support/temp-core';

// A headless write whose COMMIT loses its connection and cannot be settled: the step is `unknown`,
// the run stops there, and the command exits 3 (check before retrying), as `sql run` does.
let server: PostgresServer;
let admin: pg.Client;
let temp: TempCore;

before(async () => {
  server = await startPostgres();
  admin = new pg.Client({
    host: server.host,
    port: server.port,
    database: server.database,
    user: server.superuser,
    password: server.superPassword,
  });
  await admin.connect();
  // Every COMMIT but the admin's now waits for a synchronous standby that does not exist.
  await admin.query('SET synchronous_commit = local');
  await admin.query('CREATE TABLE ledger (id int PRIMARY KEY)');
  await admin.query('GRANT ALL ON ledger TO ops');
  await admin.query("ALTER SYSTEM SET synchronous_standby_names = 'standby_that_is_not_there'");
  await admin.query('SELECT pg_reload_conf()');
  temp = tempCore();
  await temp.core.invoke('profiles.save', { profile: harnessProfile('ledger-db', { pg: server }, 'production') });
  writeFileSync(
    join(temp.dataDir, 'ledger.md'),
    '# Ledger\n\n```sql {name=book}\nINSERT INTO ledger VALUES (1)\n```\n\n```sql {name=check}\nSELECT count(*) FROM ledger\n```\n',
  );
});
after(async () => {
  await admin?.end().catch(() => undefined);
  await temp?.dispose();
  await server?.stop();
});

test(
  'a confirmed write whose outcome is unknown: outcome unknown, the rest not run, exit 3',
  { timeout: 120_000 },
  async () => {
    const running = runCliInProcess(temp.dataDir, [
      'runbook',
      'run',
      join(temp.dataDir, 'ledger.md'),
      '--profile',
      'ledger-db',
      '--step',
      'book',
      '--step',
      'check',
      '--confirm',
      'ledger-db',
      '--json',
    ]);
    let pid: number | undefined;
    for (let i = 0; i < 300 && pid === undefined; i++) {
      pid = (
        await admin.query<{ pid: number }>(
          "SELECT pid FROM pg_stat_activity WHERE usename = 'ops' AND wait_event = 'SyncRep'",
        )
      ).rows[0]?.pid;
      if (pid === undefined) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.ok(pid, 'the COMMIT waited for the synchronous standby');
    // Nobody can ask the server afterwards: the console's next connection is refused.
    await admin.query("ALTER ROLE ops PASSWORD 'rotated-meanwhile'");
    await admin.query('SELECT pg_terminate_backend($1)', [pid]);
    const run = await running;
    assert.equal(run.code, 3, run.stdout + run.stderr);
    const doc = run.json<HeadlessRunResult>();
    assert.deepEqual(
      doc.steps.map((s) => [s.id, s.outcome, s.serverOutcome]),
      [
        ['book', 'unknown', 'unknown'],
        ['check', 'not_run', null],
      ],
    );
    assert.match(doc.steps[0]!.error!, /unknown/i);
    assert.doesNotMatch(run.stdout + run.stderr, /rolled back/i);
  },
);
