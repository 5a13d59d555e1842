import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startPostgres, startSshd, type PostgresServer, type SshdServer } from '../harness/index';
import { openApp, type AppUnderTest } from '../support/app-under-test';
import { seriousViolations } from '../support/axe';

let pg: PostgresServer;
let jump: SshdServer;
let bastion: SshdServer;
let app: AppUnderTest;
let dir: string;

before(async () => {
  [pg, jump, bastion] = await Promise.all([startPostgres(), startSshd(), startSshd()]);
  app = await openApp({ hostKeyPrompter: { ask: async () => true } });
  dir = mkdtempSync(join(tmpdir(), 'opsconsole-profiles-e2e-'));
});
after(async () => {
  await app?.close();
  await Promise.all([pg?.stop(), jump?.dispose(), bastion?.dispose()]);
  rmSync(dir, { recursive: true, force: true });
});

test('a profile with a ProxyJump hop, Postgres and safety is made in the editor and its connection test passes stage by stage', async () => {
  const { page } = app;
  await page.getByTestId('new-profile').click();
  await page.getByTestId('profile-name').fill('prod-eu');
  await page.getByTestId('profile-environment').selectOption('production');
  await page.getByTestId('profile-safety').selectOption('read-only');
  await page.getByTestId('profile-sshHost').fill(bastion.host);
  await page.getByTestId('profile-sshPort').fill(String(bastion.port));
  await page.getByTestId('profile-sshUser').fill(bastion.user);
  await page.getByTestId('profile-sshKeyPath').fill(bastion.clientKeyPath);
  await page.getByTestId('profile-add-jump').click();
  await page.getByTestId('profile-jump1Host').fill(jump.host);
  await page.getByTestId('profile-jump1Port').fill(String(bastion.port));
  await page.getByTestId('profile-jump1User').fill(jump.user);
  await page.getByTestId('profile-jump1KeyPath').fill(jump.clientKeyPath);
  await page.getByTestId('profile-pgPort').fill(String(pg.port));
  await page.getByTestId('profile-pgDatabase').fill(pg.database);
  await page.getByTestId('profile-pgUser').fill(pg.user);
  await page.getByTestId('profile-pgPassword').fill(pg.password);
  assert.equal(
    await page.getByTestId('profile-pgReadPassword').count(),
    0,
    'the read password field waits for a read user',
  );
  await page.getByTestId('profile-pgReadUser').fill(pg.user);
  await page.getByTestId('profile-pgReadPassword').fill(pg.password);
  await page.getByTestId('profile-save').click();
  // The jump points at the bastion itself: a loop, named inline, nothing saved.
  await page
    .getByText(/makes a ProxyJump loop/)
    .first()
    .waitFor();
  assert.equal((await app.temp.core.invoke('profiles.list', {})).length, 0);
  assert.deepEqual(await seriousViolations(page), [], 'the editor with errors passes axe');

  await page.getByTestId('profile-jump1Port').fill(String(jump.port));
  await page.getByTestId('profile-save').click();
  await page.getByTestId('profile-item-prod-eu').waitFor();
  const saved = await app.temp.core.invoke('profiles.get', { name: 'prod-eu' });
  assert.equal(saved.safety, 'read-only');
  assert.equal(saved.ssh?.jumps[0]?.port, jump.port);
  assert.equal(saved.secrets.pgPassword, true);
  assert.equal(saved.postgres?.readUser, pg.user, 'the read user from the form');
  assert.equal(saved.secrets.pgReadPassword, true, 'its password sealed');

  await page.getByTestId('test-connection').click();
  await page.getByTestId('test-summary').waitFor({ timeout: 20_000 });
  assert.equal(await page.getByTestId('test-summary').textContent(), 'Every stage passed.');
  const stages = await page
    .getByTestId('test-steps')
    .locator('li[data-stage]')
    .evaluateAll((items) => items.map((i) => `${i.getAttribute('data-stage')}:${i.getAttribute('data-status')}`));
  assert.ok(stages.includes('postgres:ok'), stages.join(' '));
  assert.ok(stages.filter((s) => s === 'ssh.auth:ok').length >= 2, 'auth on both hops');
});

test('profiles are exported without secrets, imported back with rename, and ~/.ssh/config hosts become profiles', async () => {
  const { page } = app;
  await page.getByTestId('open-settings').click();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('profiles-export').click()]);
  const exported = join(dir, 'profiles.json');
  await download.saveAs(exported);
  const text = readFileSync(exported, 'utf8');
  assert.equal(text.includes(pg.password), false, 'no secret in the export');
  assert.equal(JSON.parse(text).profiles[0].name, 'prod-eu');

  await page.getByTestId('import-conflict').selectOption('rename');
  await page.getByTestId('profiles-import-file').setInputFiles(exported);
  await page.getByTestId('transfer-message').filter({ hasText: '1 renamed' }).waitFor();
  assert.deepEqual((await app.temp.core.invoke('profiles.list', {})).map((p) => p.name).sort(), [
    'prod-eu',
    'prod-eu (2)',
  ]);

  // A replace is previewed field by field; a downgrade needs its own button.
  const downgrade = JSON.parse(text);
  downgrade.profiles[0] = {
    ...downgrade.profiles[0],
    name: 'prod-eu (2)',
    environment: 'development',
    safety: 'standard',
    notes: 'from a colleague',
  };
  writeFileSync(exported, JSON.stringify(downgrade));
  await page.getByTestId('import-conflict').selectOption('replace');
  await page.getByTestId('profiles-import-file').setInputFiles(exported);
  const changed = page.getByTestId('import-preview').locator('tr.downgrade');
  await changed.first().waitFor();
  assert.deepEqual(await changed.locator('td:first-child').allTextContents(), ['environment', 'safety']);
  assert.equal(await page.getByTestId('import-confirm').count(), 0, 'no plain Import button for a downgrade');
  assert.equal(
    (await app.temp.core.invoke('profiles.get', { name: 'prod-eu (2)' })).environment,
    'production',
    'the preview wrote nothing',
  );
  await page.getByTestId('import-accept-downgrade').click();
  await page.getByTestId('transfer-message').filter({ hasText: '1 replaced' }).waitFor();
  assert.equal((await app.temp.core.invoke('profiles.get', { name: 'prod-eu (2)' })).environment, 'development');

  writeFileSync(exported, 'not json at all {');
  await page.getByTestId('profiles-import-file').setInputFiles(exported);
  await page.getByTestId('transfer-message').filter({ hasText: /JSON/ }).waitFor();
  assert.equal((await app.temp.core.invoke('profiles.list', {})).length, 2, 'a bad file changes nothing');

  const sshConfig = join(dir, 'ssh_config');
  writeFileSync(
    sshConfig,
    `Host db-bastion\n  HostName 10.1.2.3\n  User ops\n  Port 2222\n\nHost web-*\n  User www\n\nHost cache-bastion\n  HostName 10.1.2.4\n  User ops\n`,
  );
  await page.getByTestId('ssh-config-path').fill(sshConfig);
  await page.getByTestId('ssh-config-list').click();
  await page.getByLabel('cache-bastion').uncheck();
  await page.getByTestId('ssh-config-import').click();
  await page.getByTestId('transfer-message').filter({ hasText: '1 created' }).waitFor();
  const imported = await app.temp.core.invoke('profiles.get', { name: 'db-bastion' });
  assert.deepEqual([imported.ssh?.host, imported.ssh?.port, imported.ssh?.user], ['10.1.2.3', 2222, 'ops']);
  await assert.rejects(app.temp.core.invoke('profiles.get', { name: 'cache-bastion' }));
});

test('a lost SSH session shows reconnecting until the bastion is back, then ready, and the next query works', async () => {
  const { page } = app;
  await page.getByTestId('profile-item-prod-eu').click();
  await page.getByTestId('connect').click();
  await page.getByTestId('disconnect').waitFor({ timeout: 20_000 });
  // The bastion goes away (its sessions killed, nothing listening) long enough to be seen, then comes back.
  await bastion.stop();
  await page.getByTestId('session-state').filter({ hasText: 'reconnecting' }).waitFor({ timeout: 15_000 });
  await bastion.restart();
  await page
    .getByTestId('session-state')
    .filter({ hasText: /^connected$/ })
    .waitFor({ timeout: 40_000 });
  assert.equal(await page.getByTestId('profile-state-prod-eu').textContent(), 'connected');
  await page.getByTestId('sql-text').fill('SELECT 42 AS answer');
  await page.getByTestId('sql-run').click();
  await page.getByTestId('sql-result').locator('td').filter({ hasText: '42' }).waitFor();
  assert.deepEqual(app.consoleErrors, []);
});
