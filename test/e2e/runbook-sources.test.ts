import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startGitRemote, startSshd, type GitRemote, type SshdServer } from '../harness/index';
import { openApp, type AppUnderTest } from '../support/app-under-test';
import { seriousViolations } from '../support/axe';

const runbook = (query: string) => `# DB checks\n\n## Count connections\n\n\`\`\`sql\n${query}\n\`\`\`\n`;
const v1 = runbook('SELECT count(*) FROM pg_stat_activity;');
const v2 = runbook("SELECT count(*) FROM pg_stat_activity WHERE state = 'active';");

let sshd: SshdServer;
let remote: GitRemote;
let app: AppUnderTest;

before(async () => {
  sshd = await startSshd();
  remote = startGitRemote(sshd, { 'runbooks/db.md': v1 });
  Object.assign(process.env, remote.env);
  app = await openApp();
});
after(async () => {
  await app?.close();
  remote?.dispose();
  await sshd?.dispose();
});

test('Settings → Runbook sources: add a git remote, run a step, sync a change: the timeline pins the SHA and shows the change; push an edit to a branch', async () => {
  const { page } = app;
  await page.getByTestId('open-settings').click();
  await page.getByTestId('runbook-sources-empty').waitFor();
  await page.getByTestId('runbook-source-url').fill(remote.url);
  await page.getByTestId('runbook-source-path').fill('runbooks');
  await page.getByTestId('runbook-source-add').click();
  const row = page.getByTestId('runbook-source');
  await row.waitFor();
  const first = remote.head();
  assert.equal(await row.getByTestId('runbook-source-commit').textContent(), first.slice(0, 12));
  assert.equal(await row.getByTestId('runbook-source-age').textContent(), 'updated less than a minute ago');
  assert.deepEqual(await seriousViolations(page), [], 'the sources section passes axe');

  // A step of the source's runbook recorded as the runbook panel records it: the core pins it.
  const [source] = await app.temp.core.invoke('runbookSources.list', {});
  const file = join(source!.folder, 'db.md');
  await app.temp.core.invoke('incidents.start', { title: 'connections pile up', severity: 'P2' });
  await app.temp.core.invoke('incidents.recordStep', { runbook: file, step: 'count-connections-1', outcome: 'ok' });

  const second = remote.commit({ 'runbooks/db.md': v2 }, 'Only active connections');
  await page.getByTestId('runbook-sources-sync').click();
  await page
    .getByTestId('runbook-sources-message')
    .filter({ hasText: `runbooks: at ${second.slice(0, 12)}, changed db.md` })
    .waitFor();

  await page.getByTestId('toggle-timeline').click();
  await page
    .getByTestId('timeline')
    .locator('[data-kind="runbook.step"]')
    .filter({
      hasText: `from runbooks @ ${first.slice(0, 12)} (main, runbooks/db.md, pulled less than a minute before it ran; `,
    })
    .waitFor();
  const change = page.getByTestId('step-change');
  await change.filter({ hasText: 'This step has changed since it was run' }).waitFor();
  await change.locator('summary').click();
  assert.match(
    (await change.getByTestId('step-change-diff').textContent()) ?? '',
    /- SELECT count\(\*\) FROM pg_stat_activity;\n\+ SELECT count\(\*\) FROM pg_stat_activity WHERE state = 'active';/,
  );

  writeFileSync(file, v2.replace("'active'", "'idle'"));
  // Settings is still the centre view beside the drawer.
  await row.getByTestId('runbook-source-push-branch').fill('main');
  await row.getByTestId('runbook-source-push-message').fill('Count idle sessions');
  await row.getByTestId('runbook-source-push').click();
  await page.getByRole('alert').filter({ hasText: 'edits go through review' }).waitFor();
  await row.getByTestId('runbook-source-push-branch').fill('fix/idle');
  await row.getByTestId('runbook-source-push').click();
  await page
    .getByTestId('runbook-sources-message')
    .filter({ hasText: 'open a merge request from fix/idle into main' })
    .waitFor();
  assert.notEqual(remote.head('fix/idle'), '');
  assert.equal(remote.head(), second, 'the default branch did not move');

  await row.getByTestId('runbook-source-remove').click();
  await page.getByTestId('runbook-sources-empty').waitFor();
});
