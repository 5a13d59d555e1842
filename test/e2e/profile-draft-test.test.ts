import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import {
  startPostgres,
  startRedis,
  startSshd,
  type PostgresServer,
  type RedisServer,
  type SshdServer,
} from '../harness/index';
import { openApp, type AppUnderTest } from '../support/app-under-test';
import { seriousViolations } from '../support/axe';

let pg: PostgresServer;
let redis: RedisServer;
let sshd: SshdServer;
let app: AppUnderTest;
const asked: string[] = [];

before(async () => {
  [pg, redis, sshd] = await Promise.all([startPostgres(), startRedis(), startSshd()]);
  app = await openApp({ hostKeyPrompter: { ask: async (q) => (asked.push(`${q.host}:${q.port}`), true) } });
});
after(async () => {
  await app?.close();
  await Promise.all([pg?.stop(), redis?.stop(), sshd?.dispose()]);
});

const group = (page: Page, name: string) => page.getByRole('group', { name, exact: true });

/** Fills the new-profile form the way a screen-reader user reaches it: every field by its label. */
async function fillByLabels(page: Page, pgPassword: string) {
  await page.getByLabel('Name (typed to confirm production writes)').fill('draft-eu');
  await page.getByLabel('Environment').selectOption('staging');
  await page.getByLabel('Tags (comma separated)').fill('eu, draft');
  await page.getByLabel('Notes').fill('tested before saving');
  const ssh = group(page, 'SSH');
  await ssh.getByLabel('Host', { exact: true }).fill(sshd.host);
  await ssh.getByLabel('Port', { exact: true }).fill(String(sshd.port));
  await ssh.getByLabel('User', { exact: true }).fill(sshd.user);
  await ssh.getByLabel('Authentication').selectOption('key');
  await ssh.getByLabel('Key file').fill(sshd.clientKeyPath);
  const postgres = group(page, 'Postgres');
  await postgres.getByLabel('Host (as seen from the last hop)').fill(pg.host);
  await postgres.getByLabel('Port', { exact: true }).fill(String(pg.port));
  await postgres.getByLabel('Database').fill(pg.database);
  await postgres.getByLabel('User', { exact: true }).fill(pg.user);
  await postgres.getByLabel('Password', { exact: true }).fill(pgPassword);
  await page.getByLabel('Redis', { exact: true }).check();
  const redisGroup = group(page, 'Redis');
  await redisGroup.getByLabel('Host (as seen from the last hop)').fill(redis.host);
  await redisGroup.getByLabel('Port', { exact: true }).fill(String(redis.port));
  await redisGroup.getByLabel('Database number').fill('0');
}

async function runTest(page: Page): Promise<{ summary: string | null; stages: string[] }> {
  await page.getByRole('button', { name: 'Test connection' }).click();
  await page.getByTestId('test-summary').waitFor({ timeout: 30_000 });
  const stages = await page
    .getByTestId('test-steps')
    .locator('li[data-stage]')
    .evaluateAll((items) => items.map((i) => `${i.getAttribute('data-stage')}:${i.getAttribute('data-status')}`));
  return { summary: await page.getByTestId('test-summary').textContent(), stages };
}

test('a new profile is tested from its form, by labels, before saving: every stage passes and nothing is saved', async () => {
  const { page } = app;
  await page.getByTestId('new-profile').click();
  await page.getByLabel('SSH', { exact: true }).check();
  await page.getByLabel('Postgres', { exact: true }).check();
  await fillByLabels(page, pg.password);
  const { summary, stages } = await runTest(page);
  assert.equal(summary, 'Every stage passed.', stages.join(' '));
  assert.deepEqual(stages, ['ssh.connect:ok', 'ssh.hostKey:ok', 'ssh.auth:ok', 'postgres:ok', 'redis:ok']);
  assert.deepEqual(asked, [`${sshd.host}:${sshd.port}`], 'the new host key was asked about, as for a saved profile');
  assert.equal((await app.temp.core.invoke('profiles.list', {})).length, 0, 'testing saved nothing');
  assert.equal(
    await page.getByRole('form', { name: 'Profile editor' }).count(),
    1,
    'the editor stays open with the draft',
  );
  assert.deepEqual(await seriousViolations(page), [], 'the editor with a test result passes axe');
});

test('a wrong password typed in the form fails the Postgres stage with its reason; the form is still unsaved', async () => {
  const { page } = app;
  await page.getByLabel('Password', { exact: true }).first().fill('not-the-password');
  const { summary, stages } = await runTest(page);
  assert.equal(summary, 'A stage failed: see its reason above.');
  assert.deepEqual(stages, ['ssh.connect:ok', 'ssh.hostKey:ok', 'ssh.auth:ok', 'postgres:failed', 'redis:ok']);
  const detail = await page.locator('li[data-stage="postgres"] .test-detail').textContent();
  assert.match(detail ?? '', /password authentication failed/i);
  assert.equal((await app.temp.core.invoke('profiles.list', {})).length, 0);
  await page.getByLabel('Password', { exact: true }).first().fill(pg.password);
  assert.equal(
    await page.getByTestId('test-steps').count(),
    0,
    'a result is dropped once the draft it described changes',
  );
  await page.getByRole('button', { name: 'Save profile' }).click();
  await page.getByTestId('profile-item-draft-eu').waitFor();
  const saved = await app.temp.core.invoke('profiles.get', { name: 'draft-eu' });
  assert.deepEqual(saved.tags, ['eu', 'draft'], 'the fields filled by label are the ones saved');
});

test('editing a saved profile: the test uses its stored password while the route is unchanged, and not once the Postgres host changes', async () => {
  const { page } = app;
  await page.getByTestId('profile-item-draft-eu').click();
  await page.getByTestId('edit-profile').click();
  await page.getByRole('form', { name: 'Profile editor' }).waitFor();
  assert.equal(await page.getByTestId('test-steps').count(), 0, 'no result from the new-profile draft');
  const first = await runTest(page);
  assert.equal(first.summary, 'Every stage passed.', first.stages.join(' '));
  await group(page, 'Postgres').getByLabel('Host (as seen from the last hop)').fill('localhost');
  const moved = await runTest(page);
  assert.ok(moved.stages.includes('postgres:failed'), moved.stages.join(' '));
  assert.match(
    (await page.locator('li[data-stage="postgres"] .test-detail').textContent()) ?? '',
    /password must be a string/,
    'reached, but no stored password was sent',
  );
  assert.equal(
    (await app.temp.core.invoke('profiles.get', { name: 'draft-eu' })).postgres?.host,
    pg.host,
    'the stored profile is unchanged',
  );
});
