import type { Db } from './database';
import { storeFaultOf } from './store-faults';
import { secretContext, type KeyCheck, type VaultKeyCheckStore } from '../vault/vault';

/** The store's record of which vault key sealed its secrets (table vault_check, one row). */
export function sqliteKeyCheckStore(db: Db, now: () => Date = () => new Date()): VaultKeyCheckStore {
  const read = db.prepare<[], KeyCheck>('SELECT protection, key_check AS keyCheck FROM vault_check WHERE id = 1');
  const insert = db.prepare(
    'INSERT INTO vault_check (id, protection, key_check, created_at) VALUES (1, ?, ?, ?) ON CONFLICT (id) DO NOTHING',
  );
  const sample = db.prepare<[], { profile_id: string; name: string; sealed: Buffer }>(
    'SELECT profile_id, name, sealed FROM secrets LIMIT 1',
  );
  return {
    read: () => read.get(),
    record(check) {
      try {
        insert.run(check.protection, check.keyCheck, now().toISOString());
      } catch (error) {
        // A store opened read-only (a command that only reads, e.g. the first export signing a
        // report) or write-locked by another process cannot keep the check now: the next process
        // that writes records it (the key itself is already kept by its source).
        if (['locked', 'io'].includes(storeFaultOf(error) ?? '')) return check;
        throw error;
      }
      return read.get()!;
    },
    sample() {
      const row = sample.get();
      return row && { sealed: row.sealed, context: secretContext(row.profile_id, row.name) };
    },
  };
}
