import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import ssh2 from 'ssh2';
import type { HostKeyPrompt } from '../../src/shared/contract';
import type { ProfilesExport } from '../../src/shared/profile';
import { startPostgres, startSshd, type PostgresServer, type SshdServer } from '../harness/index';
import { harnessProfile } from '../support/profiles';
import { tempCore, type TempCore } from '../support/temp-core';

/**
 * An attacker's bastion: any login is welcome, and every forwarded connection meets a fake
 * Postgres that asks for the password in cleartext and keeps whatever comes back.
 */
interface Attacker {
  port: number;
  sshPasswords: string[];
  pgStartups: number;
  pgPasswords: string[];
  close(): Promise<void>;
}

function fakePostgres(stream: NodeJS.ReadWriteStream, attacker: Attacker): void {
  let buffer = Buffer.alloc(0);
  let started = false;
  stream.on('data', (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    // sslmode=prefer asks for TLS first (SSLRequest: length 8, code 80877103); this server says no.
    if (!started && buffer.length >= 8 && buffer.readInt32BE(0) === 8 && buffer.readInt32BE(4) === 80877103) {
      buffer = buffer.subarray(8);
      stream.write('N');
    }
    if (!started && buffer.length >= 4 && buffer.length >= buffer.readInt32BE(0)) {
      started = true;
      attacker.pgStartups++;
      buffer = buffer.subarray(buffer.readInt32BE(0));
      const cleartextRequest = Buffer.from([0x52, 0, 0, 0, 8, 0, 0, 0, 3]); // 'R', AuthenticationCleartextPassword
      stream.write(cleartextRequest);
    }
    if (started && buffer.length >= 5 && buffer[0] === 0x70 /* 'p' */) {
      const length = buffer.readInt32BE(1);
      if (buffer.length >= 1 + length) {
        attacker.pgPasswords.push(buffer.subarray(5, 1 + length - 1).toString('utf8'));
        stream.end();
      }
    }
  });
  stream.on('error', () => undefined);
}

async function startAttacker(): Promise<Attacker> {
  const hostKey = ssh2.utils.generateKeyPairSync('ed25519').private;
  const attacker: Attacker = {
    port: 0,
    sshPasswords: [],
    pgStartups: 0,
    pgPasswords: [],
    close: async () => undefined,
  };
  const server = new ssh2.Server({ hostKeys: [hostKey] }, (client) => {
    client.on('authentication', (ctx) => {
      if (ctx.method === 'password') attacker.sshPasswords.push(ctx.password);
      ctx.accept();
    });
    client.on('ready', () =>
      client.on('tcpip', (accept) => fakePostgres(accept() as unknown as NodeJS.ReadWriteStream, attacker)),
    );
    client.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  attacker.port = (server.address() as AddressInfo).port;
  attacker.close = () => new Promise((resolve) => server.close(() => resolve()));
  return attacker;
}

let pg: PostgresServer;
let sshd: SshdServer;
let attacker: Attacker;
let temp: TempCore;

before(async () => {
  [pg, sshd, attacker] = await Promise.all([startPostgres(), startSshd(), startAttacker()]);
  temp = tempCore();
  // The operator accepts every new host key, as a tired one would for a host "the colleague sent".
  temp.core.subscribe((name, payload) => {
    if (name === 'onHostKeyPrompt')
      void temp.core.invoke('sessions.answerHostKey', { promptId: (payload as HostKeyPrompt).promptId, trust: true });
  });
});
after(async () => {
  await temp?.dispose();
  await Promise.all([pg?.stop(), sshd?.dispose(), attacker?.close()]);
});

test('a shared file that reroutes SSH through an attacker drops the stored password, and SCRAM-only refuses to send one', async () => {
  const { core } = temp;
  const saved = await core.invoke('profiles.save', { profile: harnessProfile('prod-eu', { sshd, pg }, 'production') });
  const genuine = await core.invoke('profiles.testConnection', { id: saved.id });
  assert.ok(genuine.ok, `the genuine route works (SCRAM): ${JSON.stringify(genuine.steps)}`);

  const shared: ProfilesExport = await core.invoke('profiles.export', {});
  shared.profiles[0]!.ssh = { ...shared.profiles[0]!.ssh!, host: '127.0.0.1', port: attacker.port };
  const report = await core.invoke('profiles.import', { text: JSON.stringify(shared), onConflict: 'replace' });
  assert.deepEqual(report.replaced[0]!.secretsDropped, ['pgPassword']);
  assert.deepEqual(
    report.replaced[0]!.changes.map((c) => c.field),
    ['ssh.port'],
    'the same loopback host, another sshd',
  );
  assert.equal((await core.invoke('profiles.get', { id: saved.id })).secrets.pgPassword, false);

  const hijacked = await core.invoke('profiles.testConnection', { id: saved.id });
  assert.equal(hijacked.ok, false);
  assert.equal(attacker.pgStartups, 1, 'the connection did reach the attacker');
  assert.deepEqual(attacker.pgPasswords, [], 'no password reached the attacker');

  // Even a password typed again is never answered to a cleartext request.
  await core.invoke('profiles.save', {
    id: saved.id,
    profile: { ...harnessProfile('prod-eu', { pg }, 'production'), ssh: shared.profiles[0]!.ssh },
  });
  const retyped = await core.invoke('profiles.testConnection', { id: saved.id });
  const failure = retyped.steps.find((s) => s.stage === 'postgres');
  assert.match(
    failure?.detail ?? '',
    /asked for the password in cleartext; Ops Console sends the password only by SCRAM, so nothing was sent/,
  );
  assert.equal(attacker.pgStartups, 2);
  assert.deepEqual(attacker.pgPasswords, []);
  assert.deepEqual(attacker.sshPasswords, []);

  // The per-profile opt-in does answer: the probe above would have seen a password.
  const legacy = harnessProfile('prod-eu', { pg }, 'production');
  await core.invoke('profiles.save', {
    id: saved.id,
    profile: { ...legacy, ssh: shared.profiles[0]!.ssh, postgres: { ...legacy.postgres!, legacyPasswordAuth: true } },
    allowDowngrade: true,
  });
  await core.invoke('profiles.testConnection', { id: saved.id });
  assert.deepEqual(attacker.pgPasswords, [pg.password]);
});
