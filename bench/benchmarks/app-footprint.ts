import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';
import { startPostgres, startRedis, startSshd } from '../../test/harness/index';
import { harnessProfile } from '../../test/support/profiles';
import { tempCore } from '../../test/support/temp-core';
import { median, result, round, type BenchContext, type BenchResult, type Benchmark } from '../types';

// The core's idle footprint as an on-call night leaves it: the host process `npm run host` runs
// (the real core behind the loopback WebSocket), three profiles connected through the harness's
// sshd (SSH session, Postgres and Redis), two remote terminals open, then ten seconds idle.
// `npm run host` runs the build (dist/cli/host.js, made at npm install like the CLI) as the app's
// main process runs its bundle; the sources through tsx only when no build is current.

const root = fileURLToPath(new URL('../..', import.meta.url));
const idleMs = 10_000;

/** The host's resident set from /proc, in MB. */
function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Number(line?.match(/(\d+)/)?.[1] ?? NaN) / 1024;
}

function startHost(dataDir: string): Promise<{ child: ChildProcess; url: URL }> {
  const child = spawn(process.execPath, ['scripts/host.mjs'], {
    cwd: root,
    env: { ...process.env, OPSCONSOLE_HOME: dataDir, OPSCONSOLE_VAULT: 'file' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.stdout!.once('data', (chunk: Buffer) => resolve({ child, url: new URL(chunk.toString().trim()) }));
    child.once('exit', (code) => reject(new Error(`the host exited ${code}`)));
  });
}

/** A contract client over the host's WebSocket, as the renderer in a browser talks to it. */
async function connect(url: URL): Promise<{ invoke(op: string, input: unknown): Promise<unknown>; close(): void }> {
  const token = new URLSearchParams(url.hash.slice(1)).get('token')!;
  const ws = new WebSocket(`ws://${url.host}/ws?token=${token}`, { origin: url.origin });
  await new Promise((resolve, reject) => (ws.once('open', resolve), ws.once('error', reject)));
  const waiting = new Map<number, (reply: { ok: boolean; value?: unknown; error?: { message: string } }) => void>();
  ws.on('message', (data) => {
    const message = JSON.parse(data.toString()) as { id?: number; result?: { ok: boolean } };
    if (message.id !== undefined) waiting.get(message.id)?.(message.result!);
  });
  let next = 1;
  return {
    invoke: (op, input) =>
      new Promise((resolve, reject) => {
        const id = next++;
        waiting.set(id, (reply) =>
          reply.ok ? resolve(reply.value) : reject(new Error(`${op}: ${reply.error?.message}`)),
        );
        ws.send(JSON.stringify({ id, op, input }));
      }),
    close: () => ws.close(),
  };
}

async function idleRss(servers: Parameters<typeof harnessProfile>[1]): Promise<number> {
  const temp = tempCore({ hostKeyPrompter: { ask: async () => true } });
  const ids: string[] = [];
  for (const name of ['night-a', 'night-b', 'night-c']) {
    const profile = await temp.core.invoke('profiles.save', { profile: harnessProfile(name, servers) });
    ids.push(profile.id);
  }
  // Trusts the bastion's key once (first use), so the host connects without a prompt.
  await temp.core.invoke('sql.run', { profileId: ids[0]!, sql: 'SELECT 1' });
  await temp.core.dispose();
  const { child, url } = await startHost(temp.dataDir);
  try {
    const client = await connect(url);
    for (const profileId of ids) {
      await client.invoke('sql.run', { profileId, sql: 'SELECT 1' });
      await client.invoke('redis.run', { profileId, argv: ['PING'] });
    }
    for (const profileId of ids.slice(0, 2))
      await client.invoke('terminals.open', { kind: 'remote', profileId, cols: 120, rows: 40 });
    await new Promise((resolve) => setTimeout(resolve, idleMs));
    const mb = rssMb(child.pid!);
    client.close();
    return mb;
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    rmSync(temp.dataDir, { recursive: true, force: true });
  }
}

async function footprintRun(context: BenchContext): Promise<BenchResult[]> {
  // As installed: npm install builds dist/cli (prepare); rebuilt here so edited sources count.
  const build = spawnSync(process.execPath, ['scripts/build-cli.mjs'], { cwd: root, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`building the CLI and host failed: ${build.stderr}`);
  const [pg, redis, sshd] = await Promise.all([startPostgres(), startRedis(), startSshd()]);
  try {
    const samples: number[] = [];
    for (let run = 0; run < context.runs; run++) {
      samples.push(await idleRss({ sshd, pg, redis }));
      context.log(`  app.idle_main_rss_mb run ${run + 1}: ${samples.at(-1)!.toFixed(1)} MB`);
    }
    return [
      result({
        id: 'app.idle_main_rss_mb',
        unit: 'MB',
        value: round(median(samples), 1),
        anchor: null,
        goal: { of: 'value', op: '<=', limit: 150 },
        note: 'VmRSS of the host process (scripts/host.mjs running the built dist/cli/host.js, as npm run host): 3 profiles connected (SSH, Postgres, Redis), 2 remote terminals, 10 s idle',
      }),
    ];
  } finally {
    await Promise.all([pg.stop(), redis.stop(), sshd.dispose()]);
  }
}

export const appFootprintBenchmarks: Benchmark[] = [
  {
    id: 'app.idle_main_rss_mb',
    description:
      'RSS of the core as npm run host runs it: 3 profiles connected through SSH, 2 terminals open, 10 s idle',
    run: footprintRun,
  },
];
