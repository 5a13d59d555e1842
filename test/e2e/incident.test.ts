import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { startPostgres, startSshd, type PostgresServer, type SshdServer } from '../harness/index';
import { openApp, type AppUnderTest } from '../support/app-under-test';
import { seriousViolations } from '../support/axe';
import { harnessProfile } from '../support/profiles';

let pg: PostgresServer;
let sshd: SshdServer;
let app: AppUnderTest;

before(async () => {
  [pg, sshd] = await Promise.all([startPostgres(), startSshd()]);
  app = await openApp({ hostKeyPrompter: { ask: async () => true } });
  await app.temp.core.invoke('profiles.save', { profile: harnessProfile('staging-eu', { sshd, pg }) });
  await app.page.reload();
  await app.page.getByTestId('profile-item-staging-eu').click();
});
after(async () => {
  await app?.close();
  await Promise.all([pg?.stop(), sshd?.dispose()]);
});

test('an incident opened in the UI collects a real run, a note and a report, and exports to all four formats', async () => {
  const { page } = app;
  await page.getByTestId('toggle-timeline').click();
  await page.getByTestId('incident-title').fill('Checkout latency');
  await page.getByTestId('incident-severity').selectOption('P1');
  await page.getByTestId('incident-start').click();
  await page.getByTestId('incident-heading').filter({ hasText: 'P1 · Checkout latency' }).waitFor();

  await page.getByTestId('sql-text').fill('SELECT count(*) AS sessions FROM pg_stat_activity');
  await page.getByTestId('sql-run').click();
  await page.getByTestId('sql-result').waitFor();
  await page.getByTestId('timeline').locator('[data-kind="sql.run"]').first().waitFor();

  await page.getByTestId('note-text').fill('Connections look normal; suspect the cache.');
  await page.getByTestId('note-add').click();
  await page.getByTestId('timeline').getByText('Connections look normal').waitFor();
  await page.getByTestId('incident-status').selectOption('mitigated');
  await page.getByTestId('timeline').locator('[data-kind="status.changed"]').waitFor();

  await page.getByTestId('report-toggle').click();
  await page.getByTestId('report-summary').fill('Cache eviction storm slowed checkout.');
  await page.getByTestId('report-rootCause').fill('maxmemory too low after a deploy.');
  await page.getByTestId('action-item-add').click();
  await page.getByTestId('action-item-text').fill('Alert on evicted_keys');
  await page.getByTestId('report-save').click();
  await page.getByText('Report saved.').waitFor();
  assert.deepEqual(await seriousViolations(page), [], 'the drawer passes axe');

  const [incident] = (await app.temp.core.invoke('incidents.list', {})).filter((i) => i.kind === 'incident');
  assert.equal(incident!.report.actionItems[0]!.text, 'Alert on evicted_keys');
  const kinds = (await app.temp.core.invoke('incidents.events', { id: incident!.id, afterSeq: 0, limit: 1000 })).map(
    (e) => e.kind,
  );
  for (const kind of ['incident.opened', 'sql.run', 'note', 'status.changed', 'report.edited'])
    assert.ok(kinds.includes(kind as never), `${kind} recorded`);

  const paths: Record<string, string> = {};
  for (const format of ['md', 'html', 'json', 'pdf']) {
    await page.getByTestId(`export-${format}`).click();
    const shown = page.getByTestId('export-path').filter({ hasText: `.${format}` });
    await shown.waitFor();
    paths[format] = (await shown.locator('code').textContent())!;
    assert.ok(existsSync(paths[format]!), `${format} written`);
  }
  const markdown = readFileSync(paths.md!, 'utf8');
  assert.match(markdown, /# Checkout latency/);
  assert.match(markdown, /Cache eviction storm/);
  assert.match(markdown, /Alert on evicted_keys/);
  assert.equal(markdown.includes(pg.password), false, 'no secret in the report');
  assert.equal(JSON.parse(readFileSync(paths.json!, 'utf8')).incident.title, 'Checkout latency');
  const pdfText = spawnSync('pdftotext', [paths.pdf!, '-'], { encoding: 'utf8' }).stdout;
  assert.match(pdfText, /Checkout latency/);
  assert.deepEqual(app.consoleErrors, []);
});
