import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { OpsError } from './errors';

/** The caps of files others can name: a key path in a shared profile, an Include, a runbook. */
export const fileCaps = {
  privateKey: 64 * 1024,
  sshConfigTotal: 1024 * 1024,
  runbook: 10 * 1024 * 1024,
} as const;

export interface BoundedReadOptions {
  /** What the file is, for the message: "The SSH key file", "The Include". */
  what: string;
  maxBytes: number;
  /** A file on a hung network mount must not hold the caller: give up after this long. */
  timeoutMs?: number;
  /** How the cap reads in the message, when it is not simply maxBytes ("1 MB for the whole import"). */
  capLabel?: string;
  /** The error code to fail with (the caller's domain). */
  code?: 'invalid_input' | 'ssh_auth_failed';
}

function megabytes(bytes: number): string {
  return bytes >= 1024 * 1024
    ? `${(bytes / 1024 / 1024).toFixed(bytes % (1024 * 1024) ? 1 : 0)} MB`
    : `${Math.ceil(bytes / 1024)} kB`;
}

/**
 * Reads a file only if it is a regular file below the cap, asynchronously and with a deadline.
 * /dev/zero (a device: endless), a FIFO (blocks until someone writes) and a huge sparse file are
 * each refused by name before a byte is read. Opened non-blocking so a FIFO cannot hold the open
 * itself; checked on the opened handle so a swap after the check reads nothing else.
 */
export async function readBoundedFile(path: string, options: BoundedReadOptions): Promise<Buffer> {
  const { what, maxBytes, timeoutMs = 5000, code = 'invalid_input' } = options;
  const cap = options.capLabel ?? `the ${megabytes(maxBytes)} such a file can be`;
  const fail = (why: string, cause?: unknown) => new OpsError(code, `${what} ${path} ${why}`, { cause });
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (cause) {
    throw fail(
      `cannot be opened (${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message}): check the path.`,
      cause,
    );
  }
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) {
      const kind = stats.isFIFO()
        ? 'a FIFO (named pipe)'
        : stats.isCharacterDevice() || stats.isBlockDevice()
          ? 'a device'
          : stats.isSocket()
            ? 'a socket'
            : stats.isDirectory()
              ? 'a folder'
              : 'not a regular file';
      throw fail(`is ${kind}, not a regular file: choose the file itself.`);
    }
    if (stats.size > maxBytes) throw fail(`is ${megabytes(stats.size)}, more than ${cap}: choose the right file.`);
    const bytes = await handle.readFile({ signal: controller.signal });
    if (bytes.byteLength > maxBytes) throw fail(`grew past ${cap} while it was read: choose the right file.`);
    return bytes;
  } catch (error) {
    if (error instanceof OpsError) throw error;
    if ((error as Error).name === 'AbortError')
      throw fail(`took more than ${timeoutMs / 1000} s to read: is it on a network mount that hangs?`, error);
    throw fail(`cannot be read (${(error as Error).message}).`, error);
  } finally {
    clearTimeout(timer);
    await handle.close().catch(() => undefined);
  }
}
