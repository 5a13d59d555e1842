import type { PgConnectionRegistry } from './connection-registry';

/**
 * The lifetime of a profile's Postgres connections (the registry rebuilds them after a reconnect).
 * SQL itself goes through the SafeExecutor: `sql.run` is the one path, classified first.
 */
export class PostgresService {
  constructor(private readonly connections: PgConnectionRegistry) {}

  /** Ends the profile's connection, if any. */
  close(profileId: string): Promise<void> {
    return this.connections.close(profileId);
  }

  dispose(): Promise<void> {
    return this.connections.dispose();
  }
}
