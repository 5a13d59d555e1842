import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import pg from 'pg';
import { startPostgres, type PostgresServer } from '../harness/index';
import { openApp, type AppUnderTest } from '../support/app-under-test';
import { harnessProfile } from '../support/profiles';

let pgServer: PostgresServer;
let app: AppUnderTest;
let direct: pg.Client;

before(async () => {
  pgServer = await startPostgres();
  direct = new pg.Client({ connectionString: pgServer.connectionString() });
  await direct.connect();
  await direct.query(
    "CREATE TABLE flags (name text PRIMARY KEY, enabled bool); INSERT INTO flags VALUES ('checkout_v2', true)",
  );
  app = await openApp();
  await app.temp.core.invoke('profiles.save', { profile: harnessProfile('prod-eu', { pg: pgServer }, 'production') });
  await app.page.reload();
  await app.page.getByTestId('profile-item-prod-eu').click();
});
after(async () => {
  await direct?.end();
  await app?.close();
  await pgServer?.stop();
});

test(
  'a write committed while another process holds the store: the app says Committed and that the record waits in the journal, which then joins the timeline',
  { timeout: 90_000 },
  async () => {
    const { page } = app;
    const holder = new Database(join(app.temp.dataDir, 'opsconsole.db'));
    try {
      await page.getByTestId('sql-text').fill("UPDATE flags SET enabled = false WHERE name = 'checkout_v2'");
      await page.getByTestId('sql-risk').filter({ hasText: 'write' }).waitFor();
      holder.exec('BEGIN IMMEDIATE');
      await page.getByTestId('sql-run').click();
      await page.getByTestId('sql-confirm-dialog').waitFor();
      await page.getByTestId('sql-confirm-name').fill('prod-eu');
      await page.getByTestId('sql-commit').click();
      await page.getByTestId('sql-outcome').filter({ hasText: 'Committed' }).waitFor();
      assert.match(
        await page.getByTestId('sql-recorded').innerText(),
        /kept in the fallback journal and joins the timeline as soon as the store accepts it/,
      );
      assert.doesNotMatch(await page.getByTestId('sql-outcome').innerText(), /rolled back|nothing was kept/i);
      assert.equal(
        (await direct.query("SELECT enabled FROM flags WHERE name = 'checkout_v2'")).rows[0]?.enabled,
        false,
      );
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
    // The journal's retry appends the records once the store takes writes again.
    let last: { kind: string; payload: Record<string, unknown> } | undefined;
    for (let i = 0; i < 50 && last?.kind !== 'sql.run'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      const [incident] = await app.temp.core.invoke('incidents.list', {});
      last =
        incident &&
        (await app.temp.core.invoke('incidents.events', { id: incident.id, afterSeq: 0, limit: 100 })).at(-1);
    }
    assert.equal(last?.kind, 'sql.run');
    assert.equal(last?.payload.serverOutcome, 'committed');
  },
);
