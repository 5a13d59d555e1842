// Retakes the README's "from finding to fix" screenshots (docs/screenshots/flow-*.png): the real
// renderer in Chromium against the harness's Postgres with a blocking lock chain on production.
// Run: vite build --config vite.renderer.config.mts && OPSCONSOLE_VAULT=file node --import tsx scripts/screenshots-flow.ts
import { startPostgres, startSshd } from '../test/harness/index';
import { openApp } from '../test/support/app-under-test';
import { screenshotKit } from './screenshot-kit';
import { harnessProfile } from '../test/support/profiles';
import { startLockChain } from '../test/support/lock-chain';

const [server, sshd] = await Promise.all([startPostgres(), startSshd()]);
const chain = await startLockChain(server);

const app = await openApp({ hostKeyPrompter: { ask: async () => true } });
const { page, temp } = app;
const { step, shot } = screenshotKit(page);
try {
  await page.setViewportSize({ width: 1280, height: 800 });
  await temp.core.invoke('profiles.save', { profile: harnessProfile('prod-eu', { sshd, pg: server }, 'production') });
  const incident = await temp.core.invoke('incidents.start', { title: 'Checkout stuck', severity: 'P1' });
  await temp.core.invoke('incidents.updateReport', {
    id: incident.id,
    fields: {
      impact: 'EU orders cannot be paid',
      actionItems: [{ text: 'Add lock_timeout to the payment worker', owner: 'payments' }],
    },
  });
  await page.reload();
  await page.getByTestId('profile-item-prod-eu').click();
  await page.getByTestId('open-health').click();
  await page.getByTestId('health-poll').selectOption('10');
  await page
    .getByTestId('health-status-pg.blocking_locks')
    .and(page.locator('[data-status="critical"]'))
    .waitFor({ timeout: 150_000 });
  await page.getByTestId('health-poll').selectOption('0');
  await shot('flow-health-finding');
  await page.getByTestId('health-next-step-terminate-root-blocker').click();
  await step('terminate-root-blocker').waitFor();
  await shot('flow-step-filled');
  await step('terminate-root-blocker').getByTestId('runbook-step-run').click();
  await page.getByTestId('sql-confirm-dialog').waitFor({ timeout: 30_000 });
  await page.getByTestId('sql-confirm-name').fill('prod-eu');
  await page.getByTestId('sql-commit').click();
  await step('terminate-root-blocker')
    .getByTestId('runbook-step-status')
    .filter({ hasText: 'Done' })
    .waitFor({ timeout: 30_000 });
  await page.getByTestId('toggle-timeline').click();
  const events = await temp.core.invoke('incidents.events', { id: incident.id, afterSeq: 0, limit: 1000 });
  const ran = events.find((e) => e.kind === 'runbook.step')!;
  await page.locator(`[data-testid="curated-timeline"] li[data-seq="${ran.seq}"]`).getByTestId('timeline-star').click();
  await page.getByTestId('summary-copy').click();
  await page.getByTestId('chat-summary').waitFor();
  await shot('flow-incident-summary');
} finally {
  await app.close();
  await chain.end();
  await Promise.all([server.stop(), sshd.dispose()]);
}
