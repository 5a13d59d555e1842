import { OpsError } from '../main/errors';

/** The limits that keep a looping assistant from wearing a server (or the timeline) down. */
export interface AssistantLimits {
  /** Tool calls per profile per minute. */
  callsPerMinute: number;
  /** Rows returned per profile per minute. */
  rowsPerMinute: number;
  /** Rows in one sql_read reply. */
  rowCap: number;
  /** Characters of one cell in a reply; longer ones are cut and said so. */
  cellCap: number;
  /** Bytes of one reply (its text and structured content together). */
  replyBytes: number;
}

export const defaultLimits: AssistantLimits = {
  callsPerMinute: 60,
  rowsPerMinute: 5000,
  rowCap: 200,
  cellCap: 2000,
  replyBytes: 256 * 1024,
};

const windowMs = 60_000;

/** Per-profile sliding one-minute windows of calls and rows. */
export class Budget {
  readonly #calls = new Map<string, number[]>();
  readonly #rows = new Map<string, { at: number; rows: number }[]>();

  constructor(
    private readonly limits: AssistantLimits,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one call on the profile, or refuses it when the minute's budget is spent. */
  takeCall(profile: string): void {
    const recent = this.#fresh(this.#calls, profile, (t) => t);
    if (recent.length >= this.limits.callsPerMinute) {
      throw new OpsError(
        'refused',
        `Call budget spent: ${this.limits.callsPerMinute} calls a minute on "${profile}". Wait ${this.#waitSeconds(recent[0]!)} s, or narrow the investigation (one query that answers more).`,
      );
    }
    recent.push(this.now());
  }

  /** Rows still allowed this minute on the profile; refuses when none are left. */
  rowsLeft(profile: string): number {
    const recent = this.#fresh(this.#rows, profile, (r) => r.at);
    const used = recent.reduce((sum, r) => sum + r.rows, 0);
    const left = this.limits.rowsPerMinute - used;
    if (left <= 0)
      throw new OpsError(
        'refused',
        `Row budget spent: ${this.limits.rowsPerMinute} rows a minute on "${profile}". Wait ${this.#waitSeconds(recent[0]!.at)} s, or aggregate in SQL (count, GROUP BY) instead of reading rows.`,
      );
    return left;
  }

  takeRows(profile: string, rows: number): void {
    this.#fresh(this.#rows, profile, (r) => r.at).push({ at: this.now(), rows });
  }

  #fresh<T>(map: Map<string, T[]>, key: string, at: (item: T) => number): T[] {
    const cutoff = this.now() - windowMs;
    const kept = (map.get(key) ?? []).filter((item) => at(item) > cutoff);
    map.set(key, kept);
    return kept;
  }

  #waitSeconds(oldest: number): number {
    return Math.max(1, Math.ceil((oldest + windowMs - this.now()) / 1000));
  }
}
