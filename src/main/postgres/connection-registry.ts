import type pg from 'pg';
import { guardPasswordAuth } from './password-auth';
import type { PostgresSettings, ProfileView } from '../../shared/profile';
import { OpsError } from '../errors';
import { ForwardedSocket } from '../ssh/forwarded-socket';
import type { SessionManager } from '../ssh/session-manager';
import type { Client as SshClient } from 'ssh2';
import type { ProfileRepository } from '../store/profile-repository';
import type { ConnectionOptions } from 'node:tls';
import { connectWithSslMode, pgConnectHint } from './tls';
import { pgDriver } from '../drivers';

// Keep every value as Postgres sent it: no Date objects shifted to the laptop's zone, and
// bigint/numeric never rounded through a JS number.
const rawTypes = { getTypeParser: () => (value: string) => value } as unknown as pg.CustomTypesConfig;

interface Entry {
  client: Promise<pg.Client>;
}

/**
 * Which Postgres user a connection logs in as: `main` (the profile's user: confirmed writes and
 * everything else) or `read` (the profile's optional read user; the main user when it has none).
 */
export type PgRole = 'main' | 'read';

/** The user a role logs in as on this profile. */
export function userOfRole(settings: PostgresSettings, role: PgRole): string {
  return role === 'read' && settings.readUser ? settings.readUser : settings.user;
}

// The classifier parses string literals as standard_conforming_strings = on does: pinned from the
// startup packet, above any ALTER ROLE/DATABASE default (the read path pins it again per batch).
const pinnedStartupOptions = '-c standard_conforming_strings=on -c backslash_quote=safe_encoding';

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
    /** A demo profile's embedded Postgres: started on demand, reached on a Unix socket in the data folder. */
    private readonly localSocketDir?: (profile: ProfileView) => Promise<string | undefined>,
  ) {}

  private async target(
    profileId: string,
    profile: ProfileView,
  ): Promise<{ sshClient?: SshClient; socketDir?: string }> {
    if (profile.ssh) return { sshClient: await this.sessions.connect(profileId) };
    return { socketDir: await this.localSocketDir?.(profile) };
  }

  /** The profile's Postgres settings, or an error naming what to fill in. */
  settings(profile: ProfileView): PostgresSettings {
    if (!profile.postgres)
      throw new OpsError(
        'invalid_input',
        `Profile "${profile.name}" has no Postgres settings: add postgres.host, database and user in the profile editor.`,
      );
    return profile.postgres;
  }

  /** The profile's connection for the role, opened on first use (connecting SSH first if needed). */
  acquire(profileId: string, role: PgRole = 'main'): Promise<pg.Client> {
    const key = this.key(profileId, role);
    let entry = this.#entries.get(key);
    if (!entry) {
      const client = this.open(profileId, key, role);
      entry = { client };
      this.#entries.set(key, entry);
      const current = entry;
      client.catch(() => {
        if (this.#entries.get(key) === current) this.#entries.delete(key);
      });
    }
    return entry.client;
  }

  /** The profile's open (or opening) connection for the role, without opening one. */
  peek(profileId: string, role: PgRole = 'main'): Promise<pg.Client> | undefined {
    return this.#entries.get(this.key(profileId, role))?.client;
  }

  /** The user the role logs in as on this profile (for the UI and the timeline). */
  userOf(profileId: string, role: PgRole): string {
    return userOfRole(this.settings(this.profiles.get(profileId)), role);
  }

  /** One connection (and one queue) per profile and distinct user: a read role without its own user shares the main one. */
  private key(profileId: string, role: PgRole): string {
    return role === 'read' && this.settings(this.profiles.get(profileId)).readUser ? `${profileId}#read` : profileId;
  }

  /**
   * Runs work with the profile's connection, one at a time per profile (a transaction must not
   * interleave with another caller's statements).
   */
  run<T>(profileId: string, work: (client: pg.Client) => Promise<T>, role: PgRole = 'main'): Promise<T> {
    const key = this.key(profileId, role);
    const previous = this.#queues.get(key) ?? Promise.resolve();
    const attempt = () =>
      this.acquire(profileId, role).then((client) =>
        work(client).catch((error: unknown) => Promise.reject(this.lostUnder(client, error))),
      );
    const next = previous.then(attempt, attempt);
    const tail = next.catch(() => undefined);
    this.#queues.set(key, tail);
    void tail.then(() => {
      if (this.#queues.get(key) === tail) this.#queues.delete(key);
    });
    return next;
  }

  /**
   * A failure of work whose client was dropped because the SSH session was lost, said as such:
   * without this, a loss during BEGIN, a catalog lookup or a read's COMMIT read "Postgres refused
   * the statement: Connection terminated unexpectedly", blaming the server. Failures already
   * explained (OpsError: the statement loop says what a loss meant for its statements) pass as they are.
   */
  private lostUnder(client: pg.Client, error: unknown): unknown {
    const lost = this.lostReason(client);
    if (!lost || error instanceof OpsError) return error;
    return new OpsError(
      'ssh_disconnected',
      `The SSH session was lost (${lost}) before the console's work on its Postgres connection finished. Run it again once the profile shows ready.`,
      { cause: error },
    );
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
  async cancelBackend(profileId: string, pid: number, role: PgRole = 'main'): Promise<boolean> {
    const profile = this.profiles.get(profileId);
    const { sshClient, socketDir } = await this.target(profileId, profile);
    let stream: ForwardedSocket | undefined;
    let side: pg.Client | undefined;
    try {
      ({ client: side } = await connectWithSslMode(this.settings(profile), (ssl) => {
        const attempt = this.newClient(profileId, profile, sshClient, (s) => (stream = s), ssl, role, socketDir);
        attempt.on('error', () => undefined);
        return attempt;
      }));
      // Values arrive raw (see rawTypes): a boolean is 't' or 'f'.
      const result = await side.query<{ cancelled: string }>('SELECT pg_cancel_backend($1) AS cancelled', [pid]);
      return result.rows[0]?.cancelled === 't';
    } finally {
      await side?.end().catch(() => undefined);
      stream?.destroy();
    }
  }

  /**
   * A separate, short-lived connection on the profile's session (health checks run beside the
   * operator's statements, not queued behind them). The caller closes it with `close`.
   */
  async openSide(
    profileId: string,
    role: PgRole = 'main',
    database?: string,
  ): Promise<{ client: pg.Client; close(): Promise<void> }> {
    const found = this.profiles.get(profileId);
    // Another database on the profile's server (the team database: --pg-database).
    const profile = database && found.postgres ? { ...found, postgres: { ...found.postgres, database } } : found;
    const settings = this.settings(profile);
    const { sshClient, socketDir } = await this.target(profileId, profile);
    let stream: ForwardedSocket | undefined;
    let client!: pg.Client;
    const close = async () => {
      await client?.end().catch(() => undefined);
      stream?.destroy();
    };
    const detach = sshClient ? this.sessions.attach(profileId, () => void close()) : undefined;
    try {
      await connectWithSslMode(settings, (ssl) => {
        client = this.newClient(profileId, profile, sshClient, (s) => (stream = s), ssl, role, socketDir);
        client.on('error', () => undefined);
        return client;
      });
    } catch (error) {
      detach?.();
      await close();
      throw new OpsError(
        'pg_error',
        `Postgres at ${settings.host}:${settings.port} (database ${settings.database}, user ${userOfRole(settings, role)}) refused the connection: ${(error as Error).message}.`,
        { cause: error },
      );
    }
    return { client, close: async () => (detach?.(), await close()) };
  }

  private newClient(
    profileId: string,
    profile: ProfileView,
    sshClient: SshClient | undefined,
    onStream: (stream: ForwardedSocket) => void,
    ssl: false | ConnectionOptions,
    role: PgRole = 'main',
    socketDir?: string,
  ): pg.Client {
    const settings = this.settings(profile);
    const asReader = role === 'read' && settings.readUser !== undefined;
    const client = new (pgDriver().Client)({
      host: socketDir ?? settings.host,
      port: settings.port,
      database: settings.database,
      user: userOfRole(settings, role),
      password: this.profiles.secret(profileId, asReader ? 'pgReadPassword' : 'pgPassword'),
      application_name: settings.applicationName,
      options: pinnedStartupOptions,
      ssl,
      connectionTimeoutMillis: 15_000,
      types: rawTypes,
      ...(sshClient
        ? {
            stream: () => {
              const stream = new ForwardedSocket(sshClient);
              onStream(stream);
              return stream;
            },
          }
        : {}),
    });
    return guardPasswordAuth(client, {
      legacyPasswordAuth: settings.legacyPasswordAuth,
      where: `${settings.host}:${settings.port}`,
    });
  }

  private async open(profileId: string, key: string, role: PgRole): Promise<pg.Client> {
    const profile = this.profiles.get(profileId);
    const settings = this.settings(profile);
    const { sshClient, socketDir } = await this.target(profileId, profile);
    let stream: ForwardedSocket | undefined;
    const forget = () => {
      const entry = this.#entries.get(key);
      if (entry && entry.client === current) this.#entries.delete(key);
    };
    // Set once connected; `forget` (called from events before then too) must only drop this attempt's entry.
    let current: Promise<pg.Client> | undefined = undefined;
    let client!: pg.Client;
    try {
      ({ client } = await connectWithSslMode(settings, (ssl) => {
        const attempt = this.newClient(profileId, profile, sshClient, (s) => (stream = s), ssl, role, socketDir);
        attempt.on('error', () => {
          forget();
          attempt.end().catch(() => undefined);
        });
        attempt.on('end', forget);
        return attempt;
      }));
    } catch (error) {
      stream?.destroy();
      if (error instanceof OpsError) throw error;
      const lost = sshClient && this.sessions.state(profileId)?.state !== 'ready';
      if (lost)
        throw new OpsError(
          'ssh_disconnected',
          `The SSH session of "${profile.name}" was lost while connecting to Postgres: ${this.sessions.state(profileId)?.reason ?? 'no reason given'}. Try again once the profile shows ready.`,
          { cause: error },
        );
      throw new OpsError(
        'pg_error',
        `Postgres at ${settings.host}:${settings.port} (database ${settings.database}, user ${userOfRole(settings, role)}) refused the connection: ${(error as Error).message}. ${pgConnectHint(settings.sslmode, (error as Error).message)}`,
        { cause: error },
      );
    }
    current = this.#entries.get(key)?.client;
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
    for (const key of [profileId, `${profileId}#read`]) {
      const entry = this.#entries.get(key);
      this.#entries.delete(key);
      await entry?.client.then((c) => c.end()).catch(() => undefined);
    }
  }

  async dispose(): Promise<void> {
    const entries = [...this.#entries.values()];
    this.#entries.clear();
    await Promise.all(entries.map((e) => e.client.then((client) => client.end()).catch(() => undefined)));
  }
}
