import { execFileSync, spawn } from 'node:child_process';
import { Redis } from 'ioredis';
import { startRedis, startSshd, startSshForward, stopChild } from '../../test/harness/index';
import { harnessProfile } from '../../test/support/profiles';
import { tempCore } from '../../test/support/temp-core';
import { median, result, round, type BenchContext, type BenchResult, type Benchmark } from '../types';

// The key browser's first page (500 keys with type and TTL) of a 1,000,000-key database through
// one SSH hop, against redis-cli --scan | head -500 through OpenSSH `ssh -L` in the same run.

const keyCount = 1_000_000;

/** 1 M keys in seconds: DEBUG POPULATE (bench only; never in npm test), then TTLs on a slice by pipeline. */
async function seed(redis: Redis, log: (m: string) => void): Promise<void> {
  await redis.call('DEBUG', 'POPULATE', String(keyCount), 'shop:item');
  const pipeline = redis.pipeline();
  for (let i = 0; i < 100_000; i += 10) pipeline.expire(`shop:item:${i}`, 3600 + i);
  await pipeline.exec();
  log(`redis.browse: ${await redis.dbsize()} keys seeded`);
}

/** redis-cli learnt --count in 7.2; an older one scans with its default COUNT 10 (the figure says which). */
const cliHasCount = /--count/.test(execFileSync('redis-cli', ['--help'], { encoding: 'utf8' }).toString());
const cliScan = cliHasCount ? '--scan --count 1000' : '--scan';

/** `redis-cli --scan --count 1000 | head -500` as a shell would run it; resolves with its ms. */
function redisCliFirstPage(port: number): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const shell = spawn('sh', ['-c', `redis-cli -h 127.0.0.1 -p ${port} ${cliScan} | head -500 | wc -l`], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    shell.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    shell.on('exit', (code) =>
      Number(out.trim()) === 500
        ? resolve(performance.now() - started)
        : reject(new Error(`redis-cli listed ${out.trim()} keys (exit ${code})`)),
    );
  });
}

async function browse(context: BenchContext): Promise<BenchResult[]> {
  const [redisServer, sshd] = await Promise.all([startRedis(['--enable-debug-command', 'local']), startSshd()]);
  const temp = tempCore({ hostKeyPrompter: { ask: async () => true } });
  const tunnel = await startSshForward(sshd, [redisServer.port]);
  try {
    const admin = new Redis({ host: redisServer.host, port: redisServer.port });
    await seed(admin, context.log);
    admin.disconnect();
    const { id } = await temp.core.invoke('profiles.save', {
      profile: harnessProfile('bench-redis', { sshd, redis: redisServer }),
    });
    await temp.core.invoke('redis.scan', { profileId: id, cursor: '0', pageSize: 500 }); // connects (SSH, AUTH): not part of a page
    await redisCliFirstPage(tunnel.ports[0]!);
    const ours: number[] = [];
    const anchor: number[] = [];
    let keys = 0;
    for (let run = 0; run < Math.max(context.runs, 5); run++) {
      const started = performance.now();
      const page = await temp.core.invoke('redis.scan', { profileId: id, cursor: '0', pageSize: 500 });
      ours.push(performance.now() - started);
      keys = page.keys.length;
      if (page.keys.some((k) => !k.type)) throw new Error('a key without its type');
      anchor.push(await redisCliFirstPage(tunnel.ports[0]!));
    }
    context.log(
      `redis.browse: first page ${round(median(ours), 1)} ms (${keys} keys with type and TTL), redis-cli via ssh -L ${round(median(anchor), 1)} ms`,
    );
    const value = median(ours);
    const anchorMs = median(anchor);
    return [
      result({
        id: 'redis.browse_1m_keys_ms',
        unit: 'ms',
        value,
        anchor: null,
        goal: { of: 'value', op: '<', limit: 300 },
        also: [
          {
            name: `redis-cli ${cliScan} | head -500 via OpenSSH ssh -L (ms)${cliHasCount ? '' : ' (this redis-cli has no --count: SCAN COUNT 10)'}`,
            value: round(anchorMs, 1),
          },
          { name: 'ratio to redis-cli', value: round(value / anchorMs, 2) },
        ],
        note: `${keyCount} keys; first page of ${keys} keys with TYPE and PTTL (one pipeline), one SSH hop`,
      }),
    ];
  } finally {
    await temp.dispose();
    await stopChild(tunnel.child);
    await Promise.all([redisServer.stop(), sshd.dispose()]);
  }
}

export const redisBrowseBenchmarks: Benchmark[] = [
  {
    id: 'redis.browse',
    description:
      'Redis browser: first page of keys with type and TTL of a 1 M-key database through SSH, against redis-cli --scan through ssh -L',
    run: browse,
  },
];
