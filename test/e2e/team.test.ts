import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { startTeamPostgres, type TeamPostgresServer } from '../harness/postgres-team';
import { openApp, type AppUnderTest } from '../support/app-under-test';

// Two responders, each with their own core and data folder, in two browser pages.
let team: TeamPostgresServer;
let alice: AppUnderTest;
let bob: AppUnderTest;

before(async () => {
  team = await startTeamPostgres();
  [alice, bob] = await Promise.all([
    openApp({ teamLive: true, operator: 'alice' }),
    openApp({ teamLive: true, operator: 'bob' }),
  ]);
  await alice.temp.core.invoke('team.connect', { url: team.url, password: team.teamPassword, displayName: 'Alice' });
  await alice.page.reload();
  // Bob connects in Settings → Team, as a person would.
  await bob.page.getByTestId('open-settings').click();
  await bob.page.getByTestId('team-url').fill(team.url);
  await bob.page.getByTestId('team-password').fill(team.teamPassword);
  await bob.page.getByTestId('team-display-name').fill('Bob');
  await bob.page.getByTestId('team-connect').click();
  await bob.page.getByTestId('team-settings-status').filter({ hasText: 'Connected (schema version 1)' }).waitFor();
  await bob.page.getByTestId('open-settings').click();
  for (const app of [alice, bob]) await app.page.getByTestId('toggle-timeline').click();
});
after(async () => {
  await Promise.all([alice?.close(), bob?.close()]);
  await team?.stop();
});

async function addNote(page: Page, text: string): Promise<void> {
  await page.getByTestId('note-text').fill(text);
  await page.getByTestId('note-add').click();
}
const noteItem = (page: Page, text: string) =>
  page.getByTestId('timeline').locator('[data-kind="note"]').filter({ hasText: text });

test('started in one app, joined in the other; notes from either on both, live; the team database away and back loses nothing', async () => {
  await alice.page.getByTestId('incident-title').fill('Search timeouts');
  await alice.page.getByTestId('incident-severity').selectOption('P1');
  await alice.page.getByTestId('incident-start').click();
  await alice.page.getByTestId('incident-heading').filter({ hasText: 'P1 · Search timeouts' }).waitFor();
  const [incident] = (await alice.temp.core.invoke('incidents.list', {})).filter((i) => i.kind === 'incident');

  // Bob sees the team's incident and joins it from the drawer.
  await bob.page.getByTestId(`team-join-${incident!.id}`).click({ timeout: 15_000 });
  await bob.page.getByTestId('incident-heading').filter({ hasText: 'P1 · Search timeouts' }).waitFor();
  await bob.page.getByTestId('team-presence').filter({ hasText: 'Bob (you)' }).waitFor({ timeout: 15_000 });

  await addNote(alice.page, 'A: ES heap at 95%');
  await bob.page.getByTestId('timeline').getByText('A: ES heap at 95%').waitFor({ timeout: 3_000 });
  await addNote(bob.page, 'B: slow query log shows wildcard searches');
  await alice.page
    .getByTestId('timeline')
    .getByText('B: slow query log shows wildcard searches')
    .waitFor({ timeout: 3_000 });

  team.pause();
  await addNote(alice.page, 'A: offline, restarting node 2');
  await addNote(bob.page, 'B: offline, rate-limiting wildcards');
  for (const page of [alice.page, bob.page]) {
    await page.getByTestId('timeline').locator('[data-shared="no"]').first().waitFor({ timeout: 10_000 });
    await page.getByTestId('team-status').filter({ hasText: 'unreachable' }).waitFor({ timeout: 15_000 });
  }
  team.resume();

  const all = [
    'A: ES heap at 95%',
    'B: slow query log shows wildcard searches',
    'A: offline, restarting node 2',
    'B: offline, rate-limiting wildcards',
  ];
  for (const app of [alice, bob]) {
    for (const text of all) await noteItem(app.page, text).waitFor({ timeout: 20_000 });
    await app.page
      .getByTestId('timeline')
      .locator('[data-shared="no"]')
      .first()
      .waitFor({ state: 'detached', timeout: 20_000 });
    for (const text of all) assert.equal(await noteItem(app.page, text).count(), 1, `${text} exactly once`);
    const verified = await app.temp.core.invoke('incidents.verify', { id: incident!.id });
    assert.equal(verified.ok, true);
    assert.equal(verified.shared?.ok, true);
  }
});
