// `npm run screenshots`: drives the real renderer in Chromium against the harness's servers and
// saves the main screens to docs/screenshots/ (the README shows them).
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startPostgres, startSshd } from '../test/harness/index';
import { openApp } from '../test/support/app-under-test';
import { shootRedisBrowser } from './screenshots-redis';

const out = fileURLToPath(new URL('../docs/screenshots/', import.meta.url));
const [pg, sshd] = await Promise.all([startPostgres(), startSshd()]);
const app = await openApp();
const { page, temp } = app;
const shot = async (name: string) => {
  await page.waitForTimeout(150);
  await page.screenshot({ path: join(out, `${name}.png`) });
  process.stderr.write(`saved docs/screenshots/${name}.png\n`);
};
try {
  await page.setViewportSize({ width: 1280, height: 760 });
  const ssh = { host: sshd.host, port: sshd.port, user: sshd.user, auth: 'key' as const, keyPath: sshd.clientKeyPath };
  const postgres = { host: '127.0.0.1', port: pg.port, database: pg.database, user: pg.user };
  const secrets = { pgPassword: { set: pg.password } };
  await temp.core.invoke('profiles.save', {
    profile: { name: 'prod-eu', environment: 'production', ssh, postgres, secrets },
  });
  await temp.core.invoke('profiles.save', {
    profile: { name: 'staging-eu', environment: 'staging', ssh, postgres, secrets },
  });
  await temp.core.invoke('profiles.save', {
    profile: { name: 'dev-laptop', environment: 'development', postgres, secrets },
  });
  await page.reload();

  await page.getByTestId('profile-item-staging-eu').click();
  await page.getByTestId('connect').click();
  await page.getByTestId('hostkey-dialog').waitFor();
  await shot('host-key-prompt');
  await page.getByTestId('hostkey-trust').click();
  await page.getByTestId('disconnect').waitFor();
  await page
    .getByTestId('sql-text')
    .fill(
      'SELECT datname, numbackends, xact_commit, blks_hit\nFROM pg_stat_database\nWHERE datname IS NOT NULL\nORDER BY datname;',
    );
  await page.getByTestId('sql-run').click();
  await page.getByTestId('sql-result').waitFor();
  await shot('sql-read-only');

  await page.getByTestId('profile-item-prod-eu').click();
  await shot('production-profile');

  await page.getByTestId('profile-item-staging-eu').click();
  await temp.core.invoke('incidents.start', { title: 'Checkout latency', severity: 'P1', profiles: ['staging-eu'] });
  await page.getByTestId('toggle-timeline').click();
  await page.getByTestId('incident-heading').filter({ hasText: 'Checkout latency' }).waitFor();
  await page.getByTestId('open-runbooks').click();
  await page.locator('[data-testid="runbook-item"][data-path$="postgres-on-call.md"]').click();
  const largest = page.locator('[data-testid="runbook-step"][data-step-id="largest-relations"]');
  await largest.getByTestId('runbook-param-row_limit').fill('5');
  await largest.getByTestId('runbook-step-run').click();
  await page.getByTestId('timeline').locator('[data-kind="sql.run"]').first().waitFor();
  await page.getByTestId('note-text').fill('Largest relations look normal; checking locks next.');
  await page.getByTestId('note-add').click();
  await page.getByTestId('timeline').getByText('Largest relations look normal').waitFor();
  await largest.scrollIntoViewIfNeeded();
  await shot('runbook-and-timeline');
  await page.getByTestId('toggle-timeline').click();

  await page.getByTestId('profile-item-staging-eu').click();
  await page.getByTestId('open-health').click();
  await page.getByTestId('health-run-all').click();
  await page.waitForTimeout(1500);
  await shot('health');

  await shootRedisBrowser(app, sshd, shot);

  await page.getByTestId('open-settings').click();
  await page.getByTestId('known-hosts').waitFor();
  await shot('settings-known-hosts');

  await page.keyboard.press('Control+k');
  await page.keyboard.type('prod');
  await shot('command-palette');
  await page.keyboard.press('Escape');

  await page.getByTestId('toggle-theme').click();
  await page.getByTestId('profile-item-staging-eu').click();
  await shot('light-theme');
  await page.getByTestId('toggle-theme').click();
} finally {
  await app.close();
  await Promise.all([pg.stop(), sshd.dispose()]);
}
