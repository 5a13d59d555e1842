import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { OpsError } from '../../src/main/errors';
import { profilesFromSshConfig } from '../../src/main/profiles/ssh-config-import';
import { makeTempDir, removeDir } from '../harness/index';

const home = makeTempDir('sshconfig');
after(() => removeDir(home));

function writeConfig(files: Record<string, string>): string {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(home, '.ssh', name, '..'), { recursive: true });
    writeFileSync(join(home, '.ssh', name), text);
  }
  return join(home, '.ssh', 'config');
}

test('Host, HostName, Port, User, IdentityFile, ProxyJump and Include become profiles', async () => {
  const path = writeConfig({
    config: [
      'Include conf.d/*.conf',
      'Include ~/.ssh/extra',
      '',
      'Host bastion',
      '  HostName bastion.example.com',
      '  Port 2222',
      '  User alice',
      '  IdentityFile %d/.ssh/id_bastion',
      '',
      'Host prod-db',
      '  HostName 10.1.0.5',
      '  ProxyJump bastion,bob@inner:2200',
      '',
      'Host *.internal',
      '  User wildcard',
      'Host *',
      '  User fallback',
    ].join('\n'),
    'conf.d/10-staging.conf':
      'Host staging-web\n  HostName web.staging.example.com\n  User deploy\n  IdentityFile ~/.ssh/id_staging\n',
    'conf.d/not-included.txt': 'Host never\n',
    extra:
      'Host inner\n  HostName inner.example.com\n  ProxyJump bastion\nHost deep\n  HostName deep.example.com\n  ProxyJump inner\n',
  });
  const result = await profilesFromSshConfig({ path, home, localUser: 'me' });
  const byName = new Map(result.documents.map((d) => [d.name, d]));
  assert.deepEqual([...byName.keys()].sort(), ['bastion', 'deep', 'inner', 'prod-db', 'staging-web']);
  assert.deepEqual(result.skipped, []);

  const bastion = byName.get('bastion')!;
  assert.deepEqual(bastion.ssh, {
    host: 'bastion.example.com',
    port: 2222,
    user: 'alice',
    auth: 'key',
    keyPath: join(home, '.ssh/id_bastion'),
    jumps: [],
    keepaliveIntervalMs: 5000,
  });
  assert.equal(byName.get('staging-web')!.environment, 'staging');
  assert.equal(byName.get('staging-web')!.ssh!.keyPath, join(home, '.ssh/id_staging'));

  // prod-db: `ProxyJump bastion,bob@inner:2200` is ssh -J bastion … inner: inner's own ProxyJump is overridden.
  const prod = byName.get('prod-db')!;
  assert.equal(prod.environment, 'production');
  assert.equal(prod.ssh!.host, '10.1.0.5');
  assert.equal(prod.ssh!.user, 'fallback', 'Host * applies');
  assert.equal(prod.ssh!.auth, 'agent');
  assert.deepEqual(
    prod.ssh!.jumps.map((j) => `${j.user}@${j.host}:${j.port}`),
    ['alice@bastion.example.com:2222', 'bob@inner.example.com:2200'],
  );
  // deep jumps through inner, whose own ProxyJump (bastion) comes first: ssh(1) recurses on it.
  assert.deepEqual(
    byName.get('deep')!.ssh!.jumps.map((j) => `${j.user}@${j.host}:${j.port}`),
    ['alice@bastion.example.com:2222', 'fallback@inner.example.com:22'],
  );
});

test('a ProxyJump loop and a bad port are skipped with the reason', async () => {
  const path = writeConfig({
    config: [
      'Host a',
      '  ProxyJump b',
      'Host b',
      '  ProxyJump a',
      'Host badport',
      '  Port 70000',
      'Host ok',
      '  HostName ok.example',
    ].join('\n'),
  });
  const result = await profilesFromSshConfig({ path, home, localUser: 'me', environment: 'development' });
  assert.deepEqual(
    result.documents.map((d) => d.name),
    ['ok'],
  );
  assert.equal(result.documents[0]!.environment, 'development');
  const reasons = new Map(result.skipped.map((s) => [s.name, s.reason]));
  assert.match(reasons.get('a')!, /ProxyJump loops: a → b → a/);
  assert.match(reasons.get('badport')!, /Port 70000 of badport is not between 1 and 65535/);
});

test('only the asked hosts; a missing file or an Include loop fails clearly', async () => {
  const path = writeConfig({ config: 'Host one\nHost two\n' });
  const result = await profilesFromSshConfig({ path, home, hosts: ['two', 'three'] });
  assert.deepEqual(
    result.documents.map((d) => d.name),
    ['two'],
  );
  assert.match(result.skipped[0]!.reason, /no "Host three"/);
  await assert.rejects(
    profilesFromSshConfig({ path: join(home, 'nope'), home }),
    (e: unknown) => e instanceof OpsError && e.code === 'not_found' && /Cannot read the SSH config/.test(e.message),
  );
  const looping = writeConfig({ config: 'Include config\nHost x\n' });
  await assert.rejects(
    profilesFromSshConfig({ path: looping, home }),
    (e: unknown) => e instanceof OpsError && /Include nests more than 16 levels/.test(e.message),
  );
});
