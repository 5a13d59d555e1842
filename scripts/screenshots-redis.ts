// The Redis browser's screenshot, taken by `npm run screenshots` (scripts/screenshots.ts calls it).
import { Redis } from 'ioredis';
import { startRedis, type SshdServer } from '../test/harness/index';
import type { AppUnderTest } from '../test/support/app-under-test';

/** A cache-like keyspace, browsed as a tree, with a hash open in its viewer. */
export async function shootRedisBrowser(
  app: AppUnderTest,
  sshd: SshdServer,
  shot: (name: string) => Promise<void>,
): Promise<void> {
  const redis = await startRedis();
  const seed = new Redis({ host: redis.host, port: redis.port });
  try {
    const pipeline = seed.pipeline();
    for (let i = 1; i <= 40; i++)
      pipeline
        .hset(
          `shop:cart:${1000 + i}`,
          'sku-17',
          String((i % 3) + 1),
          'sku-42',
          '1',
          'updated_at',
          `2026-12-06T21:${String(i).padStart(2, '0')}:00Z`,
        )
        .expire(`shop:cart:${1000 + i}`, 3600 * ((i % 5) + 1));
    for (let i = 1; i <= 25; i++)
      pipeline.set(
        `session:${(i * 7919).toString(16)}`,
        JSON.stringify({ user: i, roles: ['buyer'] }),
        'EX',
        900 + i * 60,
      );
    pipeline
      .rpush('bull:emails:wait', 'job-1', 'job-2', 'job-3')
      .zadd('leaderboard:weekly', 310, 'ada', 280, 'grace', 260, 'linus');
    pipeline.set(
      Buffer.from('thumb:\x89PNG'),
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]),
    );
    await pipeline.exec();
    const ssh = {
      host: sshd.host,
      port: sshd.port,
      user: sshd.user,
      auth: 'key' as const,
      keyPath: sshd.clientKeyPath,
    };
    await app.temp.core.invoke('profiles.save', {
      profile: { name: 'cache-eu', environment: 'staging', ssh, redis: { host: '127.0.0.1', port: redis.port } },
    });
    const { page } = app;
    await page.reload();
    await page.getByTestId('profile-item-cache-eu').click();
    await page.locator('[data-testid="workbench-tab"][data-tab="keys-1"]').click();
    await page.getByTestId('browser-scan').click();
    await page.getByTestId('browser-status').filter({ hasText: 'scan complete' }).waitFor();
    await page.locator('[data-testid="redis-tree-folder"][data-path="shop"]').click();
    await page.locator('[data-testid="redis-tree-folder"][data-path="shop:cart"]').click();
    await page.locator('[data-testid="redis-tree-key"][data-key="shop:cart:1007"]').click();
    await page.getByTestId('redis-value-table').waitFor();
    await shot('redis-browser');
  } finally {
    seed.disconnect();
    await redis.stop();
  }
}
