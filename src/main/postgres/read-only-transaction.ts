import type pg from 'pg';

/** Limits of one transaction: a read, or a break-glass preview held for its decision. */
export interface ReadOnlyLimits {
  statementTimeoutMs: number;
  /** How long a statement waits for a lock before it gives up (default 5 s: a read never queues behind DDL for long). */
  lockTimeoutMs?: number;
  /** How long the transaction may sit idle (a lost caller never holds a snapshot open for long). */
  idleTimeoutMs?: number;
}

/**
 * Settings the classifier's parse of string literals depends on, pinned for every batch: with
 * `standard_conforming_strings` off, `'x\'` no longer ends where the parser thought it did; under a
 * client_encoding such as SJIS, BIG5 or GBK, a multibyte character swallows the backslash after it.
 */
export const pinnedSessionSettings: Readonly<Record<string, string>> = {
  standard_conforming_strings: 'on',
  backslash_quote: 'safe_encoding',
  client_encoding: 'UTF8',
};

/** A query sent by the extended protocol only: one statement per Parse, so no text carries a second. */
export function extended<T extends pg.QueryConfig>(config: T): T {
  return { ...config, queryMode: 'extended' } as T;
}

/**
 * The one home of BEGIN READ ONLY: every read (SQL runs, streamed results, exports, the catalog,
 * templates' enum values, health, the classifier's own lookups) runs `work` inside it. The first
 * statement takes the snapshot, so a later SET TRANSACTION READ WRITE is refused by the server;
 * it also sets the timeouts and pins the parse-relevant settings. Always rolled back.
 */
export async function withReadOnlyTransaction<T>(
  client: pg.Client,
  limits: ReadOnlyLimits,
  work: (client: pg.Client) => Promise<T>,
): Promise<T> {
  await client.query('BEGIN READ ONLY');
  try {
    await setUpTransaction(client, limits);
    return await work(client);
  } finally {
    await client.query('ROLLBACK').catch(() => undefined);
  }
}

const pinned = Object.entries(pinnedSessionSettings);

// A SELECT, not SET: planning it takes the transaction's first snapshot.
export const readOnlySetupText = `SELECT ${[
  "set_config('statement_timeout', $1, true)",
  "set_config('lock_timeout', $2, true)",
  "set_config('idle_in_transaction_session_timeout', $3, true)",
  ...pinned.map(([name], i) => `set_config('${name}', $${i + 4}, true)`),
].join(', ')}`;

/**
 * The limits and pins of the transaction just begun, in one round trip (set_config(…, true): they
 * end with it). Reads and the break-glass preview both start this way.
 */
export async function setUpTransaction(client: pg.Client, limits: ReadOnlyLimits): Promise<void> {
  await client.query(extended({ text: readOnlySetupText, values: setupValues(limits) }));
}

function setupValues(limits: ReadOnlyLimits): string[] {
  const ms = (value: number) => String(Math.max(0, Math.round(value)));
  return [
    ms(limits.statementTimeoutMs),
    ms(limits.lockTimeoutMs ?? 5_000),
    ms(limits.idleTimeoutMs ?? 60_000),
    ...pinned.map(([, value]) => value),
  ];
}

/** The same pins for a write's transaction or an autocommit batch (session-wide when `local` is false). */
export async function pinSessionSettings(client: pg.Client, local: boolean): Promise<void> {
  await client.query(
    extended({
      text: `SELECT ${pinned.map(([name], i) => `set_config('${name}', $${i + 1}, ${local})`).join(', ')}`,
      values: pinned.map(([, value]) => value),
    }),
  );
}

/**
 * Undoes what a confirmed run's SET, SET ROLE or set_config(…, false) left on the session once it
 * is committed: every run starts from the profile's own user and settings, and the pins come back
 * from the startup packet (RESET ALL leaves the role alone, hence RESET ROLE). Advisory locks and
 * LISTEN stay, as the operator confirmed them. A session that cannot be reset is closed: the next
 * run opens a fresh one.
 */
export async function resetSession(client: pg.Client): Promise<void> {
  try {
    await client.query('RESET SESSION AUTHORIZATION; RESET ROLE; RESET ALL');
  } catch {
    await client.end().catch(() => undefined);
  }
}
