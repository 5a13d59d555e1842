import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { VaultKeySource } from './vault';

const service = 'ops-console';
const account = 'vault-key';

/** A random key in a 0600 file in the data folder: used only where no OS keychain answers. */
export function fileKeySource(dataDir: string): VaultKeySource {
  const path = join(dataDir, 'vault.key');
  return {
    protection: 'file',
    loadOrCreateKey() {
      if (existsSync(path)) return Buffer.from(readFileSync(path, 'utf8').trim(), 'base64');
      const key = randomBytes(32);
      // 'wx' fails if another process created it first; then read theirs.
      try {
        writeFileSync(path, key.toString('base64'), { mode: 0o600, flag: 'wx' });
      } catch {
        return Buffer.from(readFileSync(path, 'utf8').trim(), 'base64');
      }
      chmodSync(path, 0o600);
      return key;
    },
  };
}

interface KeyringEntry {
  getPassword(): string | null | undefined;
  setPassword(value: string): void;
}

/** The key in the OS keychain (macOS Keychain, Windows Credential Manager, Secret Service). */
function keychainKeySource(): VaultKeySource | undefined {
  let Entry: new (service: string, account: string) => KeyringEntry;
  try {
    Entry = createRequire(import.meta.url)('@napi-rs/keyring').Entry;
    const entry = new Entry(service, account);
    entry.getPassword(); // probes the keychain: throws where none is running
    return {
      protection: 'keychain',
      loadOrCreateKey() {
        const existing = entry.getPassword();
        if (existing) return Buffer.from(existing, 'base64');
        const key = randomBytes(32);
        entry.setPassword(key.toString('base64'));
        return key;
      },
    };
  } catch {
    return undefined;
  }
}

/**
 * The keychain when one answers, else the key file. OPSCONSOLE_VAULT=file forces the file
 * (tests, CI, and operators who want a portable data folder).
 */
export function chooseKeySource(dataDir: string, env: NodeJS.ProcessEnv = process.env): VaultKeySource {
  if (env.OPSCONSOLE_VAULT !== 'file') {
    const keychain = keychainKeySource();
    if (keychain) return keychain;
  }
  return fileKeySource(dataDir);
}
