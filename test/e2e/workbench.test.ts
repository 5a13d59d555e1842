import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { startPostgres, startSshd, type PostgresServer, type SshdServer } from '../harness/index';
import { openApp, type AppUnderTest } from '../support/app-under-test';
import { seriousViolations } from '../support/axe';
import { harnessProfile } from '../support/profiles';

let pgServer: PostgresServer;
let sshd: SshdServer;
let app: AppUnderTest;
let profileId: string;

before(async () => {
  [pgServer, sshd] = await Promise.all([startPostgres(), startSshd()]);
  const direct = new pg.Client({ connectionString: pgServer.connectionString() });
  await direct.connect();
  await direct.query('CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL)');
  await direct.query(
    'CREATE TABLE orders (id int PRIMARY KEY, customer_id int NOT NULL REFERENCES customers (id), total numeric)',
  );
  await direct.query("INSERT INTO customers SELECT g, 'customer ' || g FROM generate_series(1, 50) g");
  await direct.query('INSERT INTO orders SELECT g, 1 + g % 50, g * 1.5 FROM generate_series(1, 500) g');
  await direct.query('ANALYZE');
  await direct.end();
  app = await openApp({ hostKeyPrompter: { ask: async () => true } });
  profileId = (
    await app.temp.core.invoke('profiles.save', { profile: harnessProfile('staging', { sshd, pg: pgServer }) })
  ).id;
  await app.page.reload();
  await app.page.getByTestId('profile-item-staging').click();
});
after(async () => {
  await app?.close();
  await Promise.all([pgServer?.stop(), sshd?.dispose()]);
});

test('history: runs from the CLI side and the app are searchable, and one opens in the editor to run again', async () => {
  const { page } = app;
  // A run made outside the window (the CLI shares the core's store) is in the history too.
  await app.temp.core.invoke('sql.run', { profileId, sql: 'SELECT count(*) AS n FROM orders WHERE total > 100' });
  await page.getByTestId('sql-text').fill('SELECT name FROM customers WHERE id = 7');
  await page.getByTestId('sql-run').click();
  await page.getByTestId('sql-outcome').filter({ hasText: 'Ran read-only' }).waitFor();
  await page.getByTestId('workbench-history').click();
  await page.getByTestId('history-entry').nth(1).waitFor();
  assert.deepEqual(await page.getByTestId('history-sql').allTextContents(), [
    'SELECT name FROM customers WHERE id = 7',
    'SELECT count(*) AS n FROM orders WHERE total > 100',
  ]);
  await page.getByTestId('history-grep').fill('TOTAL > 100');
  await page.getByTestId('history-sql').filter({ hasText: 'customers' }).waitFor({ state: 'detached' });
  assert.deepEqual(await page.getByTestId('history-sql').allTextContents(), [
    'SELECT count(*) AS n FROM orders WHERE total > 100',
  ]);
  await page.getByTestId('history-outcome-filter').selectOption('refused');
  await page.getByTestId('history-entry').waitFor({ state: 'detached' });
  await page.getByTestId('history-outcome-filter').selectOption('');
  await page.getByTestId('history-reopen').first().click();
  await page.getByTestId('sql-text').filter({ hasText: 'total > 100' }).waitFor();
  await page.getByTestId('sql-run').click();
  await page.getByTestId('sql-result').locator('td').filter({ hasText: /^\d+$/ }).first().waitFor();
  assert.deepEqual(await page.getByTestId('sql-result').locator('td').allTextContents(), ['434']);
  await page.getByTestId('history-refresh').click();
  await page.getByTestId('history-entry').nth(1).waitFor();
  assert.equal(await page.getByTestId('history-entry').count(), 2, 'the re-run is a new entry');
  assert.deepEqual(await seriousViolations(page), [], 'the history panel passes axe');
  assert.deepEqual(app.consoleErrors, []);
});

test('a saved query file dropped into the queries folder is listed (a broken one with its error) and runs from the console', async () => {
  const { page } = app;
  mkdirSync(join(app.temp.dataDir, 'queries'), { recursive: true });
  writeFileSync(
    join(app.temp.dataDir, 'queries', 'big-orders.sql'),
    '-- name: Big orders\n-- description: Orders above a total.\n-- param: min_total numeric default=700\nSELECT count(*) AS n FROM orders WHERE total > $1\n',
  );
  writeFileSync(
    join(app.temp.dataDir, 'queries', 'broken.sql'),
    '-- name: Broken\n-- param: token text secret default=abc\nSELECT $1\n',
  );
  await page.getByTestId('workbench-saved').click();
  await page.getByTestId('saved-queries-refresh').click();
  await page.getByTestId('saved-query-name').filter({ hasText: 'Big orders' }).waitFor();
  assert.match(
    (await page.getByTestId('saved-query-error').textContent()) ?? '',
    /broken\.sql line 2: param token is secret and cannot have a default/,
  );
  await page.getByTestId('saved-query').filter({ hasText: 'Big orders' }).getByTestId('saved-query-open').click();
  await page.getByTestId('template-run').click();
  await page.getByTestId('sql-outcome').filter({ hasText: 'Ran read-only' }).waitFor();
  assert.deepEqual(await page.getByTestId('sql-result').locator('td').allTextContents(), ['34']);
  await page.getByTestId('template-picker').selectOption('');
  assert.deepEqual(app.consoleErrors, []);
});

test('schema tree: a schema opens lazily, searches, describes a table and puts its SELECT in the editor', async () => {
  const { page } = app;
  await page.getByTestId('workbench-schema').click();
  const publicSchema = page.locator('[data-testid="schema-node"][data-schema="public"]');
  await publicSchema.getByTestId('schema-toggle').click();
  await publicSchema.getByTestId('schema-shown').filter({ hasText: '2 of 2' }).waitFor();
  assert.match((await publicSchema.locator('[data-name="orders"]').textContent()) ?? '', /table · ~500 rows/);
  await publicSchema.getByTestId('schema-search').fill('CUST');
  await publicSchema.getByTestId('schema-shown').filter({ hasText: '1 of 1' }).waitFor();
  await publicSchema.locator('[data-name="customers"]').getByTestId('schema-describe').click();
  await page.getByTestId('schema-detail').waitFor();
  assert.deepEqual(await page.getByTestId('schema-column').locator('td:first-child').allTextContents(), ['id', 'name']);
  assert.match(
    (await page.getByTestId('schema-fk').textContent()) ?? '',
    /← orders: FOREIGN KEY \(customer_id\) REFERENCES customers\(id\)/,
  );
  assert.deepEqual(await seriousViolations(page), [], 'the schema browser passes axe');
  await publicSchema.locator('[data-name="customers"]').getByTestId('schema-select').click();
  await page.getByTestId('sql-text').filter({ hasText: 'SELECT * FROM "public"."customers" LIMIT 100' }).waitFor();
  await page.getByTestId('sql-run').click();
  await page.getByTestId('sql-outcome').filter({ hasText: 'Ran read-only' }).waitFor();
  assert.equal(await page.getByTestId('sql-result').locator('tbody tr').count(), 50);
  assert.deepEqual(app.consoleErrors, []);
});

test('completion offers functions; EXPLAIN of a join as a tree with the costliest node marked, ANALYZE with its note, plain text, attached to the timeline', async () => {
  const { page } = app;
  await page.getByTestId('sql-catalog-refresh').click();
  await page.getByTestId('sql-catalog-refresh').filter({ hasText: 'Refresh schema' }).waitFor();
  await page.getByTestId('sql-text').fill('SELECT pg_size_pre');
  await page.getByTestId('sql-text').press('Control+End');
  await page.getByTestId('sql-text').press('Control+Space');
  await page.locator('.cm-tooltip-autocomplete').filter({ hasText: 'pg_size_pretty' }).waitFor();
  await page.getByTestId('sql-text').press('Escape');
  await page
    .getByTestId('sql-text')
    .fill('SELECT c.name, sum(o.total) FROM orders o JOIN customers c ON c.id = o.customer_id GROUP BY c.name');
  await page.getByTestId('explain-run').click();
  await page.getByTestId('explain-result').waitFor();
  const types = await page.getByTestId('plan-node-type').allTextContents();
  assert.ok(
    types.some((t) => /Join/.test(t)),
    `a join node among ${types.join(', ')}`,
  );
  assert.ok(
    (await page.locator('[data-testid="plan-node"][data-costly]').count()) >= 1,
    'the costliest node is marked',
  );
  assert.equal(await page.getByTestId('explain-note').count(), 0, 'plain EXPLAIN ran nothing');
  assert.deepEqual(await seriousViolations(page), [], 'the plan view passes axe');

  await page.getByTestId('explain-analyze').click();
  await page.getByTestId('explain-note').filter({ hasText: 'executed the query' }).waitFor();
  assert.match((await page.getByTestId('explain-result').textContent()) ?? '', /actual 500 rows × 1 loop/);
  await page.getByTestId('explain-text-toggle').click();
  assert.match((await page.getByTestId('explain-text').textContent()) ?? '', /Execution Time: [\d.]+ ms/);
  await page.getByTestId('explain-attach').click();
  await page.getByTestId('explain-attach').filter({ hasText: 'Attached to the timeline' }).waitFor();

  await page.getByTestId('sql-text').fill('DELETE FROM orders WHERE id = 1');
  await page.getByTestId('explain-analyze').click();
  await page
    .getByTestId('explain-error')
    .filter({ hasText: 'EXPLAIN ANALYZE executes the statement, and this one is write' })
    .waitFor();
  assert.deepEqual(app.consoleErrors, []);
});

test('a grid column is resized by dragging its header edge, and moved by dragging its header', async () => {
  const { page } = app;
  await page.getByTestId('sql-text').fill("SELECT g AS id, 'label ' || g AS label FROM generate_series(1, 300) g");
  await page.getByTestId('sql-stream').click();
  await page
    .getByTestId('grid-status')
    .filter({ hasText: /^300 rows · first row/ })
    .waitFor({ timeout: 30_000 });
  // A plan left open by an earlier test would sit over the grid: close it if it is there (a click on
  // one that is not there would wait out Playwright's 30 s action timeout).
  const explainClose = page.getByTestId('explain-close');
  if (await explainClose.isVisible()) await explainClose.click();
  await page.getByTestId('grid-scroll').scrollIntoViewIfNeeded();
  const header = page.getByTestId('result-grid').getByRole('columnheader').nth(1);
  const before = (await header.boundingBox())!;
  const handle = (await page.getByTestId('result-grid').getByTestId('grid-resize').first().boundingBox())!;
  await page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2);
  await page.mouse.down();
  await page.mouse.move(handle.x + 120, handle.y + handle.height / 2, { steps: 5 });
  await page.mouse.up();
  const after = (await header.boundingBox())!;
  assert.ok(after.width > before.width + 80, `the column widened (${before.width} → ${after.width})`);
  const cell = (await page
    .locator('[data-testid="grid-row"][data-row="0"]')
    .getByTestId('grid-cell')
    .first()
    .boundingBox())!;
  assert.ok(Math.abs(cell.width - after.width) < 2, 'its cells follow');
  const grid = page.getByTestId('result-grid');
  await grid.getByTestId('grid-header').nth(1).dragTo(grid.getByTestId('grid-header').nth(0));
  await grid.getByTestId('grid-header').first().filter({ hasText: 'label' }).waitFor();
  assert.deepEqual(
    await page.locator('[data-testid="grid-row"][data-row="0"]').getByTestId('grid-cell').allTextContents(),
    ['label 1', '1'],
    'the cells follow the moved column',
  );
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.locator('[data-testid="grid-row"][data-row="0"]').click();
  await page.getByTestId('grid-copy-tsv').click();
  await page.getByTestId('grid-copied').filter({ hasText: 'Copied 1 row as TSV' }).waitFor();
  assert.equal(
    await page.evaluate(() => navigator.clipboard.readText()),
    'label\tid\nlabel 1\t1\n',
    'a copy reads like the grid: the moved column first',
  );
  assert.deepEqual(await seriousViolations(page), [], 'the grid with its resize handles passes axe');
  await page.getByTestId('grid-close').click();
  assert.deepEqual(app.consoleErrors, []);
});

test('a run cut by the row cap streams whole into the grid in one click; rows copy as INSERT statements and TSV', async () => {
  const { page } = app;
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.getByTestId('sql-text').fill("SELECT g AS id, 'it''s ' || g AS label FROM generate_series(1, 20000) g");
  await page.getByTestId('sql-run').click();
  await page.getByTestId('sql-truncated').waitFor();
  await page.getByTestId('sql-stream-all').click();
  await page
    .getByTestId('grid-status')
    .filter({ hasText: /^20,000 rows · first row/ })
    .waitFor({ timeout: 30_000 });
  const row = (index: number) => page.locator(`[data-testid="grid-row"][data-row="${index}"]`);
  await row(0).getByTestId('grid-cell').first().filter({ hasText: '1' }).waitFor();
  await row(0).click();
  await row(1).click({ modifiers: ['Shift'] });
  await page.getByTestId('grid-copy-insert').click();
  await page.getByTestId('grid-copied').filter({ hasText: 'Copied 2 rows as INSERT statements' }).waitFor();
  assert.equal(
    await page.evaluate(() => navigator.clipboard.readText()),
    `INSERT INTO table_name ("id", "label") VALUES (1, 'it''s 1');\nINSERT INTO table_name ("id", "label") VALUES (2, 'it''s 2');\n`,
  );
  await page.getByTestId('grid-copy-tsv').click();
  await page.getByTestId('grid-copied').filter({ hasText: 'Copied 2 rows as TSV' }).waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), "id\tlabel\n1\tit's 1\n2\tit's 2\n");
  await page.getByTestId('grid-close').click();
  assert.deepEqual(app.consoleErrors, []);
});
