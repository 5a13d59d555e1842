import { join } from 'node:path';
import { sqliteKeyCheckStore } from './key-check-store';
import { chooseKeySources } from '../vault/key-sources';
import { Vault, type VaultKeySource } from '../vault/vault';
import { openDatabase, type Db } from './database';
import { ProfileRepository } from './profile-repository';

interface StoreOptions {
  dataDir: string;
  /** No migration, no write lock: for commands that only read (works on a read-only file). */
  readOnly?: boolean;
  keySource?: VaultKeySource;
  now: () => Date;
}

interface Store {
  db: Db;
  vault: Vault;
  profiles: ProfileRepository;
  dispose(): void;
}

/** The data folder's SQLite store, the vault that seals its secrets, and the profiles kept in it. */
export function openStore(options: StoreOptions): Store {
  // Said on stderr (the CLI's, the app's log): the operator must know the store they had is kept aside, not lost.
  const db = openDatabase(
    join(options.dataDir, 'opsconsole.db'),
    (aside) =>
      process.stderr.write(
        `opsconsole: the local store was damaged (SQLite reports it malformed). It is kept as ${aside} and a fresh store was started: profiles and incidents from before are in the kept file.\n`,
      ),
    { readOnly: options.readOnly },
  );
  const vault = new Vault(options.keySource ?? chooseKeySources(options.dataDir), sqliteKeyCheckStore(db, options.now));
  return { db, vault, profiles: new ProfileRepository(db, vault, options.now), dispose: () => db.close() };
}
