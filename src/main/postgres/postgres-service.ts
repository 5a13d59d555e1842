import type pg from 'pg';
import type { SqlResult } from '../../shared/contract';
import { OpsError } from '../errors';
import type { ProfileRepository } from '../store/profile-repository';
import type { PgConnectionRegistry } from './connection-registry';
import { typeName } from './type-names';

/** Postgres work on a profile, over the connections the registry keeps (and rebuilds after a reconnect). */
export class PostgresService {
  constructor(
    private readonly profiles: ProfileRepository,
    private readonly connections: PgConnectionRegistry,
  ) {}

  /**
   * Runs SQL inside BEGIN READ ONLY with the profile's statement timeout; the server refuses
   * writes. Rows beyond the profile's row cap are dropped and the result says so.
   */
  runReadOnly(profileId: string, sql: string): Promise<SqlResult> {
    return this.connections.run(profileId, (client) => this.readOnly(profileId, client, sql));
  }

  private async readOnly(profileId: string, client: pg.Client, sql: string): Promise<SqlResult> {
    const profile = this.profiles.get(profileId);
    const settings = this.connections.settings(profile);
    const started = performance.now();
    try {
      await client.query('BEGIN READ ONLY');
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
      const lost = this.connections.lostReason(client);
      if (lost) {
        throw new OpsError(
          'ssh_disconnected',
          `The statement on "${profile.name}" did not finish: the SSH session was lost while it ran (${lost}). Nothing was committed (it ran read-only). The session is being rebuilt: run it again once the profile shows ready.`,
          { cause: error },
        );
      }
      throw new OpsError('pg_error', `Postgres refused the statement: ${(error as Error).message}`, { cause: error });
    } finally {
      await client.query('ROLLBACK').catch(() => undefined);
    }
  }

  /** Ends the profile's connection, if any. */
  close(profileId: string): Promise<void> {
    return this.connections.close(profileId);
  }

  dispose(): Promise<void> {
    return this.connections.dispose();
  }
}
