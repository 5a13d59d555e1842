import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, test } from 'node:test';
import { main } from '../../src/cli/main';
import { createCore } from '../../src/main/core';
import { fileKeySource } from '../../src/main/vault/key-sources';
import type { HostKeyPrompt } from '../../src/shared/contract';
import { keyFingerprint, passwordUser, sshKeygen, startSshd, type SshdServer } from '../harness/index';
import { harnessSsh } from '../support/profiles';
import { tempCore } from '../support/temp-core';

// Host keys on every connection: nothing is sent before the key is accepted (proved from sshd's
// DEBUG3 log), a changed key is refused with what to do, known_hosts (hashed, [host]:port,
// @revoked) is honoured, trusted keys are listed and removed, and the CLI refuses unknown keys
// unless --trust-host-key names them.

let sshd: SshdServer;

before(async () => {
  sshd = await startSshd({ logLevel: 'DEBUG3' });
});
after(async () => {
  await sshd?.dispose();
});

const keyProfile = () => harnessSsh(sshd);

/** What sshd logs once a client sends anything after key exchange: service request, any userauth. */
const credentialTraces =
  /userauth-request|input_userauth_request|receive packet: type (5|50)\b|Accepted |Failed |Postponed /;

test('nothing reaches sshd before the host key is accepted (publickey and password), per its DEBUG3 log', async () => {
  const account = passwordUser();
  const cases = [{ label: 'publickey', ssh: keyProfile(), secrets: {} }];
  if (account) {
    cases.push({
      label: 'password',
      ssh: harnessSsh(sshd, { sshAccount: account }),
      secrets: { sshPassword: { set: account.password } } as never,
    });
  }
  for (const { label, ssh, secrets } of cases) {
    for (const trust of [false, true]) {
      const temp = tempCore();
      try {
        const profile = await temp.core.invoke('profiles.save', {
          profile: { name: `log-${label}`, environment: 'staging', ssh, secrets },
        });
        let logAtPrompt = '';
        const logBefore = sshd.log().length;
        temp.core.subscribe((name, payload) => {
          if (name !== 'onHostKeyPrompt') return;
          // Give sshd's log a moment to arrive, then look at everything this connection wrote so far.
          setTimeout(() => {
            logAtPrompt = sshd.log().slice(logBefore);
            void temp.core.invoke('sessions.answerHostKey', { promptId: (payload as HostKeyPrompt).promptId, trust });
          }, 400);
        });
        const outcome = await temp.core
          .invoke('sessions.connect', { profileId: profile.id })
          .catch((e: Error & { code?: string }) => e);
        await new Promise((r) => setTimeout(r, 300));
        const logAfter = sshd.log().slice(logBefore);
        assert.match(logAtPrompt, /KEX|kex/, `${label}: the key exchange is in the log, so the log is live`);
        assert.doesNotMatch(logAtPrompt, credentialTraces, `${label}: no auth request before the answer`);
        if (trust) {
          assert.equal((outcome as { state: string }).state, 'ready', `${label}: connected after trusting`);
          assert.match(logAfter, label === 'password' ? /Accepted password/ : /Accepted publickey/);
        } else {
          assert.equal((outcome as Error & { code?: string }).code, 'host_key_rejected');
          assert.doesNotMatch(logAfter, credentialTraces, `${label}: a rejected key means nothing was sent, ever`);
        }
        if (account) assert.equal(logAfter.includes(account.password), false);
      } finally {
        await temp.dispose();
      }
    }
  }
});

test('a changed host key is refused with the way out; knownHosts.list/remove; asked again after removal', async () => {
  const temp = tempCore();
  const prompts: HostKeyPrompt[] = [];
  temp.core.subscribe((name, payload) => {
    if (name !== 'onHostKeyPrompt') return;
    prompts.push(payload as HostKeyPrompt);
    void temp.core.invoke('sessions.answerHostKey', { promptId: (payload as HostKeyPrompt).promptId, trust: true });
  });
  const dir = mkdtempSync(join(tmpdir(), 'opsconsole-rotate-'));
  try {
    const profile = await temp.core.invoke('profiles.save', {
      profile: { name: 'rotating', environment: 'production', ssh: keyProfile() },
    });
    await temp.core.invoke('sessions.connect', { profileId: profile.id });
    await temp.core.invoke('sessions.disconnect', { profileId: profile.id });
    const listed = await temp.core.invoke('knownHosts.list', {});
    assert.deepEqual(
      listed.map((k) => [k.host, k.port, k.keyType, k.fingerprint]),
      [[sshd.host, sshd.port, 'ssh-ed25519', sshd.hostKeyFingerprint]],
    );

    // The server's key is rotated.
    sshKeygen(join(dir, 'new_host_key'));
    copyFileSync(sshd.hostKeyPath, join(dir, 'original_host_key'));
    await sshd.stop();
    copyFileSync(join(dir, 'new_host_key'), sshd.hostKeyPath);
    await sshd.restart();
    const newFingerprint = keyFingerprint(join(dir, 'new_host_key.pub'));

    await assert.rejects(
      temp.core.invoke('sessions.connect', { profileId: profile.id }),
      (e: Error & { code?: string }) => {
        assert.equal(e.code, 'host_key_changed');
        assert.ok(e.message.includes(newFingerprint) && e.message.includes(sshd.hostKeyFingerprint), e.message);
        assert.match(e.message, /Refusing to connect/);
        assert.match(e.message, /Settings → Known hosts/);
        return true;
      },
    );
    assert.equal(
      (await temp.core.invoke('sessions.list', {})).find((s) => s.profileId === profile.id)?.state,
      'failed',
    );
    assert.equal(prompts.length, 1, 'a changed key is never asked about');

    assert.deepEqual(await temp.core.invoke('knownHosts.remove', { host: sshd.host, port: sshd.port }), { removed: 1 });
    await assert.rejects(
      temp.core.invoke('knownHosts.remove', { host: sshd.host, port: sshd.port }),
      (e: Error & { code?: string }) => e.code === 'not_found',
    );
    const state = await temp.core.invoke('sessions.connect', { profileId: profile.id });
    assert.equal(state.state, 'ready');
    assert.equal(prompts.length, 2);
    assert.equal(prompts[1]!.fingerprint, newFingerprint);
  } finally {
    await temp.dispose();
    // Put the original key back for the tests after this one.
    await sshd.stop();
    copyFileSync(join(dir, 'original_host_key'), sshd.hostKeyPath);
    await sshd.restart();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('~/.ssh/known_hosts: a hashed [host]:port entry is trusted without asking; @revoked is refused', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'opsconsole-kh-'));
  const knownHosts = join(dir, 'known_hosts');
  const [, keyType, keyBase64] = sshd.knownHostsLine.split(' ');
  const salt = randomBytes(20);
  const hashed = `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(`[${sshd.host}]:${sshd.port}`).digest('base64')}`;
  writeFileSync(knownHosts, `${hashed} ${keyType} ${keyBase64}\n`);
  const temp = tempCore({
    knownHostsFiles: [knownHosts],
    hostKeyPrompter: { ask: async () => assert.fail('a key in known_hosts is not asked about') },
  });
  try {
    const profile = await temp.core.invoke('profiles.save', {
      profile: { name: 'kh', environment: 'staging', ssh: keyProfile() },
    });
    assert.equal((await temp.core.invoke('sessions.connect', { profileId: profile.id })).state, 'ready');
    await temp.core.invoke('sessions.disconnect', { profileId: profile.id });
    writeFileSync(knownHosts, `@revoked * ${keyType} ${keyBase64}\n${hashed} ${keyType} ${keyBase64}\n`);
    await assert.rejects(
      temp.core.invoke('sessions.connect', { profileId: profile.id }),
      (e: Error & { code?: string }) => e.code === 'host_key_revoked' && e.message.includes(knownHosts),
    );
  } finally {
    await temp.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
});

async function cli(args: string[], home: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c) => (out += c));
  stderr.on('data', (c) => (err += c));
  const code = await main(args, {
    stdout,
    stderr,
    stdin: new PassThrough(),
    env: { ...process.env, OPSCONSOLE_HOME: home, OPSCONSOLE_VAULT: 'file' },
  });
  return { code, stdout: out, stderr: err };
}

test('CLI: an unknown host key is refused unless --trust-host-key matches; known-hosts list/remove', async () => {
  const home = mkdtempSync(join(tmpdir(), 'opsconsole-cli-'));
  try {
    const setup = createCore({ dataDir: home, keySource: fileKeySource(home), knownHostsFiles: [] });
    await setup.invoke('profiles.save', { profile: { name: 'cli-host', environment: 'staging', ssh: keyProfile() } });
    await setup.dispose();

    const refused = await cli(['profiles', 'test', 'cli-host', '--json'], home);
    assert.equal(refused.code, 1);
    assert.ok(refused.stderr.includes(`--trust-host-key ${sshd.hostKeyFingerprint}`), refused.stderr);
    assert.deepEqual(JSON.parse((await cli(['known-hosts', 'list', '--json'], home)).stdout), []);

    const wrong = await cli(
      ['profiles', 'test', 'cli-host', '--trust-host-key', 'SHA256:' + 'A'.repeat(43), '--json'],
      home,
    );
    assert.equal(wrong.code, 1, 'another fingerprint does not open the door');
    const malformed = await cli(['known-hosts', 'list', '--trust-host-key', 'md5:aa', '--json'], home);
    assert.equal(malformed.code, 2);
    assert.match(JSON.parse(malformed.stdout).error.message, /--trust-host-key md5:aa is not a SHA256 fingerprint/);

    const trusted = await cli(
      ['profiles', 'test', 'cli-host', '--trust-host-key', sshd.hostKeyFingerprint, '--json'],
      home,
    );
    assert.equal(trusted.code, 0, trusted.stderr + trusted.stdout);
    const listed = JSON.parse((await cli(['known-hosts', 'list', '--json'], home)).stdout);
    assert.deepEqual(
      listed.map((k: { fingerprint: string }) => k.fingerprint),
      [sshd.hostKeyFingerprint],
    );
    assert.equal((await cli(['profiles', 'test', 'cli-host', '--json'], home)).code, 0, 'remembered once trusted');

    const removed = await cli(['known-hosts', 'remove', sshd.host, String(sshd.port), '--json'], home);
    assert.deepEqual(JSON.parse(removed.stdout), { removed: 1 });
    assert.equal(
      (await cli(['profiles', 'test', 'cli-host', '--json'], home)).code,
      1,
      'asked (and refused) again after removal',
    );
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});
