import type pg from 'pg';
import { OpsError } from '../errors';
import type { PgConnectionRegistry } from '../postgres/connection-registry';
import { connectWithSslMode, endWithin, pgConnectHint } from '../postgres/tls';
import type { TeamConfig } from './team-store';
import { pgDriver } from '../drivers';

export interface TeamClient {
  client: pg.Client;
  close(): Promise<void>;
}

export interface ConnectTarget {
  config: TeamConfig;
  password: string | undefined;
  pgConnections: PgConnectionRegistry;
  /** How long a connection attempt may take (short for status, the CLI's after-command flush). */
  timeoutMs: number;
}

/** Where the team database is, for messages: never the password. */
export function describeTarget(config: TeamConfig, profileName?: string): string {
  return config.via === 'url'
    ? `postgres://${config.user}@${config.host}:${config.port}/${config.database} (sslmode ${config.sslmode})`
    : `the Postgres of profile "${profileName ?? config.profileId}"${config.database ? ` (database ${config.database})` : ''}`;
}

/**
 * A dedicated connection to the team database: through the profile's SSH session like any of its
 * Postgres connections, or to the URL with its sslmode (verify-full unless a weaker one was named).
 */
export async function openTeamClient(target: ConnectTarget): Promise<TeamClient> {
  const { config } = target;
  if (config.via === 'profile') {
    const side = await target.pgConnections.openSide(config.profileId, 'main', config.database);
    return { client: side.client, close: side.close };
  }
  const settings = { host: config.host, sslmode: config.sslmode, sslCa: config.sslCa };
  try {
    const { client } = await connectWithSslMode(settings, (ssl) => {
      const attempt = new (pgDriver().Client)({
        host: config.host,
        port: config.port,
        database: config.database,
        user: config.user,
        password: target.password,
        ssl,
        connectionTimeoutMillis: target.timeoutMs,
        application_name: 'ops-console-team',
      });
      attempt.on('error', () => undefined);
      return attempt;
    });
    return { client, close: () => endWithin(client, 2_000) };
  } catch (error) {
    const reason = (error as Error).message;
    throw new OpsError(
      'pg_error',
      `The team database ${describeTarget(config)} refused the connection: ${reason}. ${pgConnectHint(config.sslmode, reason)}`,
      { cause: error },
    );
  }
}

/** Parses `postgres://USER@HOST:PORT/DB[?sslmode=…]`; a password in the URL is refused (it would end up in shell history). */
export function parseTeamUrl(text: string, sslCa: string | undefined, displayName: string): TeamConfig {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new OpsError('invalid_input', `--url "${text}" is not a URL: write postgres://USER@HOST:PORT/DATABASE.`);
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:')
    throw new OpsError('invalid_input', `--url must start with postgres:// (got ${url.protocol}//).`);
  if (url.password)
    throw new OpsError(
      'invalid_input',
      '--url carries a password: leave it out and pass it with --password-stdin or OPSCONSOLE_TEAM_PASSWORD, so it stays out of shell history.',
    );
  const database = decodeURIComponent(url.pathname.slice(1));
  if (!url.username || !url.hostname || !database)
    throw new OpsError(
      'invalid_input',
      '--url must name the user, host and database: postgres://USER@HOST:PORT/DATABASE.',
    );
  const sslmode = url.searchParams.get('sslmode') ?? 'verify-full';
  if (!['disable', 'prefer', 'require', 'verify-ca', 'verify-full'].includes(sslmode))
    throw new OpsError(
      'invalid_input',
      `--url sslmode "${sslmode}" is not one of disable, prefer, require, verify-ca, verify-full.`,
    );
  const port = url.port ? Number(url.port) : 5432;
  return {
    via: 'url',
    host: url.hostname,
    port,
    database,
    user: decodeURIComponent(url.username),
    sslmode: sslmode as 'verify-full',
    ...(sslCa ? { sslCa } : {}),
    displayName,
  };
}
