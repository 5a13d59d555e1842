import { withReadOnlyTransaction } from './read-only-transaction';
import type { SqlCatalog } from '../../shared/contract';
import { OpsError } from '../errors';
import type { PgConnectionRegistry } from './connection-registry';

/** Tables, views and their columns the user can see, outside the system schemas, capped for big catalogs. */
const catalogQuery = `
SELECT n.nspname, c.relname, c.relkind, a.attname, format_type(a.atttypid, a.atttypmod)
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
  AND has_schema_privilege(n.oid, 'USAGE')
ORDER BY n.nspname, c.relname, a.attnum
LIMIT 50000`;

/** Functions and aggregates by name (one row per schema and name), for completion; capped too. */
const functionsQuery = `
SELECT DISTINCT n.nspname, p.proname
FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
WHERE p.prokind IN ('f', 'a', 'w') AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_toast%'
  AND p.proname NOT LIKE '\\_%' AND has_schema_privilege(n.oid, 'USAGE')
ORDER BY 1, 2
LIMIT 10000`;

/** The database's schema for the editor's completion, loaded once per profile and kept until refreshed. */
export class CatalogCache {
  readonly #cache = new Map<string, Promise<SqlCatalog>>();

  constructor(
    private readonly connections: PgConnectionRegistry,
    private readonly now: () => Date = () => new Date(),
  ) {}

  get(profileId: string, refresh = false): Promise<SqlCatalog> {
    let entry = this.#cache.get(profileId);
    if (!entry || refresh) {
      entry = this.load(profileId);
      this.#cache.set(profileId, entry);
      entry.catch(() => this.#cache.get(profileId) === entry && this.#cache.delete(profileId));
    }
    return entry;
  }

  private load(profileId: string): Promise<SqlCatalog> {
    return this.connections.run(
      profileId,
      async (client) => {
        try {
          const [result, functions] = await withReadOnlyTransaction(
            client,
            { statementTimeoutMs: 10_000 },
            async () => [
              await client.query({ text: catalogQuery, rowMode: 'array' }),
              await client.query({ text: functionsQuery, rowMode: 'array' }),
            ],
          );
          const tables = new Map<string, SqlCatalog['tables'][number]>();
          for (const [schema, name, kind, column, type] of result.rows as string[][]) {
            const key = `${schema}.${name}`;
            let table = tables.get(key);
            if (!table)
              tables.set(
                key,
                (table = {
                  schema: schema!,
                  name: name!,
                  kind: kind === 'v' || kind === 'm' ? 'view' : 'table',
                  columns: [],
                }),
              );
            if (column) table.columns.push({ name: column, type: type ?? '' });
          }
          return {
            profileId,
            loadedAt: this.now().toISOString(),
            tables: [...tables.values()],
            functions: (functions!.rows as string[][]).map(([schema, name]) => ({ schema: schema!, name: name! })),
          };
        } catch (error) {
          throw new OpsError(
            'pg_error',
            `Could not read the catalog for completion: ${(error as Error).message}. Completion still offers keywords; refresh once the connection works.`,
            { cause: error },
          );
        }
      },
      'read',
    );
  }
}
