import type pg from 'pg';
import { columnIsMasked } from '../../shared/profile';
import { extended, withReadOnlyTransaction } from '../postgres/read-only-transaction';
import type { SandboxEngine } from './sandbox-engine';
import type { Shape, ShapeTable } from './shape';

/** The most rows sample mode copies per statement, and the most bytes in all (a 10 GB table is never copied). */
export const sampleCopyRowLimit = 10_000;
export const sampleCopyByteLimit = 16 * 1024 * 1024;

/** What sample mode copied from the server: each statement's exact count, and masked rows per table. */
export interface SampleCopy {
  /** Per statement (by index): the server's count of the rows its own predicate selects. */
  counts: Map<number, number>;
  /** Per table (schema.name): its copied rows, masked, parents included. */
  tables: Map<string, Record<string, unknown>[]>;
  /** Why the copy is partial, if it is (limits). */
  partial: string[];
}

interface CopyRequest {
  index: number;
  table: ShapeTable;
  queries: { count: string; rows: string };
  values: unknown[];
}

/**
 * Reads, through the read-only path, the rows each statement's own predicate selects (up to the
 * limits), the rows that reference them (one hop) and the foreign-key parents of all of them, then masks every column matching the
 * profile's patterns: unmasked values never leave this function.
 */
export function readSampleCopy(
  client: pg.Client,
  requests: CopyRequest[],
  shape: Shape,
  maskPatterns: readonly string[],
): Promise<SampleCopy> {
  return withReadOnlyTransaction(client, { statementTimeoutMs: 30_000 }, async () => {
    const copy: SampleCopy = { counts: new Map(), tables: new Map(), partial: [] };
    const budget = { bytes: sampleCopyByteLimit };
    for (const request of requests) {
      const count = await client.query(extended({ text: request.queries.count, values: request.values }));
      copy.counts.set(request.index, Number((count.rows[0] as { n: string }).n));
      const rows = await client.query(extended({ text: request.queries.rows, values: request.values }));
      add(copy, request.table.qualified, rows.rows as Record<string, unknown>[], budget);
    }
    await addChildren(client, copy, requests, shape, budget);
    await addParents(client, copy, shape, budget);
    if (budget.bytes < 0) copy.partial.push(`the copy stopped at ${sampleCopyByteLimit / 1024 / 1024} MB`);
    for (const [qualified, rows] of copy.tables)
      copy.tables.set(qualified, maskRows(rows, tableOf(shape, qualified), maskPatterns));
    return copy;
  });
}

function add(
  copy: SampleCopy,
  table: string,
  rows: Record<string, unknown>[],
  budget: { bytes: number },
): Record<string, unknown>[] {
  const held = copy.tables.get(table) ?? [];
  const seen = new Set(held.map((r) => JSON.stringify(r)));
  const added: Record<string, unknown>[] = [];
  for (const row of rows) {
    const key = JSON.stringify(row);
    if (seen.has(key)) continue;
    budget.bytes -= key.length;
    if (budget.bytes < 0) break;
    seen.add(key);
    added.push(row);
  }
  copy.tables.set(table, [...held, ...added]);
  return added;
}

/**
 * Rows one foreign-key hop below the statements' own rows (those that reference them): without
 * them a DELETE the server's foreign key refuses, or one that cascades, would look harmless.
 */
async function addChildren(
  client: pg.Client,
  copy: SampleCopy,
  requests: CopyRequest[],
  shape: Shape,
  budget: { bytes: number },
): Promise<void> {
  for (const target of new Set(requests.map((r) => r.table))) {
    const rows = copy.tables.get(target.qualified) ?? [];
    for (const child of shape.tables) {
      for (const fk of child.constraints.filter((c) => c.type === 'f' && c.references === target.qualified)) {
        if (!rows.length) continue;
        const found = await client.query(
          extended(keyedSelect(child, fk.columns, fk.refColumns, rows, sampleCopyRowLimit)),
        );
        add(copy, child.qualified, found.rows as Record<string, unknown>[], budget);
      }
    }
  }
}

/** `SELECT * FROM table WHERE (columns) IN (the keys the rows hold in keyColumns)`, keys bound as typed arrays. */
function keyedSelect(
  table: ShapeTable,
  columns: string[],
  keyColumns: string[],
  rows: Record<string, unknown>[],
  limit?: number,
): { text: string; values: unknown[] } {
  const types = columns.map((column) => table.columns.find((c) => c.name === column)?.type ?? 'text');
  const unnest = types.map((t, i) => `$${i + 1}::${t}[]`).join(', ');
  const text = `SELECT t.* FROM ${table.qualified} t WHERE (${columns.map((c) => `t.${quote(c)}`).join(', ')}) IN (SELECT * FROM unnest(${unnest}))${limit ? ` LIMIT ${limit}` : ''}`;
  return { text, values: keyColumns.map((column) => rows.map((row) => row[column] ?? null)) };
}

/** Foreign-key parents of every copied row, table by table until no new parent row turns up. */
async function addParents(client: pg.Client, copy: SampleCopy, shape: Shape, budget: { bytes: number }): Promise<void> {
  let pending = [...copy.tables.entries()];
  for (let depth = 0; pending.length && depth < 50; depth++) {
    const next: [string, Record<string, unknown>[]][] = [];
    for (const [qualified, rows] of pending) {
      for (const fk of tableOf(shape, qualified)?.constraints.filter((c) => c.type === 'f' && c.references) ?? []) {
        const parent = tableOf(shape, fk.references!);
        if (!parent || !rows.length) continue;
        const found = await client.query(extended(keyedSelect(parent, fk.refColumns, fk.columns, rows)));
        const added = add(copy, parent.qualified, found.rows as Record<string, unknown>[], budget);
        if (added.length) next.push([parent.qualified, added]);
      }
    }
    pending = next;
  }
}

/**
 * Loads the copy into the sandbox inside the rehearsal's transaction: the copied tables (and, by
 * CASCADE, their synthetic children) emptied, the rows inserted without firing triggers or
 * foreign-key checks (parents and children arrive in any order; the server already holds them).
 */
export async function loadSampleCopy(
  engine: SandboxEngine,
  copy: SampleCopy,
  shape: Shape,
  missing: Set<string>,
): Promise<void> {
  // A table the sandbox could not make (reported as unreproduced) gets no rows.
  const tables = [...copy.tables.keys()]
    .filter((q) => !missing.has(q))
    .map((q) => tableOf(shape, q))
    .filter((t): t is ShapeTable => !!t);
  if (!tables.length) return;
  await engine.query(`TRUNCATE ${tables.map((t) => t.qualified).join(', ')} CASCADE`);
  await engine.query("SELECT set_config('session_replication_role', 'replica', true)");
  for (const table of tables) {
    const columns = table.columns
      .filter((c) => c.generated !== 's')
      .map((c) => quote(c.name))
      .join(', ');
    await engine.query(
      `INSERT INTO ${table.qualified} (${columns}) OVERRIDING SYSTEM VALUE SELECT ${columns} FROM json_populate_recordset(NULL::${table.qualified}, $1::json)`,
      [JSON.stringify(copy.tables.get(table.qualified))],
    );
  }
  await engine.query("SELECT set_config('session_replication_role', 'origin', true)");
}

function maskRows(
  rows: Record<string, unknown>[],
  table: ShapeTable | undefined,
  patterns: readonly string[],
): Record<string, unknown>[] {
  // By the row's own column names: a row is masked even where the shape would not say its type.
  const masked = Object.keys(rows[0] ?? {}).filter((name) => columnIsMasked(name, patterns));
  if (!masked.length) return rows;
  const typeOf = (name: string) => table?.columns.find((c) => c.name === name)?.type ?? 'text';
  return rows.map((row, n) => ({
    ...row,
    ...Object.fromEntries(masked.map((name) => [name, maskValue(row[name], typeOf(name), n)])),
  }));
}

/**
 * A stand-in of the column's type, different for every row (a UNIQUE column stays unique); an
 * e-mail keeps its form so a domain CHECK still holds. Never derived from the value itself.
 */
export function maskValue(value: unknown, type: string, row: number): unknown {
  if (value === null || value === undefined) return value;
  const n = row + 1;
  if (/^(smallint|integer|bigint|numeric|real|double precision)/.test(type)) return n;
  if (/^(boolean)/.test(type)) return false;
  if (/^(date|timestamp)/.test(type)) return '2000-01-01';
  if (type === 'uuid') return `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  if (/^jsonb?$/.test(type)) return {};
  if (typeof value === 'string' && value.includes('@')) return `masked${n}@example.invalid`;
  return `•••• masked ${n}`;
}

function tableOf(shape: Shape, qualified: string): ShapeTable | undefined {
  return shape.tables.find((t) => t.qualified === qualified);
}

function quote(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
