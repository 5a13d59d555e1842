import { Redis } from 'ioredis';
import type { ProfileView, RedisSettings } from '../../shared/profile';
import { OpsError } from '../errors';
import { connectorOver, tcpOpener, withTls } from '../profiles/redis-probe';
import { forwardOut } from '../ssh/connect-chain';
import type { SessionManager } from '../ssh/session-manager';
import type { ProfileRepository } from '../store/profile-repository';

/**
 * One ioredis client per profile over the profile's SSH session (a forwardOut channel, TLS on top
 * when the profile says so; plain TCP without SSH), with the ACL user, password and db from the
 * profile. Dropped when the session is lost; the next use opens a new one on the rebuilt session.
 */
export class RedisConnections {
  readonly #clients = new Map<string, Promise<Redis>>();

  constructor(
    private readonly profiles: Pick<ProfileRepository, 'get' | 'secret'>,
    private readonly sessions: Pick<SessionManager, 'connect' | 'attach'>,
  ) {}

  settings(profile: ProfileView): RedisSettings {
    if (!profile.redis) throw new OpsError('invalid_input', `Profile "${profile.name}" has no Redis settings: add redis.host and port in the profile editor.`);
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

  private async open(profileId: string): Promise<Redis> {
    const profile = this.profiles.get(profileId);
    const settings = this.settings(profile);
    const ssh = profile.ssh ? await this.sessions.connect(profileId) : undefined;
    const opener = ssh ? () => forwardOut(ssh, settings.host, settings.port) : tcpOpener(settings.host, settings.port);
    const redis = new Redis({
      Connector: connectorOver(withTls(opener, settings)) as never,
      username: settings.username,
      password: this.profiles.secret(profileId, 'redisPassword'),
      db: settings.db,
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      connectTimeout: 15_000,
      noDelay: false,
    });
    let refusal: Error | undefined;
    redis.on('error', (error: Error) => (refusal ??= error));
    const entry = this.#clients.get(profileId);
    redis.once('end', () => entry && this.forget(profileId, entry));
    try {
      await redis.connect().catch((error: Error) => Promise.reject(refusal ?? error));
    } catch (error) {
      redis.disconnect();
      throw new OpsError('redis_error', `Redis at ${settings.host}:${settings.port} refused the connection: ${(error as Error).message}. Check the profile's Redis settings and password.`, { cause: error });
    }
    if (ssh) redis.once('end', this.sessions.attach(profileId, () => redis.disconnect()));
    return redis;
  }

  async close(profileId: string): Promise<void> {
    const client = this.#clients.get(profileId);
    this.#clients.delete(profileId);
    await client?.then((c) => c.disconnect()).catch(() => undefined);
  }

  async dispose(): Promise<void> {
    const all = [...this.#clients.keys()];
    await Promise.all(all.map((id) => this.close(id)));
  }
}
