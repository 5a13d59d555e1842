import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { OpsError } from '../../src/main/errors';
import { fileKeySource } from '../../src/main/vault/key-sources';
import { secretContext, Vault, type VaultKeySource } from '../../src/main/vault/vault';
import { createCore } from '../../src/main/core';
import { readStoredProfiles } from '../support/stored-profiles';
import { openDatabase } from '../../src/main/store/database';
import { sqliteKeyCheckStore } from '../../src/main/store/key-check-store';
import { storeSnapshot } from '../support/store-snapshot';
import { randomBytes } from 'node:crypto';
import { makeTempDir, removeDir } from '../harness/index';

test('vault seals with AES-GCM bound to its context, key file is 0600', () => {
  const dir = makeTempDir('vault');
  try {
    const vault = new Vault(fileKeySource(dir));
    const sealed = vault.seal('canary-секрет', 'profile:1:pgPassword');
    assert.equal(sealed.includes(Buffer.from('canary')), false);
    assert.equal(vault.open(sealed, 'profile:1:pgPassword'), 'canary-секрет');
    assert.throws(
      () => vault.open(sealed, 'profile:2:pgPassword'),
      (e: unknown) => e instanceof OpsError && e.code === 'vault_error',
    );
    const tampered = Buffer.from(sealed);
    tampered[tampered.length - 1]! ^= 1;
    assert.throws(() => vault.open(tampered, 'profile:1:pgPassword'), OpsError);
    assert.equal(statSync(join(dir, 'vault.key')).mode & 0o777, 0o600);
    assert.equal(
      new Vault(fileKeySource(dir)).open(sealed, 'profile:1:pgPassword'),
      'canary-секрет',
      'a second process opens it with the same key file',
    );
    assert.equal(vault.redact('password is canary-секрет!'), 'password is [redacted]!');
  } finally {
    removeDir(dir);
  }
});

/** An in-memory stand-in for the OS keychain (none runs on CI machines). */
function memoryKeychain(initial?: Buffer): VaultKeySource & { key?: Buffer } {
  const source: VaultKeySource & { key?: Buffer } = {
    protection: 'keychain',
    key: initial,
    peekKey: () => source.key,
    loadOrCreateKey: () => (source.key ??= randomBytes(32)),
  };
  return source;
}

test('the store records its vault key: another key is refused before it seals anything', async () => {
  const dir = makeTempDir('vault-check');
  const otherKeyDir = makeTempDir('vault-other');
  try {
    const first = createCore({ dataDir: dir, keySource: fileKeySource(dir), knownHostsFiles: [] });
    const saved = await first.invoke('profiles.save', {
      profile: {
        name: 'p',
        environment: 'staging',
        postgres: { host: 'h', database: 'd', user: 'u' },
        secrets: { pgPassword: { set: 'pw-1' } },
      },
    });
    await first.dispose();

    // A process that finds another key (here: another key file; in life: no keychain over SSH).
    const stranger = createCore({ dataDir: dir, keySource: fileKeySource(otherKeyDir), knownHostsFiles: [] });
    try {
      assert.equal((await stranger.invoke('profiles.list', {})).length, 1, 'what needs no secret still works');
      assert.throws(
        () =>
          readStoredProfiles(dir, (profiles) => profiles.secret(saved.id, 'pgPassword'), fileKeySource(otherKeyDir)),
        (e: unknown) =>
          e instanceof OpsError &&
          e.code === 'vault_error' &&
          /sealed with the vault key kept in the key file vault\.key .*cannot find that key/.test(e.message),
      );
      const before = storeSnapshot(dir);
      await assert.rejects(
        stranger.invoke('profiles.save', {
          id: saved.id,
          profile: {
            name: 'p',
            environment: 'staging',
            postgres: { host: 'h', database: 'd', user: 'u' },
            secrets: { pgPassword: { set: 'pw-2' } },
          },
        }),
        (e: Error & { code?: string }) => e.code === 'vault_error',
      );
      assert.equal(storeSnapshot(dir), before, 'nothing sealed under the wrong key');
    } finally {
      await stranger.dispose();
    }

    // Keychain first, but the store was sealed with the key file: the vault finds and uses the file.
    const keychain = memoryKeychain(randomBytes(32));
    const db = openDatabase(join(dir, 'opsconsole.db'));
    const vault = new Vault([keychain, fileKeySource(dir)], sqliteKeyCheckStore(db));
    assert.equal(vault.open(readSealed(dir, saved.id), secretContext(saved.id, 'pgPassword')), 'pw-1');
    assert.equal(vault.protection, 'file');
    db.close();
  } finally {
    removeDir(dir);
    removeDir(otherKeyDir);
  }
});

test('a store sealed before the check existed is checked against one of its secrets', () => {
  const dir = makeTempDir('vault-legacy');
  try {
    const db = openDatabase(join(dir, 'opsconsole.db'));
    const legacy = new Vault(fileKeySource(dir));
    db.prepare(
      "INSERT INTO profiles (id, name, environment, settings, created_at, updated_at) VALUES ('p1', 'p', 'staging', '{}', 'now', 'now')",
    ).run();
    db.prepare("INSERT INTO secrets (profile_id, name, sealed) VALUES ('p1', 'pgPassword', ?)").run(
      legacy.seal('old-secret', secretContext('p1', 'pgPassword')),
    );
    const wrong = new Vault(memoryKeychain(), sqliteKeyCheckStore(db));
    assert.throws(
      () => wrong.seal('x', 'c'),
      (e: unknown) => e instanceof OpsError && e.code === 'vault_error',
    );
    assert.equal(
      db.prepare<[], { n: number }>('SELECT count(*) AS n FROM vault_check').get()!.n,
      0,
      'a wrong key is not recorded',
    );
    const right = new Vault(fileKeySource(dir), sqliteKeyCheckStore(db));
    assert.equal(
      right.open(
        db.prepare<[], { sealed: Buffer }>('SELECT sealed FROM secrets').get()!.sealed,
        secretContext('p1', 'pgPassword'),
      ),
      'old-secret',
    );
    assert.equal(
      db.prepare<[], { protection: string }>('SELECT protection FROM vault_check').get()!.protection,
      'file',
    );
    db.close();
  } finally {
    removeDir(dir);
  }
});

function readSealed(dir: string, profileId: string): Buffer {
  const db = openDatabase(join(dir, 'opsconsole.db'));
  try {
    return db
      .prepare<[string], { sealed: Buffer }>("SELECT sealed FROM secrets WHERE profile_id = ? AND name = 'pgPassword'")
      .get(profileId)!.sealed;
  } finally {
    db.close();
  }
}

test('a keychain that answers but refuses to store falls back to the key file, and says so', () => {
  const dir = makeTempDir('vault-fallback');
  try {
    const db = openDatabase(join(dir, 'opsconsole.db'));
    const refusing: VaultKeySource = {
      protection: 'keychain',
      peekKey: () => undefined,
      loadOrCreateKey: () => {
        throw new Error("Couldn't access platform storage: AccessDenied");
      },
    };
    const vault = new Vault([refusing, fileKeySource(dir)], sqliteKeyCheckStore(db));
    assert.equal(vault.protection, 'file');
    const sealed = vault.seal('fallback-secret', 'c');
    assert.equal(
      new Vault([refusing, fileKeySource(dir)], sqliteKeyCheckStore(db)).open(sealed, 'c'),
      'fallback-secret',
    );
    assert.equal(statSync(join(dir, 'vault.key')).mode & 0o777, 0o600);
    db.close();
  } finally {
    removeDir(dir);
  }
});
