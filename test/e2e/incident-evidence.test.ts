import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import { openApp, type AppUnderTest } from '../support/app-under-test';
import { seriousViolations } from '../support/axe';
import { runCliInProcess } from '../support/cli';

let app: AppUnderTest;
let files: string;

before(async () => {
  app = await openApp();
  files = mkdtempSync(join(tmpdir(), 'evidence-files-'));
});
after(async () => {
  await app?.close();
  rmSync(files, { recursive: true, force: true });
});

/** A received report checked in the drawer: picks the file, pastes the key, returns the findings' texts. */
async function verifyInApp(file: string, expectedKey: string) {
  const { page } = app;
  if (!(await page.getByTestId('verify-report').count())) await page.getByTestId('verify-report-open').click();
  await page.getByTestId('verify-file').setInputFiles(file);
  await page.getByTestId('verify-expected-key').fill(expectedKey);
  await page.getByTestId('verify-run').click();
  await page.getByTestId('verify-result').waitFor();
  const text = (id: string) => page.getByTestId(id).innerText();
  return {
    verdict: await text('verify-verdict'),
    chain: await text('verify-chain'),
    signature: await text('verify-signature'),
    fingerprint: await text('verify-fingerprint'),
    key: await text('verify-key'),
  };
}

test('Verify a received report: a real export is valid; a one-byte edit and a re-signed forgery are not, each part said apart', async () => {
  const { core } = app.temp;
  const { id } = await core.invoke('incidents.start', { title: 'Payments 502s', severity: 'P1' });
  for (const text of ['restarted the gateway', 'errors back to baseline'])
    await core.invoke('incidents.note', { id, text });
  const exported = await core.invoke('incidents.export', { id, format: 'json', attachments: 'none', foldReads: false });
  const real = join(files, 'real.json');
  writeFileSync(real, exported.content!);
  const fingerprint: string = JSON.parse(exported.content!).signed.fingerprint;

  await app.page.reload();
  await app.page.getByTestId('toggle-timeline').click();
  const good = await verifyInApp(real, fingerprint);
  assert.match(good.verdict, /^Valid: 3 events, signed by the expected key/);
  assert.deepEqual(
    [good.chain, good.signature, good.fingerprint, good.key],
    ['ok (3 events)', 'ok', fingerprint, 'matches'],
  );
  assert.deepEqual(await seriousViolations(app.page), [], 'the drawer with the findings passes axe');

  const edited = join(files, 'edited.json');
  writeFileSync(edited, readFileSync(real, 'utf8').replaceAll('restarted the gateway', 'restarted the gatewax'));
  const bad = await verifyInApp(edited, fingerprint);
  assert.match(bad.verdict, /NOT VALID/);
  assert.deepEqual([bad.chain, bad.signature, bad.key], ['broken', 'bad', 'matches']);
  assert.match(
    await app.page.getByTestId('verify-problems').innerText(),
    /event 2: its content does not match its hash/,
  );

  // Another installation rewrites the story and signs it with its own key: valid by itself, not by the sender.
  const forgerHome = mkdtempSync(join(tmpdir(), 'evidence-forger-'));
  try {
    const forged = join(files, 'forged.json');
    const started = await runCliInProcess(forgerHome, [
      'incident',
      'start',
      '--title',
      'Payments 502s',
      '--severity',
      'P1',
      '--json',
    ]);
    const forgedId = started.json<{ id: string }>().id;
    await runCliInProcess(forgerHome, ['incident', 'note', forgedId, 'nothing was restarted']);
    assert.equal(
      (await runCliInProcess(forgerHome, ['incident', 'export', forgedId, '--format', 'json', '--out', forged])).code,
      0,
    );
    const forgery = await verifyInApp(forged, fingerprint);
    assert.match(forgery.verdict, /NOT VALID/);
    assert.deepEqual([forgery.chain, forgery.signature, forgery.key], ['ok (2 events)', 'ok', 'does NOT match']);
    assert.notEqual(forgery.fingerprint, fingerprint);
    assert.match(
      await app.page.getByTestId('verify-problems').innerText(),
      /signed by key SHA256:\S+, not the expected SHA256:/,
    );
  } finally {
    rmSync(forgerHome, { recursive: true, force: true });
  }

  // Without a fingerprint the key is not checked, and the app says what that means.
  const unchecked = await verifyInApp(real, '');
  assert.match(unchecked.key, /not checked: paste the sender's fingerprint/);
  const notJson = join(files, 'notes.json');
  writeFileSync(notJson, '{"hello": 1}');
  await app.page.getByTestId('verify-file').setInputFiles(notJson);
  await app.page.getByTestId('verify-run').click();
  assert.match(await app.page.getByTestId('verify-error').innerText(), /not an Ops Console JSON export/);
});

test(
  'a note taken while the store is locked: the drawer says it waits in the journal and what to free; once appended it is marked as recorded late',
  { timeout: 90_000 },
  async () => {
    const { core } = app.temp;
    const { id } = await core.invoke('incidents.start', { title: 'Disk pressure', severity: 'P2' });
    const { page } = app;
    await page.reload();
    await page.getByTestId('toggle-timeline').click();
    await page.getByTestId('incident-heading').filter({ hasText: 'Disk pressure' }).waitFor();
    const holder = new Database(join(app.temp.dataDir, 'opsconsole.db'));
    holder.exec('BEGIN IMMEDIATE');
    try {
      await page.getByTestId('note-text').fill('freed 20 GB on db-3');
      await page.getByTestId('note-add').click();
      const notice = page.getByTestId('journal-notice');
      await notice.waitFor({ timeout: 20_000 });
      assert.match(
        await notice.innerText(),
        /1 record waits in the fallback journal: another process holds the store's write lock .*: close it\. They join the timeline/,
      );
      assert.match(
        await page.getByTestId('journal-pending').innerText(),
        /freed 20 GB on db-3[\s\S]*waiting in the fallback journal/,
      );
      assert.equal(
        await page.getByTestId('timeline').getByText('freed 20 GB on db-3').count(),
        0,
        'not shown as part of the chain yet',
      );
      assert.deepEqual(await seriousViolations(page), [], 'the drawer with the notice passes axe');
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
    // The recorder's retry appends it; the notice goes and the event says it came from the journal.
    const late = page.getByTestId('timeline').locator('li', { hasText: 'freed 20 GB on db-3' });
    await late.getByTestId('timeline-late').waitFor({ timeout: 20_000 });
    assert.match(await late.innerText(), /recorded late, from the fallback journal/);
    assert.equal(await page.getByTestId('journal-notice').count(), 0);
    assert.equal((await core.invoke('incidents.verify', { id })).ok, true);
    await page.reload();
    await page.getByTestId('toggle-timeline').click();
    await page
      .getByTestId('timeline')
      .locator('li', { hasText: 'freed 20 GB on db-3' })
      .getByTestId('timeline-late')
      .waitFor();
  },
);
