import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { OpsError } from '../../src/main/errors';
import { fileKeySource } from '../../src/main/vault/key-sources';
import { Vault } from '../../src/main/vault/vault';
import { makeTempDir, removeDir } from '../harness/index';

test('vault seals with AES-GCM bound to its context, key file is 0600', () => {
  const dir = makeTempDir('vault');
  try {
    const vault = new Vault(fileKeySource(dir));
    const sealed = vault.seal('canary-секрет', 'profile:1:pgPassword');
    assert.equal(sealed.includes(Buffer.from('canary')), false);
    assert.equal(vault.open(sealed, 'profile:1:pgPassword'), 'canary-секрет');
    assert.throws(() => vault.open(sealed, 'profile:2:pgPassword'), (e: unknown) => e instanceof OpsError && e.code === 'vault_error');
    const tampered = Buffer.from(sealed);
    tampered[tampered.length - 1]! ^= 1;
    assert.throws(() => vault.open(tampered, 'profile:1:pgPassword'), OpsError);
    assert.equal(statSync(join(dir, 'vault.key')).mode & 0o777, 0o600);
    assert.equal(new Vault(fileKeySource(dir)).open(sealed, 'profile:1:pgPassword'), 'canary-секрет', 'a second process opens it with the same key file');
    assert.equal(vault.redact('password is canary-секрет!'), 'password is [redacted]!');
  } finally {
    removeDir(dir);
  }
});
