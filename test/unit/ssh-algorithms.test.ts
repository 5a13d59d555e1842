import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sshAlgorithms } from '../../src/main/ssh/algorithms';
import { verdictAmong } from '../../src/main/ssh/host-keys';

/** An SSH wire-format public key of `type` (the verdict reads only the type and compares bytes). */
const key = (type: string, body: string) => {
  const name = Buffer.from(type);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(name.length);
  return Buffer.concat([length, name, Buffer.from(body)]);
};

test('no ssh-rsa (SHA-1) or hmac-sha1 by default; legacy adds them last; known key types are asked for first', () => {
  const modern = sshAlgorithms({ legacy: false, knownKeyTypes: [] });
  assert.equal((modern.serverHostKey as string[]).includes('ssh-rsa'), false);
  assert.equal(
    (modern.hmac as string[]).some((m) => m.startsWith('hmac-sha1')),
    false,
  );
  const legacy = sshAlgorithms({ legacy: true, knownKeyTypes: [] });
  assert.equal((legacy.serverHostKey as string[]).at(-1), 'ssh-rsa');
  assert.deepEqual((legacy.hmac as string[]).slice(-2), ['hmac-sha1-etm@openssh.com', 'hmac-sha1']);
  const rsaKnown = sshAlgorithms({ legacy: false, knownKeyTypes: ['ssh-rsa', 'sk-ssh-ed25519@openssh.com'] });
  assert.deepEqual(
    (rsaKnown.serverHostKey as string[]).slice(0, 2),
    ['rsa-sha2-512', 'rsa-sha2-256'],
    'an unsupported known type is simply not asked for',
  );
});

test('a key of another type than the ones on record is "changed", naming the type on record', () => {
  const ed = key('ssh-ed25519', 'A');
  const records = [{ keyType: 'ssh-ed25519', key: ed, source: 'app trust store' }];
  assert.equal(verdictAmong(records, ed).status, 'known');
  const rotated = verdictAmong(records, key('ssh-ed25519', 'B'));
  assert.equal(rotated.status, 'changed');
  assert.equal((rotated as { knownKeyType?: string }).knownKeyType, undefined, 'same type: an ordinary changed key');
  const downgrade = verdictAmong(records, key('ssh-rsa', 'C'));
  assert.equal(downgrade.status, 'changed');
  assert.equal((downgrade as { knownKeyType?: string }).knownKeyType, 'ssh-ed25519');
  const rsa = key('ssh-rsa', 'C');
  assert.equal(
    verdictAmong([...records, { keyType: 'ssh-rsa', key: rsa, source: 'known_hosts' }], rsa).status,
    'known',
    'both types on record',
  );
  assert.equal(verdictAmong([], rsa).status, 'unknown');
});
