import type { Duplex } from 'node:stream';
import type { Redis } from 'ioredis';

/**
 * One home for "the Redis connection went away" and "Redis did not answer in time": the wording,
 * the deadline of each command, and the channel that must fail fast when its far end closes.
 */

/** How long a non-blocking command may take before the console stops waiting. */
export const defaultCommandTimeoutMs = 30_000;
/** Added to a blocking command's own timeout (BLPOP q 20 → 20 s + this) before giving up on it. */
export const blockingMarginMs = 5_000;

/** Where each blocking command carries its own timeout: the argument index (negative: from the end) and its unit. */
const blockingTimeoutArg: Record<string, { index: number; unitMs: number }> = {
  blpop: { index: -1, unitMs: 1000 },
  brpop: { index: -1, unitMs: 1000 },
  brpoplpush: { index: -1, unitMs: 1000 },
  blmove: { index: -1, unitMs: 1000 },
  bzpopmin: { index: -1, unitMs: 1000 },
  bzpopmax: { index: -1, unitMs: 1000 },
  blmpop: { index: 1, unitMs: 1000 },
  bzmpop: { index: 1, unitMs: 1000 },
  wait: { index: 2, unitMs: 1 },
  waitaof: { index: 3, unitMs: 1 },
};

/** The ms the console waits for this command: its own blocking timeout plus a margin, else the default; undefined when it asks to block forever. */
export function commandDeadlineMs(argv: string[], defaultMs = defaultCommandTimeoutMs): number | undefined {
  const name = argv[0]!.toLowerCase();
  let own: number | undefined;
  const spec = blockingTimeoutArg[name];
  if (spec) own = Number(argv.at(spec.index)) * spec.unitMs;
  else if (name === 'xread' || name === 'xreadgroup') {
    const block = argv.findIndex((a) => a.toLowerCase() === 'block');
    if (block >= 0) own = Number(argv[block + 1]);
  }
  if (own === undefined || !Number.isFinite(own) || own < 0) return defaultMs;
  return own === 0 ? undefined : own + blockingMarginMs;
}

export class RedisTimeoutError extends Error {
  constructor(readonly ms: number) {
    super(`Redis did not answer within ${ms / 1000} s`);
    this.name = 'RedisTimeoutError';
  }
}

/** Sends argv with its deadline: a silent server ends in RedisTimeoutError, a closed connection in its own error at once. */
export function callWithDeadline(
  client: Redis,
  argv: string[],
  ms = commandDeadlineMs(argv),
  bytes?: Buffer[],
): Promise<unknown> {
  // With `bytes`, the exact arguments go out and string replies come back as Buffers (binary-safe).
  const call = bytes ? client.callBuffer(argv[0]!, ...bytes.slice(1)) : client.call(argv[0]!, ...argv.slice(1));
  if (ms === undefined) return call;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new RedisTimeoutError(ms)), ms);
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
