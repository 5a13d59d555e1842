import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import pg from 'pg';
import type { ConnectionTestResult, ConnectionTestStep } from '../../src/shared/contract';
import type { PgSslMode } from '../../src/shared/profile';
import { connectWithSslMode } from '../../src/main/postgres/tls';
import { startPostgres, type PostgresServer } from '../harness/index';
import { startTlsPostgres, type TlsPostgresServer } from '../harness/postgres-tls';
import { runCliInProcess } from '../support/cli';
import { tempCore, type TempCore } from '../support/temp-core';
import { readSql } from '../support/sql';

let tlsPg: TlsPostgresServer;
let plainPg: PostgresServer;
let temp: TempCore;
let home: string;

before(async () => {
  [tlsPg, plainPg] = await Promise.all([startTlsPostgres(), startPostgres()]);
  temp = tempCore();
  home = mkdtempSync(join(tmpdir(), 'opsconsole-tls-cli-'));
});
after(async () => {
  await temp?.dispose();
  rmSync(home, { recursive: true, force: true });
  await Promise.all([tlsPg?.stop(), plainPg?.stop()]);
});

async function testProfile(
  name: string,
  server: PostgresServer,
  host: string,
  sslmode: PgSslMode,
  sslCa?: string,
): Promise<ConnectionTestStep> {
  const saved = await temp.core.invoke('profiles.save', {
    profile: {
      name,
      environment: 'staging',
      postgres: {
        host,
        port: server.port,
        database: server.database,
        user: server.user,
        sslmode,
        ...(sslCa ? { sslCa } : {}),
      },
      secrets: { pgPassword: { set: server.password } },
    },
  });
  const result = await temp.core.invoke('profiles.testConnection', { id: saved.id });
  return result.steps.find((s) => s.stage === 'postgres')!;
}

/** The server's own view of this backend: pg_stat_ssl says whether the session is encrypted. */
async function serverSaysEncrypted(
  server: PostgresServer,
  host: string,
  sslmode: PgSslMode,
  sslCa?: string,
): Promise<{ ssl: boolean; encrypted: boolean }> {
  const { client, tls } = await connectWithSslMode({ host, sslmode, sslCa }, (ssl) => {
    const c = new pg.Client({
      host,
      port: server.port,
      database: server.database,
      user: server.user,
      password: server.password,
      ssl,
    });
    c.on('error', () => undefined);
    return c;
  });
  try {
    const { rows } = await client.query<{ ssl: boolean }>('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()');
    return { ssl: rows[0]!.ssl, encrypted: tls.encrypted };
  } finally {
    await client.end();
  }
}

test('verify-full connects with the right CA and the certified host name', async () => {
  const step = await testProfile('full-ok', tlsPg, tlsPg.certifiedHost, 'verify-full', tlsPg.caFile);
  assert.equal(step.status, 'ok', step.detail);
  assert.deepEqual(
    { encrypted: step.tls?.encrypted, verified: step.tls?.verified },
    { encrypted: true, verified: 'full' },
  );
  assert.match(step.detail!, /TLS \(TLSv1\.[23]\), certificate verified against the CA and the host name/);
});

test('verify-full refuses a wrong CA, and a host name the certificate was not issued for', async () => {
  const wrongCa = await testProfile('full-wrong-ca', tlsPg, tlsPg.certifiedHost, 'verify-full', tlsPg.wrongCaFile);
  assert.equal(wrongCa.status, 'failed');
  assert.match(wrongCa.detail!, /not signed by a trusted CA.*--pg-ssl-ca/);
  const noCa = await testProfile('full-system-ca', tlsPg, tlsPg.certifiedHost, 'verify-full');
  assert.equal(noCa.status, 'failed', 'the throwaway CA is not among the system CAs');
  const wrongName = await testProfile('full-wrong-name', tlsPg, '127.0.0.1', 'verify-full', tlsPg.caFile);
  assert.equal(wrongName.status, 'failed', 'the certificate names localhost, not 127.0.0.1');
  assert.match(wrongName.detail!, /not issued for this host name/);
});

test('verify-ca checks the chain but not the name; a wrong CA is refused', async () => {
  const byIp = await testProfile('ca-ok', tlsPg, '127.0.0.1', 'verify-ca', tlsPg.caFile);
  assert.equal(byIp.status, 'ok', byIp.detail);
  assert.equal(byIp.tls?.verified, 'ca');
  const wrong = await testProfile('ca-wrong', tlsPg, '127.0.0.1', 'verify-ca', tlsPg.wrongCaFile);
  assert.equal(wrong.status, 'failed');
});

test('require encrypts (the server sees TLS) without verifying; prefer uses TLS when offered and falls back when not', async () => {
  assert.deepEqual(await serverSaysEncrypted(tlsPg, '127.0.0.1', 'require'), { ssl: true, encrypted: true });
  assert.deepEqual(await serverSaysEncrypted(tlsPg, '127.0.0.1', 'prefer'), { ssl: true, encrypted: true });
  assert.deepEqual(
    await serverSaysEncrypted(plainPg, '127.0.0.1', 'prefer'),
    { ssl: false, encrypted: false },
    'prefer falls back on a server without TLS',
  );
  const requireStep = await testProfile('require', tlsPg, '127.0.0.1', 'require');
  assert.equal(requireStep.tls?.verified, 'none');
  assert.match(requireStep.detail!, /not verified/);
  const fallback = await testProfile('prefer-plain', plainPg, '127.0.0.1', 'prefer');
  assert.equal(fallback.status, 'ok', fallback.detail);
  assert.match(fallback.detail!, /not encrypted: the server does not offer TLS/);
});

test('prefer also falls back when pg_hba.conf admits only plain connections (hostnossl), as libpq does; require then fails', async () => {
  const plainOnly = await startTlsPostgres({ tcp: 'hostnossl' });
  try {
    assert.deepEqual(await serverSaysEncrypted(plainOnly, '127.0.0.1', 'prefer'), { ssl: false, encrypted: false });
    const refused = await testProfile('require-nossl', plainOnly, '127.0.0.1', 'require');
    assert.equal(refused.status, 'failed');
    assert.match(refused.detail!, /no pg_hba\.conf entry.*admits only unencrypted connections/);
  } finally {
    await plainOnly.stop();
  }
});

test('require against a server without TLS fails; disable against a TLS-only server is refused by the server', async () => {
  const noTls = await testProfile('require-plain', plainPg, '127.0.0.1', 'require');
  assert.equal(noTls.status, 'failed');
  assert.match(noTls.detail!, /does not offer it/);
  const disabled = await testProfile('disable-tls-only', tlsPg, '127.0.0.1', 'disable');
  assert.equal(disabled.status, 'failed');
});

test('CLI: --pg-sslmode verify-full --pg-ssl-ca FILE, and profiles test --json reports the TLS the session got', async () => {
  const add = await runCliInProcess(
    home,
    [
      'profiles',
      'add',
      '--name',
      'tls-cli',
      '--environment',
      'staging',
      '--pg-host',
      'localhost',
      '--pg-port',
      String(tlsPg.port),
      '--pg-database',
      tlsPg.database,
      '--pg-user',
      tlsPg.user,
      '--pg-sslmode',
      'verify-full',
      '--pg-ssl-ca',
      tlsPg.caFile,
      '--pg-password-stdin',
      '--json',
    ],
    { input: tlsPg.password },
  );
  assert.equal(add.code, 0, add.stderr + add.stdout);
  const tested = await runCliInProcess(home, ['profiles', 'test', 'tls-cli', '--json']);
  assert.equal(tested.code, 0, tested.stdout + tested.stderr);
  const step = tested.json<ConnectionTestResult>().steps.find((s) => s.stage === 'postgres')!;
  assert.deepEqual(step.tls, {
    sslmode: 'verify-full',
    encrypted: true,
    protocol: step.tls?.protocol,
    verified: 'full',
  });

  const edit = await runCliInProcess(home, ['profiles', 'edit', 'tls-cli', '--pg-ssl-ca', tlsPg.wrongCaFile, '--json']);
  assert.equal(edit.code, 0, edit.stdout + edit.stderr);
  const refused = await runCliInProcess(home, ['profiles', 'test', 'tls-cli', '--json']);
  assert.equal(refused.code, 1);
  assert.equal(refused.json<ConnectionTestResult>().failedStage, 'postgres');

  const badMode = await runCliInProcess(home, ['profiles', 'edit', 'tls-cli', '--pg-sslmode', 'verify', '--json']);
  assert.equal(badMode.code, 2);
  assert.match(
    badMode.stdout,
    /postgres\.sslmode \(--pg-sslmode\) must be one of disable, prefer, require, verify-ca, verify-full/,
  );
  const missing = await runCliInProcess(home, [
    'profiles',
    'edit',
    'tls-cli',
    '--pg-ssl-ca',
    join(home, 'nope.pem'),
    '--json',
  ]);
  assert.equal(missing.code, 0, 'the path is checked when connecting');
  const unreadable = await runCliInProcess(home, ['profiles', 'test', 'tls-cli', '--json']);
  assert.match(unreadable.stdout, /postgres\.sslCa \(--pg-ssl-ca\): the CA file .*nope\.pem cannot be read \(ENOENT\)/);
});

test("the workbench's own connection follows the sslmode: verify-full runs SQL over TLS, a wrong CA is refused", async () => {
  const save = (name: string, caFile: string) =>
    temp.core.invoke('profiles.save', {
      profile: {
        name,
        environment: 'staging',
        postgres: {
          host: tlsPg.certifiedHost,
          port: tlsPg.port,
          database: tlsPg.database,
          user: tlsPg.user,
          sslmode: 'verify-full',
          sslCa: caFile,
        },
        secrets: { pgPassword: { set: tlsPg.password } },
      },
    });
  const good = await save('run-full', tlsPg.caFile);
  const result = await readSql(temp.core, {
    profileId: good.id,
    sql: 'SELECT ssl::text AS ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()',
  });
  assert.deepEqual(result.rows, [['true']]);
  const bad = await save('run-wrong-ca', tlsPg.wrongCaFile);
  await assert.rejects(
    readSql(temp.core, { profileId: bad.id, sql: 'SELECT 1' }),
    (error: Error & { code?: string }) => error.code === 'pg_error' && /certificate/i.test(error.message),
  );
});
