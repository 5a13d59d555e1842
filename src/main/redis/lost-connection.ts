import type { Duplex } from 'node:stream';
import type { Redis } from 'ioredis';
import { ownBlockMs } from './blocking-timeout';

/**
 * One home for "the Redis connection went away" and "Redis did not answer in time": the wording,
 * the deadline of each command, and the channel that must fail fast when its far end closes.
 */

/** How long a non-blocking command may take before the console stops waiting. */
export const defaultCommandTimeoutMs = 30_000;
/** Added to a blocking command's own timeout (BLPOP q 20 → 20 s + this) before giving up on it. */
export const blockingMarginMs = 5_000;

/**
 * The ms the console waits for this command: a blocking command's own timeout plus a margin, else
 * the default. A block of 0 (forever) never reaches here on a shared client (the gate refuses it,
 * see blocking-timeout.ts); if one did, it would still get the default rather than no deadline.
 */
export function commandDeadlineMs(argv: readonly string[], defaultMs = defaultCommandTimeoutMs): number {
  const own = ownBlockMs(argv);
  if (own === undefined || !Number.isFinite(own) || own <= 0) return defaultMs;
  return own + blockingMarginMs;
}

export class RedisTimeoutError extends Error {
  constructor(readonly ms: number) {
    super(`Redis did not answer within ${ms / 1000} s`);
    this.name = 'RedisTimeoutError';
  }
}

/**
 * Sends argv with its deadline: a silent server ends in RedisTimeoutError, a closed connection in
 * its own error at once. A command past its deadline still holds the connection (every later
 * command of the profile would queue behind it, and a blocked one would stay blocked on the
 * server), so the connection is closed: Redis frees what it held, commands queued behind it fail
 * at once as cut by a lost connection, and the next command opens a new one.
 */
export function callWithDeadline(
  client: Redis,
  argv: string[],
  ms = commandDeadlineMs(argv),
  bytes?: Buffer[],
): Promise<unknown> {
  // With `bytes`, the exact arguments go out and string replies come back as Buffers (binary-safe).
  const call = bytes ? client.callBuffer(argv[0]!, ...bytes.slice(1)) : client.call(argv[0]!, ...argv.slice(1));
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new RedisTimeoutError(ms));
      call.catch(() => undefined); // rejected by the disconnect below: its failure is the timeout
      client.disconnect();
    }, ms);
  });
  return Promise.race([call, deadline]).finally(() => clearTimeout(timer));
}

/** Whether an error means the connection went away under the command (not a reply, not a timeout). */
export function isConnectionLost(error: unknown): boolean {
  if (!(error instanceof Error) || error.name === 'ReplyError' || error instanceof RedisTimeoutError) return false;
  return /Connection is closed|Connection terminated|Stream isn't writeable|ECONNRESET|EPIPE|socket hang up|connection lost|Socket closed|write after end/i.test(
    error.message,
  );
}

/** The sentence for a command cut by a lost connection; a write may or may not have been applied. */
export function connectionLostMessage(command: string, write: boolean): string {
  return write
    ? `Connection lost while ${command} ran: it was not resent, and whether Redis applied it is unknown. Outcome unknown: check before retrying.`
    : `Connection lost while ${command} ran (Redis restarted or the network dropped): it was not completed. Run it again once Redis is back.`;
}

/**
 * A forwarded channel whose far end closed sends EOF but is not closed until our side ends too;
 * ioredis waits for 'close', so a restarted Redis would leave its commands pending forever.
 * Ending our side on EOF closes the channel, and ioredis then fails pending commands at once.
 */
export function failFastOnEnd<S extends Duplex>(stream: S): S {
  stream.once('end', () => stream.destroy());
  return stream;
}
