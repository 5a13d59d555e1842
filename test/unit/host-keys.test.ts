import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { checkKnownHosts, fingerprintOf, hostMatches, keyTypeOf } from '../../src/main/ssh/host-keys';
import { keyFingerprint, makeTempDir, removeDir, sshKeygen } from '../harness/index';

function wireKey(type: string, body = randomBytes(32)): Buffer {
  const t = Buffer.from(type);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(t.length);
  return Buffer.concat([len, t, body]);
}

test('fingerprint matches ssh-keygen -l exactly', () => {
  const dir = makeTempDir('fp');
  try {
    sshKeygen(join(dir, 'k'));
    const [, base64] = readFileSync(join(dir, 'k.pub'), 'utf8').split(' ');
    const key = Buffer.from(base64!, 'base64');
    assert.equal(fingerprintOf(key), keyFingerprint(join(dir, 'k.pub')));
    assert.equal(keyTypeOf(key), 'ssh-ed25519');
  } finally {
    removeDir(dir);
  }
});

test('known_hosts: plain, [host]:port, hashed, wildcard, negation, revoked, changed', () => {
  const key = wireKey('ssh-ed25519');
  const other = wireKey('ssh-ed25519');
  const b64 = key.toString('base64');
  const salt = randomBytes(20);
  const hashed = `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update('[db.example]:2222').digest('base64')}`;
  const text = [
    '# comment',
    `bastion.example ssh-ed25519 ${b64}`,
    `${hashed} ssh-ed25519 ${b64}`,
    `*.corp,!evil.corp ssh-ed25519 ${b64}`,
    `changed.example ssh-ed25519 ${other.toString('base64')}`,
  ].join('\n');
  assert.equal(checkKnownHosts(text, 'bastion.example', 22, key, 'f').status, 'known');
  assert.equal(
    checkKnownHosts(text, 'bastion.example', 2200, key, 'f').status,
    'unknown',
    'a port other than 22 needs [host]:port',
  );
  assert.equal(checkKnownHosts(text, 'db.example', 2222, key, 'f').status, 'known', 'hashed [host]:port entry');
  assert.equal(checkKnownHosts(text, 'a.corp', 22, key, 'f').status, 'known');
  assert.equal(checkKnownHosts(text, 'evil.corp', 22, key, 'f').status, 'unknown');
  const changed = checkKnownHosts(text, 'changed.example', 22, key, 'f');
  assert.equal(changed.status, 'changed');
  assert.equal(
    checkKnownHosts(`@revoked * ssh-ed25519 ${b64}\n` + text, 'bastion.example', 22, key, 'f').status,
    'revoked',
  );
  assert.equal(checkKnownHosts(text, 'nowhere', 22, key, 'f').status, 'unknown');
});

test('hostMatches treats a negated match as final', () => {
  assert.equal(hostMatches('*.a,!x.a', 'x.a'), false);
  assert.equal(hostMatches('h?st', 'host'), true);
  assert.equal(hostMatches('h?st', 'hoost'), false);
});
