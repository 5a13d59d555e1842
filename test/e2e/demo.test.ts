import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { openApp, type AppUnderTest } from '../support/app-under-test';

// One engine template for every test file (initdb once, not per data folder).
process.env.OPSCONSOLE_SANDBOX_CACHE ??= join(tmpdir(), 'opsconsole-sandbox-cache');

let app: AppUnderTest;
const step = (id: string) => app.page.locator(`[data-testid="runbook-step"][data-step-id="${id}"]`);

before(async () => {
  // An empty data folder and no server at all: the demo needs none.
  app = await openApp();
});
after(async () => {
  await app?.close();
});

test('from an empty data folder, "Try the demo environment" opens the demo runbook on a profile marked demo', async () => {
  const { page } = app;
  await page.getByTestId('empty-state').waitFor();
  await page.getByTestId('empty-demo').click();
  await page.getByTestId('runbook-title').filter({ hasText: 'Demo shop' }).waitFor({ timeout: 120_000 });
  await page.getByTestId('demo-badge-Demo shop').waitFor();
  assert.match((await page.getByTestId('demo-banner').textContent()) ?? '', /DEMO — Demo shop: an embedded Postgres/);
  const [profile] = await app.temp.core.invoke('profiles.list', {});
  assert.equal(profile?.demo, true);
  assert.equal(profile?.ssh, undefined);
});

test('the demo runbook: health, a read, a template with a parameter and EXPLAIN run against the embedded Postgres', async () => {
  for (const id of ['demo-connections', 'demo-table-sizes', 'demo-customer-orders', 'demo-slow-query-plan']) {
    await step(id).getByTestId('runbook-step-run').click();
    await step(id).getByTestId('runbook-step-status').filter({ hasText: 'Done' }).waitFor({ timeout: 30_000 });
  }
  assert.match((await step('demo-table-sizes').getByTestId('runbook-sql-result').textContent()) ?? '', /sessions/);
  assert.match(
    (await step('demo-slow-query-plan').getByTestId('runbook-sql-result').textContent()) ?? '',
    /Seq Scan on orders/,
  );
  assert.match(
    (await step('demo-disk-usage').getByTestId('runbook-step-why').textContent()) ?? '',
    /demo environment has no SSH host or terminal/,
  );
  assert.match(
    (await step('demo-cache-memory').getByTestId('runbook-step-why').textContent()) ?? '',
    /demo environment has no Redis/,
  );
});

test('the gated write: "Rehearse first" shows rows, locks and a sample beside the statement; rolled back, recorded as a rehearsal', async () => {
  const { page } = app;
  const write = step('demo-delete-stale-sessions');
  await write.getByTestId('runbook-step-run').click();
  const dialog = page.getByTestId('sql-confirm-dialog');
  await dialog.waitFor({ timeout: 30_000 });
  await dialog.getByTestId('rehearse-first').click();
  await dialog.getByTestId('rehearsal-report').waitFor({ timeout: 120_000 });
  assert.match((await dialog.getByTestId('rehearsal-rows').textContent()) ?? '', /\d+ row\(s\) affected/);
  assert.match((await dialog.getByTestId('rehearsal-lock').first().textContent()) ?? '', /ROW EXCLUSIVE on sessions/);
  assert.match((await dialog.getByTestId('rehearsal-sample').textContent()) ?? '', /before/);
  assert.match((await dialog.getByTestId('rehearsal-report').textContent()) ?? '', /nothing ran on the server/);
  await page.getByTestId('sql-rollback').click();
  await write.getByTestId('runbook-step-status').filter({ hasText: 'Not kept' }).waitFor();
  const sessionsLeft = await app.temp.core.invoke('sql.run', {
    profileId: (await app.temp.core.invoke('profiles.list', {}))[0]!.id,
    sql: 'SELECT count(*) FROM sessions',
  });
  assert.equal(sessionsLeft.statements[0]!.rows![0]![0], '5000', 'the demo database kept every row');
  const events = [];
  for (const incident of await app.temp.core.invoke('incidents.list', {}))
    events.push(...(await app.temp.core.invoke('incidents.events', { id: incident.id })));
  assert.ok(
    events.some((e) => e.kind === 'rehearsal'),
    'the timeline has the rehearsal as a rehearsal',
  );
  assert.deepEqual(app.consoleErrors, []);
});

test('Settings → Sandboxes lists the demo database and the rehearsal copy; a drop removes one', async () => {
  const { page } = app;
  await page.getByTestId('open-settings').click();
  const table = page.getByTestId('sandboxes');
  await table.waitFor();
  assert.deepEqual(
    (await table.locator('tbody tr td:nth-child(2)').allTextContents()).map((t) => t.replace(' (open)', '')).sort(),
    ['demo', 'rehearsal'],
  );
  await page.getByRole('button', { name: 'Drop the rehearsal sandbox of Demo shop' }).click();
  await table.locator('tbody tr').nth(1).waitFor({ state: 'detached' });
  assert.deepEqual(
    (await app.temp.core.invoke('sandbox.list', {})).map((s) => s.kind),
    ['demo'],
  );
});
