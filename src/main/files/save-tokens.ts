import { randomBytes } from 'node:crypto';
import { OpsError } from '../errors';

/** Where an export may be written, as decided by the main process (never by the window). */
export interface SaveTarget {
  path: string;
  /** The system dialog already asked before replacing a file; the exports/ folder never replaces. */
  overwrite: boolean;
}

const lifetimeMs = 15 * 60_000;

/**
 * Save tokens: `app.chooseSavePath` issues one for the path the main process chose (the system
 * dialog, or a fresh name in the data folder's exports/), and an export op redeems it once. So a
 * compromised or confused renderer can only write where the operator just agreed to.
 */
export class SaveTokens {
  readonly #issued = new Map<string, SaveTarget & { expires: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  issue(target: SaveTarget): string {
    for (const [token, entry] of this.#issued) if (entry.expires < this.now()) this.#issued.delete(token);
    const token = randomBytes(24).toString('base64url');
    this.#issued.set(token, { ...target, expires: this.now() + lifetimeMs });
    return token;
  }

  /** The target of a token, which is then spent. */
  redeem(token: string): SaveTarget {
    const entry = this.#issued.get(token);
    this.#issued.delete(token);
    if (!entry || entry.expires < this.now()) {
      throw new OpsError(
        'refused',
        'saveToken is unknown, used or expired (they last 15 minutes and serve one export): choose the file again.',
      );
    }
    return { path: entry.path, overwrite: entry.overwrite };
  }
}
