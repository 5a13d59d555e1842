import type pg from 'pg';
import type { RelationDetail, RelationKind, RelationPage, SchemaSummary } from '../../shared/contract';
import { OpsError } from '../errors';
import type { PgConnectionRegistry } from './connection-registry';
import { extended, withReadOnlyTransaction } from './read-only-transaction';

const kinds: Record<string, RelationKind> = {
  r: 'table',
  p: 'partitioned table',
  v: 'view',
  m: 'materialized view',
  f: 'foreign table',
};
const relkinds = "('r', 'p', 'v', 'm', 'f')";
const userSchemas =
  "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%'";

const schemasQuery = `
SELECT n.nspname,
  count(c.oid) FILTER (WHERE c.relkind IN ('r', 'p', 'f')),
  count(c.oid) FILTER (WHERE c.relkind IN ('v', 'm'))
FROM pg_catalog.pg_namespace n
LEFT JOIN pg_catalog.pg_class c ON c.relnamespace = n.oid AND c.relkind IN ${relkinds} AND NOT c.relispartition
WHERE ${userSchemas} AND pg_catalog.has_schema_privilege(n.oid, 'USAGE')
GROUP BY n.nspname ORDER BY n.nspname`;

/**
 * Sizes are pages × block size from pg_class (table, TOAST, indexes): pg_total_relation_size
 * would lock each table, and one held by a migration would stall the whole page.
 */
const estimatedBytes = (rel: string) => `((${rel}.relpages::bigint
  + coalesce((SELECT t.relpages FROM pg_catalog.pg_class t WHERE t.oid = ${rel}.reltoastrelid), 0)
  + coalesce((SELECT sum(i.relpages) FROM pg_catalog.pg_index x JOIN pg_catalog.pg_class i ON i.oid = x.indexrelid WHERE x.indrelid = ${rel}.oid), 0))
  * current_setting('block_size')::bigint)`;

// Partitions are listed under their parent only: a schema of 10,000 daily partitions stays browsable.
const matching = `FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = $1 AND c.relkind IN ${relkinds} AND NOT c.relispartition
    AND ($2::text IS NULL OR strpos(lower(c.relname), lower($2::text)) > 0)`;

const relationsQuery = `
WITH page AS (SELECT c.oid, c.relname, c.relkind, c.reltuples, c.relpages, c.reltoastrelid ${matching} ORDER BY c.relname LIMIT $3 OFFSET $4)
SELECT c.relname, c.relkind, CASE WHEN c.reltuples < 0 THEN NULL ELSE c.reltuples::bigint END, ${estimatedBytes('c')},
  pg_catalog.obj_description(c.oid, 'pg_class'), (SELECT count(*) ${matching})
FROM page c ORDER BY c.relname`;

const relationQuery = `
SELECT c.oid, c.relkind, CASE WHEN c.reltuples < 0 THEN NULL ELSE c.reltuples::bigint END, ${estimatedBytes('c')}, pg_catalog.obj_description(c.oid, 'pg_class'),
  CASE WHEN c.relkind IN ('v', 'm') THEN pg_catalog.pg_get_viewdef(c.oid, true) END
FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ${relkinds}`;

const columnsQuery = `
SELECT a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), NOT a.attnotnull, pg_catalog.pg_get_expr(d.adbin, d.adrelid), pg_catalog.col_description(a.attrelid, a.attnum)
FROM pg_catalog.pg_attribute a LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE a.attrelid = $1 AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`;

const indexesQuery = `
SELECT i.relname, pg_catalog.pg_get_indexdef(x.indexrelid), x.indisunique, x.indisprimary, i.relpages::bigint * current_setting('block_size')::bigint
FROM pg_catalog.pg_index x JOIN pg_catalog.pg_class i ON i.oid = x.indexrelid WHERE x.indrelid = $1 ORDER BY i.relname`;

const constraintsQuery = `
SELECT con.conname, con.contype, pg_catalog.pg_get_constraintdef(con.oid, true), con.conrelid::regclass::text, con.confrelid::regclass::text, con.conrelid = $1
FROM pg_catalog.pg_constraint con WHERE con.conrelid = $1 OR con.confrelid = $1 ORDER BY con.contype, con.conname`;

const constraintTypes = { p: 'primary key', u: 'unique', c: 'check', x: 'exclusion', t: 'trigger' } as const;

/** Rows of a query as arrays of raw strings (the registry's clients do not parse types). */
type Raw = (string | null)[];
const bigint = (value: string | null | undefined) => (value === null || value === undefined ? null : Number(value));

/**
 * The schema browser's reads: schemas, a page of a schema's relations, one relation's details.
 * Every one runs inside `withReadOnlyTransaction` as the read role, with fixed text and bound
 * names, and reads only the catalog and its statistics (no locks on user tables).
 */
export class CatalogBrowser {
  constructor(private readonly connections: Pick<PgConnectionRegistry, 'run'>) {}

  async schemas(profileId: string): Promise<SchemaSummary[]> {
    const rows = await this.read(profileId, (q) => q(schemasQuery, []));
    return rows.map(([name, tables, views]) => ({ name: name!, tables: Number(tables), views: Number(views) }));
  }

  async relations(
    profileId: string,
    schema: string,
    page: { search?: string; offset: number; limit: number },
  ): Promise<RelationPage> {
    const search = page.search?.trim() || null;
    const rows = await this.read(profileId, (q) => q(relationsQuery, [schema, search, page.limit, page.offset]));
    const total =
      rows.length > 0
        ? Number(rows[0]![5])
        : await this.read(profileId, (q) => q(`SELECT count(*) ${matching}`, [schema, search])).then((r) =>
            Number(r[0]![0]),
          );
    return {
      schema,
      total,
      offset: page.offset,
      relations: rows.map(([name, kind, rowsEstimate, bytes, comment]) => ({
        name: name!,
        kind: kinds[kind!]!,
        estimatedRows: bigint(rowsEstimate),
        estimatedBytes: Number(bytes),
        ...(comment ? { comment } : {}),
      })),
    };
  }

  async describe(profileId: string, schema: string, name: string): Promise<RelationDetail> {
    return this.read(profileId, async (q) => {
      const [relation] = await q(relationQuery, [schema, name]);
      if (!relation)
        throw new OpsError(
          'not_found',
          `No table or view ${schema}.${name} (or no right to see it): refresh the schema tree.`,
        );
      const [oid, kind, rowsEstimate, bytes, comment, viewDefinition] = relation;
      const columns = await q(columnsQuery, [oid]);
      const indexes = await q(indexesQuery, [oid]);
      const constraints = await q(constraintsQuery, [oid]);
      return {
        schema,
        name,
        kind: kinds[kind!]!,
        estimatedRows: bigint(rowsEstimate),
        estimatedBytes: Number(bytes),
        ...(comment ? { comment } : {}),
        columns: columns.map(([column, type, nullable, fallback, note]) => ({
          name: column!,
          type: type!,
          nullable: nullable === 't',
          ...(fallback ? { default: fallback } : {}),
          ...(note ? { comment: note } : {}),
        })),
        indexes: indexes.map(([index, definition, unique, primary, size]) => ({
          name: index!,
          definition: definition!,
          unique: unique === 't',
          primary: primary === 't',
          estimatedBytes: Number(size),
        })),
        constraints: constraints
          .filter(([, type]) => type !== 'f')
          .map(([constraint, type, definition]) => ({
            name: constraint!,
            type: constraintTypes[type as keyof typeof constraintTypes] ?? 'check',
            definition: definition!,
          })),
        foreignKeys: constraints
          .filter(([, type]) => type === 'f')
          .map(([constraint, , definition, from, to, own]) => ({
            name: constraint!,
            from: from!,
            to: to!,
            definition: definition!,
            direction: own === 't' ? ('outgoing' as const) : ('incoming' as const),
          })),
        ...(viewDefinition ? { viewDefinition } : {}),
      };
    });
  }

  private read<T>(
    profileId: string,
    work: (query: (text: string, values: unknown[]) => Promise<Raw[]>) => Promise<T>,
  ): Promise<T> {
    return this.connections.run(
      profileId,
      async (client: pg.Client) => {
        const query = async (text: string, values: unknown[]) =>
          (await client.query(extended({ text, values, rowMode: 'array' }))).rows as Raw[];
        try {
          return await withReadOnlyTransaction(client, { statementTimeoutMs: 15_000, lockTimeoutMs: 1_000 }, () =>
            work(query),
          );
        } catch (error) {
          if (error instanceof OpsError) throw error;
          throw new OpsError(
            'pg_error',
            `Could not read the catalog: ${(error as Error).message}. Refresh once the connection works.`,
            { cause: error },
          );
        }
      },
      'read',
    );
  }
}
