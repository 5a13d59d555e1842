import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cliHostKeyPrompter, parseTrustedFingerprints } from '../../src/cli/host-key-prompter';
import { OpsError } from '../../src/main/errors';
import { Liveness, livenessPolicy, type LivenessVerdict } from '../../src/main/ssh/liveness';
import { isFatal, ReconnectSchedule } from '../../src/main/ssh/reconnect';

function ticks(liveness: Liveness, from: number, to: number, onTick?: (now: number) => void) {
  const verdicts: (LivenessVerdict & { at: number })[] = [];
  // Real timers drift: ticks land 1 s apart give or take a few ms.
  for (let now = from; now <= to; now += 1000 + (now % 3000 === 0 ? 40 : 0)) {
    onTick?.(now);
    verdicts.push({ ...liveness.tick(now), at: now });
  }
  return verdicts;
}

test('liveness: a silent hop is probed, degraded, then dead within 10 s, whatever the profile interval', () => {
  for (const interval of [1000, 3000, 5000, 60_000]) {
    const liveness = new Liveness(livenessPolicy(interval), 2, 0);
    const verdicts = ticks(liveness, 1000, 12_000, (now) => liveness.heard(0, now)); // hop 0 answers, hop 1 is silent
    const dead = verdicts.find((v) => v.dead)!;
    assert.ok(dead && dead.at <= 10_000, `interval ${interval}: dead at ${dead?.at}`);
    assert.equal(dead.dead!.hop, 1);
    assert.ok(
      verdicts.some((v) => v.at < dead.at && v.degraded),
      'degraded before dead',
    );
    assert.ok(
      verdicts.some((v) => v.at < dead.at && v.probe.includes(1)),
      'the silent hop was probed first',
    );
    assert.ok(
      verdicts.every((v) => !v.probe.includes(0)),
      'a hop that talks is not probed',
    );
  }
});

test('liveness: any byte counts, so a slow transfer with late ping replies is not called dead', () => {
  const liveness = new Liveness(livenessPolicy(5000), 1, 0);
  let tick = 0;
  const verdicts = ticks(liveness, 1000, 120_000, (now) => ++tick % 2 === 0 && liveness.heard(0, now)); // a chunk every other second
  assert.ok(verdicts.every((v) => !v.dead && !v.degraded));
});

test('liveness: after the laptop sleeps, hops get a fresh probe and a grace period, not an instant verdict', () => {
  const liveness = new Liveness(livenessPolicy(5000), 1, 0);
  liveness.heard(0, 1000);
  assert.equal(liveness.tick(1000).resumed, false);
  const woke = liveness.tick(3_600_000); // an hour later
  assert.equal(woke.resumed, true);
  assert.deepEqual(woke.probe, [0]);
  assert.equal(woke.dead, undefined);
  liveness.heard(0, 3_600_500); // it answered: alive
  assert.equal(liveness.tick(3_601_000).dead, undefined);
  const silent = ticks(liveness, 3_602_000, 3_612_000);
  const dead = silent.find((v) => v.dead)!;
  assert.ok(dead.at - 3_600_500 <= 10_000, 'still dead within 10 s of its last answer');
});

test('reconnect backoff: 1 s doubling up to 30 s, ±10 % jitter, cancellable', () => {
  const schedule = new ReconnectSchedule();
  const delays: number[] = [];
  for (let i = 0; i < 8; i++) delays.push(schedule.next(() => assert.fail('cancelled attempts never run')));
  schedule.cancel();
  const expected = [1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000];
  delays.forEach((delay, i) =>
    assert.ok(Math.abs(delay - expected[i]!) <= expected[i]! * 0.1, `attempt ${i + 1}: ${delay} ms`),
  );
  assert.equal(schedule.attempts, 8);
});

test('errors the operator must fix stop the reconnect loop; network errors do not', () => {
  for (const code of [
    'host_key_changed',
    'host_key_revoked',
    'host_key_rejected',
    'host_key_unknown',
    'ssh_auth_failed',
  ] as const) {
    assert.equal(isFatal(new OpsError(code, 'x')), true, code);
  }
  assert.equal(isFatal(new OpsError('ssh_connect_failed', 'ECONNREFUSED')), false);
  assert.equal(isFatal(new Error('Keepalive timeout')), false);
});

test('CLI prompter: only a fingerprint given with --trust-host-key is trusted', async () => {
  const fingerprint = 'SHA256:' + 'a'.repeat(43);
  const logs: string[] = [];
  const prompter = cliHostKeyPrompter([fingerprint], (m) => logs.push(m));
  assert.equal(await prompter.ask({ host: 'db', port: 22, keyType: 'ssh-ed25519', fingerprint }), true);
  assert.match(logs[0]!, /Trusting the ssh-ed25519 host key of db:22/);
  const other = 'SHA256:' + 'b'.repeat(43);
  await assert.rejects(
    prompter.ask({ host: 'db', port: 2222, keyType: 'ssh-ed25519', fingerprint: other }),
    (e: OpsError) => {
      assert.equal(e.code, 'host_key_unknown');
      assert.ok(e.message.includes(`--trust-host-key ${other}`));
      assert.match(e.message, /nothing was sent/);
      return true;
    },
  );
  assert.deepEqual(parseTrustedFingerprints(undefined), []);
  assert.deepEqual(parseTrustedFingerprints([fingerprint]), [fingerprint]);
  assert.throws(
    () => parseTrustedFingerprints(['SHA256:short']),
    (e: OpsError) => e.code === 'invalid_input' && /--trust-host-key SHA256:short/.test(e.message),
  );
  assert.throws(
    () => parseTrustedFingerprints(['MD5:aa:bb']),
    (e: OpsError) => e.code === 'invalid_input',
  );
});
