/** What the catalog classifier asks the server about names a statement uses, and what it gets back. */

/** One object the lookup found under a name. */
export interface CatalogRow {
  kind: 'f' | 'o' | 'v' | 't';
  name: string;
  schema: string;
  /**
   * Functions: the language; operators: the function's schema-qualified name; relations: v (view),
   * p (a policy), f (a foreign table, or a table with one below it) or another relkind; types: the typtype.
   */
  detail: string;
  /**
   * SQL functions' body, views' definition, a row-level security policy's USING as a SELECT; for a
   * type, a SELECT of what a cast to it runs (see catalogLookupText), null when it cannot be told.
   */
  body: string | null;
}

// One round trip for every name at one depth, each matched by unqualified name (a name in several
// schemas counts for all of them):
// - user functions (not pg_catalog) and user operators;
// - relations other than plain tables, partitioned tables, materialized views and sequences: views
//   (their definition is walked), foreign tables and tables with a foreign partition or child (they
//   read through a foreign data wrapper), any other kind;
// - the USING expressions of row-level security policies (a read evaluates them);
// - user types (not pg_catalog). A cast to a type runs its input function, a domain's base type's
//   input and its CHECK expressions, a composite's column types', an array's element type's, and
//   any cast function to it: the type's body is a SELECT calling all of these, walked like a view's
//   definition (an enum's enum_in is a harmless built-in; an extension's C input function or a
//   PL/pgSQL check is not). Ranges, multiranges and pseudo-types have no body: unknown.
export const catalogLookupText = `
SELECT 'f' AS kind, p.proname::text AS name, n.nspname::text AS schema, l.lanname::text AS detail,
       CASE WHEN l.lanname = 'sql' AND p.prosqlbody IS NULL THEN p.prosrc END AS body
FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
JOIN pg_catalog.pg_language l ON l.oid = p.prolang
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND p.proname = ANY($1::text[])
UNION ALL
SELECT 'o', o.oprname::text, n.nspname::text, pn.nspname::text || '.' || p.proname::text, NULL
FROM pg_catalog.pg_operator o JOIN pg_catalog.pg_namespace n ON n.oid = o.oprnamespace
JOIN pg_catalog.pg_proc p ON p.oid = o.oprcode JOIN pg_catalog.pg_namespace pn ON pn.oid = p.pronamespace
WHERE n.nspname <> 'pg_catalog' AND o.oprname = ANY($2::text[])
UNION ALL
SELECT 'v', c.relname::text, n.nspname::text, CASE WHEN c.relkind IN ('r', 'p') THEN 'f' ELSE c.relkind::text END,
       CASE WHEN c.relkind = 'v' THEN pg_catalog.pg_get_viewdef(c.oid) END
FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND c.relname = ANY($3::text[])
  AND (c.relkind NOT IN ('r', 'p', 'm', 'S') OR c.relkind IN ('r', 'p') AND EXISTS (
    WITH RECURSIVE below(oid) AS (
      SELECT i.inhrelid FROM pg_catalog.pg_inherits i WHERE i.inhparent = c.oid
      UNION SELECT i.inhrelid FROM pg_catalog.pg_inherits i JOIN below b ON i.inhparent = b.oid)
    SELECT FROM below b JOIN pg_catalog.pg_class k ON k.oid = b.oid WHERE k.relkind = 'f'))
UNION ALL
SELECT 'v', c.relname::text, n.nspname::text, 'p', 'SELECT ' || pg_catalog.pg_get_expr(p.polqual, p.polrelid)
FROM pg_catalog.pg_policy p JOIN pg_catalog.pg_class c ON c.oid = p.polrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relrowsecurity AND p.polqual IS NOT NULL AND c.relname = ANY($3::text[])
UNION ALL
SELECT 't', t.typname::text, n.nspname::text, t.typtype::text,
       CASE WHEN t.typtype IN ('b', 'c', 'd', 'e') THEN pg_catalog.concat(
         pg_catalog.format('SELECT %I.%I(NULL)', pn.nspname, p.proname),
         (SELECT pg_catalog.string_agg(pg_catalog.format(', NULL::%I.%I', en.nspname, e.typname), '')
          FROM pg_catalog.pg_type e JOIN pg_catalog.pg_namespace en ON en.oid = e.typnamespace
          WHERE e.oid IN (t.typbasetype, t.typelem) OR e.oid IN (SELECT a.atttypid FROM pg_catalog.pg_attribute a
            WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped)),
         (SELECT pg_catalog.string_agg(', (' || pg_catalog.pg_get_expr(k.conbin, 0) || ')', '')
          FROM pg_catalog.pg_constraint k WHERE k.contypid = t.oid AND k.contype = 'c'),
         (SELECT pg_catalog.string_agg(pg_catalog.format(', %I.%I(NULL)', fn.nspname, f.proname), '')
          FROM pg_catalog.pg_cast k JOIN pg_catalog.pg_proc f ON f.oid = k.castfunc
          JOIN pg_catalog.pg_namespace fn ON fn.oid = f.pronamespace WHERE k.casttarget = t.oid)) END
FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
JOIN pg_catalog.pg_proc p ON p.oid = t.typinput JOIN pg_catalog.pg_namespace pn ON pn.oid = p.pronamespace
WHERE n.nspname <> 'pg_catalog' AND t.typname = ANY($4::text[])`;
