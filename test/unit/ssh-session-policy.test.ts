import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cliHostKeyPrompter, parseTrustedFingerprints } from '../../src/cli/host-key-prompter';
import { OpsError } from '../../src/main/errors';
import { keepaliveSettings } from '../../src/main/ssh/connect-chain';
import { isFatal, ReconnectSchedule } from '../../src/main/ssh/reconnect';

test('keepalive: a dead session is given up on within 10 s, whatever the profile interval', () => {
  for (const interval of [1000, 2000, 3000, 5000, 15_000, 300_000]) {
    const { keepaliveInterval, keepaliveCountMax } = keepaliveSettings(interval);
    // ssh2 pings every keepaliveInterval and fails when more than keepaliveCountMax go unanswered.
    const worstCaseMs = keepaliveInterval * (keepaliveCountMax + 1);
    assert.ok(worstCaseMs <= 10_000, `${interval} ms → detected after up to ${worstCaseMs} ms`);
    assert.ok(keepaliveCountMax >= 1, 'one late answer alone does not kill the session');
  }
});

test('reconnect backoff: 1 s doubling up to 30 s, ±10 % jitter, cancellable', () => {
  const schedule = new ReconnectSchedule();
  const delays: number[] = [];
  for (let i = 0; i < 8; i++) delays.push(schedule.next(() => assert.fail('cancelled attempts never run')));
  schedule.cancel();
  const expected = [1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000];
  delays.forEach((delay, i) => assert.ok(Math.abs(delay - expected[i]!) <= expected[i]! * 0.1, `attempt ${i + 1}: ${delay} ms`));
  assert.equal(schedule.attempts, 8);
});

test('errors the operator must fix stop the reconnect loop; network errors do not', () => {
  for (const code of ['host_key_changed', 'host_key_revoked', 'host_key_rejected', 'host_key_unknown', 'ssh_auth_failed'] as const) {
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
  await assert.rejects(prompter.ask({ host: 'db', port: 2222, keyType: 'ssh-ed25519', fingerprint: other }), (e: OpsError) => {
    assert.equal(e.code, 'host_key_unknown');
    assert.ok(e.message.includes(`--trust-host-key ${other}`));
    assert.match(e.message, /nothing was sent/);
    return true;
  });
  assert.deepEqual(parseTrustedFingerprints(undefined), []);
  assert.deepEqual(parseTrustedFingerprints([fingerprint]), [fingerprint]);
  assert.throws(() => parseTrustedFingerprints(['SHA256:short']), (e: OpsError) => e.code === 'invalid_input' && /--trust-host-key SHA256:short/.test(e.message));
  assert.throws(() => parseTrustedFingerprints(['MD5:aa:bb']), (e: OpsError) => e.code === 'invalid_input');
});
