import type pg from 'pg';
import { extended, withReadOnlyTransaction } from '../postgres/read-only-transaction';
import type { Shape, ShapeColumn, ShapeConstraint, ShapeStats, ShapeTable } from './shape';
import * as q from './shape-queries';

/** How many tables a shape may hold: a 20,000-table schema is cut to what the statements touch. */
export const maxShapeTables = 200;

type Json<T> = T & { table: number };

async function one<T>(client: pg.Client, text: string, values: unknown[]): Promise<T> {
  const result = await client.query(extended({ text, values }));
  const row = result.rows[0] as Record<string, unknown>;
  const value = Object.values(row)[0];
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

/**
 * Reads the shape of `relations` (names as the statements wrote them) and of every table one
 * foreign-key hop away, on a client that is already inside the read-only path. Catalog and
 * statistics only: no table row is read.
 */
export async function readShape(client: pg.Client, relations: string[], takenAt: string): Promise<Shape> {
  const oids = await one<number[]>(client, q.relationOidsQuery, [relations, maxShapeTables]);
  // Two round trips in all (the oids, then every object class at once): through an SSH hop each
  // one costs a network round trip, and a pg client runs one query at a time.
  const objects = (await client.query(extended({ text: q.objectsQuery, values: [oids] }))).rows[0] as Record<
    string,
    unknown
  >;
  const doc = <T>(name: string): T =>
    (typeof objects[name] === 'string' ? JSON.parse(objects[name]) : objects[name]) as T;
  const tables = doc<
    (Omit<ShapeTable, 'columns' | 'constraints' | 'indexes' | 'triggers' | 'rls' | 'stats' | 'partitionOf'> & {
      oid: number;
      rlsEnabled: boolean;
      rlsForced: boolean;
      partitionParent: string | null;
      partitionBound: string | null;
    })[]
  >('tables');
  const columns = doc<Json<ShapeColumn>[]>('columns');
  const constraints = doc<Json<ShapeConstraint>[]>('constraints');
  const indexes = doc<Json<{ def: string }>[]>('indexes');
  const triggers = doc<Json<ShapeTable['triggers'][number]>[]>('triggers');
  const policies = doc<
    Json<{
      name: string;
      permissive: boolean;
      command: string;
      roles: string[];
      using: string | null;
      check: string | null;
    }>[]
  >('policies');
  const stats = doc<(ShapeStats & { schema: string; table: string })[]>('stats');
  const types = doc<
    {
      qualified: string;
      kind: string;
      labels: string[];
      base: string | null;
      notNull: boolean;
      default: string | null;
      checks: string[];
      extension: string | null;
    }[]
  >('types');
  const sequences = doc<Shape['sequences']>('sequences');
  const of = <T extends { table: number }>(rows: T[], oid: number) => rows.filter((r) => r.table === oid);
  return {
    takenAt,
    schemas: [...new Set(tables.map((t) => t.schema))],
    enums: types
      .filter((t) => t.kind === 'e' && !t.extension)
      .map((t) => ({ qualified: t.qualified, labels: t.labels })),
    domains: types
      .filter((t) => t.kind === 'd' && !t.extension)
      .map((t) => ({
        qualified: t.qualified,
        base: t.base!,
        notNull: t.notNull,
        default: t.default,
        checks: t.checks,
      })),
    otherTypes: types
      .filter((t) => !['e', 'd'].includes(t.kind) || t.extension)
      .map((t) => ({ qualified: t.qualified, kind: t.kind, extension: t.extension })),
    sequences,
    tables: tables.map((t) => ({
      qualified: t.qualified,
      schema: t.schema,
      name: t.name,
      kind: t.kind,
      reltuples: Number(t.reltuples),
      bytes: Number(t.bytes),
      columns: of(columns, t.oid),
      constraints: of(constraints, t.oid),
      indexes: of(indexes, t.oid).map((i) => i.def),
      triggers: of(triggers, t.oid),
      rls: {
        enabled: t.rlsEnabled,
        forced: t.rlsForced,
        policies: of(policies, t.oid).map((p) => ({ name: p.name, roles: p.roles, def: policyDef(t.qualified, p) })),
      },
      partitionKey: t.partitionKey,
      partitionOf: t.partitionParent ? { parent: t.partitionParent, bound: t.partitionBound ?? 'DEFAULT' } : null,
      viewDef: t.viewDef,
      stats: stats.filter((s) => s.schema === t.schema && s.table === t.name),
    })),
  };
}

const commands: Record<string, string> = { r: 'SELECT', a: 'INSERT', w: 'UPDATE', d: 'DELETE', '*': 'ALL' };

function policyDef(
  table: string,
  p: { name: string; permissive: boolean; command: string; using: string | null; check: string | null },
): string {
  const name = `"${p.name.replace(/"/g, '""')}"`;
  // Roles are left out on purpose: the sandbox has none of the server's roles (reported apart).
  return `CREATE POLICY ${name} ON ${table} AS ${p.permissive ? 'PERMISSIVE' : 'RESTRICTIVE'} FOR ${commands[p.command] ?? 'ALL'}${p.using ? ` USING (${p.using})` : ''}${p.check ? ` WITH CHECK (${p.check})` : ''}`;
}

/** Reads the shape through the profile's read path with the read-only limits. */
export function readShapeReadOnly(client: pg.Client, relations: string[], takenAt: string): Promise<Shape> {
  return withReadOnlyTransaction(client, { statementTimeoutMs: 30_000 }, () => readShape(client, relations, takenAt));
}
