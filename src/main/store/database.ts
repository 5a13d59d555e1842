import Database from 'better-sqlite3';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OpsError } from '../errors';
import { storeFaultOf } from './store-faults';

export type Db = Database.Database;

/** Where the numbered .sql migrations live: beside this file in source, copied beside the bundle in builds. */
function migrationsDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const candidate of [join(here, 'migrations'), join(here, 'store', 'migrations')]) {
    try {
      readdirSync(candidate);
      return candidate;
    } catch {
      // try the next layout
    }
  }
  throw new Error(`SQLite migrations not found beside ${here}`);
}

/**
 * Opens the store in WAL mode (the app and the CLI may use it at once) and applies pending
 * migrations, each in its own transaction, recorded in user_version. A file SQLite reports as
 * malformed (at open, or by a quick check after a write hit damage: see `suspectFileOf`) is never
 * written again: it is moved aside, kept, and a fresh store is started; `onMovedAside` says where.
 */
export function openDatabase(
  file: string,
  onMovedAside?: (damagedPath: string) => void,
  options: { readOnly?: boolean } = {},
): Db {
  // A store that does not exist yet (or is the empty file made private before first use) is
  // created by whoever comes first, reader or not.
  if (options.readOnly && existsSync(file) && statSync(file).size > 0) {
    try {
      return openReadOnly(file);
    } catch (error) {
      // Damage is handled as for a writer below: the file is moved aside, kept, and a fresh store begins.
      if (storeFaultOf(error) !== 'damaged') throw error;
    }
  }
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  let db: Db | undefined;
  try {
    db = openAndMigrate(file);
    if (existsSync(suspectFileOf(file)) && db.pragma('quick_check', { simple: true }) !== 'ok')
      throw Object.assign(new Error('quick_check failed'), { code: 'SQLITE_CORRUPT' });
    rmSync(suspectFileOf(file), { force: true });
    return db;
  } catch (error) {
    if (storeFaultOf(error) !== 'damaged') throw error;
    db?.close();
    const aside = `${file}.damaged-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    for (const suffix of ['', '-wal', '-shm']) if (existsSync(file + suffix)) renameSync(file + suffix, aside + suffix);
    rmSync(suspectFileOf(file), { force: true });
    onMovedAside?.(aside);
    return openAndMigrate(file);
  }
}

/** Written beside the store when a write met damage: the next open checks the file before using it. */
export function suspectFileOf(file: string): string {
  return `${file}.suspect`;
}

function openAndMigrate(file: string): Db {
  const db = new Database(file);
  try {
    // First, so that switching a new file to WAL waits for (not fails on) a process opening it at the same moment.
    db.pragma('busy_timeout = 5000');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    // Checkpoint every ~16 MB of WAL rather than SQLite's default 4 MB: every timeline event is its
    // own commit of two or three pages, so 10,000 recorded SQL runs cost 15 checkpoint fsyncs
    // instead of 69, each of which stalls a commit while the disk is busy. The size limit
    // truncates the file again after a long reader held checkpoints back.
    db.pragma('wal_autocheckpoint = 4000');
    db.pragma('journal_size_limit = 33554432');
    db.pragma('foreign_keys = ON');
    migrate(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * For commands that only read (list, show, verify, export): SQLite's read-only mode, so they work
 * on a store chmod 0400 or on a read-only mount and can never take a write lock. No migration is
 * attempted; a store older than this code is refused with what to do, since its tables may lack
 * what the reader expects. A damaged file is reported, not moved aside (that is a writer's job).
 */
function openReadOnly(file: string): Db {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    const version = db.pragma('user_version', { simple: true }) as number;
    const latest = listMigrations().at(-1)?.version ?? 0;
    if (version < latest) {
      throw new OpsError(
        'store_outdated',
        `The local store ${file} is at schema version ${version}, older than this opsconsole (${latest}), and this command only reads, so it does not upgrade it. Run a command that writes (e.g. "opsconsole incident start") or open the app once with write access to the data folder, then try again.`,
      );
    }
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

export interface Migration {
  version: number;
  file: string;
}

/** The numbered migrations in order; two files with one number are refused (one sequence, shared by every issue). */
export function listMigrations(dir = migrationsDir()): Migration[] {
  const found = readdirSync(dir)
    .filter((f) => /^\d{3}-.+\.sql$/.test(f))
    .sort()
    .map((file) => ({ version: Number(file.slice(0, 3)), file }));
  for (let i = 1; i < found.length; i++) {
    if (found[i]!.version === found[i - 1]!.version) {
      throw new Error(
        `Migrations ${found[i - 1]!.file} and ${found[i]!.file} share the number ${found[i]!.version}: renumber the newer one to the next free number.`,
      );
    }
  }
  return found;
}

/**
 * Applies pending migrations, each in its own IMMEDIATE transaction. user_version is read first
 * without any lock: when nothing is pending (every open but the first after an upgrade) no write
 * lock is taken, so a reader never waits behind another process's write transaction.
 */
export function migrate(db: Db, dir = migrationsDir()): void {
  const migrations = listMigrations(dir);
  const latest = migrations.at(-1)?.version ?? 0;
  if ((db.pragma('user_version', { simple: true }) as number) >= latest) return;
  for (const { version, file } of migrations) {
    const sql = readFileSync(join(dir, file), 'utf8');
    db.transaction(() => {
      // Read inside the write lock: another process (app or CLI) may have migrated meanwhile.
      if ((db.pragma('user_version', { simple: true }) as number) >= version) return;
      db.exec(sql);
      db.pragma(`user_version = ${version}`);
    }).immediate();
  }
}
