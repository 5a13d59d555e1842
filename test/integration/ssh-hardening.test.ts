import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import ssh2 from 'ssh2';
import type { HostKeyPrompt } from '../../src/shared/contract';
import { sshKeygen, startSshd, type SshdServer } from '../harness/index';
import { harnessSsh } from '../support/profiles';
import { runCliInProcess } from '../support/cli';
import { tempCore, type TempCore } from '../support/temp-core';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'opsconsole-ssh-hardening-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

const keyProfile = (sshd: SshdServer, extra: Record<string, unknown> = {}) => ({ ...harnessSsh(sshd), ...extra });

/** A core that trusts every unknown key it is asked about, counting the questions. */
function trustingCore(knownHostsFiles: string[] = []): { temp: TempCore; prompts: HostKeyPrompt[] } {
  const temp = tempCore({ knownHostsFiles });
  const prompts: HostKeyPrompt[] = [];
  temp.core.subscribe((name, payload) => {
    if (name !== 'onHostKeyPrompt') return;
    prompts.push(payload as HostKeyPrompt);
    void temp.core.invoke('sessions.answerHostKey', { promptId: (payload as HostKeyPrompt).promptId, trust: true });
  });
  return { temp, prompts };
}

/** Restarts sshd presenting only an RSA host key (its Ed25519 key stays on disk, no longer offered). */
async function presentOnlyRsa(sshd: SshdServer, algorithms = 'rsa-sha2-512,rsa-sha2-256'): Promise<string> {
  const rsaKey = join(sshd.dir, 'host_rsa');
  sshKeygen(rsaKey, 'rsa', '', ['-b', '2048']);
  await sshd.stop();
  const config = join(sshd.dir, 'sshd_config');
  writeFileSync(config, `HostKeyAlgorithms ${algorithms}\nHostKey ${rsaKey}\n` + readFileSync(config, 'utf8'));
  await sshd.restart();
  return rsaKey;
}

test('a host that presents another key type than the trusted one is refused like a changed key', async () => {
  const sshd = await startSshd();
  const { temp, prompts } = trustingCore();
  try {
    const profile = await temp.core.invoke('profiles.save', {
      profile: { name: 'downgrade', environment: 'production', ssh: keyProfile(sshd) },
    });
    await temp.core.invoke('sessions.connect', { profileId: profile.id });
    await temp.core.invoke('sessions.disconnect', { profileId: profile.id });
    assert.deepEqual(
      prompts.map((p) => p.keyType),
      ['ssh-ed25519'],
    );

    await presentOnlyRsa(sshd);
    await assert.rejects(
      temp.core.invoke('sessions.connect', { profileId: profile.id }),
      (e: Error & { code?: string }) => {
        assert.equal(e.code, 'host_key_changed');
        assert.match(e.message, /now a ssh-rsa key, SHA256:\S+, expected the ssh-ed25519 key SHA256:/);
        return true;
      },
    );
    assert.equal(prompts.length, 1, 'no "trust this new host?" prompt for the other type');
    assert.equal(sshd.log().includes('Accepted publickey'), true, 'only the first connection authenticated');
  } finally {
    await temp.dispose();
    await sshd.dispose();
  }
});

test('another key type is accepted when known_hosts lists that type for the host too', async () => {
  const sshd = await startSshd();
  const knownHosts = join(dir, 'known_hosts_both');
  try {
    const rsaKey = await presentOnlyRsa(sshd);
    const rsaPublic = readFileSync(rsaKey + '.pub', 'utf8')
      .trim()
      .split(/\s+/);
    writeFileSync(knownHosts, `${sshd.knownHostsLine}\n[127.0.0.1]:${sshd.port} ${rsaPublic[0]} ${rsaPublic[1]}\n`);
    const { temp, prompts } = trustingCore([knownHosts]);
    try {
      const profile = await temp.core.invoke('profiles.save', {
        profile: { name: 'both-types', environment: 'staging', ssh: keyProfile(sshd) },
      });
      assert.equal((await temp.core.invoke('sessions.connect', { profileId: profile.id })).state, 'ready');
      assert.equal(prompts.length, 0);
    } finally {
      await temp.dispose();
    }
  } finally {
    await sshd.dispose();
  }
});

test('ssh-rsa (SHA-1) host keys and hmac-sha1 are off by default; --ssh-legacy-algorithms true --allow-downgrade opts a profile in', async () => {
  const sshd = await startSshd({ config: ['Ciphers aes128-ctr', 'MACs hmac-sha1'] });
  const home = mkdtempSync(join(dir, 'cli-'));
  try {
    await presentOnlyRsa(sshd, 'ssh-rsa');
    const add = await runCliInProcess(home, [
      'profiles',
      'add',
      '--name',
      'old-box',
      '--environment',
      'staging',
      '--ssh-host',
      sshd.host,
      '--ssh-port',
      String(sshd.port),
      '--ssh-user',
      sshd.user,
      '--ssh-key',
      sshd.clientKeyPath,
      '--json',
    ]);
    assert.equal(add.code, 0, add.stdout + add.stderr);
    const refused = await runCliInProcess(home, ['profiles', 'test', 'old-box', '--json']);
    assert.equal(refused.code, 1);
    assert.match(refused.stdout, /no matching|handshake failed/i);
    assert.doesNotMatch(refused.stdout, /Unknown host key/, 'refused before any key was shown');

    const edit = await runCliInProcess(home, [
      'profiles',
      'edit',
      'old-box',
      '--ssh-legacy-algorithms',
      'true',
      '--allow-downgrade',
      '--json',
    ]);
    assert.equal(edit.code, 0, edit.stdout + edit.stderr);
    assert.equal(edit.json<{ ssh: { legacyAlgorithms: boolean } }>().ssh.legacyAlgorithms, true);
    const first = await runCliInProcess(home, ['profiles', 'test', 'old-box', '--json']);
    const fingerprint = /--trust-host-key (SHA256:\S+)/.exec(first.stderr)?.[1];
    assert.ok(fingerprint, first.stderr);
    const tested = await runCliInProcess(home, [
      'profiles',
      'test',
      'old-box',
      '--trust-host-key',
      fingerprint,
      '--json',
    ]);
    assert.equal(tested.code, 0, tested.stdout + tested.stderr);

    const bad = await runCliInProcess(home, [
      'profiles',
      'edit',
      'old-box',
      '--ssh-legacy-algorithms',
      'maybe',
      '--json',
    ]);
    assert.equal(bad.code, 2);
    assert.match(bad.stdout, /ssh\.legacyAlgorithms \(--ssh-legacy-algorithms\) must be true or false/);
  } finally {
    await sshd.dispose();
  }
});

/** An ssh2 Server of the test's own: keyboard-interactive asking `question`, recording every answer. */
async function keyboardServer(
  question: string,
  password: string,
): Promise<{ port: number; answers: string[]; close(): void }> {
  const hostKey = join(dir, `kbd-host-${Math.random().toString(36).slice(2)}`);
  sshKeygen(hostKey);
  const answers: string[] = [];
  const server = new ssh2.Server({ hostKeys: [readFileSync(hostKey)] }, (client) => {
    client.on('error', () => undefined);
    client.on('authentication', (ctx) => {
      if (ctx.method !== 'keyboard-interactive') return ctx.reject(['keyboard-interactive']);
      ctx.prompt([{ prompt: question, echo: false }], (given) => {
        answers.push(...given);
        if (given[0] === password) ctx.accept();
        else ctx.reject();
      });
    });
    client.on('ready', () =>
      client.on('session', (accept) => accept().on('exec', (acceptExec) => acceptExec().close())),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as { port: number }).port, answers, close: () => server.close() };
}

test('keyboard-interactive sends the stored password only to a prompt that asks for a password', async () => {
  const password = 'kbd-secret-' + Math.random().toString(36).slice(2);
  const { temp } = trustingCore();
  const otp = await keyboardServer('Verification code: ', password);
  const asksPassword = await keyboardServer('Password: ', password);
  try {
    const save = (name: string, port: number) =>
      temp.core.invoke('profiles.save', {
        profile: {
          name,
          environment: 'staging',
          ssh: { host: '127.0.0.1', port, user: 'ops', auth: 'password' },
          secrets: { sshPassword: { set: password } },
        },
      });
    const otpProfile = await save('otp', otp.port);
    await assert.rejects(
      temp.core.invoke('sessions.connect', { profileId: otpProfile.id }),
      (e: Error & { code?: string }) => {
        assert.equal(e.code, 'ssh_auth_failed');
        assert.match(
          e.message,
          /asked "Verification code:" \(keyboard-interactive\), which is not a password prompt: the stored password was not sent/,
        );
        return true;
      },
    );
    assert.deepEqual(otp.answers, [], 'the one-time-code prompt got nothing, least of all the password');

    const passwordProfile = await save('kbd-password', asksPassword.port);
    assert.equal((await temp.core.invoke('sessions.connect', { profileId: passwordProfile.id })).state, 'ready');
    assert.deepEqual(asksPassword.answers, [password]);
  } finally {
    await temp.dispose();
    otp.close();
    asksPassword.close();
  }
});
