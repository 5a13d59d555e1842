import { OpsError } from '../errors';

/**
 * SQLite failures that mean "the store cannot take a write right now" (another process holds the
 * lock, the disk is full, the file is damaged or unreadable), as opposed to a bug or bad input.
 * These never reach the operator as a server's answer: the record goes to the fallback journal.
 */
export type StoreFault = 'locked' | 'full' | 'damaged' | 'io';

export function storeFaultOf(error: unknown): StoreFault | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_')) return undefined;
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return 'locked';
  if (code === 'SQLITE_FULL') return 'full';
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') return 'damaged';
  if (
    code.startsWith('SQLITE_IOERR') ||
    code.startsWith('SQLITE_READONLY') ||
    code === 'SQLITE_CANTOPEN' ||
    code === 'SQLITE_PROTOCOL'
  )
    return 'io';
  return undefined;
}

/** What the operator can do about each fault, in one place. */
export const storeFaultAdvice: Record<StoreFault, string> = {
  locked: "another process holds the store's write lock (another opsconsole or a sqlite3 shell): close it",
  full: 'the disk holding the data folder is full: free some space',
  damaged: 'the store file is damaged',
  io: 'the store file cannot be written (permissions, a read-only or failing disk)',
};

/** The refusal when neither the store nor the journal can take a change. */
export function storeUnavailable(fault: StoreFault, cause: unknown): OpsError {
  return new OpsError(
    'store_unavailable',
    `The incident store cannot take this change: ${storeFaultAdvice[fault]}, then try again.`,
    { cause },
  );
}
