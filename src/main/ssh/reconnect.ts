import { OpsError } from '../errors';

/**
 * When to try again after a lost session: at once, then 1 s, 2 s, 4 s … up to 30 s, with a
 * little jitter so several profiles on the same bastion do not reconnect in lockstep.
 */
export class ReconnectSchedule {
  attempts = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(private readonly backoff: { firstMs: number; maxMs: number } = { firstMs: 1000, maxMs: 30_000 }) {}

  /** Schedules the next attempt; returns its delay in ms. */
  next(run: () => void): number {
    this.attempts++;
    const base = Math.min(this.backoff.maxMs, this.backoff.firstMs * 2 ** (this.attempts - 1));
    const delay = Math.round(base * (0.9 + Math.random() * 0.2));
    this.cancel();
    this.#timer = setTimeout(run, delay);
    this.#timer.unref();
    return delay;
  }

  cancel(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}

/** Errors that another attempt cannot fix: the operator has to act (host key, credentials, settings). */
export function isFatal(error: unknown): boolean {
  if (!(error instanceof OpsError)) return false;
  return [
    'host_key_changed',
    'host_key_revoked',
    'host_key_rejected',
    'host_key_unknown',
    'ssh_auth_failed',
    'invalid_input',
    'not_found',
    'cancelled',
  ].includes(error.code);
}
