import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { createCore } from '../../src/main/core';
import { readStoredProfiles } from '../support/stored-profiles';
import { fileKeySource } from '../../src/main/vault/key-sources';
import type { ProfileView } from '../../src/shared/profile';
import { freePort, makeTempDir, removeDir } from '../harness/index';
import { runCli, type CliRun } from '../support/cli';

const home = makeTempDir('canary-home');
const exports = makeTempDir('canary-exports');
after(() => {
  removeDir(home);
  removeDir(exports);
});

// A value that cannot occur by chance: any hit is a leak.
const canary = `canary-${randomBytes(12).toString('hex')}`;
const outputs: string[] = [];

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** The canary, as UTF-8 or UTF-16, in no file of the data folder or exports, nor any CLI output. */
function assertNoCanary(step: string, walOpen = false): void {
  const needles = [Buffer.from(canary, 'utf8'), Buffer.from(canary, 'utf16le')];
  const files = [...filesUnder(home), ...filesUnder(exports)];
  // The WAL exists while a connection is open (the last one to close checkpoints and removes it).
  if (walOpen)
    assert.ok(
      files.some((f) => f.endsWith('opsconsole.db-wal')),
      'the WAL file is among those searched',
    );
  for (const file of files) {
    const bytes = readFileSync(file);
    for (const needle of needles)
      assert.equal(bytes.includes(needle), false, `after ${step}: the canary is in ${file}`);
  }
  for (const output of outputs)
    assert.equal(output.includes(canary), false, `after ${step}: the canary is in CLI output`);
}

async function cli(args: string[], options: Parameters<typeof runCli>[2] = {}): Promise<CliRun> {
  const run = await runCli(home, args, options);
  outputs.push(run.stdout, run.stderr);
  return run;
}

test('a canary secret appears nowhere after create, edit, test, export, a bad import and delete', async () => {
  const created = await cli(
    [
      'profiles',
      'add',
      '--name',
      'canary-pg',
      '--environment',
      'staging',
      '--pg-host',
      '127.0.0.1',
      '--pg-port',
      String(await freePort()),
      '--pg-database',
      'd',
      '--pg-user',
      'u',
      '--pg-password-stdin',
      '--json',
    ],
    { input: canary },
  );
  assert.equal(created.code, 0, created.stderr);
  assertNoCanary('create');

  const edited = await cli(
    ['profiles', 'edit', 'canary-pg', '--redis-host', '127.0.0.1', '--redis-port', String(await freePort()), '--json'],
    { env: { OPSCONSOLE_REDIS_PASSWORD: canary } },
  );
  assert.equal(edited.code, 0, edited.stderr);
  assert.equal(edited.json<ProfileView>().secrets.redisPassword, true);
  assertNoCanary('edit');

  // The app's core: SSH password and a jump's passphrase, then a test that opens every secret and fails.
  const core = createCore({ dataDir: home, keySource: fileKeySource(home), knownHostsFiles: [] });
  try {
    const sshPort = await freePort();
    const saved = await core.invoke('profiles.save', {
      profile: {
        name: 'canary-ssh',
        environment: 'production',
        ssh: { host: '127.0.0.1', port: sshPort, user: 'u', auth: 'password', jumps: [] },
        secrets: { sshPassword: { set: canary } },
      },
    });
    const result = await core.invoke('profiles.testConnection', { id: saved.id });
    assert.equal(result.ok, false);
    const pgTest = await core.invoke('profiles.testConnection', {
      id: (await core.invoke('profiles.get', { name: 'canary-pg' })).id,
    });
    assert.equal(pgTest.failedStage, 'postgres');
    assert.equal(
      readStoredProfiles(home, (profiles) => profiles.secret(saved.id, 'sshPassword')),
      canary,
      'the secret is really there',
    );
    outputs.push(JSON.stringify([result, pgTest, await core.invoke('profiles.list', {})]));
    await assert.rejects(
      core.invoke('profiles.save', {
        profile: { name: 'x', environment: 'staging', secrets: { pgPassword: { set: canary } } },
      }),
      (error: Error) => {
        outputs.push(error.message);
        return true;
      },
    );
    assertNoCanary('the app core, store open', true);
  } finally {
    await core.dispose();
  }
  assertNoCanary('the app core');

  const exported = await cli(['profiles', 'export', '--out', join(exports, 'profiles.json')]);
  assert.equal(exported.code, 0, exported.stderr);
  await cli(['profiles', 'export']);
  assertNoCanary('export');

  // The wrong file chosen for import (a .env holding the canary): the error must not quote it.
  const dotenv = join(exports, 'wrong.env');
  writeFileSync(dotenv, `PGPASSWORD=${canary}\n`);
  const refused = await cli(['profiles', 'import', dotenv, '--json']);
  assert.equal(refused.code, 2);
  removeDir(dotenv);
  assertNoCanary('a bad import');

  for (const name of ['canary-pg', 'canary-ssh']) assert.equal((await cli(['profiles', 'remove', name])).code, 0);
  assertNoCanary('delete');
  assert.ok(
    filesUnder(home).some((f) => f.includes(`${join(home, 'logs')}`)),
    'the logs were searched too',
  );
});
