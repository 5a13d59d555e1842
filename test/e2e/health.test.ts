import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Redis } from 'ioredis';
import pg from 'pg';
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
import { harnessProfile } from '../support/profiles';

// The Health panel is reached from the profile pane's "Health" button (data-testid="open-health"),
// which shows <HealthPanel profileId=…/> in the centre.

let pgServer: PostgresServer;
let redisServer: RedisServer;
let sshd: SshdServer;
let app: AppUnderTest;
const sessions: pg.Client[] = [];
let holderPid = 0;
let waiterPid = 0;

async function session(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: pgServer.connectionString() });
  await client.connect();
  client.on('error', () => undefined);
  sessions.push(client);
  return client;
}

before(async () => {
  [pgServer, redisServer, sshd] = await Promise.all([startPostgres(), startRedis(), startSshd()]);
  const setup = await session();
  await setup.query('CREATE TABLE items (id int PRIMARY KEY, n int)');
  await setup.query('INSERT INTO items VALUES (1, 0)');
  const holder = await session();
  const waiter = await session();
  holderPid = Number((await holder.query('SELECT pg_backend_pid() AS pid')).rows[0].pid);
  waiterPid = Number((await waiter.query('SELECT pg_backend_pid() AS pid')).rows[0].pid);
  await holder.query('BEGIN');
  await holder.query('UPDATE items SET n = 1 WHERE id = 1');
  void waiter.query('UPDATE items SET n = 2 WHERE id = 1').catch(() => undefined);

  const redis = new Redis({ host: redisServer.host, port: redisServer.port });
  await redis.rpush('bull:emails:wait', 'a', 'b', 'c');
  await redis.zadd('bull:emails:delayed', 1, 'd');
  redis.disconnect();

  app = await openApp({ hostKeyPrompter: { ask: async () => true } });
  await app.temp.core.invoke('profiles.save', {
    profile: harnessProfile('staging-eu', { sshd, pg: pgServer, redis: redisServer }),
  });
  await app.page.reload();
  await app.page.getByTestId('profile-item-staging-eu').click();
  await app.page.getByTestId('open-health').click();
  await app.page.getByTestId('health-panel').waitFor();
});
after(async () => {
  await Promise.all(sessions.map((s) => s.end().catch(() => undefined)));
  await app?.close();
  await Promise.all([pgServer?.stop(), redisServer?.stop(), sshd?.dispose()]);
});

const statusOf = (id: string) => app.page.getByTestId(`health-status-${id}`).getAttribute('data-status');

test('Run all: the lock chain is warn with its pids, the Bull queue depth shows, a missing extension is error while others pass', async () => {
  const { page } = app;
  await page.getByTestId('health-run-all').click();
  await page
    .getByTestId('health-status-pg.blocking_locks')
    .and(page.locator('[data-status="warn"]'))
    .waitFor({ timeout: 20_000 });
  const locks = (await page.getByTestId('health-message-pg.blocking_locks').textContent()) ?? '';
  assert.match(locks, new RegExp(`root blocker pid ${holderPid}\\b`));
  assert.match(locks, new RegExp(`${waiterPid} ← ${holderPid}`));
  assert.equal(await statusOf('pg.top_queries'), 'error');
  assert.match(
    (await page.getByTestId('health-message-pg.top_queries').textContent()) ?? '',
    /pg_stat_statements is not available/,
  );
  assert.equal(await statusOf('redis.queues'), 'ok');
  assert.match(
    (await page.getByTestId('health-message-redis.queues').textContent()) ?? '',
    /emails: wait 3 · active 0 · delayed 1/,
  );
  assert.equal(await page.getByTestId('health-value-redis.queues').textContent(), '3 jobs waiting');
  for (const id of ['pg.connections', 'pg.cache_hit', 'redis.ping', 'redis.memory'])
    assert.notEqual(await statusOf(id), 'error', id);
  assert.match((await page.getByTestId('health-summary').textContent()) ?? '', /1 error/);
});

test('open a check: its query, what it means, what to do, and the numbers behind it', async () => {
  const { page } = app;
  await page.getByTestId('health-open-pg.blocking_locks').click();
  const details = page.getByTestId('health-details-pg.blocking_locks');
  assert.match((await details.getByTestId('health-query-pg.blocking_locks').textContent()) ?? '', /pg_blocking_pids/);
  assert.match((await details.textContent()) ?? '', /What to do next:.*pg_terminate_backend/);
  assert.ok((await details.locator('td').allTextContents()).includes(String(waiterPid)));
});

test('re-run one check, and polling draws a trend for numeric checks', async () => {
  const { page } = app;
  const redis = new Redis({ host: redisServer.host, port: redisServer.port });
  await redis.rpush('bull:emails:wait', 'd', 'e');
  redis.disconnect();
  // Opening the panel ran the checks once already: count from what is on screen.
  const trend = page.getByTestId('health-check-redis.queues').getByTestId('health-trend');
  const before = Number(await trend.getAttribute('data-points'));
  await page.getByTestId('health-rerun-redis.queues').click();
  await page.getByTestId('health-value-redis.queues').and(page.locator(':text("5 jobs waiting")')).waitFor();
  assert.equal(await trend.getAttribute('data-points'), String(before + 1));
  const ping = page.getByTestId('health-check-redis.ping').getByTestId('health-trend');
  const pings = Number(await ping.getAttribute('data-points'));
  await page.getByTestId('health-poll').selectOption('10');
  await ping.and(page.locator(`[data-points="${pings + 1}"]`)).waitFor({ timeout: 15_000 });
  await page.getByTestId('health-poll').selectOption('0');
});

test('status colours pass WCAG AA in the dark and the light theme', async () => {
  const { page } = app;
  assert.deepEqual(await seriousViolations(page), [], 'dark');
  await app.temp.core.invoke('settings.update', { patch: { theme: 'light' } });
  await page.reload();
  await page.getByTestId('profile-item-staging-eu').click();
  await page.getByTestId('open-health').click();
  await page.getByTestId('health-run-all').click();
  await page
    .getByTestId('health-status-pg.blocking_locks')
    .and(page.locator('[data-status="warn"]'))
    .waitFor({ timeout: 20_000 });
  // Opening the panel ran the checks already: the status can show before this run ends; axe reads the settled panel.
  await page.getByTestId('health-run-all').filter({ hasText: 'Run all checks' }).waitFor({ timeout: 20_000 });
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'light');
  assert.deepEqual(await seriousViolations(page), [], 'light');
});
