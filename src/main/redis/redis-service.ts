import type { Redis } from 'ioredis';
import type { ProfileView, RedisSettings } from '../../shared/profile';
import type { CommandTable } from './command-table';
import { CommandTableCache } from './live-command-table';
import type { RedisConnections } from './redis-connections';

/**
 * Redis on a profile: the connection (standalone, over the profile's SSH session's stream, or
 * direct without SSH; db, ACL user and password, TLS from the profile) that `RedisConnections`
 * keeps and rebuilds on the new session after a reconnect, plus the live server's command table.
 */
export class RedisService {
  readonly #tables = new CommandTableCache();

  constructor(readonly connections: RedisConnections) {}

  /** The profile's Redis settings, or an error naming what to fill in. */
  settings(profile: ProfileView): RedisSettings {
    return this.connections.settings(profile);
  }

  /** The profile's client, connected on first use (SSH first when the profile has it). */
  client(profileId: string): Promise<Redis> {
    return this.connections.acquire(profileId);
  }

  /**
   * The connected server's own COMMAND metadata, or undefined while the profile's Redis is not
   * connected (classification must not open connections on every keystroke) or refuses COMMAND.
   */
  async liveCommandTable(profileId: string): Promise<CommandTable | undefined> {
    const client = this.connections.connected(profileId);
    if (!client) return undefined;
    return this.#tables.get(client).catch(() => undefined);
  }

  close(profileId: string): Promise<void> {
    return this.connections.close(profileId);
  }

  dispose(): Promise<void> {
    return this.connections.dispose();
  }
}
