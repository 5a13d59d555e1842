import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { createCore } from '../../src/main/core';
import { makeDataFolderPrivate } from '../../src/main/private-files';
import { fileKeySource } from '../../src/main/vault/key-sources';

const made: string[] = [];
after(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'opsconsole-modes-'));
  made.push(dir);
  return dir;
}

const modeOf = (path: string) => (statSync(path).mode & 0o777).toString(8);

test('a data folder made under umask 022 ends 0700 with its store, WAL, log and key file 0600', async () => {
  const dataDir = join(tempDir(), 'home');
  mkdirSync(join(dataDir, 'logs'), { recursive: true, mode: 0o755 });
  chmodSync(dataDir, 0o755);
  for (const name of [
    'opsconsole.db-wal',
    'opsconsole.db-shm',
    'logs/opsconsole.log',
    'opsconsole-journal.jsonl',
    'window-state.json',
  ])
    writeFileSync(join(dataDir, name), '', { mode: 0o644 });
  const previous = process.umask(0o022);
  try {
    const core = createCore({ dataDir, keySource: fileKeySource(dataDir), knownHostsFiles: [], operator: 'tester' });
    await core.invoke('incidents.start', { title: 'modes', severity: 'P3' });
    assert.deepEqual(core.fileWarnings, []);
    assert.deepEqual((await core.invoke('app.info', {})).fileWarnings, []);
    for (const name of [
      'opsconsole.db',
      'opsconsole.db-wal',
      'opsconsole.db-shm',
      'logs/opsconsole.log',
      'opsconsole-journal.jsonl',
      'window-state.json',
    ])
      assert.equal(modeOf(join(dataDir, name)), '600', name);
    assert.equal(modeOf(dataDir), '700');
    assert.equal(modeOf(join(dataDir, 'logs')), '700');
    await core.dispose();
  } finally {
    process.umask(previous);
  }
});

test('a new data folder: the store exists 0600 before SQLite opens it, so -wal and -shm inherit 0600', async () => {
  const dataDir = join(tempDir(), 'fresh');
  const previous = process.umask(0o000);
  try {
    assert.deepEqual(makeDataFolderPrivate(dataDir), []);
    assert.equal(modeOf(join(dataDir, 'opsconsole.db')), '600');
    const core = createCore({ dataDir, keySource: fileKeySource(dataDir), knownHostsFiles: [], operator: 'tester' });
    await core.invoke('profiles.save', {
      profile: {
        name: 'p',
        environment: 'staging',
        redis: { host: '127.0.0.1', port: 6379 },
        secrets: { redisPassword: { set: 'pw-pw-pw' } },
      },
    });
    for (const name of ['opsconsole.db', 'opsconsole.db-wal', 'opsconsole.db-shm', 'vault.key'])
      assert.equal(modeOf(join(dataDir, name)), '600', name);
    await core.dispose();
  } finally {
    process.umask(previous);
  }
});

test('other entries are left alone and links in logs/ are not followed', () => {
  const dataDir = tempDir();
  const outside = join(tempDir(), 'outside.txt');
  writeFileSync(outside, 'x', { mode: 0o644 });
  writeFileSync(join(dataDir, 'notes.txt'), 'mine', { mode: 0o644 });
  mkdirSync(join(dataDir, 'logs'));
  symlinkSync(outside, join(dataDir, 'logs', 'link.log'));
  assert.deepEqual(makeDataFolderPrivate(dataDir), []);
  assert.equal(modeOf(join(dataDir, 'notes.txt')), '644');
  assert.equal(modeOf(outside), '644');
});

test(
  'when a file cannot be made private, the CLI says so on stderr and app info lists it',
  { skip: process.getuid?.() !== 0 && 'needs root to run the CLI as another user' },
  () => {
    // The data folder and the store belong to root; the CLI runs as nobody, who may use but not chmod them.
    const parent = tempDir();
    chmodSync(parent, 0o755);
    const dataDir = join(parent, 'shared');
    mkdirSync(dataDir);
    chmodSync(dataDir, 0o777);
    writeFileSync(join(dataDir, 'opsconsole.db'), '');
    chmodSync(join(dataDir, 'opsconsole.db'), 0o666);
    const root = join(import.meta.dirname, '../..');
    const cli = spawnSync(
      'setpriv',
      [
        '--reuid=nobody',
        '--regid=nogroup',
        '--clear-groups',
        'env',
        `OPSCONSOLE_HOME=${dataDir}`,
        'OPSCONSOLE_VAULT=file',
        'HOME=/tmp',
        join(root, 'node_modules/.bin/node'),
        join(root, 'bin/opsconsole.mjs'),
        'app',
        'info',
        '--json',
      ],
      { encoding: 'utf8', cwd: root },
    );
    assert.equal(cli.status, 0, cli.stderr);
    assert.match(cli.stderr, /shared could not be made private \(0700\): EPERM.*run "chmod 700/);
    assert.match(cli.stderr, /opsconsole\.db could not be made private \(0600\): EPERM.*run "chmod 600/);
    assert.equal((JSON.parse(cli.stdout) as { fileWarnings: string[] }).fileWarnings.length, 2);
  },
);
