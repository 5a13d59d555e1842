import { Redis } from 'ioredis';
import { startPostgres, startRedis, startSshd } from '../../test/harness/index';
import { tempCore } from '../../test/support/temp-core';
import { median, result, round, type BenchContext, type BenchResult, type Benchmark } from '../types';
import { harnessProfile } from '../../test/support/profiles';

// Every health check of a profile (Postgres and Redis through one SSH hop) as the panel runs them
// (concurrently), against the same checks one at a time; and the big-key SCAN's pace.

const bigKeyCount = 100_000;

async function healthRun(context: BenchContext): Promise<BenchResult[]> {
  const [pgServer, redisServer, sshd] = await Promise.all([startPostgres(), startRedis(), startSshd()]);
  const temp = tempCore({ hostKeyPrompter: { ask: async () => true } });
  try {
    const seed = new Redis({ host: redisServer.host, port: redisServer.port });
    await seed.rpush('bull:emails:wait', 'a', 'b');
    const profile = await temp.core.invoke('profiles.save', {
      profile: harnessProfile('bench-health', { sshd, pg: pgServer, redis: redisServer }),
    });
    const ids = (await temp.core.invoke('health.run', { profileId: profile.id })).checks.map((c) => c.id);
    const concurrent: number[] = [];
    const oneByOne: number[] = [];
    for (let run = 0; run < context.runs; run++) {
      let started = performance.now();
      await temp.core.invoke('health.run', { profileId: profile.id });
      concurrent.push(performance.now() - started);
      started = performance.now();
      for (const id of ids) await temp.core.invoke('health.run', { profileId: profile.id, ids: [id] });
      oneByOne.push(performance.now() - started);
      context.log(
        `health run ${run + 1}/${context.runs}: all ${Math.round(concurrent.at(-1)!)} ms, one by one ${Math.round(oneByOne.at(-1)!)} ms`,
      );
    }
    for (let i = 0; i < bigKeyCount; i += 10_000) {
      const pipeline = seed.pipeline();
      for (let j = i; j < i + 10_000; j++) pipeline.set(`user:${j}`, 'x'.repeat(j % 200));
      await pipeline.exec();
    }
    seed.disconnect();
    const scanRates: number[] = [];
    for (let run = 0; run < context.runs; run++) {
      const [big] = (
        await temp.core.invoke('health.run', {
          profileId: profile.id,
          ids: ['redis.big_keys'],
          params: { 'redis.big_keys.budgetMs': 60_000 },
          timeoutMs: 60_000,
        })
      ).checks;
      scanRates.push(bigKeyCount / (big!.durationMs / 1000));
    }
    const note = `${ids.length} checks over 1 SSH hop, small keyspace`;
    return [
      result({
        id: 'health.run_all_1hop',
        unit: 'ms',
        value: round(median(concurrent)),
        anchor: {
          name: 'same checks, one health.run each in sequence (each opens its own side connection)',
          value: round(median(oneByOne)),
        },
        goal: { of: 'ratio', op: '<', limit: 0.8 },
        note,
      }),
      result({
        id: 'health.big_keys_scan',
        unit: 'keys/s',
        value: Math.round(median(scanRates)),
        anchor: null,
        goal: { of: 'value', op: '>=', limit: 50_000 },
        note: `${bigKeyCount} keys scanned whole: SCAN COUNT 1000 + MEMORY USAGE per key, over SSH`,
      }),
    ];
  } finally {
    await temp.dispose();
    await Promise.all([pgServer.stop(), redisServer.stop(), sshd.dispose()]);
  }
}

export const healthBenchmarks: Benchmark[] = [
  {
    id: 'health',
    description:
      "Health checks: all of a profile's checks concurrently vs one by one (1 SSH hop), and the big-key SCAN pace",
    run: healthRun,
  },
];
