import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { HostKeyPrompt } from '../../src/shared/contract';
import {
  makeTempDir,
  passwordUser,
  removeDir,
  sshKeygen,
  startPostgres,
  startSshd,
  type PostgresServer,
  type SshdServer,
} from '../harness/index';
import { tempCore } from '../support/temp-core';
import { harnessProfile, harnessSsh } from '../support/profiles';
import { readSql } from '../support/sql';

// Every way in: key files (ed25519, ecdsa, rsa; OpenSSH and PEM; encrypted with a passphrase),
// a real ssh-agent, password, keyboard-interactive, and a ProxyJump chain through two sshd.

let sshd: SshdServer;
let keys: string;

before(async () => {
  sshd = await startSshd();
  keys = makeTempDir('keys');
});
after(async () => {
  await sshd?.dispose();
  if (keys) removeDir(keys);
});

type Ssh = {
  host: string;
  port: number;
  user: string;
  auth: 'agent' | 'key' | 'password';
  keyPath?: string;
  jumps?: Ssh[];
};

async function connectWith(ssh: Ssh, secrets: Record<string, { set: string }> = {}, agentSocket?: string) {
  const temp = tempCore({ hostKeyPrompter: { ask: async () => true }, agentSocket });
  try {
    const profile = await temp.core.invoke('profiles.save', {
      profile: { name: 'auth', environment: 'staging', ssh, secrets },
    });
    return await temp.core.invoke('sessions.connect', { profileId: profile.id });
  } finally {
    await temp.dispose();
  }
}

function key(name: string, type: string, format: 'openssh' | 'pem', passphrase = ''): string {
  const path = join(keys, name);
  // Few bcrypt rounds for encrypted OpenSSH keys: the default 16 take over a second each in JS.
  sshKeygen(path, type, passphrase, format === 'pem' ? ['-m', 'PEM'] : passphrase ? ['-a', '2'] : []);
  sshd.authorize(readFileSync(path + '.pub', 'utf8'));
  return path;
}

test('key files: ed25519, ecdsa and rsa, in OpenSSH and PEM formats', async () => {
  const made = [
    key('ed25519', 'ed25519', 'openssh'),
    key('ecdsa', 'ecdsa', 'openssh'),
    key('ecdsa.pem', 'ecdsa', 'pem'),
    key('rsa', 'rsa', 'openssh'),
    key('rsa.pem', 'rsa', 'pem'),
  ];
  assert.match(readFileSync(join(keys, 'rsa.pem'), 'utf8'), /BEGIN RSA PRIVATE KEY/);
  assert.match(readFileSync(join(keys, 'ecdsa.pem'), 'utf8'), /BEGIN EC PRIVATE KEY/);
  for (const keyPath of made) {
    const state = await connectWith({ ...harnessSsh(sshd), keyPath });
    assert.equal(state.state, 'ready', keyPath);
  }
});

test('encrypted keys open with the stored passphrase; without it, the error says to set sshPassphrase', async () => {
  const openssh = key('ed25519.enc', 'ed25519', 'openssh', 'correct horse');
  const pem = key('rsa.enc.pem', 'rsa', 'pem', 'correct horse');
  assert.match(readFileSync(pem, 'utf8'), /Proc-Type: 4,ENCRYPTED/);
  for (const keyPath of [openssh, pem]) {
    const ssh: Ssh = { ...harnessSsh(sshd), keyPath };
    assert.equal((await connectWith(ssh, { sshPassphrase: { set: 'correct horse' } })).state, 'ready', keyPath);
    await assert.rejects(
      connectWith(ssh),
      (e: Error & { code?: string }) =>
        e.code === 'ssh_auth_failed' &&
        /encrypted and no passphrase is stored/.test(e.message) &&
        /sshPassphrase/.test(e.message),
    );
    await assert.rejects(
      connectWith(ssh, { sshPassphrase: { set: 'wrong' } }),
      (e: Error & { code?: string }) => e.code === 'ssh_auth_failed' && /passphrase does not open it/.test(e.message),
    );
  }
});

function sshAdd(socket: string, arg: string): void {
  const result = spawnSync('ssh-add', [arg], { env: { ...process.env, SSH_AUTH_SOCK: socket }, encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
}

test('ssh-agent (SSH_AUTH_SOCK) from openssh-client', async () => {
  const socket = join(keys, 'agent.sock');
  const agent: ChildProcess = spawn('ssh-agent', ['-D', '-a', socket], { stdio: 'ignore' });
  try {
    for (let i = 0; i < 100 && !existsSync(socket); i++) await new Promise((r) => setTimeout(r, 20));
    const keyPath = key('agent-only', 'ed25519', 'openssh');
    sshAdd(socket, keyPath);
    const ssh: Ssh = { host: sshd.host, port: sshd.port, user: sshd.user, auth: 'agent' };
    assert.equal((await connectWith(ssh, {}, socket)).state, 'ready');
    sshAdd(socket, '-D');
    await assert.rejects(
      connectWith(ssh, {}, socket),
      (e: Error & { code?: string }) => e.code === 'ssh_auth_failed' && /ssh-agent/.test(e.message),
    );
  } finally {
    agent.kill();
  }
});

test(
  'password, and keyboard-interactive answered with the stored password',
  { skip: !passwordUser() && 'needs root to make a local account' },
  async () => {
    const account = passwordUser()!;
    const ssh: Ssh = harnessSsh(sshd, { sshAccount: account });
    assert.equal((await connectWith(ssh, { sshPassword: { set: account.password } })).state, 'ready');
    await assert.rejects(
      connectWith(ssh, { sshPassword: { set: 'not-it' } }),
      (e: Error & { code?: string }) => e.code === 'ssh_auth_failed' && /password/.test(e.message),
    );

    // A server that offers keyboard-interactive only (through PAM), as many bastions do.
    const kbd = await startSshd({
      config: [
        'UsePAM yes',
        'KbdInteractiveAuthentication yes',
        'PasswordAuthentication no',
        'PubkeyAuthentication no',
      ],
    });
    try {
      const state = await connectWith({ ...ssh, port: kbd.port }, { sshPassword: { set: account.password } });
      assert.equal(state.state, 'ready');
      assert.match(kbd.log(), /Accepted keyboard-interactive\/pam/);
    } finally {
      await kbd.dispose();
    }
  },
);

test('ProxyJump through two sshd (and three hops): every hop’s host key is asked for, Postgres is reached through the chain', async () => {
  const [jump, pg] = (await Promise.all([startSshd(), startPostgres()])) as [SshdServer, PostgresServer];
  const temp = tempCore();
  try {
    const prompts: HostKeyPrompt[] = [];
    temp.core.subscribe((name, payload) => {
      if (name !== 'onHostKeyPrompt') return;
      prompts.push(payload as HostKeyPrompt);
      void temp.core.invoke('sessions.answerHostKey', { promptId: (payload as HostKeyPrompt).promptId, trust: true });
    });
    const profile = await temp.core.invoke('profiles.save', {
      profile: {
        ...harnessProfile('two-hops', { sshd, pg }, 'production'),
        ssh: { ...harnessSsh(sshd), jumps: [harnessSsh(jump)] },
      },
    });
    const result = await readSql(temp.core, {
      profileId: profile.id,
      sql: 'SELECT inet_client_addr() IS NOT NULL AS via_tcp',
    });
    assert.deepEqual(result.rows, [['t']]);
    assert.deepEqual(
      prompts.map((p) => [p.port, p.fingerprint]),
      [
        [jump.port, jump.hostKeyFingerprint],
        [sshd.port, sshd.hostKeyFingerprint],
      ],
      'jump host first, then the target',
    );
    assert.match(
      jump.log(),
      new RegExp(`direct-tcpip|port ${sshd.port}|Accepted publickey`),
      'the jump host carried the connection',
    );

    // Any length: a third server reached through the jump host and the target, each hop through the previous one.
    const third = await startSshd();
    try {
      const threeHops = await temp.core.invoke('profiles.save', {
        profile: {
          name: 'three-hops',
          environment: 'staging',
          ssh: { ...harnessSsh(third), jumps: [harnessSsh(jump), harnessSsh(sshd)] },
        },
      });
      assert.equal((await temp.core.invoke('sessions.connect', { profileId: threeHops.id })).state, 'ready');
      assert.equal(prompts.at(-1)!.fingerprint, third.hostKeyFingerprint, 'the third hop was asked about too');
      await temp.core.invoke('sessions.disconnect', { profileId: threeHops.id });
    } finally {
      await third.dispose();
    }

    // Killing the jump host's session drops the whole chain; it is rebuilt hop by hop.
    jump.killSessions();
    const deadline = Date.now() + 10_000;
    let state = '';
    while (Date.now() < deadline) {
      state = (await temp.core.invoke('sessions.list', {})).find((s) => s.profileId === profile.id)!.state;
      if (
        state === 'ready' &&
        (await readSql(temp.core, { profileId: profile.id, sql: 'SELECT 1' }).then(
          () => true,
          () => false,
        ))
      )
        break;
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.equal(state, 'ready');
  } finally {
    await temp.dispose();
    await Promise.all([jump.dispose(), pg.stop()]);
  }
});
