import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import { openApp, type AppUnderTest } from '../support/app-under-test';
import { seriousViolations } from '../support/axe';

let app: AppUnderTest;

before(async () => {
  app = await openApp();
});
after(async () => {
  await app?.close();
});

test('the timeline header says a broken chain before any event is read', async () => {
  const { core } = app.temp;
  const { id } = await core.invoke('incidents.start', { title: 'Queue backlog', severity: 'P2' });
  for (const text of ['workers scaled to 12', 'backlog draining', 'backlog at zero'])
    await core.invoke('incidents.note', { id, text });
  const { page } = app;
  await page.reload();
  await page.getByTestId('toggle-timeline').click();
  await page.getByTestId('timeline').getByText('backlog at zero').waitFor();
  assert.equal(await page.getByTestId('timeline-integrity').count(), 0, 'a whole chain shows no warning');

  // Someone edits the store behind the console's back.
  const raw = new Database(join(app.temp.dataDir, 'opsconsole.db'));
  raw.exec('DROP TRIGGER incident_events_no_update');
  raw
    .prepare(
      "UPDATE incident_events SET payload = replace(payload, 'scaled to 12', 'scaled to 2') WHERE incident_id = ? AND seq = 2",
    )
    .run(id);
  raw.close();
  await page.reload();
  await page.getByTestId('toggle-timeline').click();
  const banner = page.getByTestId('timeline-integrity');
  await banner.waitFor();
  assert.match(await banner.innerText(), /Timeline integrity: BROKEN at event 2: its content does not match its hash/);
  assert.equal(await banner.getAttribute('role'), 'alert');
  assert.deepEqual(await seriousViolations(page), [], 'the drawer with the warning passes axe');
});
