import Database from 'better-sqlite3';
import { join } from 'node:path';

/** Every profile row and sealed secret of a data folder, read over a second connection. */
export function storeSnapshot(dataDir: string): string {
  const db = new Database(join(dataDir, 'opsconsole.db'), { readonly: true });
  try {
    const profiles = db.prepare('SELECT * FROM profiles ORDER BY id').all();
    const secrets = db
      .prepare('SELECT profile_id, name, hex(sealed) AS sealed FROM secrets ORDER BY profile_id, name')
      .all();
    return JSON.stringify({ profiles, secrets });
  } finally {
    db.close();
  }
}
