import pg from 'pg';
import type { SqlResult } from '../../shared/contract';
import type { ProfileView } from '../../shared/profile';
import { OpsError } from '../errors';
import { ForwardedSocket } from '../ssh/forwarded-socket';
import type { SessionManager } from '../ssh/session-manager';
import type { ProfileRepository } from '../store/profile-repository';
import { typeName } from './type-names';

// Keep every value as Postgres sent it: no Date objects shifted to the laptop's zone, and
// bigint/numeric never rounded through a JS number.
const rawTypes = { getTypeParser: () => (value: string) => value } as unknown as pg.CustomTypesConfig;

/** Postgres connections per profile, over the profile's SSH session when it has one. */
export class PostgresService {
  readonly #clients = new Map<string, Promise<pg.Client>>();
  readonly #queues = new Map<string, Promise<unknown>>();

  constructor(
    private readonly profiles: ProfileRepository,
    private readonly sessions: SessionManager,
  ) {}

  private settings(profile: ProfileView) {
    if (!profile.postgres) throw new OpsError('invalid_input', `Profile "${profile.name}" has no Postgres settings: add postgres.host, database and user in the profile editor.`);
    return profile.postgres;
  }

  /** The profile's connection, opened on first use (connecting SSH first if needed). */
  client(profileId: string): Promise<pg.Client> {
    let client = this.#clients.get(profileId);
    if (!client) {
      client = this.open(profileId);
      this.#clients.set(profileId, client);
      client.catch(() => this.#clients.delete(profileId));
    }
    return client;
  }

  private async open(profileId: string): Promise<pg.Client> {
    const profile = this.profiles.get(profileId);
    const settings = this.settings(profile);
    const sshClient = profile.ssh ? await this.sessions.connect(profileId) : undefined;
    const client = new pg.Client({
      host: settings.host,
      port: settings.port,
      database: settings.database,
      user: settings.user,
      password: this.profiles.secret(profileId, 'pgPassword'),
      application_name: settings.applicationName,
      ssl: settings.sslmode === 'require' || settings.sslmode === 'verify-full' ? { rejectUnauthorized: settings.sslmode === 'verify-full' } : false,
      connectionTimeoutMillis: 15_000,
      types: rawTypes,
      ...(sshClient ? { stream: () => new ForwardedSocket(sshClient) } : {}),
    });
    const forget = () => {
      this.#clients.delete(profileId);
      client.end().catch(() => undefined);
    };
    client.on('error', forget);
    try {
      await client.connect();
    } catch (error) {
      throw new OpsError('pg_error', `Postgres at ${settings.host}:${settings.port} (database ${settings.database}, user ${settings.user}) refused the connection: ${(error as Error).message}.`, { cause: error });
    }
    if (profile.ssh) this.sessions.attach(profileId, forget);
    return client;
  }

  /**
   * Runs SQL inside BEGIN READ ONLY with the profile's statement timeout; the server refuses
   * writes. Rows beyond the profile's row cap are dropped and the result says so.
   */
  runReadOnly(profileId: string, sql: string): Promise<SqlResult> {
    return this.serialized(profileId, () => this.readOnly(profileId, sql));
  }

  /** One transaction at a time per connection: queued calls wait for the one before. */
  private serialized<T>(profileId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.#queues.get(profileId) ?? Promise.resolve();
    const next = previous.then(work, work);
    const tail = next.catch(() => undefined);
    this.#queues.set(profileId, tail);
    tail.then(() => {
      if (this.#queues.get(profileId) === tail) this.#queues.delete(profileId);
    });
    return next;
  }

  private async readOnly(profileId: string, sql: string): Promise<SqlResult> {
    const settings = this.settings(this.profiles.get(profileId));
    const client = await this.client(profileId);
    const started = performance.now();
    await client.query('BEGIN READ ONLY');
    try {
      await client.query(`SET LOCAL statement_timeout = ${Number(settings.statementTimeoutMs)}`);
      const raw = await client.query({ text: sql, rowMode: 'array' });
      const result = Array.isArray(raw) ? (raw.at(-1) as pg.QueryArrayResult) : raw;
      const rows = (result.rows ?? []) as unknown[][];
      return {
        fields: (result.fields ?? []).map((f) => ({ name: f.name, type: typeName(f.dataTypeID) })),
        rows: rows.slice(0, settings.rowCap),
        rowCount: result.rowCount ?? rows.length,
        truncated: rows.length > settings.rowCap,
        durationMs: Math.round((performance.now() - started) * 10) / 10,
      };
    } catch (error) {
      throw new OpsError('pg_error', `Postgres refused the statement: ${(error as Error).message}`, { cause: error });
    } finally {
      await client.query('ROLLBACK').catch(() => undefined);
    }
  }

  /** Ends the profile's connection, if any. */
  async close(profileId: string): Promise<void> {
    const client = this.#clients.get(profileId);
    this.#clients.delete(profileId);
    await client?.then((c) => c.end()).catch(() => undefined);
  }

  async dispose(): Promise<void> {
    const clients = [...this.#clients.values()];
    this.#clients.clear();
    await Promise.all(clients.map((c) => c.then((client) => client.end()).catch(() => undefined)));
  }
}
