import {
  closeSync,
  constants,
  fsyncSync,
  linkSync,
  lstatSync,
  openSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { OpsError } from '../errors';

/** O_NOFOLLOW where the platform has it (not Windows, which does not follow links on create the same way). */
const noFollow = constants.O_NOFOLLOW ?? 0;

/**
 * Creates `path` for writing, only if nothing is there: O_EXCL refuses an existing file and any
 * symlink (even a dangling one), so a link planted at a partial file's name is never followed
 * and never touched. Mode 0600: an export holds production rows.
 */
export function createExclusive(path: string): number {
  try {
    return openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | noFollow, 0o600);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || code === 'ELOOP') {
      throw new OpsError(
        'conflict',
        `${path} already exists (a file or a link left by an earlier export): it was left untouched. Remove it, or choose another file name.`,
        { cause: error },
      );
    }
    throw new OpsError(
      'internal',
      `Cannot create ${path}: ${(error as Error).message}. Check that the folder exists and is writable.`,
      { cause: error },
    );
  }
}

/**
 * Moves a finished partial file to its final name. Without `overwrite` the move cannot replace
 * anything, even a file created meanwhile: a hard link fails on an existing name (where the file
 * system has no hard links, the name is checked just before the rename).
 */
export function placeFile(partial: string, final: string, overwrite: boolean): void {
  if (overwrite) {
    renameSync(partial, final);
    return;
  }
  try {
    linkSync(partial, final);
    unlinkSync(partial);
    return;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw refusedOverwrite(final, error);
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV' && code !== 'ENOSYS') throw error;
  }
  if (exists(final)) throw refusedOverwrite(final);
  renameSync(partial, final);
}

function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

function refusedOverwrite(path: string, cause?: unknown): OpsError {
  return new OpsError(
    'conflict',
    `${path} already exists: choose another file, or allow replacing it (--overwrite).`,
    cause ? { cause } : undefined,
  );
}

/** Writes a whole file through an exclusive `path.partial`, flushed, then moved into place. */
export function writeFileExclusive(path: string, data: Buffer, overwrite: boolean): void {
  if (!overwrite && exists(path)) throw refusedOverwrite(path);
  const partial = `${path}.partial`;
  const fd = createExclusive(partial);
  try {
    for (let offset = 0; offset < data.length;) offset += writeSync(fd, data, offset);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    unlinkSync(partial);
    throw error;
  }
  closeSync(fd);
  try {
    placeFile(partial, path, overwrite);
  } catch (error) {
    unlinkSync(partial);
    throw error;
  }
}

/** Whether `path` is a regular file (not a link) holding exactly `data`: writing it again changes nothing. */
export function alreadyHolds(path: string, data: Buffer): boolean {
  try {
    return lstatSync(path).isFile() && readFileSync(path).equals(data);
  } catch {
    return false;
  }
}
