import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { ProfileInput } from '../../src/shared/profile';
import { openApp, type AppUnderTest } from '../support/app-under-test';
import { seriousViolations } from '../support/axe';

let app: AppUnderTest;

const production: ProfileInput = {
  name: 'prod-eu',
  environment: 'production',
  ssh: { host: 'bastion-a.internal', port: 22, user: 'ops', auth: 'key', keyPath: '/home/ops/.ssh/id_ed25519' },
  postgres: { host: '10.0.0.5', port: 5432, database: 'app', user: 'app' },
  secrets: { pgPassword: { set: 'pg-secret-stored' } },
};

before(async () => {
  app = await openApp();
});
after(async () => {
  await app?.close();
});

async function openEditor(name: string) {
  const { page } = app;
  await page.reload();
  await page.getByTestId(`profile-item-${name}`).click();
  await page.getByTestId('edit-profile').click();
}

const changeRows = () => app.page.getByTestId('save-preview').getByTestId('import-change').allInnerTexts();

test('an edit that lowers safety shows the diff and saves only after an explicit acknowledgement', async () => {
  const { core } = app.temp;
  await core.invoke('profiles.save', { profile: production });
  await openEditor('prod-eu');
  const { page } = app;
  await page.getByTestId('profile-environment').selectOption('development');
  await page.getByTestId('profile-save').click();
  await page.getByTestId('save-preview').waitFor();
  const rows = await changeRows();
  assert.ok(
    rows.some((r) => /environment\s+production\s+development — lowers safety: less protected environment/.test(r)),
    rows.join('\n'),
  );
  assert.equal(
    await page.getByTestId('save-preview-secrets').count(),
    0,
    'the route did not change: the password stays',
  );
  const save = page.getByTestId('save-preview-downgrade');
  assert.equal(await save.isDisabled(), true, 'no save before the acknowledgement');
  assert.equal((await core.invoke('profiles.get', { name: 'prod-eu' })).environment, 'production', 'nothing saved yet');
  assert.deepEqual(await seriousViolations(page), [], 'the preview passes axe');

  // Back to the form: still production.
  await page.getByTestId('save-preview-back').click();
  assert.equal((await core.invoke('profiles.get', { name: 'prod-eu' })).environment, 'production');
  await page.getByTestId('profile-save').click();
  await page.getByTestId('save-preview-acknowledge').check();
  await page.getByTestId('save-preview-downgrade').click();
  await page.getByTestId('save-preview').waitFor({ state: 'detached' });
  const saved = await core.invoke('profiles.get', { name: 'prod-eu' });
  assert.equal(saved.environment, 'development');
  assert.equal(saved.secrets.pgPassword, true, 'same route: the stored password is kept');
  await core.invoke('profiles.remove', { id: saved.id });
});

test('a preview whose downgrades change before Save asks again: the earlier tick does not carry over', async () => {
  const { core } = app.temp;
  const { id } = await core.invoke('profiles.save', { profile: { ...production, name: 'prod-mx' } });
  await openEditor('prod-mx');
  const { page } = app;
  await page.getByTestId('profile-environment').selectOption('development');
  await page.getByTestId('profile-save').click();
  await page.getByTestId('save-preview-acknowledge').check();
  // Meanwhile another window or the CLI makes the profile read-only: saving would now lower that too.
  await core.invoke('profiles.save', {
    id,
    profile: { ...production, name: 'prod-mx', safety: 'read-only' },
    allowDowngrade: false,
  });
  await page.getByTestId('save-preview-downgrade').click();
  await page
    .getByTestId('save-preview')
    .getByTestId('import-change')
    .filter({ hasText: 'weaker safety level' })
    .waitFor();
  assert.equal(await page.getByTestId('save-preview-acknowledge').isChecked(), false, 'the new list is not ticked');
  assert.equal(await page.getByTestId('save-preview-downgrade').isDisabled(), true, 'no save before a new tick');
  assert.equal((await core.invoke('profiles.get', { id })).environment, 'production', 'nothing saved');
  await page.getByTestId('save-preview-back').click();
  await core.invoke('profiles.remove', { id });
});

test('an edit that moves the SSH route says which stored secrets will be dropped, then drops them', async () => {
  const { core } = app.temp;
  const { id } = await core.invoke('profiles.save', { profile: { ...production, name: 'prod-us' } });
  await openEditor('prod-us');
  const { page } = app;
  await page.getByTestId('profile-sshHost').fill('bastion-b.example.net');
  await page.getByTestId('profile-save').click();
  await page.getByTestId('save-preview').waitFor();
  assert.ok((await changeRows()).some((r) => /ssh\.host\s+bastion-a\.internal\s+bastion-b\.example\.net/.test(r)));
  assert.match(
    await page.getByTestId('save-preview-secrets').innerText(),
    /the stored secrets pgPassword will be dropped: they would go somewhere new\. You will be asked for them again/,
  );
  assert.equal(await page.getByTestId('save-preview-acknowledge').count(), 0, 'no downgrade: a plain Save');
  assert.equal((await core.invoke('profiles.get', { id })).secrets.pgPassword, true, 'kept until saved');
  await page.getByTestId('save-preview-confirm').click();
  await page.getByTestId('save-preview').waitFor({ state: 'detached' });
  const saved = await core.invoke('profiles.get', { id });
  assert.equal(saved.ssh?.host, 'bastion-b.example.net');
  assert.equal(saved.secrets.pgPassword, false, 'the password did not follow the new route');
});

test('an edit of notes only saves at once; a route change with the password typed again keeps it without asking about secrets', async () => {
  const { core } = app.temp;
  const { id } = await core.invoke('profiles.save', { profile: { ...production, name: 'prod-ap' } });
  await openEditor('prod-ap');
  const { page } = app;
  await page.getByTestId('profile-notes').fill('primary in ap-southeast-1');
  const held = await page.getByTestId('profile-notes').inputValue();
  await page.getByTestId('profile-save').click();
  // Saved at once: the saved profile's pane comes back. A preview, or an editor closed without a
  // save, also hides the Save button, so the wait names what came instead (this failed once in CI
  // with the notes still '' and could not be made to fail again).
  await page.locator('[data-testid="edit-profile"], [data-testid="save-preview"]').first().waitFor();
  const asked = await page.getByTestId('save-preview').allInnerTexts();
  assert.deepEqual(asked, [], 'a notes-only edit is saved without a preview');
  assert.equal(
    (await core.invoke('profiles.get', { id })).notes,
    'primary in ap-southeast-1',
    `the notes field held ${JSON.stringify(held)} when Save was clicked`,
  );

  await openEditor('prod-ap');
  await page.getByTestId('profile-pgHost').fill('10.0.9.9');
  await page.getByTestId('profile-pgPassword').fill('new-route-password');
  await page.getByTestId('profile-save').click();
  await page.getByTestId('save-preview').waitFor();
  assert.equal(
    await page.getByTestId('save-preview-secrets').count(),
    0,
    'the password typed for the new route is not dropped',
  );
  await page.getByTestId('save-preview-confirm').click();
  await page.getByTestId('save-preview').waitFor({ state: 'detached' });
  const saved = await core.invoke('profiles.get', { id });
  assert.deepEqual([saved.postgres?.host, saved.secrets.pgPassword], ['10.0.9.9', true]);
});

test('a change saved elsewhere while the form is open is not overwritten: the save says so and keeps it', async () => {
  const { core } = app.temp;
  const { id } = await core.invoke('profiles.save', { profile: { ...production, name: 'prod-sa' } });
  await openEditor('prod-sa');
  await core.invoke('profiles.save', { id, profile: { ...production, name: 'prod-sa', notes: 'from the CLI' } });
  const { page } = app;
  await page.getByTestId('profile-notes').fill('from the form');
  await page.getByTestId('profile-save').click();
  await page
    .getByTestId('profile-save-error')
    .filter({ hasText: /was changed elsewhere/ })
    .waitFor();
  assert.equal((await core.invoke('profiles.get', { id })).notes, 'from the CLI');
});
