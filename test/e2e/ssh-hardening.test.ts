import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { WebSocket } from 'playwright-core';
import { startSshd, type SshdServer } from '../harness/index';
import { harnessProfile } from '../support/profiles';
import { openApp, type AppUnderTest } from '../support/app-under-test';
import { until } from '../support/until';

let sshd: SshdServer;
let app: AppUnderTest;

before(async () => {
  sshd = await startSshd();
  app = await openApp();
});
after(async () => {
  await app?.close();
  await sshd?.dispose();
});

test('the unknown-host-key dialog opens with Reject focused: one tired Enter rejects the key', async () => {
  const { page, temp } = app;
  const profile = await temp.core.invoke('profiles.save', {
    profile: harnessProfile('unknown-host', { sshd }, 'production'),
  });
  const connecting = temp.core
    .invoke('sessions.connect', { profileId: profile.id })
    .catch((e: Error & { code?: string }) => e);
  await page.getByTestId('hostkey-dialog').waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'hostkey-reject');
  await page.keyboard.press('Enter');
  const outcome = (await connecting) as Error & { code?: string };
  assert.equal(outcome.code, 'host_key_rejected');
  await page.getByTestId('hostkey-dialog').waitFor({ state: 'detached' });
  assert.deepEqual(await temp.core.invoke('knownHosts.list', {}), [], 'nothing was trusted');
});

test('a second unknown key waiting behind the first starts again on Reject, whatever answered the first', async () => {
  const { page, temp } = app;
  const other = await startSshd(); // a second bastion, with a host key of its own
  let watchSocket: ((ws: WebSocket) => void) | undefined;
  try {
    const connect = async (name: string, server: SshdServer) => {
      const profile = await temp.core.invoke('profiles.save', {
        profile: harnessProfile(name, { sshd: server }, 'production'),
      });
      return temp.core.invoke('sessions.connect', { profileId: profile.id }).catch((e: Error & { code?: string }) => e);
    };
    // Count the prompts the window receives, so the first is answered only once the second waits behind it.
    let prompts = 0;
    watchSocket = (ws) =>
      ws.on('framereceived', (frame) => {
        if (String(frame.payload).includes('onHostKeyPrompt')) prompts++;
      });
    page.on('websocket', watchSocket);
    await page.reload();
    await page.getByTestId('new-profile').waitFor();
    const first = connect('queued-a', sshd);
    await page.getByTestId('hostkey-dialog').waitFor();
    const second = connect('queued-b', other);
    await until('the second key is waiting behind the first', () => prompts >= 2);
    // The operator compares the first key, tabs to Trust and presses Enter; the second key waits behind it.
    await page.getByTestId('hostkey-trust').focus();
    await page.keyboard.press('Enter');
    assert.ok(!((await first) instanceof Error), 'the first connects with its key trusted');
    await page.getByTestId('hostkey-dialog').waitFor();
    assert.equal(
      await page.evaluate(() => document.activeElement?.getAttribute('data-testid')),
      'hostkey-reject',
      'the next key starts on Reject',
    );
    await page.keyboard.press('Enter');
    assert.equal(((await second) as Error & { code?: string }).code, 'host_key_rejected');
    await page.getByTestId('hostkey-dialog').waitFor({ state: 'detached' });
    assert.equal((await temp.core.invoke('knownHosts.list', {})).length, 1, 'only the first key was trusted');
    await temp.core.invoke('knownHosts.remove', { host: sshd.host, port: sshd.port });
  } finally {
    if (watchSocket) page.off('websocket', watchSocket);
    await other.dispose(); // also ends a handshake still waiting on its key
  }
});

test('the legacy SSH algorithms opt-in is shown in red once chosen, and saved on the profile', async () => {
  const { page, temp } = app;
  await page.getByTestId('new-profile').click();
  await page.getByTestId('profile-name').fill('old-box');
  await page.getByTestId('profile-sshHost').fill(sshd.host);
  await page.getByTestId('profile-sshUser').fill(sshd.user);
  await page.getByTestId('profile-sshKeyPath').fill(sshd.clientKeyPath);
  await page.getByTestId('profile-pgEnabled').uncheck();
  const label = page.locator('label', { has: page.getByTestId('profile-sshLegacyAlgorithms') });
  const colour = () => label.evaluate((node) => getComputedStyle(node).color);
  const before = await colour();
  await page.getByTestId('profile-sshLegacyAlgorithms').check();
  const danger = await page.evaluate(() => {
    const probe = document.createElement('span');
    probe.className = 'field-error';
    document.body.append(probe);
    const value = getComputedStyle(probe).color;
    probe.remove();
    return value;
  });
  assert.notEqual(before, danger);
  assert.equal(await colour(), danger, 'the opt-in is shown in the danger colour');
  await page.getByTestId('profile-save').click();
  await page.getByTestId('profile-item-old-box').waitFor();
  assert.equal((await temp.core.invoke('profiles.get', { name: 'old-box' })).ssh?.legacyAlgorithms, true);
});

test('a new production profile less safe than the defaults is shown and saved only once acknowledged', async () => {
  const { page, temp } = app;
  await page.getByTestId('new-profile').click();
  await page.getByTestId('profile-name').fill('old-prod');
  await page.getByTestId('profile-environment').selectOption('production');
  await page.getByTestId('profile-sshHost').fill(sshd.host);
  await page.getByTestId('profile-sshUser').fill(sshd.user);
  await page.getByTestId('profile-sshKeyPath').fill(sshd.clientKeyPath);
  await page.getByTestId('profile-pgEnabled').uncheck();
  await page.getByTestId('profile-sshLegacyAlgorithms').check();
  await page.getByTestId('profile-save').click();
  const preview = page.getByTestId('save-preview');
  await preview.waitFor();
  assert.match((await preview.textContent()) ?? '', /ssh\.legacyAlgorithms/);
  assert.match((await preview.textContent()) ?? '', /accepts legacy SSH algorithms/);
  assert.equal(await page.getByTestId('save-preview-downgrade').isDisabled(), true, 'not before it is acknowledged');
  assert.equal(
    (await temp.core.invoke('profiles.list', {})).some((p) => p.name === 'old-prod'),
    false,
  );
  await page.getByTestId('save-preview-acknowledge').check();
  await page.getByTestId('save-preview-downgrade').click();
  await page.getByTestId('profile-item-old-prod').waitFor();
  assert.equal((await temp.core.invoke('profiles.get', { name: 'old-prod' })).ssh?.legacyAlgorithms, true);
});
