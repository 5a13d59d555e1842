// Retakes the README's workbench screenshots (docs/screenshots/schema-browser.png, explain-tree.png,
// query-history.png): the real renderer in Chromium against the harness's Postgres through sshd.
// Run by `npm run screenshots` (after screenshots.ts).
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { startPostgres, startSshd } from '../test/harness/index';
import { openApp } from '../test/support/app-under-test';
import { harnessProfile } from '../test/support/profiles';

const out = fileURLToPath(new URL('../docs/screenshots/', import.meta.url));
const [server, sshd] = await Promise.all([startPostgres(), startSshd()]);
const app = await openApp({ hostKeyPrompter: { ask: async () => true } });
const { page, temp } = app;
const shot = async (name: string, testId: string) => {
  await page.getByTestId(testId).scrollIntoViewIfNeeded();
  await page.waitForTimeout(200);
  await page.screenshot({ path: join(out, `${name}.png`) });
  process.stderr.write(`saved docs/screenshots/${name}.png\n`);
};
try {
  const direct = new pg.Client({ connectionString: server.connectionString() });
  await direct.connect();
  await direct.query(`CREATE SCHEMA shop;
    CREATE TABLE shop.customers (id int PRIMARY KEY, email text NOT NULL UNIQUE, country text, created_at timestamptz NOT NULL DEFAULT now());
    CREATE TABLE shop.orders (id bigint PRIMARY KEY, customer_id int NOT NULL REFERENCES shop.customers (id), status text NOT NULL, total numeric(10, 2) CHECK (total >= 0), created_at timestamptz NOT NULL DEFAULT now());
    CREATE INDEX orders_customer ON shop.orders (customer_id);
    CREATE TABLE shop.payments (id bigint PRIMARY KEY, order_id bigint REFERENCES shop.orders (id), amount numeric(10, 2));
    CREATE VIEW shop.open_orders AS SELECT * FROM shop.orders WHERE status = 'open';
    INSERT INTO shop.customers SELECT g, 'c' || g || '@example.com', (ARRAY['DE', 'FR', 'NL'])[1 + g % 3] FROM generate_series(1, 5000) g;
    INSERT INTO shop.orders SELECT g, 1 + g % 5000, (ARRAY['open', 'paid', 'shipped'])[1 + g % 3], g % 500 FROM generate_series(1, 60000) g;
    INSERT INTO shop.payments SELECT g, g, g % 500 FROM generate_series(1, 40000) g;
    ANALYZE;`);
  await direct.end();
  await page.setViewportSize({ width: 1280, height: 860 });
  const profileId = (
    await temp.core.invoke('profiles.save', { profile: harnessProfile('staging-eu', { sshd, pg: server }) })
  ).id;
  await temp.core.invoke('sql.run', { profileId, sql: 'SELECT status, count(*) FROM shop.orders GROUP BY status' });
  const preview = await temp.core.invoke('sql.run', { profileId, sql: 'DELETE FROM shop.payments WHERE amount = 0' });
  await temp.core.invoke('sql.confirm', { runId: preview.runId, decision: 'rollback' });
  await page.reload();
  await page.getByTestId('profile-item-staging-eu').click();

  await page.getByTestId('workbench-schema').click();
  await page
    .getByTestId('schema-node')
    .first()
    .waitFor({ timeout: 10_000 })
    .catch(async () => {
      throw new Error(`no schema tree: ${await page.getByTestId('schema-panel').textContent()}`);
    });
  const shop = page.locator('[data-testid="schema-node"][data-schema="shop"]');
  await shop.getByTestId('schema-toggle').click();
  await shop.locator('[data-name="orders"]').getByTestId('schema-describe').click();
  await page.getByTestId('schema-detail').waitFor();
  await shot('schema-browser', 'schema-panel');

  await page
    .getByTestId('sql-text')
    .fill(
      "SELECT c.country, count(*), sum(o.total)\nFROM shop.orders o JOIN shop.customers c ON c.id = o.customer_id\nWHERE o.status = 'open'\nGROUP BY c.country",
    );
  await page.getByTestId('explain-analyze').click();
  await page.getByTestId('explain-result').waitFor();
  await shot('explain-tree', 'explain-result');

  await page.getByTestId('workbench-history').click();
  await page.getByTestId('history-entry').nth(1).waitFor();
  await shot('query-history', 'history-panel');
} finally {
  await app.close();
  await Promise.all([server.stop(), sshd.dispose()]);
}
