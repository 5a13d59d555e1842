import pg from 'pg';
import type { PostgresServer } from '../harness/index';

export interface LockChain {
  /** The root blocker: idle in transaction, holding the row lock. */
  holderPid: number;
  /** Waits on the holder's lock. */
  waiterPid: number;
  /** Another session for the test's own queries. */
  session(): Promise<pg.Client>;
  end(): Promise<void>;
}

/**
 * A blocking lock chain on a fresh table: a holder updates a row inside an open transaction, a
 * waiter updates the same row and waits. Every session is the caller's to end (end()).
 */
export async function startLockChain(server: PostgresServer, table = 'orders'): Promise<LockChain> {
  const clients: pg.Client[] = [];
  const session = async () => {
    const client = new pg.Client({ connectionString: server.connectionString() });
    await client.connect();
    client.on('error', () => undefined);
    clients.push(client);
    return client;
  };
  const setup = await session();
  await setup.query(`CREATE TABLE ${table} (id int PRIMARY KEY, state text)`);
  await setup.query(`INSERT INTO ${table} VALUES (1, 'new')`);
  const [holder, waiter] = [await session(), await session()];
  const pidOf = async (c: pg.Client) => Number((await c.query('SELECT pg_backend_pid() AS pid')).rows[0].pid);
  const [holderPid, waiterPid] = [await pidOf(holder), await pidOf(waiter)];
  await holder.query('BEGIN');
  await holder.query(`UPDATE ${table} SET state = 'paid' WHERE id = 1`);
  void waiter.query(`UPDATE ${table} SET state = 'shipped' WHERE id = 1`).catch(() => undefined);
  return {
    holderPid,
    waiterPid,
    session,
    end: async () => void (await Promise.all(clients.map((c) => c.end().catch(() => undefined)))),
  };
}
