import { existsSync, readdirSync, writeFileSync, appendFileSync, chownSync, renameSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { freePort, isRoot, makeTempDir, removeDir, run } from './processes';

export interface PostgresServer {
  host: '127.0.0.1';
  port: number;
  database: string;
  user: string;
  password: string;
  superuser: string;
  superPassword: string;
  dataDir: string;
  logFile: string;
  connectionString(): string;
  stop(): Promise<void>;
}

/** The newest installed PostgreSQL's bin folder (Debian keeps them under /usr/lib/postgresql). */
export function postgresBinDir(): string {
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return join(root, versions[0], 'bin');
  }
  throw new Error(
    'PostgreSQL server binaries not found under /usr/lib/postgresql: install the postgresql package (npm test does this on Debian as root).',
  );
}

export interface PostgresOptions {
  /** Extra postgresql.conf lines (e.g. "log_statement = 'all'"). */
  config?: string[];
}

/** A throwaway cluster on a free loopback port, with password auth and an "ops" user owning db "app". */
export async function startPostgres(options: PostgresOptions = {}): Promise<PostgresServer> {
  const bin = postgresBinDir();
  const base = makeTempDir('pg');
  const dataDir = join(base, 'data');
  const socketDir = join(base, 'socket');
  const logFile = join(base, 'postgres.log');
  const superPassword = 'super-' + Math.random().toString(36).slice(2);
  writeFileSync(logFile, '');
  run('mkdir', ['-p', socketDir]);
  if (isRoot) {
    const { uid, gid } = postgresIds();
    for (const path of [base, socketDir, logFile]) chownSync(path, uid, gid);
  }
  const asUser = isRoot ? 'postgres' : undefined;
  run('cp', ['-a', templateDataDir(bin), dataDir], { asUser });
  const port = await freePort();
  appendFileSync(
    join(dataDir, 'postgresql.conf'),
    [
      `port = ${port}`,
      "listen_addresses = '127.0.0.1'",
      `unix_socket_directories = '${socketDir}'`,
      'fsync = off',
      'full_page_writes = off',
      'max_connections = 50',
      ...(options.config ?? []),
    ].join('\n') + '\n',
  );
  run(join(bin, 'pg_ctl'), ['-D', dataDir, '-l', logFile, '-w', '-t', '30', 'start'], { asUser });
  const password = 'ops-pw-' + Math.random().toString(36).slice(2);
  run(
    join(bin, 'psql'),
    [
      '-h',
      socketDir,
      '-p',
      String(port),
      '-U',
      'postgres',
      '-d',
      'postgres',
      '-v',
      'ON_ERROR_STOP=1',
      '-q',
      '-c',
      `ALTER ROLE postgres PASSWORD '${superPassword}'`,
      '-c',
      `CREATE ROLE ops LOGIN PASSWORD '${password}'`,
      '-c',
      'CREATE DATABASE app OWNER ops',
    ],
    { asUser },
  );
  return {
    host: '127.0.0.1',
    port,
    database: 'app',
    user: 'ops',
    password,
    superuser: 'postgres',
    superPassword,
    dataDir,
    logFile,
    connectionString: () => `postgresql://ops:${password}@127.0.0.1:${port}/app`,
    async stop() {
      try {
        run(join(bin, 'pg_ctl'), ['-D', dataDir, '-m', 'immediate', '-w', 'stop'], { asUser });
      } finally {
        removeDir(base);
      }
    },
  };
}

/**
 * A cluster fresh from initdb for this PostgreSQL version, made once per machine and copied for
 * every server: initdb bootstraps every catalog (one to two seconds of CPU), a copy of the never
 * started folder takes a fraction of that. Made under a temporary name and renamed into place, so
 * test files starting at once never copy half of one. Each server sets its own superuser password.
 */
function templateDataDir(bin: string): string {
  const owner = isRoot ? 'postgres' : String(userInfo().uid);
  const template = join(tmpdir(), `opsconsole-pg-template-${basename(dirname(bin))}-${owner}`);
  if (existsSync(join(template, 'PG_VERSION'))) return template;
  const building = makeTempDir('pg-template');
  const pwFile = join(building, 'pw');
  writeFileSync(pwFile, 'replaced-by-each-server\n');
  if (isRoot) {
    const { uid, gid } = postgresIds();
    for (const path of [building, pwFile]) chownSync(path, uid, gid);
  }
  try {
    run(
      join(bin, 'initdb'),
      [
        '-D',
        join(building, 'data'),
        '-U',
        'postgres',
        '--pwfile',
        pwFile,
        '--auth-local=trust',
        '--auth-host=scram-sha-256',
        '-E',
        'UTF8',
        '--no-sync',
      ],
      { asUser: isRoot ? 'postgres' : undefined },
    );
    renameSync(join(building, 'data'), template);
  } catch (error) {
    // Another test file renamed its template into place first: use that one.
    if (!existsSync(join(template, 'PG_VERSION'))) throw error;
  } finally {
    removeDir(building);
  }
  return template;
}

function postgresIds(): { uid: number; gid: number } {
  const uid = Number(run('id', ['-u', 'postgres']).trim());
  const gid = Number(run('id', ['-g', 'postgres']).trim());
  return { uid, gid };
}
