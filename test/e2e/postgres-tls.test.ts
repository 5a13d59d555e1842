import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTlsPostgres, type TlsPostgresServer } from '../harness/postgres-tls';
import { openApp, type AppUnderTest } from '../support/app-under-test';

let pg: TlsPostgresServer;
let app: AppUnderTest;

before(async () => {
  pg = await startTlsPostgres();
  app = await openApp();
});
after(async () => {
  await app?.close();
  await pg?.stop();
});

test('the form sets verify-full and the CA file; the connection panel shows the session got verified TLS', async () => {
  const { page } = app;
  await page.getByTestId('new-profile').click();
  await page.getByTestId('profile-name').fill('tls-db');
  await page.getByTestId('profile-sshEnabled').uncheck();
  await page.getByTestId('profile-pgHost').fill(pg.certifiedHost);
  await page.getByTestId('profile-pgPort').fill(String(pg.port));
  await page.getByTestId('profile-pgDatabase').fill(pg.database);
  await page.getByTestId('profile-pgUser').fill(pg.user);
  await page.getByTestId('profile-pgPassword').fill(pg.password);
  assert.match(
    (await page.getByTestId('profile-pgSslmode-warning').textContent()) ?? '',
    /not authenticated/,
    'prefer says it does not verify the server',
  );
  await page.getByTestId('profile-pgSslmode').selectOption('verify-full');
  assert.equal(await page.getByTestId('profile-pgSslmode-warning').count(), 0);
  await page.getByTestId('profile-pgSslCa').fill('relative/ca.pem');
  await page.getByTestId('profile-save').click();
  await page
    .getByText(/must be an absolute path/)
    .first()
    .waitFor();
  await page.getByTestId('profile-pgSslCa').fill(pg.caFile);
  await page.getByTestId('profile-save').click();
  await page.getByTestId('profile-item-tls-db').waitFor();
  const saved = await app.temp.core.invoke('profiles.get', { name: 'tls-db' });
  assert.deepEqual([saved.postgres?.sslmode, saved.postgres?.sslCa], ['verify-full', pg.caFile]);

  await page.getByTestId('test-connection').click();
  await page.getByTestId('test-summary').waitFor({ timeout: 20_000 });
  const badge = page.getByTestId('test-pg-tls');
  assert.equal(await badge.textContent(), 'TLS, CA and host verified');
  assert.equal(await badge.getAttribute('data-verified'), 'full');
});
