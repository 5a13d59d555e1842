import pg from 'pg';
import { guardPasswordAuth } from './password-auth';
import type { PostgresSettings, ProfileView } from '../../shared/profile';
import { OpsError } from '../errors';
import { ForwardedSocket } from '../ssh/forwarded-socket';
import type { SessionManager } from '../ssh/session-manager';
import type { Client as SshClient } from 'ssh2';
import type { ProfileRepository } from '../store/profile-repository';

// Keep every value as Postgres sent it: no Date objects shifted to the laptop's zone, and
// bigint/numeric never rounded through a JS number.
const rawTypes = { getTypeParser: () => (value: string) => value } as unknown as pg.CustomTypesConfig;

interface Entry {
  client: Promise<pg.Client>;
}

/**
 * One Postgres connection per profile, over the profile's SSH session when it has one. When the
 * session is lost the connection is dropped with it (a statement in flight fails at once); the
 * next use opens a new one on the rebuilt session, so callers never hold a dead client.
 */
export class PgConnectionRegistry {
  readonly #entries = new Map<string, Entry>();
  readonly #lost = new WeakMap<pg.Client, string>();
  readonly #queues = new Map<string, Promise<unknown>>();

  constructor(
    private readonly profiles: ProfileRepository,
    private readonly sessions: SessionManager,
  ) {}

  /** The profile's Postgres settings, or an error naming what to fill in. */
  settings(profile: ProfileView): PostgresSettings {
    if (!profile.postgres) throw new OpsError('invalid_input', `Profile "${profile.name}" has no Postgres settings: add postgres.host, database and user in the profile editor.`);
    return profile.postgres;
  }

  /** The profile's connection, opened on first use (connecting SSH first if needed). */
  acquire(profileId: string): Promise<pg.Client> {
    let entry = this.#entries.get(profileId);
    if (!entry) {
      const client = this.open(profileId);
      entry = { client };
      this.#entries.set(profileId, entry);
      const current = entry;
      client.catch(() => {
        if (this.#entries.get(profileId) === current) this.#entries.delete(profileId);
      });
    }
    return entry.client;
  }

  /**
   * Runs work with the profile's connection, one at a time per profile (a transaction must not
   * interleave with another caller's statements).
   */
  run<T>(profileId: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
    const previous = this.#queues.get(profileId) ?? Promise.resolve();
    const next = previous.then(
      () => this.acquire(profileId).then(work),
      () => this.acquire(profileId).then(work),
    );
    const tail = next.catch(() => undefined);
    this.#queues.set(profileId, tail);
    void tail.then(() => {
      if (this.#queues.get(profileId) === tail) this.#queues.delete(profileId);
    });
    return next;
  }

  /** Why this client was dropped under its caller (the SSH session was lost), if it was. */
  lostReason(client: pg.Client): string | undefined {
    return this.#lost.get(client);
  }

  /**
   * Asks the server to cancel the statement running in backend `pid`, over a second, short-lived
   * connection on the same SSH session (pg_cancel_backend: the profile's user may cancel its own
   * backends). True when the server found the backend.
   */
  async cancelBackend(profileId: string, pid: number): Promise<boolean> {
    const profile = this.profiles.get(profileId);
    const sshClient = profile.ssh ? await this.sessions.connect(profileId) : undefined;
    let stream: ForwardedSocket | undefined;
    const side = this.newClient(profileId, profile, sshClient, (s) => (stream = s));
    side.on('error', () => undefined);
    try {
      await side.connect();
      // Values arrive raw (see rawTypes): a boolean is 't' or 'f'.
      const result = await side.query<{ cancelled: string }>('SELECT pg_cancel_backend($1) AS cancelled', [pid]);
      return result.rows[0]?.cancelled === 't';
    } finally {
      await side.end().catch(() => undefined);
      stream?.destroy();
    }
  }

  /**
   * A separate, short-lived connection on the profile's session (health checks run beside the
   * operator's statements, not queued behind them). The caller closes it with `close`.
   */
  async openSide(profileId: string): Promise<{ client: pg.Client; close(): Promise<void> }> {
    const profile = this.profiles.get(profileId);
    const settings = this.settings(profile);
    const sshClient = profile.ssh ? await this.sessions.connect(profileId) : undefined;
    let stream: ForwardedSocket | undefined;
    const client = this.newClient(profileId, profile, sshClient, (s) => (stream = s));
    client.on('error', () => undefined);
    const close = async () => {
      await client.end().catch(() => undefined);
      stream?.destroy();
    };
    const detach = sshClient ? this.sessions.attach(profileId, () => void close()) : undefined;
    try {
      await client.connect();
    } catch (error) {
      detach?.();
      await close();
      throw new OpsError('pg_error', `Postgres at ${settings.host}:${settings.port} (database ${settings.database}, user ${settings.user}) refused the connection: ${(error as Error).message}.`, { cause: error });
    }
    return { client, close: async () => (detach?.(), await close()) };
  }

  private newClient(profileId: string, profile: ProfileView, sshClient: SshClient | undefined, onStream: (stream: ForwardedSocket) => void): pg.Client {
    const settings = this.settings(profile);
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
      ...(sshClient ? { stream: () => {
        const stream = new ForwardedSocket(sshClient);
        onStream(stream);
        return stream;
      } } : {}),
    });
    return guardPasswordAuth(client, { legacyPasswordAuth: settings.legacyPasswordAuth, where: `${settings.host}:${settings.port}` });
  }

  private async open(profileId: string): Promise<pg.Client> {
    const profile = this.profiles.get(profileId);
    const settings = this.settings(profile);
    const sshClient = profile.ssh ? await this.sessions.connect(profileId) : undefined;
    let stream: ForwardedSocket | undefined;
    const client = this.newClient(profileId, profile, sshClient, (s) => (stream = s));
    const forget = () => {
      const entry = this.#entries.get(profileId);
      if (entry && entry.client === current) this.#entries.delete(profileId);
    };
    let current: Promise<pg.Client> | undefined;
    client.on('error', () => {
      forget();
      client.end().catch(() => undefined);
    });
    client.on('end', forget);
    try {
      await client.connect();
    } catch (error) {
      stream?.destroy();
      const lost = sshClient && this.sessions.state(profileId)?.state !== 'ready';
      if (lost) throw new OpsError('ssh_disconnected', `The SSH session of "${profile.name}" was lost while connecting to Postgres: ${this.sessions.state(profileId)?.reason ?? 'no reason given'}. Try again once the profile shows ready.`, { cause: error });
      throw new OpsError('pg_error', `Postgres at ${settings.host}:${settings.port} (database ${settings.database}, user ${settings.user}) refused the connection: ${(error as Error).message}.`, { cause: error });
    }
    current = this.#entries.get(profileId)?.client;
    if (sshClient) {
      const drop = () => {
        this.#lost.set(client, this.sessions.state(profileId)?.reason ?? 'the SSH session was closed');
        forget();
        stream?.destroy();
      };
      try {
        client.once('end', this.sessions.attach(profileId, drop));
      } catch (error) {
        drop();
        throw error;
      }
    }
    return client;
  }

  /** Ends the profile's connection, if any. */
  async close(profileId: string): Promise<void> {
    const entry = this.#entries.get(profileId);
    this.#entries.delete(profileId);
    await entry?.client.then((c) => c.end()).catch(() => undefined);
  }

  async dispose(): Promise<void> {
    const entries = [...this.#entries.values()];
    this.#entries.clear();
    await Promise.all(entries.map((e) => e.client.then((client) => client.end()).catch(() => undefined)));
  }
}
