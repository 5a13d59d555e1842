import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Redis } from 'ioredis';
import { startRedis, type RedisServer } from '../harness/index';
import { openApp, type AppUnderTest } from '../support/app-under-test';
import { harnessProfile } from '../support/profiles';

let redisServer: RedisServer;
let admin: Redis;
let app: AppUnderTest;

before(async () => {
  redisServer = await startRedis();
  admin = new Redis({ host: redisServer.host, port: redisServer.port });
  await admin.set('greeting', 'hello');
  app = await openApp();
  await app.temp.core.invoke('profiles.save', {
    profile: { ...harnessProfile('prod-ro', { redis: redisServer }, 'production'), safety: 'read-only' },
  });
  await app.page.reload();
  await app.page.getByTestId('profile-item-prod-ro').click();
});
after(async () => {
  admin?.disconnect();
  await app?.close();
  await redisServer?.stop();
});

async function send(line: string): Promise<void> {
  const { page } = app;
  await page.getByTestId('redis-line').fill(line);
  await page.getByTestId('redis-run').click();
}

test('a read-only production profile: the app shows why ACL SETUSER, CONFIG SET and EVAL_RO were refused', async () => {
  const { page } = app;
  for (const [line, reason] of [
    ["ACL SETUSER mallory on '>mallory-pw' +@all ~*", 'server_change'],
    ['CONFIG SET maxmemory 1', 'server_change'],
    ['EVAL_RO "while true do end" 0', 'script'],
  ] as const) {
    await send(line);
    const message = page.getByTestId('redis-message').filter({ hasText: 'is read-only' });
    await message.waitFor();
    assert.equal(await message.getAttribute('role'), 'alert');
    await page.getByTestId('redis-result').getByTestId('sql-reason').filter({ hasText: reason }).first().waitFor();
    assert.equal(await page.getByTestId('redis-confirm-panel').count(), 0, `${line}: no confirmation is offered`);
  }
  assert.deepEqual(await admin.call('ACL', 'USERS'), ['default'], 'the server is unchanged');
  assert.deepEqual(await admin.call('CONFIG', 'GET', 'maxmemory'), ['maxmemory', '0']);
});

test('PING, GET, INFO and CONFIG GET maxmemory-policy still answer; SELECT is refused with the reason', async () => {
  const { page } = app;
  await send('PING');
  await page.getByTestId('redis-reply').filter({ hasText: 'PONG' }).waitFor();
  await send('GET greeting');
  await page.getByTestId('redis-reply').filter({ hasText: '"hello"' }).waitFor();
  await send('INFO server');
  await page.getByTestId('redis-reply').filter({ hasText: 'redis_version' }).waitFor();
  await send('CONFIG GET maxmemory-policy');
  await page.getByTestId('redis-reply').filter({ hasText: 'noeviction' }).waitFor();
  await send('SELECT 1');
  await page.getByTestId('redis-message').filter({ hasText: 'SELECT changes the state of the connection' }).waitFor();
});

test('SUBSCRIBE is refused on the shared client and offered on its own connection, with a Stop button', async () => {
  const { page } = app;
  await send('SUBSCRIBE alerts');
  await page
    .getByTestId('redis-message')
    .filter({ hasText: 'SUBSCRIBE changes the state of the connection' })
    .waitFor();
  await page.getByTestId('redis-watch-start').click();
  await page.getByTestId('redis-watch-status').filter({ hasText: 'Watching SUBSCRIBE alerts' }).waitFor();
  await admin.publish('alerts', 'disk almost full');
  await page.getByTestId('redis-watch-messages').filter({ hasText: 'disk almost full' }).waitFor();
  await page.getByTestId('redis-watch-stop').click();
  await page
    .getByTestId('redis-watch-status')
    .filter({ hasText: 'Ended: stopped by the operator · 1 messages' })
    .waitFor();
  // The server notices the closed socket a moment later.
  let subscribers: unknown;
  for (
    let i = 0;
    i < 50 && (subscribers = ((await admin.call('PUBSUB', 'NUMSUB', 'alerts')) as unknown[])[1]) !== 0;
    i++
  )
    await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal(subscribers, 0, 'the dedicated connection is closed');
  await send('PING');
  await page.getByTestId('redis-reply').filter({ hasText: 'PONG' }).waitFor();
});

test('Settings → Storage says the data folder is private to the operator', async () => {
  const { page } = app;
  await page.getByTestId('open-settings').click();
  await page.getByTestId('file-modes').filter({ hasText: 'readable only by you (0700; its files 0600)' }).waitFor();
  assert.equal(await page.getByTestId('file-warnings').count(), 0);
  await page.getByTestId('open-settings').click();
});
