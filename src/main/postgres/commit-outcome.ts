import type pg from 'pg';
import type { ServerOutcome } from '../../shared/incident';
import { sqlState } from './statement-runner';

/** How the server answered a COMMIT, or how a lost COMMIT was settled afterwards. */
export interface CommitOutcome {
  serverOutcome: ServerOutcome;
  /** The transaction id noted before COMMIT (txid_current), when there was one. */
  xid?: string;
  /** What to tell the operator when it was not a plain commit. */
  message?: string;
}

/** Opens a fresh connection to the same server (the profile's own one died with the COMMIT). */
export type OpenSide = () => Promise<{ client: pg.Client; close(): Promise<void> }>;

/** Notes the transaction's id before COMMIT, so a lost COMMIT can be settled with pg_xact_status. */
export async function noteTransactionId(client: pg.Client): Promise<string | undefined> {
  try {
    const result = await client.query<{ xid: string }>('SELECT txid_current()::text AS xid');
    return result.rows[0]?.xid;
  } catch {
    return undefined;
  }
}

/** Notes the xid, sends COMMIT, and settles a failure: what the server did, never guessed. */
export async function commitWithOutcome(client: pg.Client, openSide: OpenSide): Promise<CommitOutcome> {
  const xid = await noteTransactionId(client);
  try {
    const answer = await client.query('COMMIT');
    // A transaction that had already failed is rolled back by COMMIT, which says so in its tag.
    if (answer.command !== 'COMMIT')
      return {
        serverOutcome: 'rolled_back',
        ...(xid ? { xid } : {}),
        message: `Postgres answered the COMMIT with ${answer.command || 'no command tag'}: the transaction had failed, so it was rolled back and nothing was kept.`,
      };
    return { serverOutcome: 'committed', ...(xid ? { xid } : {}) };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    return settleFailedCommit(error, xid, openSide);
  }
}

/**
 * A COMMIT that failed with an answer from the server (serialization failure, a deferred
 * constraint) was rolled back. One whose connection was lost (backend terminated, server
 * restarted, network gone, e.g. while waiting for a synchronous standby) may have committed: the
 * server is asked with pg_xact_status over a new connection, and what it cannot say is `unknown`,
 * never "rolled back".
 */
export async function settleFailedCommit(
  error: unknown,
  xid: string | undefined,
  openSide: OpenSide,
  attempts = 5,
): Promise<CommitOutcome> {
  if (!connectionLost(error)) {
    return {
      serverOutcome: 'rolled_back',
      xid,
      message: `Postgres refused the COMMIT (${(error as Error).message}): rolled back, nothing was kept.`,
    };
  }
  const why = (error as Error).message || 'the connection closed';
  if (!xid) return unknown(why, xid, 'no transaction id could be noted before COMMIT');
  let last = 'no answer';
  for (let attempt = 0; attempt < attempts; attempt++) {
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
    try {
      const status = await xactStatus(openSide, xid);
      if (status === 'committed')
        return {
          serverOutcome: 'committed',
          xid,
          message: `The connection was lost during COMMIT (${why}), but Postgres reports transaction ${xid} as committed: the change was kept.`,
        };
      if (status === 'aborted')
        return {
          serverOutcome: 'rolled_back',
          xid,
          message: `The connection was lost during COMMIT (${why}); Postgres reports transaction ${xid} as aborted: rolled back, nothing was kept.`,
        };
      last = status === null ? 'Postgres no longer knows this transaction id' : `Postgres reports it ${status}`;
    } catch (lookup) {
      last = `asking the server failed: ${(lookup as Error).message}`;
    }
  }
  return unknown(why, xid, last);
}

function unknown(why: string, xid: string | undefined, detail: string): CommitOutcome {
  const which = xid ? `transaction ${xid}` : 'the transaction';
  return {
    serverOutcome: 'unknown',
    xid,
    message: `Outcome unknown: check before retrying. The connection was lost during COMMIT (${why}) and whether ${which} committed could not be settled (${detail}).${xid ? ` Ask the server: SELECT pg_xact_status('${xid}');` : ''}`,
  };
}

async function xactStatus(openSide: OpenSide, xid: string): Promise<string | null> {
  const side = await openSide();
  try {
    const result = await side.client.query<{ status: string | null }>(
      'SELECT pg_xact_status($1::text::xid8) AS status',
      [xid],
    );
    return result.rows[0]?.status ?? null;
  } finally {
    await side.close();
  }
}

/** No SQLSTATE, a connection-class one (08…), or an operator intervention (57P0x): the server's answer never arrived. */
export function connectionLost(error: unknown): boolean {
  const state = sqlState(error);
  if (!state) return true;
  return state.startsWith('08') || state === '57P01' || state === '57P02' || state === '57P03';
}
