import { openStore } from '../../src/main/store/index';
import type { ProfileRepository } from '../../src/main/store/profile-repository';
import { fileKeySource } from '../../src/main/vault/key-sources';
import type { VaultKeySource } from '../../src/main/vault/vault';

/**
 * Reads the profile store as a second process does (the CLI beside the app): its own SQLite
 * connection and vault over the data folder. For what no operation returns on purpose, such as
 * whether a secret is really stored.
 */
export function readStoredProfiles<T>(
  dataDir: string,
  read: (profiles: ProfileRepository) => T,
  keySource: VaultKeySource = fileKeySource(dataDir),
): T {
  const store = openStore({ dataDir, keySource, now: () => new Date() });
  try {
    return read(store.profiles);
  } finally {
    store.dispose();
  }
}
