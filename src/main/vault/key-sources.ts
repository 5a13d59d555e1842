import { randomBytes } from 'node:crypto';
import { chmodSync, linkSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { VaultKeySource } from './vault';

const service = 'ops-console';
const account = 'vault-key';

function readKeyFile(path: string): Buffer | undefined {
  try {
    return Buffer.from(readFileSync(path, 'utf8').trim(), 'base64');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** A random key in a 0600 file in the data folder: used only where no OS keychain answers. */
export function fileKeySource(dataDir: string): VaultKeySource {
  const path = join(dataDir, 'vault.key');
  return {
    protection: 'file',
    peekKey: () => readKeyFile(path),
    loadOrCreateKey() {
      const existing = readKeyFile(path);
      if (existing) return existing;
      // Written whole under a private name, then linked into place: link fails if another
      // process got there first, and no reader ever sees a half-written key.
      const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`;
      writeFileSync(temporary, randomBytes(32).toString('base64'), { mode: 0o600 });
      chmodSync(temporary, 0o600);
      try {
        linkSync(temporary, path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      } finally {
        rmSync(temporary, { force: true });
      }
      return readKeyFile(path)!;
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
    const peekKey = () => {
      const existing = entry.getPassword();
      return existing ? Buffer.from(existing, 'base64') : undefined;
    };
    return {
      protection: 'keychain',
      peekKey,
      loadOrCreateKey() {
        const existing = peekKey();
        if (existing) return existing;
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
 * Where the vault key may be, in order of preference: the keychain when one answers, then the
 * key file. OPSCONSOLE_VAULT=file means the file only (tests, CI, and operators who want a
 * portable data folder). The vault uses whichever holds the key this store was sealed with.
 */
export function chooseKeySources(dataDir: string, env: NodeJS.ProcessEnv = process.env): VaultKeySource[] {
  const keychain = env.OPSCONSOLE_VAULT === 'file' ? undefined : keychainKeySource();
  return [...(keychain ? [keychain] : []), fileKeySource(dataDir)];
}
