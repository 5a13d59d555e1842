import type { Redis } from 'ioredis';
import type { ProfileView, RedisSettings } from '../../shared/profile';
import { OpsError } from '../errors';
import { createRedisClient, tcpOpener } from '../profiles/redis-probe';
import { forwardOut } from '../ssh/connect-chain';
import type { SessionManager } from '../ssh/session-manager';
import type { ProfileRepository } from '../store/profile-repository';
import { failFastOnEnd } from './lost-connection';

/**
 * One ioredis client per profile over the profile's SSH session (a forwardOut channel, TLS on top
 * when the profile says so; plain TCP without SSH), with the ACL user, password and db from the
 * profile. Dropped when the session is lost; the next use opens a new one on the rebuilt session.
 */
export class RedisConnections {
  readonly #clients = new Map<string, Promise<Redis>>();
  readonly #ready = new Map<string, Redis>();

  constructor(
    private readonly profiles: Pick<ProfileRepository, 'get' | 'secret'>,
    private readonly sessions: Pick<SessionManager, 'connect' | 'attach' | 'state'>,
  ) {}

  settings(profile: ProfileView): RedisSettings {
    if (!profile.redis)
      throw new OpsError(
        'invalid_input',
        `Profile "${profile.name}" has no Redis settings: add redis.host and port in the profile editor.`,
      );
    return profile.redis;
  }

  acquire(profileId: string): Promise<Redis> {
    let client = this.#clients.get(profileId);
    if (!client) {
      client = this.open(profileId);
      this.#clients.set(profileId, client);
      const current = client;
      client.catch(() => this.forget(profileId, current));
    }
    return client;
  }

  private forget(profileId: string, client: Promise<Redis>): void {
    if (this.#clients.get(profileId) === client) this.#clients.delete(profileId);
  }

  /** The profile's client if it is connected now (no connection is opened). */
  connected(profileId: string): Redis | undefined {
    return this.#ready.get(profileId);
  }

  private async open(profileId: string): Promise<Redis> {
    const redis = await this.connect(profileId, (client) => {
      // Looked up when the client ends, not now: without SSH nothing was awaited yet and acquire()
      // has not stored the entry.
      client.once('end', () => {
        const entry = this.#clients.get(profileId);
        if (entry)
          void entry.then(
            (c) => c === client && this.forget(profileId, entry),
            () => undefined,
          );
        if (this.#ready.get(profileId) === client) this.#ready.delete(profileId);
      });
    });
    this.#ready.set(profileId, redis);
    return redis;
  }

  /**
   * A connection of its own, not shared and not kept: for commands that take the connection over
   * (SUBSCRIBE, MONITOR). `mode` `monitor` connects straight into MONITOR. The caller disconnects it.
   */
  dedicated(profileId: string, mode: 'subscribe' | 'monitor'): Promise<Redis> {
    return this.connect(profileId, () => undefined, mode === 'monitor' ? { monitor: true } : {});
  }

  private async connect(
    profileId: string,
    onCreated: (redis: Redis) => void,
    mode: { monitor?: boolean } = {},
  ): Promise<Redis> {
    const profile = this.profiles.get(profileId);
    const settings = this.settings(profile);
    const ssh = profile.ssh ? await this.sessions.connect(profileId) : undefined;
    // Truth under faults: a channel whose Redis end closed fails its pending commands at once (see failFastOnEnd).
    const opener = ssh
      ? async () => failFastOnEnd(await forwardOut(ssh, settings.host, settings.port))
      : tcpOpener(settings.host, settings.port);
    const { redis, reason } = createRedisClient({
      settings,
      password: this.profiles.secret(profileId, 'redisPassword'),
      open: opener,
      connectTimeoutMs: 15_000,
      monitor: mode.monitor,
    });
    onCreated(redis);
    const user = settings.username ? `, user ${settings.username}` : '';
    try {
      await redis.connect().catch((error: Error) => Promise.reject(reason(error)));
    } catch (error) {
      redis.disconnect();
      if (ssh && this.sessions.state(profileId)?.state !== 'ready') {
        throw new OpsError(
          'ssh_disconnected',
          `The SSH session of "${profile.name}" was lost while connecting to Redis: ${this.sessions.state(profileId)?.reason ?? 'no reason given'}. Try again once the profile shows ready.`,
          { cause: error },
        );
      }
      const via = ssh ? ` (through the SSH session of "${profile.name}")` : '';
      throw new OpsError(
        'redis_error',
        `Redis at ${settings.host}:${settings.port}${via} (db ${settings.db}${user}${settings.tls ? ', TLS' : ''}) refused the connection: ${(error as Error).message}. Check the profile's Redis host, port, user and password.`,
        { cause: error },
      );
    }
    if (ssh) {
      try {
        redis.once(
          'end',
          this.sessions.attach(profileId, () => redis.disconnect()),
        );
      } catch (error) {
        redis.disconnect();
        throw error;
      }
    }
    return redis;
  }

  async close(profileId: string): Promise<void> {
    const client = this.#clients.get(profileId);
    this.#clients.delete(profileId);
    this.#ready.delete(profileId);
    await client?.then((c) => c.disconnect()).catch(() => undefined);
  }

  async dispose(): Promise<void> {
    const all = [...this.#clients.keys()];
    await Promise.all(all.map((id) => this.close(id)));
  }
}
