import { chmodSync, closeSync, existsSync, lstatSync, mkdirSync, openSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { OpsError } from './errors';

/**
 * Files at the top of the data folder that are the console's: the store and its SQLite companions
 * (opsconsole.db, -wal, -shm, -journal), any other opsconsole* file (a fallback journal), the
 * vault's key file, the window state.
 */
const isPrivateFile = (name: string) =>
  name.startsWith('opsconsole') || name === 'vault.key' || name === 'window-state.json';
/** Folders of the data folder whose every file is private (the log, terminal recordings). */
const privateFolders = ['logs', 'casts'];

/**
 * Makes the data folder 0700 and its files 0600, whatever the umask gave them before (a folder
 * made by hand or by an older version, files written under umask 022). Only the console's own
 * entries are touched, never the rest of a folder OPSCONSOLE_HOME may point at. The store file is
 * created 0600 before SQLite opens it, because SQLite gives its -wal and -shm files the mode of
 * the database file. Returns one message per entry that could not be made private (another
 * owner, a file system without modes), for the app and the CLI to show; nothing on Windows,
 * whose files have no POSIX modes.
 */
export function makeDataFolderPrivate(dataDir: string, platform: NodeJS.Platform = process.platform): string[] {
  makeDataFolder(dataDir);
  if (platform === 'win32') return [];
  const warnings: string[] = [];
  restrict(dataDir, 0o700, warnings);
  const store = join(dataDir, 'opsconsole.db');
  if (!existsSync(store)) closeSync(openSync(store, 'a', 0o600));
  for (const name of readdirSync(dataDir)) {
    const file = join(dataDir, name);
    // A symbolic link to the store (moved to another disk) is followed on purpose: its target is the store.
    if (isPrivateFile(name) && statSync(file, { throwIfNoEntry: false })?.isFile()) restrict(file, 0o600, warnings);
  }
  for (const folder of privateFolders) {
    const path = join(dataDir, folder);
    if (!existsSync(path)) continue;
    restrict(path, 0o700, warnings);
    for (const name of readdirSync(path)) {
      const file = join(path, name);
      // lstat: a symbolic link placed here is not followed (chmod would change its target).
      if (lstatSync(file).isFile()) restrict(file, 0o600, warnings);
    }
  }
  return warnings;
}

/** The data folder, made if missing; a file (or a path through one) is refused by its name and what to do. */
function makeDataFolder(dataDir: string): void {
  try {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EEXIST' && code !== 'ENOTDIR') throw error;
    throw new OpsError(
      'invalid_input',
      `The data folder ${dataDir} is not a folder (a file is in the way): point OPSCONSOLE_HOME at a folder, or at a path that does not exist yet (it is created).`,
      { cause: error },
    );
  }
}

function restrict(path: string, mode: number, warnings: string[]): void {
  try {
    if ((statSync(path).mode & 0o777) === mode) return;
    chmodSync(path, mode);
    if ((statSync(path).mode & 0o777) !== mode)
      throw Object.assign(new Error('the file system ignored the new mode'), { code: 'ENOTSUP' });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return;
    const octal = mode.toString(8).padStart(4, '0');
    warnings.push(
      `${path} could not be made private (${octal}): ${code ?? (error as Error).message}. Other users of this machine may be able to read it; run "chmod ${mode.toString(8)} '${path}'" as its owner, or move the data folder (OPSCONSOLE_HOME) to a disk that keeps file modes.`,
    );
  }
}
