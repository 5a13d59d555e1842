import pg from 'pg';
import { startPostgres, type PostgresServer } from '../harness/index';
import { harnessProfile } from './profiles';
import { tempCore, type TempCore } from './temp-core';

export interface PgCore {
  pgServer: PostgresServer;
  /** A direct connection, to set data up and check what the server holds. */
  direct: pg.Client;
  temp: TempCore;
  /** A staging profile reaching the harness's Postgres directly (no SSH). */
  profileId: string;
  dispose(): Promise<void>;
}

/** The harness's Postgres with `setupSql` run on it, and a temp core with a profile over it. */
export async function pgCore(setupSql: string): Promise<PgCore> {
  const pgServer = await startPostgres();
  const direct = new pg.Client({ connectionString: pgServer.connectionString() });
  await direct.connect();
  await direct.query(setupSql);
  const temp = tempCore();
  const profileId = (await temp.core.invoke('profiles.save', { profile: harnessProfile('staging', { pg: pgServer }) }))
    .id;
  return {
    pgServer,
    direct,
    temp,
    profileId,
    async dispose() {
      await direct.end();
      await temp.dispose();
      await pgServer.stop();
    },
  };
}
