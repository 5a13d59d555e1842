import { ident, literal } from './ddl';
import type { Shape, ShapeColumn, ShapeStats, ShapeTable } from './shape';

/** The most synthetic rows one table gets; larger tables are scaled (counts become estimates). */
export const defaultRowCap = 100_000;

/** One table's seeding: the INSERT and how many server rows each sandbox row stands for. */
export interface SeedPlan {
  table: string;
  rows: number;
  scale: number;
  sql: string;
}

/**
 * INSERTs that fill the shaped tables from the server's statistics, parents before children:
 * null fraction, most common values with their frequencies and histogram bounds, so a WHERE
 * selects about the share it selects on the server. Keys are distinct; foreign keys pick
 * existing parent keys; conflicts are skipped. CHECKs and foreign keys are added after seeding.
 */
export function seedPlans(shape: Shape, rowCap = defaultRowCap): SeedPlan[] {
  const tables = byForeignKeys(shape.tables.filter((t) => (t.kind === 'r' && !t.partitionOf) || t.kind === 'p'));
  return tables.map((table) => {
    const serverRows = Math.max(0, Math.round(table.reltuples));
    const rows = Math.min(serverRows || 1_000, rowCap);
    const columns = table.columns.filter((c) => c.generated !== 's');
    const parents = foreignKeyParents(table, new Set(tables.map((t) => t.qualified)));
    const exprs = columns.map((c) => columnExpression(table, c, parents.get(c.name)));
    const from = [
      `generate_series(1, ${rows}) AS g`,
      ...[...new Set(parents.values())].map(
        (p) => `(SELECT array_agg(${ident(p.column)}) AS keys FROM ${p.table}) AS ${p.alias}`,
      ),
    ];
    const overriding = columns.some((c) => c.identity === 'a') ? ' OVERRIDING SYSTEM VALUE' : '';
    const sql = `INSERT INTO ${table.qualified} (${columns.map((c) => ident(c.name)).join(', ')})${overriding} SELECT ${exprs.join(', ')} FROM ${from.join(', ')} ON CONFLICT DO NOTHING`;
    return { table: table.qualified, rows, scale: serverRows > rows ? serverRows / rows : 1, sql };
  });
}

/** After seeding: sequences continue past the keys the seed used. */
export function sequenceResets(shape: Shape): string[] {
  const resets: string[] = [];
  for (const table of shape.tables.filter((t) => t.kind === 'r' || t.kind === 'p')) {
    for (const c of table.columns) {
      const sequence = c.default?.match(/nextval\('([^']+)'::regclass\)/)?.[1];
      if (sequence)
        resets.push(
          `SELECT setval(${literal(sequence)}, coalesce((SELECT max(${ident(c.name)}) FROM ${table.qualified}), 0) + 1, false)`,
        );
      if (c.identity)
        resets.push(
          `SELECT setval(pg_get_serial_sequence(${literal(table.qualified)}, ${literal(c.name)}), coalesce((SELECT max(${ident(c.name)}) FROM ${table.qualified}), 0) + 1, false)`,
        );
    }
  }
  return resets;
}

interface Parent {
  table: string;
  column: string;
  alias: string;
}

function foreignKeyParents(table: ShapeTable, shaped: Set<string>): Map<string, Parent> {
  const parents = new Map<string, Parent>();
  table.constraints
    .filter((c) => c.type === 'f' && c.references && shaped.has(c.references))
    .forEach((c, i) =>
      c.columns.forEach((column, k) =>
        parents.set(column, {
          table: c.references!,
          column: c.refColumns[k] ?? c.refColumns[0]!,
          alias: `fk${i}_${k}`,
        }),
      ),
    );
  return parents;
}

// Deterministic spread of g over [0, n): rows differ without random() (reproducible rehearsals).
const spread = (n: number | string) => `((g::bigint * 2654435761) % ${n})`;

function columnExpression(table: ShapeTable, column: ShapeColumn, parent: Parent | undefined): string {
  const stats = table.stats.find((s) => s.column === column.name);
  const unique = table.constraints.some(
    (c) => (c.type === 'p' || c.type === 'u') && c.columns.length === 1 && c.columns[0] === column.name,
  );
  let value: string;
  if (parent) value = `${parent.alias}.keys[1 + ${spread(`greatest(cardinality(${parent.alias}.keys), 1)`)}]`;
  else if (unique) value = uniqueValue(column, stats);
  else if (stats && (stats.mcv?.length || stats.histogram?.length)) value = fromStatistics(stats, column.type);
  else if (column.default && !column.identity)
    return nullable(column, stats, `DEFAULT_PLACEHOLDER`).replace('DEFAULT_PLACEHOLDER', column.default);
  else value = byType(column.type, column.userType);
  return nullable(column, stats, value);
}

function nullable(column: ShapeColumn, stats: ShapeStats | undefined, value: string): string {
  const nullFrac = column.notNull ? 0 : (stats?.nullFrac ?? 0);
  return nullFrac > 0
    ? `CASE WHEN ${spread(10_000)} < ${Math.round(nullFrac * 10_000)} THEN NULL ELSE ${value} END`
    : value;
}

function uniqueValue(column: ShapeColumn, stats: ShapeStats | undefined): string {
  if (/int|numeric|serial/.test(column.type)) return `g::${column.type}`;
  // A server value with a unique prefix keeps the value's form (an e-mail domain's CHECK still holds).
  if (/char|text/.test(column.type) || column.userType) {
    if (stats?.histogram?.length || stats?.mcv?.length)
      return `('u' || g || '-' || ${fromStatistics(stats, 'text')})::${column.type}`;
  }
  if (/uuid/.test(column.type)) return `(lpad(to_hex(g), 32, '0'))::uuid`;
  if (/char|text/.test(column.type) || column.userType) return `('k' || g)::${column.type}`;
  return byType(column.type, column.userType);
}

/**
 * A pool of 1,000 values: each most common value as often as its frequency, the rest spread
 * over the histogram's buckets (one bound per bucket), picked by a spread of g.
 */
function fromStatistics(stats: ShapeStats, type: string): string {
  const pool: string[] = [];
  (stats.mcv ?? []).forEach((value, i) => {
    for (let n = Math.round((stats.mcf?.[i] ?? 0) * 1000); n > 0; n--) pool.push(value);
  });
  const histogram = stats.histogram ?? [];
  const rest = Math.max(0, 1000 - pool.length);
  for (let i = 0; i < rest && histogram.length; i++)
    pool.push(histogram[Math.min(histogram.length - 1, Math.floor((i / rest) * histogram.length))]!);
  if (!pool.length) pool.push(...(stats.mcv ?? []));
  return `(ARRAY[${pool.map(literal).join(',')}]::${type}[])[1 + ${spread(pool.length)}]`;
}

function byType(type: string, userType: string | null): string {
  if (/^(smallint|integer|bigint|numeric|real|double precision)/.test(type)) return `(${spread(1000)})::${type}`;
  if (/^boolean/.test(type)) return `(${spread(2)} = 0)`;
  if (/^timestamp|^date/.test(type)) return `(now() - ${spread(365 * 24)} * interval '1 hour')::${type}`;
  if (/^uuid/.test(type)) return `(lpad(to_hex(g), 32, '0'))::uuid`;
  if (/^jsonb?/.test(type)) return `'{}'::${type}`;
  if (userType) return `(SELECT (enum_range(NULL::${type}))[1 + ${spread(`cardinality(enum_range(NULL::${type}))`)}])`;
  return `('v' || ${spread(1000)})::${type}`;
}

/** Parents before children, so a child's foreign keys find their parent's keys (cycles: any order). */
function byForeignKeys(tables: ShapeTable[]): ShapeTable[] {
  const done = new Set<string>();
  const visiting = new Set<string>();
  const ordered: ShapeTable[] = [];
  const visit = (t: ShapeTable) => {
    if (done.has(t.qualified) || visiting.has(t.qualified)) return;
    visiting.add(t.qualified);
    for (const c of t.constraints.filter((c) => c.type === 'f' && c.references !== t.qualified)) {
      const parent = tables.find((p) => p.qualified === c.references);
      if (parent) visit(parent);
    }
    done.add(t.qualified);
    ordered.push(t);
  };
  tables.forEach(visit);
  return ordered;
}
