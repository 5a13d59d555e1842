import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startSshd, type SshdServer } from '../harness/index';
import { harnessProfile } from '../support/profiles';
import { openApp, type AppUnderTest } from '../support/app-under-test';
import { seriousViolations } from '../support/axe';

let sshd: SshdServer;
let app: AppUnderTest;

before(async () => {
  sshd = await startSshd();
  app = await openApp();
  await app.temp.core.invoke('profiles.save', { profile: harnessProfile('prod-eu', { sshd }, 'production') });
  await app.temp.core.invoke('profiles.save', { profile: harnessProfile('dev-local', { sshd }, 'development') });
  await app.page.reload();
  await app.page.getByTestId('profile-item-prod-eu').waitFor();
});
after(async () => {
  await app?.close();
  await sshd?.dispose();
});

test('the production banner shows exactly when a production profile is in front', async () => {
  const { page } = app;
  const banner = page.getByTestId('production-banner');
  assert.equal(await banner.count(), 0, 'no banner before a profile is chosen');
  await page.getByTestId('profile-item-dev-local').click();
  assert.equal(await banner.count(), 0, 'no banner on a development profile');
  await page.getByTestId('profile-item-prod-eu').click();
  await banner.waitFor();
  assert.match((await banner.textContent()) ?? '', /PRODUCTION — prod-eu/);
  await page.getByTestId('open-settings').click();
  assert.equal(await banner.count(), 0, 'Settings cannot change a profile: no banner');
  await page.getByTestId('open-settings').click();
  await banner.waitFor();
});

test('keyboard alone: palette to a profile, connect, trust the host key, settings, forget the key', async () => {
  const { page } = app;
  await page.keyboard.press('Control+k');
  await page.getByTestId('command-palette').waitFor();
  await page.keyboard.type('dev-local');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'dev-local' }).waitFor();
  assert.equal(await page.getByTestId('production-banner').count(), 0);

  await page.keyboard.press('Control+k');
  await page.keyboard.type('connect dev');
  await page.keyboard.press('Enter');
  await page.getByTestId('hostkey-dialog').waitFor();
  assert.equal(
    await page.evaluate(() => document.activeElement?.getAttribute('data-testid')),
    'hostkey-reject',
    'the dialog takes focus, on Reject',
  );
  await page.keyboard.press('Tab');
  assert.equal(
    await page.evaluate(() => document.activeElement?.getAttribute('data-testid')),
    'hostkey-trust',
    'trusting is a deliberate second key',
  );
  await page.keyboard.press('Enter');
  await page.getByTestId('disconnect').waitFor();

  await page.keyboard.press('Control+,');
  await page.getByTestId('known-hosts').waitFor();
  const row = page.getByTestId('known-hosts').locator('tbody tr');
  assert.equal(await row.count(), 1);
  assert.match((await row.textContent()) ?? '', new RegExp(sshd.hostKeyFingerprint.replace(/[+/]/g, '\\$&')));
  await page.getByTestId('known-host-remove').focus();
  await page.keyboard.press('Enter');
  await page.getByTestId('known-hosts-empty').waitFor();
  assert.deepEqual(await app.temp.core.invoke('knownHosts.list', {}), []);

  await page.getByTestId('settings-operatorName').fill('alice');
  await page.getByTestId('settings-save').focus();
  await page.keyboard.press('Enter');
  await page.getByTestId('settings-message').filter({ hasText: 'Settings saved.' }).waitFor();
  assert.equal((await app.temp.core.invoke('settings.get', {})).operatorName, 'alice');

  await page.getByTestId('settings-defaultRowCap').fill('500');
  await page.getByTestId('settings-save').click();
  await page.getByTestId('settings-message').filter({ hasText: 'Settings saved.' }).waitFor();
  await page.getByTestId('new-profile').click();
  assert.equal(
    await page.getByTestId('profile-pgRowCap').inputValue(),
    '500',
    'a new profile starts from the default row cap',
  );
  await page.getByTestId('open-settings').click();
  await page.getByTestId('settings-defaultRowCap').fill('0');
  await page.getByTestId('settings-save').click();
  await page.getByTestId('settings-message').filter({ hasText: 'defaultRowCap must be at least 1' }).waitFor();

  await page.keyboard.press('F1');
  await page.getByTestId('help-sheet').waitFor();
  await page.keyboard.press('Escape');
  assert.equal(await page.getByTestId('help-sheet').count(), 0);
});

test('the palette finds incidents and runbooks and opens them', async () => {
  const { page } = app;
  await app.temp.core.invoke('incidents.start', { title: 'Queue backlog', severity: 'P2' });
  await page.reload();
  await page.getByTestId('profile-item-prod-eu').click();
  await page.keyboard.press('Control+k');
  await page.keyboard.type('queue backlog');
  await page.getByRole('option', { name: /P2 Queue backlog/ }).waitFor();
  await page.keyboard.press('Enter');
  await page.getByTestId('incident-heading').filter({ hasText: 'Queue backlog' }).waitFor();
  await page.keyboard.press('Control+k');
  await page.keyboard.type('runbook redis on call');
  await page.keyboard.press('Enter');
  await page.getByTestId('runbook-title').filter({ hasText: 'Redis on call' }).waitFor();
  await page.keyboard.press('Control+i');
  await page.keyboard.press('Control+k');
  await page.keyboard.type('profile prod-eu');
  await page.keyboard.press('Enter');
});

test('an offline indicator appears when the network goes, and the app keeps working', async () => {
  const { page } = app;
  await page.context().setOffline(true);
  await page.getByTestId('offline').waitFor();
  await page.getByTestId('profile-item-dev-local').click();
  await page.getByRole('heading', { name: 'dev-local' }).waitFor();
  await page.context().setOffline(false);
  await page.getByTestId('offline').waitFor({ state: 'detached' });
});

test('axe finds no serious or critical violation on the main screens, in both themes', async () => {
  const { page } = app;
  for (const theme of ['dark', 'light']) {
    if ((await page.evaluate(() => document.documentElement.dataset.theme)) !== theme) {
      await page.getByTestId('toggle-theme').click();
      await page.waitForFunction((t) => document.documentElement.dataset.theme === t, theme);
    }
    await page.getByTestId('profile-item-prod-eu').click();
    assert.deepEqual(await seriousViolations(page), [], `profile screen, ${theme}`);
    await page.getByTestId('new-profile').click();
    assert.deepEqual(await seriousViolations(page), [], `profile editor, ${theme}`);
    await page.getByTestId('open-settings').click();
    assert.deepEqual(await seriousViolations(page), [], `settings, ${theme}`);
    await page.keyboard.press('Control+k');
    assert.deepEqual(await seriousViolations(page), [], `palette, ${theme}`);
    await page.keyboard.press('Escape');
    await page.getByTestId('open-settings').click();
  }
  assert.equal((await app.temp.core.invoke('settings.get', {})).theme, 'light', 'the theme choice is kept');
  assert.equal(
    await page.evaluate(async () => {
      await document.fonts.ready;
      return [...document.fonts].some(
        (face) => face.family.replace(/"/g, '') === 'Inter Variable' && face.status === 'loaded',
      );
    }),
    true,
    'the bundled font is loaded (no CDN)',
  );

  // Control: the same check does catch a real violation.
  await page.evaluate(() => {
    const probe = document.createElement('div');
    probe.id = 'axe-probe';
    probe.innerHTML = '<input type="text"><img src="data:,">';
    document.body.append(probe);
  });
  const caught = await seriousViolations(page);
  await page.evaluate(() => document.getElementById('axe-probe')?.remove());
  assert.ok(
    caught.some((v) => v.id === 'label' || v.id === 'image-alt'),
    'axe reports an unlabelled input',
  );
  assert.deepEqual(app.consoleErrors, []);
});
