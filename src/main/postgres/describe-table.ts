import { constraintKinds, type Handlers, type TableConstraint, type TableDescription } from '../../shared/contract';
import type { ReadOnlyQueries } from './read-lookup';

const indexesSql = `SELECT i.relname, pg_catalog.pg_get_indexdef(x.indexrelid), x.indisunique, x.indisprimary, x.indisvalid
  FROM pg_catalog.pg_index x
  JOIN pg_catalog.pg_class i ON i.oid = x.indexrelid
  JOIN pg_catalog.pg_class t ON t.oid = x.indrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace
 WHERE t.relname = $1 AND n.nspname = $2
 ORDER BY x.indisprimary DESC, i.relname`;

const constraintsSql = `SELECT c.conname, c.contype::text, pg_catalog.pg_get_constraintdef(c.oid, true)
  FROM pg_catalog.pg_constraint c
  JOIN pg_catalog.pg_class t ON t.oid = c.conrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace
 WHERE t.relname = $1 AND n.nspname = $2
 ORDER BY c.contype, c.conname`;

/** A boolean cell, typed or as text ('t', 'true'). */
const yes = (value: unknown) => value === true || value === 't' || value === 'true';

/** Indexes and constraints of one table, through the read-only lookup path (names bound as values). */
export async function describeTable(
  lookups: Pick<ReadOnlyQueries, 'queryReadOnly'>,
  profileId: string,
  schema: string,
  name: string,
): Promise<TableDescription> {
  const [indexes, constraints] = [
    await lookups.queryReadOnly(profileId, indexesSql, [name, schema]),
    await lookups.queryReadOnly(profileId, constraintsSql, [name, schema]),
  ];
  return {
    schema,
    name,
    indexes: indexes.map(([index, definition, unique, primary, valid]) => ({
      name: String(index),
      definition: String(definition),
      unique: yes(unique),
      primary: yes(primary),
      valid: yes(valid),
    })),
    constraints: constraints.map(([constraint, type, definition]) => ({
      name: String(constraint),
      kind: (constraintKinds[String(type) as keyof typeof constraintKinds] ?? 'other') as TableConstraint['kind'],
      definition: String(definition),
    })),
  };
}

export function describeHandlers(lookups: Pick<ReadOnlyQueries, 'queryReadOnly'>): Pick<Handlers, 'sql.describe'> {
  return { 'sql.describe': async ({ profileId, schema, name }) => describeTable(lookups, profileId, schema, name) };
}
