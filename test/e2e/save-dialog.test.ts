import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { SavePathRequest } from '../../src/main/core';
import { startPostgres, type PostgresServer } from '../harness/index';
import { openApp, type AppUnderTest } from '../support/app-under-test';
import { harnessProfile } from '../support/profiles';
import { tempCore } from '../support/temp-core';

// The desktop app plugs Electron's save dialog into the core; here a stand-in answers for the
// operator, so the renderer, the contract and the core run as in the app.

let pg: PostgresServer;
let app: AppUnderTest;
let outDir: string;
const asked: SavePathRequest[] = [];
let answer: string | null = null;

/** Waits until the stand-in dialog has been asked `count` times in all. */
async function dialogAsked(count: number): Promise<void> {
  const deadline = Date.now() + 5000;
  while (asked.length < count) {
    if (Date.now() > deadline) throw new Error(`the save dialog was asked ${asked.length} times, not ${count}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

before(async () => {
  pg = await startPostgres();
  outDir = mkdtempSync(join(tmpdir(), 'opsconsole-e2e-dialog-'));
  app = await openApp({
    chooseSavePath: async (request) => {
      asked.push(request);
      return answer;
    },
  });
  await app.temp.core.invoke('profiles.save', { profile: harnessProfile('staging', { pg }) });
  await app.page.reload();
  await app.page.getByTestId('profile-item-staging').click();
});
after(async () => {
  await app?.close();
  await pg?.stop();
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

test('the export asks where to save with the system dialog, and replaces the file the operator confirmed there', async () => {
  const { page } = app;
  const path = join(outDir, 'chosen.csv');
  writeFileSync(path, 'an older export\n');
  await page.getByTestId('sql-text').fill('SELECT g AS n FROM generate_series(1, 3) g');
  await page.locator('.export-panel summary').click();

  answer = null;
  await page.getByTestId('export-run').click();
  await dialogAsked(1);
  await page.waitForTimeout(200);
  assert.equal(await page.getByTestId('export-status').count(), 0, 'a dismissed dialog exports nothing');

  answer = path;
  await page.getByTestId('export-format').selectOption('csv');
  await page.getByTestId('export-run').click();
  await page
    .getByTestId('export-status')
    .filter({ hasText: /^Exported 3 rows/ })
    .waitFor();
  assert.deepEqual(asked.at(-1), {
    title: 'Export the result',
    defaultName: 'result.csv',
    filters: [{ name: 'CSV', extensions: ['csv'] }],
  });
  assert.equal(await page.getByTestId('export-path').textContent(), path);
  assert.equal(readFileSync(path, 'utf8'), 'n\n1\n2\n3\n');

  // The window cannot name a file itself: a path in the request is refused, the file untouched.
  const typed = join(outDir, 'typed.csv');
  writeFileSync(typed, 'keep me\n');
  const profileId = (await app.temp.core.invoke('profiles.get', { name: 'staging' })).id;
  await assert.rejects(
    app.temp.core.invoke('sql.export', { profileId, sql: 'SELECT 1', format: 'csv', path: typed, overwrite: true }),
    { code: 'refused' },
  );
  assert.equal(readFileSync(typed, 'utf8'), 'keep me\n');
  assert.deepEqual(app.consoleErrors, []);
});

test('the incident report is saved where the dialog says, and nowhere when it is dismissed', async () => {
  const { page } = app;
  await app.temp.core.invoke('incidents.start', { title: 'Dialog check', severity: 'P3' });
  await page.reload();
  await page.getByTestId('toggle-timeline').click();
  await page.getByTestId('incident-heading').filter({ hasText: 'P3 · Dialog check' }).waitFor();

  answer = null;
  await page.getByTestId('export-md').click();
  await dialogAsked(3);
  await page.waitForTimeout(200);
  assert.equal(await page.getByTestId('timeline-drawer').getByTestId('export-path').count(), 0, 'nothing saved');

  const path = join(outDir, 'report.md');
  answer = path;
  await page.getByTestId('export-md').click();
  await page.getByTestId('timeline-drawer').getByTestId('export-path').filter({ hasText: path }).waitFor();
  assert.match(asked.at(-1)!.defaultName, /^incident-[0-9a-f]{8}-.*\.md$/);
  assert.match(readFileSync(path, 'utf8'), /^# Dialog check/m);
  assert.equal(existsSync(join(app.temp.dataDir, 'exports')), false, 'nothing went to the data folder');
});

test("without a system dialog (the browser host) a fresh file in the data folder's exports/ is chosen; a bad request names the field", async () => {
  const plain = tempCore({ acceptExportPaths: false });
  try {
    assert.equal((await plain.core.invoke('app.info', {})).nativeDialogs, false);
    const choice = await plain.core.invoke('app.chooseSavePath', { title: 'Export', defaultName: 'result.csv' });
    assert.equal(choice.path, join(plain.dataDir, 'exports', 'result.csv'));
    assert.match(choice.saveToken ?? '', /^[\w-]{20,}$/);
  } finally {
    await plain.dispose();
  }
  assert.equal((await app.temp.core.invoke('app.info', {})).nativeDialogs, true);
  await assert.rejects(
    app.temp.core.invoke('app.chooseSavePath', { title: 'Export', defaultName: '../../etc/passwd' }),
    { code: 'invalid_input', message: /defaultName must be a file name without folders/ },
  );
  await assert.rejects(
    app.temp.core.invoke('app.chooseSavePath', {
      title: 'Export',
      defaultName: 'r.csv',
      filters: [{ name: 'CSV', extensions: ['.csv'] }],
    }),
    { code: 'invalid_input', message: /extension without the dot/ },
  );
});
