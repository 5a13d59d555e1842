/**
 * Catalog reads for the shape, one JSON document each (arrays arrive intact whatever the client's
 * type parsers), one query per object class for all tables at once, sent together as one
 * statement (`objectsQuery`). Every one runs inside the one read-only path; `$1` is the table oids.
 */
const qualified = (ns: string, name: string) => `quote_ident(${ns}.nspname) || '.' || quote_ident(${name})`;

/**
 * The oids to shape, in one round trip: the named relations (resolved the way the server resolves
 * them, search_path), the tables one foreign-key hop away (both directions), partitions and
 * partition parents, view dependencies, then every foreign-key parent all the way up (a child
 * cannot be made without them). Named ones first, so a cap keeps what the statements touch.
 */
export const relationOidsQuery = `
WITH RECURSIVE named AS (
  SELECT DISTINCT c.oid FROM unnest($1::text[]) AS name JOIN pg_catalog.pg_class c ON c.oid = to_regclass(name)
), around AS (
  SELECT confrelid AS oid FROM pg_catalog.pg_constraint WHERE contype = 'f' AND conrelid IN (SELECT oid FROM named)
  UNION SELECT conrelid FROM pg_catalog.pg_constraint WHERE contype = 'f' AND confrelid IN (SELECT oid FROM named)
  UNION SELECT inhrelid FROM pg_catalog.pg_inherits WHERE inhparent IN (SELECT oid FROM named)
  UNION SELECT inhparent FROM pg_catalog.pg_inherits WHERE inhrelid IN (SELECT oid FROM named)
  UNION SELECT d.refobjid FROM pg_catalog.pg_rewrite r JOIN pg_catalog.pg_depend d ON d.objid = r.oid AND d.classid = 'pg_rewrite'::regclass
    WHERE r.ev_class IN (SELECT oid FROM named) AND d.refobjid <> r.ev_class AND d.refclassid = 'pg_class'::regclass
), up(oid) AS (
  SELECT oid FROM named UNION SELECT oid FROM around
  UNION SELECT con.confrelid FROM pg_catalog.pg_constraint con JOIN up ON con.conrelid = up.oid WHERE con.contype = 'f'
), ranked AS (
  SELECT oid, min(CASE WHEN oid IN (SELECT oid FROM named) THEN 0 WHEN oid IN (SELECT oid FROM around) THEN 1 ELSE 2 END) AS rank
  FROM (SELECT oid FROM up LIMIT 10000) t WHERE oid IS NOT NULL AND oid <> 0 GROUP BY oid
)
SELECT coalesce(json_agg(oid::bigint ORDER BY rank, oid), '[]') AS oids FROM (SELECT oid, rank FROM ranked ORDER BY rank, oid LIMIT $2) t`;

export const tablesQuery = `
SELECT coalesce(json_agg(json_build_object(
  'oid', c.oid::bigint, 'qualified', ${qualified('n', 'c.relname')}, 'schema', n.nspname, 'name', c.relname, 'kind', c.relkind,
  'reltuples', greatest(c.reltuples, 0), 'bytes', pg_catalog.pg_total_relation_size(c.oid),
  'rlsEnabled', c.relrowsecurity, 'rlsForced', c.relforcerowsecurity,
  'partitionKey', CASE WHEN c.relkind = 'p' THEN pg_catalog.pg_get_partkeydef(c.oid) END,
  'partitionParent', (SELECT ${qualified('pn', 'pc.relname')} FROM pg_catalog.pg_inherits i JOIN pg_catalog.pg_class pc ON pc.oid = i.inhparent JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace WHERE i.inhrelid = c.oid AND c.relispartition),
  'partitionBound', CASE WHEN c.relispartition THEN pg_catalog.pg_get_expr(c.relpartbound, c.oid) END,
  'viewDef', CASE WHEN c.relkind IN ('v', 'm') THEN pg_catalog.pg_get_viewdef(c.oid) END
)), '[]') AS tables
FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.oid = ANY($1::oid[]) AND c.relkind IN ('r', 'p', 'v', 'm', 'f')`;

export const columnsQuery = `
SELECT coalesce(json_agg(json_build_object(
  'table', a.attrelid::bigint, 'name', a.attname, 'type', pg_catalog.format_type(a.atttypid, a.atttypmod),
  'userType', CASE WHEN tn.nspname NOT IN ('pg_catalog', 'information_schema') THEN ${qualified('tn', 't.typname')} END,
  'notNull', a.attnotnull, 'default', pg_catalog.pg_get_expr(d.adbin, d.adrelid),
  'identity', a.attidentity, 'generated', a.attgenerated
) ORDER BY a.attrelid, a.attnum), '[]') AS columns
FROM pg_catalog.pg_attribute a
JOIN pg_catalog.pg_type t ON t.oid = a.atttypid JOIN pg_catalog.pg_namespace tn ON tn.oid = t.typnamespace
LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE a.attrelid = ANY($1::oid[]) AND a.attnum > 0 AND NOT a.attisdropped`;

export const constraintsQuery = `
SELECT coalesce(json_agg(json_build_object(
  'table', con.conrelid::bigint, 'name', con.conname, 'type', con.contype, 'def', pg_catalog.pg_get_constraintdef(con.oid),
  'columns', (SELECT coalesce(json_agg(attname ORDER BY attnum), '[]') FROM pg_catalog.pg_attribute WHERE attrelid = con.conrelid AND attnum = ANY(con.conkey)),
  'references', CASE WHEN con.contype = 'f' THEN (SELECT ${qualified('rn', 'rc.relname')} FROM pg_catalog.pg_class rc JOIN pg_catalog.pg_namespace rn ON rn.oid = rc.relnamespace WHERE rc.oid = con.confrelid) END,
  'refColumns', (SELECT coalesce(json_agg(attname ORDER BY attnum), '[]') FROM pg_catalog.pg_attribute WHERE attrelid = con.confrelid AND attnum = ANY(con.confkey))
) ORDER BY con.conrelid, con.contype, con.conname), '[]') AS constraints
FROM pg_catalog.pg_constraint con
WHERE con.conrelid = ANY($1::oid[]) AND con.contype IN ('p', 'u', 'c', 'f', 'x') AND con.conparentid = 0`;

export const indexesQuery = `
SELECT coalesce(json_agg(json_build_object('table', i.indrelid::bigint, 'def', pg_catalog.pg_get_indexdef(i.indexrelid))), '[]') AS indexes
FROM pg_catalog.pg_index i
WHERE i.indrelid = ANY($1::oid[])
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint con WHERE con.conindid = i.indexrelid AND con.contype IN ('p', 'u', 'x'))
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_inherits inh WHERE inh.inhrelid = i.indexrelid)`;

export const triggersQuery = `
SELECT coalesce(json_agg(json_build_object(
  'table', tg.tgrelid::bigint, 'name', tg.tgname, 'def', pg_catalog.pg_get_triggerdef(tg.oid),
  'functionDef', CASE WHEN l.lanname IN ('plpgsql', 'sql') THEN pg_catalog.pg_get_functiondef(p.oid) END, 'language', l.lanname
)), '[]') AS triggers
FROM pg_catalog.pg_trigger tg JOIN pg_catalog.pg_proc p ON p.oid = tg.tgfoid JOIN pg_catalog.pg_language l ON l.oid = p.prolang
WHERE tg.tgrelid = ANY($1::oid[]) AND NOT tg.tgisinternal AND tg.tgparentid = 0`;

export const policiesQuery = `
SELECT coalesce(json_agg(json_build_object(
  'table', pol.polrelid::bigint, 'name', pol.polname, 'permissive', pol.polpermissive, 'command', pol.polcmd,
  'roles', (SELECT coalesce(json_agg(CASE WHEN r = 0 THEN 'public' ELSE pg_catalog.pg_get_userbyid(r) END), '[]') FROM unnest(pol.polroles) r),
  'using', pg_catalog.pg_get_expr(pol.polqual, pol.polrelid), 'check', pg_catalog.pg_get_expr(pol.polwithcheck, pol.polrelid)
)), '[]') AS policies
FROM pg_catalog.pg_policy pol WHERE pol.polrelid = ANY($1::oid[])`;

/** Planner statistics only (no table rows): null fraction, distinct count, common values, histogram. */
export const statsQuery = `
SELECT coalesce(json_agg(json_build_object(
  'schema', s.schemaname, 'table', s.tablename, 'column', s.attname, 'nullFrac', s.null_frac, 'nDistinct', s.n_distinct,
  'mcv', s.most_common_vals::text::text[], 'mcf', s.most_common_freqs, 'histogram', s.histogram_bounds::text::text[]
)), '[]') AS stats
FROM pg_catalog.pg_stats s
JOIN pg_catalog.pg_namespace n ON n.nspname = s.schemaname
JOIN pg_catalog.pg_class c ON c.relnamespace = n.oid AND c.relname = s.tablename
WHERE c.oid = ANY($1::oid[]) AND NOT s.inherited`;

/** User types the columns use: enums and domains are reproduced, the rest reported. */
export const typesQuery = `
SELECT coalesce(json_agg(json_build_object(
  'qualified', ${qualified('n', 't.typname')}, 'kind', t.typtype,
  'labels', (SELECT coalesce(json_agg(enumlabel ORDER BY enumsortorder), '[]') FROM pg_catalog.pg_enum WHERE enumtypid = t.oid),
  'base', CASE WHEN t.typtype = 'd' THEN pg_catalog.format_type(t.typbasetype, t.typtypmod) END,
  'notNull', t.typnotnull, 'default', t.typdefault,
  'checks', (SELECT coalesce(json_agg(pg_catalog.pg_get_constraintdef(oid)), '[]') FROM pg_catalog.pg_constraint WHERE contypid = t.oid),
  'extension', (SELECT e.extname FROM pg_catalog.pg_depend d JOIN pg_catalog.pg_extension e ON e.oid = d.refobjid WHERE d.objid = t.oid AND d.classid = 'pg_type'::regclass AND d.deptype = 'e')
)), '[]') AS types
FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
WHERE t.oid IN (SELECT atttypid FROM pg_catalog.pg_attribute WHERE attrelid = ANY($1::oid[]) AND attnum > 0 AND NOT attisdropped
                UNION SELECT t2.typelem FROM pg_catalog.pg_attribute a2 JOIN pg_catalog.pg_type t2 ON t2.oid = a2.atttypid WHERE a2.attrelid = ANY($1::oid[]) AND t2.typelem <> 0)
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')`;

/** Sequences the columns' defaults call (serial, identity) with where they start. */
export const sequencesQuery = `
SELECT coalesce(json_agg(json_build_object('qualified', ${qualified('n', 'c.relname')}, 'start', s.seqstart::text, 'increment', s.seqincrement::text)), '[]') AS sequences
FROM pg_catalog.pg_depend d
JOIN pg_catalog.pg_class c ON c.oid = d.objid AND c.relkind = 'S'
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_sequence s ON s.seqrelid = c.oid
WHERE d.refobjid = ANY($1::oid[]) AND d.classid = 'pg_class'::regclass AND d.deptype <> 'i'`;

/** Every object class above as one row of JSON documents: the whole shape in one round trip. */
export const objectsQuery = `SELECT ${Object.entries({
  tables: tablesQuery,
  columns: columnsQuery,
  constraints: constraintsQuery,
  indexes: indexesQuery,
  triggers: triggersQuery,
  policies: policiesQuery,
  stats: statsQuery,
  types: typesQuery,
  sequences: sequencesQuery,
})
  .map(([name, query]) => `(${query.trim()}) AS ${name}`)
  .join(',\n')}`;
