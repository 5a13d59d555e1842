import { join } from 'node:path';
import { isRoot, run } from './processes';
import { postgresBinDir, startPostgres, type PostgresServer } from './postgres';

export interface TeamPostgresServer extends PostgresServer {
  /** The team role's login (rights on its own schema only, as the README's role setup says). */
  teamUser: 'team';
  teamPassword: string;
  /** postgres://team@127.0.0.1:PORT/app?sslmode=disable (the password goes through the vault, never the URL). */
  url: string;
  /** Stops the server (fast shutdown: connections are cut), keeping its data folder. */
  pause(): void;
  /** Starts it again on the same port and data folder. */
  resume(): void;
  running(): boolean;
}

/**
 * A separate fixture (not part of the default harness): a second PostgreSQL server process playing
 * the team database, which a test can stop and start on its own without touching the shared one.
 */
export async function startTeamPostgres(): Promise<TeamPostgresServer> {
  const server = await startPostgres();
  const bin = postgresBinDir();
  const asUser = isRoot ? 'postgres' : undefined;
  const teamPassword = 'team-pw-' + Math.random().toString(36).slice(2);
  const socketDir = join(server.dataDir, '..', 'socket');
  // The role setup the README documents: a login role owning one schema, nothing else.
  run(
    join(bin, 'psql'),
    [
      '-h',
      socketDir,
      '-p',
      String(server.port),
      '-U',
      'postgres',
      '-d',
      'app',
      '-v',
      'ON_ERROR_STOP=1',
      '-q',
      '-c',
      `CREATE ROLE team LOGIN PASSWORD '${teamPassword}'`,
      '-c',
      'CREATE SCHEMA opsconsole_team AUTHORIZATION team',
      '-c',
      'REVOKE CREATE ON SCHEMA public FROM PUBLIC',
    ],
    { asUser },
  );
  let up = true;
  const ctl = (args: string[]) => run(join(bin, 'pg_ctl'), ['-D', server.dataDir, ...args], { asUser });
  return {
    ...server,
    teamUser: 'team',
    teamPassword,
    url: `postgres://team@127.0.0.1:${server.port}/app?sslmode=disable`,
    pause() {
      if (!up) return;
      ctl(['-m', 'fast', '-w', 'stop']);
      up = false;
    },
    resume() {
      if (up) return;
      ctl(['-l', server.logFile, '-w', '-t', '30', 'start']);
      up = true;
    },
    running: () => up,
    async stop() {
      if (!up) ctl(['-l', server.logFile, '-w', '-t', '30', 'start']);
      await server.stop();
    },
  };
}
