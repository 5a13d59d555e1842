import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Redis } from 'ioredis';
import {
  makeTempDir,
  removeDir,
  spawnServer,
  startRedis,
  startSshd,
  stopChild,
  waitForPort,
  type RedisServer,
  type SshdServer,
} from '../harness/index';
import { runCliInProcess } from '../support/cli';
import { harnessProfile } from '../support/profiles';
import { tempCore, type TempCore } from '../support/temp-core';
import { commandDeadlineMs } from '../../src/main/redis/lost-connection';

/**
 * Redis restarted under a command: nothing hangs, a write is not resent, and a health check cut by
 * the restart says "connection lost", not "timed out".
 */
let redisServer: RedisServer;
let sshd: SshdServer;
let temp: TempCore;
let profileId: string;
let restarted: { stop(): Promise<void> } | undefined;

before(async () => {
  [redisServer, sshd] = await Promise.all([startRedis(['--enable-debug-command', 'yes']), startSshd()]);
  temp = tempCore({ hostKeyPrompter: { ask: async () => true } });
  profileId = (
    await temp.core.invoke('profiles.save', { profile: harnessProfile('cache', { sshd, redis: redisServer }) })
  ).id;
  // Trusts the bastion's host key (the CLI's own runs then find it in the trust store).
  await temp.core.invoke('redis.run', { profileId, argv: ['PING'] });
});
after(async () => {
  await temp?.dispose();
  await Promise.all([restarted?.stop(), redisServer?.stop().catch(() => undefined), sshd?.dispose()]);
});

/** Stops Redis (clients see their connection close) and starts a fresh one on the same port. */
async function restartRedis(): Promise<void> {
  await (restarted ?? redisServer).stop().catch(() => undefined);
  const dir = makeTempDir('redis-restarted');
  const child = spawnServer('redis-server', [
    '--port',
    String(redisServer.port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--dir',
    dir,
    '--enable-debug-command',
    'yes',
  ]);
  await waitForPort(redisServer.port);
  restarted = { stop: async () => (await stopChild(child), removeDir(dir)) };
}

/** Waits until a client of this Redis runs `command` (so the restart cuts it mid-flight). */
async function waitForCommand(command: string): Promise<void> {
  const probe = new Redis({
    host: redisServer.host,
    port: redisServer.port,
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    for (let i = 0; i < 200; i++) {
      const list = String(await probe.call('CLIENT', 'LIST'));
      if (list.split('\n').some((line) => line.includes(`cmd=${command}`))) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`no client ran ${command}`);
  } finally {
    probe.disconnect();
  }
}

test('each command has a deadline: blocking ones their own timeout plus a margin, BLPOP q 0 (refused by the gate) the default', () => {
  assert.equal(commandDeadlineMs(['GET', 'k']), 30_000);
  assert.equal(commandDeadlineMs(['BLPOP', 'q', '20']), 25_000);
  assert.equal(commandDeadlineMs(['BLMPOP', '2', '1', 'q', 'LEFT']), 7_000);
  assert.equal(commandDeadlineMs(['XREAD', 'BLOCK', '1500', 'STREAMS', 's', '$']), 6_500);
  assert.equal(commandDeadlineMs(['WAIT', '1', '2000']), 7_000);
  assert.equal(commandDeadlineMs(['BLPOP', 'q', '0']), 30_000);
  assert.equal(
    commandDeadlineMs(['XREAD', 'BLOCK', '0', 'BLOCK', '800', 'STREAMS', 's', '$']),
    5_800,
    'the last BLOCK counts',
  );
});

test(
  'Redis restarted under BLPOP through the SSH channel: a clear "connection lost" within seconds, not resent, never a hang',
  { timeout: 60_000 },
  async () => {
    const started = performance.now();
    const running = runCliInProcess(temp.dataDir, [
      'redis',
      'run',
      '--profile',
      'cache',
      '--confirm',
      'cache',
      '--json',
      '--',
      'BLPOP',
      'jobs',
      '20',
    ]);
    await Promise.race([
      waitForCommand('blpop'),
      running.then((r) => Promise.reject(new Error(`the CLI ended before BLPOP ran: ${r.stderr}`))),
    ]);
    await restartRedis();
    const run = await running;
    const seconds = (performance.now() - started) / 1000;
    assert.ok(seconds < 15, `returned after ${seconds.toFixed(1)} s (BLPOP asked for 20 s)`);
    assert.equal(run.code, 3, run.stdout + run.stderr);
    assert.equal(run.json<{ error: { code: string } }>().error.code, 'outcome_unknown');
    assert.match(
      run.stderr,
      /Connection lost while BLPOP ran: it was not resent, and whether Redis applied it is unknown\. Outcome unknown: check before retrying/,
    );
    assert.doesNotMatch(run.stderr, /\n\s+at /);
    // The new server never saw the BLPOP again (no resend after the lost connection).
    const fresh = new Redis({ host: redisServer.host, port: redisServer.port });
    try {
      assert.equal(
        Number(
          await fresh
            .call('INFO', 'commandstats')
            .then((info) => /cmdstat_blpop:calls=(\d+)/.exec(String(info))?.[1] ?? 0),
        ),
        0,
      );
    } finally {
      fresh.disconnect();
    }
    const events = await temp.core.invoke('incidents.events', {
      id: (await temp.core.invoke('incidents.list', {}))[0]!.id,
    });
    const recorded = events.filter((e) => e.kind === 'redis.run').at(-1);
    assert.equal(recorded?.payload.outcome, 'unknown');
  },
);

test(
  'Redis restarted under a health check: "connection lost", not "timed out"; health exits 1 and names the check that could not run',
  { timeout: 60_000 },
  async () => {
    // A warm client, then Redis busy (DEBUG SLEEP) so the check's PING is in flight when Redis goes away.
    await temp.core.invoke('redis.run', { profileId, argv: ['PING'] });
    const sleeper = new Redis({
      host: redisServer.host,
      port: redisServer.port,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    sleeper.on('error', () => undefined);
    void sleeper.call('DEBUG', 'SLEEP', '5').catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const t0 = performance.now();
    const checking = temp.core.invoke('health.run', { profileId, ids: ['redis.ping'], timeoutMs: 20_000 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await restartRedis();
    const run = await checking;
    sleeper.disconnect();
    const check = run.checks.find((c) => c.id === 'redis.ping')!;
    assert.equal(check.status, 'error');
    assert.match(check.message, /^Connection lost while the check ran/);
    assert.doesNotMatch(check.message, /Timed out|raise the limit/);
    assert.ok(performance.now() - t0 < 15_000, 'failed well before its 20 s limit');

    await (restarted ?? redisServer).stop();
    const cli = await runCliInProcess(temp.dataDir, [
      'health',
      '--profile',
      'cache',
      '--check',
      'redis.ping',
      '--json',
    ]);
    assert.equal(cli.code, 1, cli.stdout + cli.stderr);
    const doc = cli.json<{ checks: { id: string; status: string; message: string }[] }>();
    assert.deepEqual(
      doc.checks.map((c) => [c.id, c.status]),
      [['redis.ping', 'error']],
    );
    await restartRedis();
  },
);
