// Retakes the README's demo screenshots (docs/screenshots/demo-runbook.png, rehearse-first.png):
// the real renderer in Chromium from an empty data folder, no server at all.
// `npm run screenshots` runs it after scripts/screenshots.ts (alone: build the renderer, then
// OPSCONSOLE_VAULT=file node --import tsx scripts/screenshots-demo.ts).
import { openApp } from '../test/support/app-under-test';
import { screenshotKit } from './screenshot-kit';

const app = await openApp();
const { page } = app;
const { step, shot } = screenshotKit(page);
try {
  await page.setViewportSize({ width: 1280, height: 760 });
  await page.getByTestId('empty-demo').click();
  await page.getByTestId('runbook-title').filter({ hasText: 'Demo shop' }).waitFor({ timeout: 120_000 });
  await step('demo-table-sizes').getByTestId('runbook-step-run').click();
  await step('demo-table-sizes')
    .getByTestId('runbook-step-status')
    .filter({ hasText: 'Done' })
    .waitFor({ timeout: 30_000 });
  await shot('demo-runbook');
  await step('demo-delete-stale-sessions').getByTestId('runbook-step-run').click();
  await page.getByTestId('sql-confirm-dialog').waitFor({ timeout: 30_000 });
  await page.getByTestId('rehearse-first').click();
  await page.getByTestId('rehearsal-report').waitFor({ timeout: 120_000 });
  await shot('rehearse-first');
  await page.getByTestId('sql-rollback').click();
} finally {
  await app.close();
}
