import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startPostgres, startSshd, type PostgresServer, type SshdServer } from '../harness/index';
import { openApp, type AppUnderTest } from '../support/app-under-test';

let pg: PostgresServer;
let sshd: SshdServer;
let app: AppUnderTest;

before(async () => {
  [pg, sshd] = await Promise.all([startPostgres(), startSshd()]);
  app = await openApp();
});
after(async () => {
  await app?.close();
  await Promise.all([pg?.stop(), sshd?.dispose()]);
});

test('through the UI: save a profile, connect, trust the host key, SELECT version() over SSH', async () => {
  const { page } = app;
  await page.getByTestId('empty-state').waitFor();
  await page.getByTestId('new-profile').click();
  await page.getByTestId('profile-name').fill('staging-eu');
  await page.getByTestId('profile-environment').selectOption('staging');
  await page.getByTestId('profile-sshHost').fill(sshd.host);
  await page.getByTestId('profile-sshPort').fill(String(sshd.port));
  await page.getByTestId('profile-sshUser').fill(sshd.user);
  await page.getByTestId('profile-sshAuth').selectOption('key');
  await page.getByTestId('profile-sshKeyPath').fill(sshd.clientKeyPath);
  await page.getByTestId('profile-pgPort').fill(String(pg.port));
  await page.getByTestId('profile-pgDatabase').fill(pg.database);
  await page.getByTestId('profile-pgUser').fill(pg.user);
  await page.getByTestId('profile-pgPassword').fill(pg.password);
  await page.getByTestId('profile-save').click();

  await page.getByTestId('profile-item-staging-eu').waitFor();
  const [saved] = await app.temp.core.invoke('profiles.list', {});
  assert.equal(saved!.name, 'staging-eu');
  assert.equal(saved!.secrets.pgPassword, true);

  await page.getByTestId('connect').click();
  const dialog = page.getByTestId('hostkey-dialog');
  await dialog.waitFor();
  assert.equal(
    await page.getByTestId('hostkey-fingerprint').textContent(),
    sshd.hostKeyFingerprint,
    'the fingerprint ssh-keygen -l prints',
  );
  assert.equal(
    await page.getByTestId('session-state').textContent(),
    'connecting…',
    'waits for the operator before going on',
  );
  await page.getByTestId('hostkey-trust').click();
  await page.getByTestId('disconnect').waitFor();
  assert.equal(await page.getByTestId('session-state').textContent(), 'connected');

  await page.getByTestId('sql-text').fill('SELECT version()');
  await page.getByTestId('sql-run').click();
  const result = page.getByTestId('sql-result');
  await result.waitFor();
  assert.match((await result.locator('td').first().textContent()) ?? '', /^PostgreSQL \d+/);
  assert.deepEqual(app.consoleErrors, [], 'no console errors (CSP violations included)');
});

test('bad input in the editor is named inline and nothing is saved', async () => {
  const { page } = app;
  await page.getByTestId('new-profile').click();
  await page.getByTestId('profile-name').fill('broken');
  await page.getByTestId('profile-sshHost').fill('bastion');
  await page.getByTestId('profile-sshPort').fill('70000');
  await page.getByTestId('profile-sshUser').fill('ops');
  await page.getByTestId('profile-sshKeyPath').fill('/k');
  await page.getByTestId('profile-pgDatabase').fill('app');
  await page.getByTestId('profile-pgUser').fill('ops');
  await page.getByTestId('profile-save').click();
  const error = page.locator('.field-error');
  await error.first().waitFor();
  assert.match((await error.first().textContent()) ?? '', /between 1 and 65535/);
  assert.equal((await app.temp.core.invoke('profiles.list', {})).length, 1);
});

test('the host refuses a WebSocket without the token or from another Origin', async () => {
  const { WebSocket } = await import('ws');
  const attempt = (url: string, origin: string) =>
    new Promise<string>((resolve) => {
      const ws = new WebSocket(url, { origin });
      ws.on('open', () => {
        ws.close();
        resolve('open');
      });
      ws.on('unexpected-response', (_req, res) => resolve(String(res.statusCode)));
      ws.on('error', () => resolve('error'));
    });
  const base = `ws://127.0.0.1:${app.host.port}/ws`;
  const origin = `http://127.0.0.1:${app.host.port}`;
  assert.equal(await attempt(`${base}?token=wrong`, origin), '403');
  assert.equal(await attempt(`${base}?token=${app.host.token}`, 'http://evil.example'), '403');
  assert.equal(await attempt(`${base}?token=${app.host.token}`, origin), 'open');
});
