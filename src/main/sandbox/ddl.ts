import type { Shape, ShapeTable } from './shape';

/** One DDL statement for the sandbox, named by the object it makes. */
export interface DdlStep {
  object: string;
  sql: string;
  /** The table it belongs to: a failed table step means statements on it cannot be rehearsed. */
  table?: string;
  /** What failing means for the rehearsal, in plain words. */
  meaning: string;
  /**
   * Its SQL in the one-script fast path, when that differs: a CREATE TABLE with its keys folded
   * in, or one ALTER for all of a table's foreign keys ('' for the steps another one covers). The
   * step-by-step path, taken when the script fails, runs `sql` to say which object failed.
   */
  fast?: string;
}

/** The shape as DDL in the order Postgres needs it; `before` seeding, `after` once rows are in. */
export function shapeToDdl(shape: Shape): { before: DdlStep[]; after: DdlStep[] } {
  const before: DdlStep[] = [];
  const after: DdlStep[] = [];
  for (const schema of shape.schemas.filter((s) => s !== 'public'))
    before.push({
      object: `schema ${schema}`,
      sql: `CREATE SCHEMA IF NOT EXISTS ${ident(schema)}`,
      meaning: 'its objects cannot be made',
    });
  for (const e of shape.enums)
    before.push({
      object: `enum ${e.qualified}`,
      sql: `CREATE TYPE ${e.qualified} AS ENUM (${e.labels.map(literal).join(', ')})`,
      meaning: 'columns of this type cannot be made',
    });
  for (const d of shape.domains) {
    const parts = [
      `CREATE DOMAIN ${d.qualified} AS ${d.base}`,
      d.default ? `DEFAULT ${d.default}` : '',
      d.notNull ? 'NOT NULL' : '',
      ...d.checks,
    ];
    before.push({
      object: `domain ${d.qualified}`,
      sql: parts.filter(Boolean).join(' '),
      meaning: 'columns of this domain cannot be made',
    });
  }
  for (const s of shape.sequences)
    before.push({
      object: `sequence ${s.qualified}`,
      sql: `CREATE SEQUENCE IF NOT EXISTS ${s.qualified} START ${s.start} INCREMENT ${s.increment}`,
      meaning: 'defaults that call it fail',
    });
  const tables = orderByPartition(shape.tables.filter((t) => t.kind === 'r' || t.kind === 'p'));
  for (const table of tables) before.push(...tableSteps(table));
  for (const table of tables) after.push(...laterSteps(table));
  // Foreign keys last, after the indexes: one ALTER per table validates them in one pass.
  for (const table of tables) after.push(...foreignKeySteps(table));
  for (const view of shape.tables.filter((t) => t.viewDef)) {
    after.push({
      object: `view ${view.qualified}`,
      sql: `CREATE ${view.kind === 'm' ? 'MATERIALIZED VIEW' : 'VIEW'} ${view.qualified} AS ${view.viewDef!.replace(/;\s*$/, '')}`,
      table: view.qualified,
      meaning: 'statements reading it cannot be rehearsed',
    });
  }
  return { before, after };
}

/** The table, then its primary, unique and exclusion keys: folded into the CREATE TABLE on the fast path (a plain table only). */
function tableSteps(table: ShapeTable): DdlStep[] {
  const create = createTable(table);
  const keys = table.constraints.filter((c) => c.type === 'p' || c.type === 'u' || c.type === 'x');
  const foldable = !table.partitionOf && !table.partitionKey && keys.length > 0;
  const steps = keys.map((c): DdlStep => ({
    object: `constraint ${c.name} on ${table.qualified}`,
    sql: `ALTER TABLE ONLY ${table.qualified} ADD CONSTRAINT ${ident(c.name)} ${c.def}`,
    table: table.qualified,
    meaning: 'duplicates it would refuse are not caught',
    ...(foldable ? { fast: '' } : {}),
  }));
  if (foldable)
    create.fast = create.sql.replace(/\)$/, `, ${keys.map((c) => `CONSTRAINT ${ident(c.name)} ${c.def}`).join(', ')})`);
  return [create, ...steps];
}

function createTable(table: ShapeTable): DdlStep {
  const meaning = 'statements on this table cannot be rehearsed';
  if (table.partitionOf) {
    return {
      object: `partition ${table.qualified}`,
      sql: `CREATE TABLE ${table.qualified} PARTITION OF ${table.partitionOf.parent} ${table.partitionOf.bound}`,
      table: table.qualified,
      meaning,
    };
  }
  const columns = table.columns.map((c) => {
    const identity = c.identity ? ` GENERATED ${c.identity === 'a' ? 'ALWAYS' : 'BY DEFAULT'} AS IDENTITY` : '';
    const generated = c.generated === 's' && c.default ? ` GENERATED ALWAYS AS (${c.default}) STORED` : '';
    const fallback = !identity && !generated && c.default ? ` DEFAULT ${c.default}` : '';
    return `${ident(c.name)} ${c.type}${identity}${generated}${fallback}${c.notNull ? ' NOT NULL' : ''}`;
  });
  const partition = table.partitionKey ? ` PARTITION BY ${table.partitionKey}` : '';
  return {
    object: `table ${table.qualified}`,
    sql: `CREATE TABLE ${table.qualified} (${columns.join(', ')})${partition}`,
    table: table.qualified,
    meaning,
  };
}

function laterSteps(table: ShapeTable): DdlStep[] {
  const steps: DdlStep[] = [];
  const on = `on ${table.qualified}`;
  for (const c of table.constraints.filter((c) => c.type === 'c')) {
    steps.push({
      object: `constraint ${c.name} ${on}`,
      sql: `ALTER TABLE ONLY ${table.qualified} ADD CONSTRAINT ${ident(c.name)} ${c.def}`,
      meaning: 'a value this CHECK refuses is not caught',
    });
  }
  for (const def of table.indexes)
    steps.push({
      object: `index ${def.match(/INDEX (\S+)/)?.[1] ?? ''} ${on}`,
      sql: def,
      meaning: 'locks and plans that involve this index differ',
    });
  for (const trigger of table.triggers) {
    if (trigger.functionDef)
      steps.push({
        object: `trigger function of ${trigger.name} ${on}`,
        sql: trigger.functionDef,
        meaning: 'the trigger cannot be made',
      });
    steps.push({
      object: `trigger ${trigger.name} ${on}`,
      sql: trigger.def,
      meaning: "the trigger's effects (and failures) are not rehearsed",
    });
  }
  if (table.rls.enabled)
    steps.push({
      object: `row-level security ${on}`,
      sql: `ALTER TABLE ${table.qualified} ENABLE ROW LEVEL SECURITY`,
      meaning: 'row filtering is not rehearsed',
    });
  if (table.rls.forced)
    steps.push({
      object: `forced row-level security ${on}`,
      sql: `ALTER TABLE ${table.qualified} FORCE ROW LEVEL SECURITY`,
      meaning: 'row filtering for the owner is not rehearsed',
    });
  for (const policy of table.rls.policies)
    steps.push({ object: `policy ${policy.name} ${on}`, sql: policy.def, meaning: 'this policy is not rehearsed' });
  return steps.map((step) => ({ ...step, table: table.qualified }));
}

function foreignKeySteps(table: ShapeTable): DdlStep[] {
  const keys = table.constraints.filter((c) => c.type === 'f');
  const steps = keys.map((c): DdlStep => ({
    object: `constraint ${c.name} on ${table.qualified}`,
    sql: `ALTER TABLE ${table.qualified} ADD CONSTRAINT ${ident(c.name)} ${c.def}`,
    table: table.qualified,
    meaning: 'a statement that breaks this foreign key is not caught',
    fast: '',
  }));
  if (steps[0])
    steps[0].fast = `ALTER TABLE ${table.qualified} ${keys.map((c) => `ADD CONSTRAINT ${ident(c.name)} ${c.def}`).join(', ')}`;
  return steps;
}

/** Parents before their partitions (a partition names its parent). */
function orderByPartition(tables: ShapeTable[]): ShapeTable[] {
  const done = new Set<string>();
  const ordered: ShapeTable[] = [];
  const visit = (t: ShapeTable) => {
    if (done.has(t.qualified)) return;
    done.add(t.qualified);
    const parent = t.partitionOf && tables.find((p) => p.qualified === t.partitionOf!.parent);
    if (parent) visit(parent);
    ordered.push(t);
  };
  tables.forEach(visit);
  return ordered;
}

export function ident(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

export function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
