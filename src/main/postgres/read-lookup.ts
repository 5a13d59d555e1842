import type pg from 'pg';
import type { SqlClassification } from '../../shared/risk';
import { OpsError } from '../errors';
import type { ProfileRepository } from '../store/profile-repository';
import type { PgConnectionRegistry } from './connection-registry';
import { extended, withReadOnlyTransaction } from './read-only-transaction';

export interface ReadLookupDeps {
  profiles: Pick<ProfileRepository, 'get'>;
  connections: Pick<PgConnectionRegistry, 'run' | 'settings'>;
  classify(sql: string, profileId: string): Promise<SqlClassification>;
}

/**
 * A lookup the console makes for itself (catalog checks, a template's enum values, which may come
 * from a runbook): classified like any text and refused unless it is one read; then run as the
 * read role inside `withReadOnlyTransaction` with the profile's statement timeout. First column
 * of at most 1000 rows; not recorded as a run.
 */
async function readLookup(
  deps: ReadLookupDeps,
  profileId: string,
  sql: string,
  values: unknown[] = [],
): Promise<unknown[][]> {
  const settings = deps.connections.settings(deps.profiles.get(profileId));
  const classification = await deps.classify(sql, profileId);
  const [statement, ...more] = classification.statements;
  if (!statement || more.length > 0 || classification.risk !== 'read') {
    const reasons = statement?.reasons.length ? `: ${statement.reasons.join(', ')}` : '';
    throw new OpsError(
      'refused',
      `The lookup is not one read statement (${classification.statements.length} statement(s), risk ${classification.risk}${reasons}): it was not run. Fix the query.`,
    );
  }
  const run = async (client: pg.Client) => {
    try {
      const query = () => client.query(extended({ text: statement.text, values, rowMode: 'array' }));
      const result = await withReadOnlyTransaction(client, { statementTimeoutMs: settings.statementTimeoutMs }, query);
      return (result.rows as unknown[][]).slice(0, 1000);
    } catch (error) {
      throw new OpsError('pg_error', `Postgres refused the lookup: ${(error as Error).message}`, { cause: error });
    }
  };
  return deps.connections.run(profileId, run, 'read');
}

/**
 * The console's own catalog and lookup reads over the read-only path (template enum values, a
 * table's indexes): `readLookup` bound to one set of connections and the catalog-aware classifier.
 */
export class ReadOnlyQueries {
  constructor(private readonly deps: ReadLookupDeps) {}

  /** Classified, refused unless one read, run in BEGIN READ ONLY as the read role; not recorded. */
  queryReadOnly(profileId: string, sql: string, values: unknown[] = []): Promise<unknown[][]> {
    return readLookup(this.deps, profileId, sql, values);
  }
}
