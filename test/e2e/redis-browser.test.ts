import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { Redis } from 'ioredis';
import type { Browser, Page } from 'playwright-core';
import { startHost, type RunningHost } from '../../src/host/host';
import { createCore, type Core } from '../../src/main/core';
import { fileKeySource } from '../../src/main/vault/key-sources';
import { startPostgres, startRedis, type PostgresServer, type RedisServer } from '../harness/index';
import { openApp, type AppUnderTest } from '../support/app-under-test';
import { launchChromium } from '../support/browser';
import { seriousViolations } from '../support/axe';
import { harnessProfile } from '../support/profiles';

let redisServer: RedisServer;
let pgServer: PostgresServer;
let admin: Redis;
let app: AppUnderTest;
const allBytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));

before(async () => {
  [redisServer, pgServer] = await Promise.all([startRedis(), startPostgres()]);
  admin = new Redis({ host: redisServer.host, port: redisServer.port });
  const fields: string[] = [];
  for (let i = 0; i < 3000; i++) fields.push(`f${String(i).padStart(4, '0')}`, `v${i}`);
  await admin.hset('shop:cart:42', ...fields);
  await admin.set('shop:session:7', 'alive', 'EX', 3600);
  await admin.set('shop:blob', allBytes);
  app = await openApp();
  await app.temp.core.invoke('profiles.save', {
    profile: harnessProfile('prod-eu', { redis: redisServer, pg: pgServer }, 'production'),
  });
  await app.page.reload();
  await app.page.getByTestId('profile-item-prod-eu').click();
});
after(async () => {
  admin?.disconnect();
  await app?.close();
  await Promise.all([redisServer?.stop(), pgServer?.stop()]);
});

/** Types a line into the Redis console and sends it. */
async function send(page: Page, line: string): Promise<void> {
  await page.getByTestId('redis-line').fill(line);
  await page.getByTestId('redis-run').click();
}

async function openKeys(page: Page): Promise<void> {
  await page.locator('[data-testid="workbench-tab"][data-tab="keys-1"]').click();
  await page.getByTestId('browser-scan').click();
  await page.getByTestId('browser-status').filter({ hasText: 'scan complete' }).waitFor();
}

test('Redis tree → hash viewer (paged) → a TTL change that waits for the typed name, then shows on the server', async () => {
  const { page } = app;
  await openKeys(page);
  await page.locator('[data-testid="redis-tree-folder"][data-path="shop"]').click();
  await page.locator('[data-testid="redis-tree-folder"][data-path="shop:cart"]').click();
  await page.locator('[data-testid="redis-tree-key"][data-key="shop:cart:42"]').click();
  await page.getByTestId('redis-key-type').filter({ hasText: 'hash' }).waitFor();
  await page.getByTestId('redis-key-length').filter({ hasText: '3000' }).waitFor();
  assert.match(await page.getByTestId('redis-value-count').innerText(), /of 3000/);
  const firstPage = await page.getByTestId('redis-value-row').count();
  assert.ok(firstPage > 0 && firstPage < 3000, `a page, not the whole hash: ${firstPage}`);
  await page.getByTestId('redis-value-more').click();
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="redis-value-row"]').length > n, firstPage);
  await page.getByTestId('browser-ttl-input').fill('600');
  await page.getByTestId('browser-ttl-set').click();
  await page.getByTestId('browser-confirm-panel').waitFor();
  assert.equal(await admin.ttl('shop:cart:42'), -1, 'nothing is sent before the confirmation');
  await page.getByTestId('browser-confirm-name').fill('prod-eu');
  await page.getByTestId('browser-confirm').click();
  await page.getByTestId('browser-edit-result').filter({ hasText: 'EXPIRE ok' }).waitFor();
  const ttl = await admin.ttl('shop:cart:42');
  assert.ok(ttl > 590 && ttl <= 600, `TTL on the server: ${ttl}`);
  await page
    .getByTestId('redis-key-ttl')
    .filter({ hasText: /^(9|10) min$/ })
    .waitFor();
  assert.deepEqual(await seriousViolations(page), [], 'the browser passes axe');
  for (const view of ['info', 'slowlog', 'sample'] as const) {
    await page.getByTestId(`browser-view-${view}`).click();
    await page
      .locator(
        view === 'info'
          ? '[data-testid="redis-info-section"]'
          : view === 'sample'
            ? '[data-testid="redis-big-keys"]'
            : '.redis-browser .hint, [data-testid="redis-slowlog"]',
      )
      .first()
      .waitFor();
  }
  assert.match(await page.getByTestId('redis-big-keys').innerText(), /shop:cart:42/);
  await page.getByTestId('browser-view-keys').click();
  // A string edited in place, then a key deleted: each through the same typed-name confirmation.
  await page.locator('[data-testid="redis-tree-folder"][data-path="shop:session"]').click();
  await page.locator('[data-testid="redis-tree-key"][data-key="shop:session:7"]').click();
  await page.getByTestId('browser-string-edit-open').click();
  await page.getByTestId('browser-string-edit').fill('renewed ✓');
  await page.getByTestId('browser-string-save').click();
  await page.getByTestId('browser-confirm-name').fill('prod-eu');
  await page.getByTestId('browser-confirm').click();
  await page.getByTestId('redis-string-text').filter({ hasText: 'renewed ✓' }).waitFor();
  assert.equal(await admin.get('shop:session:7'), 'renewed ✓');
  assert.ok((await admin.ttl('shop:session:7')) > 3000, 'SET … KEEPTTL kept the expiry');
  await page.getByTestId('browser-unlink').click();
  await page.getByTestId('browser-confirm-name').fill('prod-eu');
  await page.getByTestId('browser-confirm').click();
  await page.locator('[data-testid="redis-tree-key"][data-key="shop:session:7"]').waitFor({ state: 'detached' });
  assert.equal(await admin.exists('shop:session:7'), 0);
  assert.deepEqual(app.consoleErrors, []);
});

/** Polls the server until `read` returns what is expected (the edit went through the confirmation first). */
async function serverShows<T>(read: () => Promise<T>, expected: T): Promise<void> {
  const deadline = Date.now() + 10_000;
  let last: T = await read();
  while (JSON.stringify(last) !== JSON.stringify(expected) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    last = await read();
  }
  assert.deepEqual(last, expected);
}

test('sets, sorted sets, lists and hashes are edited in place, each change one command confirmed by the typed name', async () => {
  await admin.sadd('shop:tags', 'blue', 'red');
  await admin.zadd('shop:rank', 1, 'alice');
  await admin.rpush('shop:jobs', 'j1', 'j2');
  const { page } = app;
  await page.getByTestId('browser-view-keys').click();
  await page.getByTestId('browser-scan').click();
  await page.getByTestId('browser-status').filter({ hasText: 'scan complete' }).waitFor();
  const select = async (key: string) => {
    const item = page.locator(`[data-testid="redis-tree-key"][data-key="${key}"]`);
    if (!(await item.isVisible())) await page.locator('[data-testid="redis-tree-folder"][data-path="shop"]').click();
    await item.click();
    await page.getByTestId('redis-value-table').waitFor();
  };
  const confirm = async () => {
    await page.getByTestId('browser-confirm-name').fill('prod-eu');
    await page.getByTestId('browser-confirm').click();
  };
  const row = (text: string) => page.getByTestId('redis-value-row').filter({ hasText: text });

  await select('shop:tags');
  await row('red').getByTestId('browser-row-remove').click();
  assert.deepEqual((await admin.smembers('shop:tags')).sort(), ['blue', 'red'], 'nothing sent before the confirmation');
  await confirm();
  await page.getByTestId('browser-add-first').fill('green');
  await page.getByTestId('browser-add').click();
  await confirm();
  await serverShows(async () => (await admin.smembers('shop:tags')).sort(), ['blue', 'green']);
  await row('green').waitFor();

  await select('shop:rank');
  await row('alice').getByTestId('browser-row-edit').click();
  await page.getByTestId('browser-row-edit-input').fill('7.5');
  await page.getByTestId('browser-row-edit-save').click();
  await confirm();
  await page.getByTestId('browser-add-first').fill('bob');
  await page.getByTestId('browser-add-second').fill('not a number');
  assert.equal(await page.getByTestId('browser-add').isDisabled(), true, 'a score must be a number');
  await page.getByTestId('browser-add-second').fill('-2');
  await page.getByTestId('browser-add').click();
  await confirm();
  await serverShows(() => admin.zrange('shop:rank', 0, -1, 'WITHSCORES'), ['bob', '-2', 'alice', '7.5']);

  await select('shop:jobs');
  await row('j2').getByTestId('browser-row-edit').click();
  await page.getByTestId('browser-row-edit-input').fill('j2-retry');
  await page.getByTestId('browser-row-edit-save').click();
  await confirm();
  await serverShows(() => admin.lrange('shop:jobs', 0, -1), ['j1', 'j2-retry']);
  await page.getByTestId('browser-add-first').fill('j3');
  await page.getByTestId('browser-add').click();
  await confirm();
  await serverShows(() => admin.lrange('shop:jobs', 0, -1), ['j1', 'j2-retry', 'j3']);
  // An editor left open while an element above it is removed never moves onto the element that
  // takes its place (a Save there would overwrite j3 with what was typed for j2-retry).
  await row('j2-retry').getByTestId('browser-row-edit').click();
  await page.getByTestId('browser-row-edit-input').fill('typed for j2-retry');
  await row('j1').getByTestId('browser-row-remove').click();
  await confirm();
  await serverShows(() => admin.lrange('shop:jobs', 0, -1), ['j2-retry', 'j3']);
  await row('j1').waitFor({ state: 'detached' });
  assert.equal(await row('j3').getByTestId('browser-row-edit-input').count(), 0, 'no editor moved onto j3');

  await page.locator('[data-testid="redis-tree-folder"][data-path="shop:cart"]').click();
  await select('shop:cart:42');
  await page.getByTestId('browser-add-first').fill('coupon');
  await page.getByTestId('browser-add-second').fill('SAVE10');
  await page.getByTestId('browser-add').click();
  await confirm();
  await serverShows(() => admin.hget('shop:cart:42', 'coupon'), 'SAVE10');
  assert.deepEqual(await seriousViolations(page), [], 'the editors pass axe');
  assert.deepEqual(app.consoleErrors, []);
});

test('a binary value is shown as binary, and its copy SET back through the console arrives byte for byte', async () => {
  const { page } = app;
  await page.locator('[data-testid="redis-tree-key"][data-key="shop:blob"]').click();
  await page.getByTestId('redis-string-view').getByTestId('redis-hex').waitFor();
  const copy = await page.getByTestId('redis-string-view').getByTestId('redis-copy-value').getAttribute('data-copy');
  assert.ok(copy?.startsWith('"\\x00\\x01'), String(copy));
  await page.locator('[data-testid="workbench-tab"][data-tab="redis-1"]').click();
  await send(page, `SET shop:blob-copy ${copy}`);
  await page.getByTestId('redis-confirm-name').fill('prod-eu');
  await page.getByTestId('redis-confirm').click();
  await page.getByTestId('redis-reply').filter({ hasText: 'OK' }).waitFor();
  assert.deepEqual(await admin.getBuffer('shop:blob-copy'), allBytes);
  await send(page, 'GET shop:blob');
  await page.getByTestId('redis-reply').getByTestId('binary-mark').waitFor();
  await send(page, 'INFO memory');
  await page.getByTestId('redis-info-section').filter({ hasText: 'used_memory' }).waitFor();
  await send(page, 'SCAN 0 COUNT 2');
  await page.getByTestId('redis-scan-cursor').filter({ hasText: 'next cursor' }).waitFor();
  await send(page, 'CONFIG GET maxmemory');
  await page.getByTestId('redis-reply').filter({ hasText: 'maxmemory' }).waitFor();
  assert.equal(
    await page.getByTestId('redis-result').locator('.risk-dangerous').count(),
    0,
    'CONFIG GET is not flagged red',
  );
  await page.locator('[data-testid="workbench-tab"][data-tab="sql-1"]').click();
  await page.getByTestId('sql-text').fill("SELECT '\\x00ff0a'::bytea AS payload");
  await page.getByTestId('sql-run').click();
  const cell = page.getByTestId('sql-cell-binary').first();
  await cell.waitFor();
  assert.match(await cell.innerText(), /binary\s*\\x00ff0a/);
});

test('tabs, unsaved editor text and the open runbook come back after a restart of the core', async () => {
  const { page } = app;
  await page.getByTestId('open-runbooks').click();
  await page.locator('[data-testid="runbook-item"][data-path$="postgres-on-call.md"]').click();
  await page.getByTestId('runbook-title').filter({ hasText: 'Postgres on call' }).waitFor();
  await page.getByTestId('profile-item-prod-eu').click();
  await page.getByTestId('workbench-add-sql').click();
  await page.locator('[data-testid="workbench-tab"][data-tab="sql-2"]').waitFor();
  await page.locator('.cm-content').first().click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type('SELECT 42 AS unsaved_answer');
  await page.locator('[data-testid="workbench-tab"][data-tab="redis-1"]').click();
  await page.getByTestId('redis-line').fill('HLEN shop:cart:42');
  await page.waitForTimeout(900); // the session is saved 400 ms after the last change
  const dataDir = app.temp.dataDir;
  await app.browser.close();
  await app.host.close();
  await app.temp.core.dispose();
  // The restart: a new core over the same data folder, a new host and a new window.
  let core: Core | undefined;
  let host: RunningHost | undefined;
  let browser: Browser | undefined;
  try {
    core = createCore({ dataDir, keySource: fileKeySource(dataDir), knownHostsFiles: [], operator: 'tester' });
    host = await startHost({
      core,
      staticDir: join(fileURLToPath(new URL('../..', import.meta.url)), 'out', 'renderer'),
    });
    browser = await launchChromium();
    const again = await browser.newPage();
    await again.goto(host.url);
    await again.locator('[data-testid="workbench-tab"][data-tab="sql-2"]').waitFor();
    assert.equal(
      await again.getByTestId('redis-line').inputValue(),
      'HLEN shop:cart:42',
      'the Redis tab is active again with its line',
    );
    await again.locator('[data-testid="workbench-tab"][data-tab="sql-2"]').click();
    await again.locator('.cm-content').filter({ hasText: 'SELECT 42 AS unsaved_answer' }).waitFor();
    await again.locator('[data-testid="workbench-tab"][data-tab="sql-1"]').click();
    assert.doesNotMatch(
      await again.locator('.cm-content').first().innerText(),
      /unsaved_answer/,
      'each tab keeps its own text',
    );
    await again.getByTestId('open-runbooks').click();
    await again.getByTestId('runbook-title').filter({ hasText: 'Postgres on call' }).waitFor();
  } finally {
    await browser?.close();
    await host?.close();
    await core?.dispose();
    rmSync(dataDir, { recursive: true, force: true });
    app = undefined as never;
  }
});
