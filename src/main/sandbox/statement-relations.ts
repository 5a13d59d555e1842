import type { PgNode } from '../sql/split';
import { splitSql } from '../sql/split';

export type Relation = [string | undefined, string];

/**
 * Every table a statement names (the one it writes or alters first), from the real parse tree:
 * the shape must hold targets too, which the classifier's read references leave out. CTE names
 * are not tables and are dropped.
 */
export function statementRelations(text: string): Relation[] {
  const node = splitSql(text)[0]?.node;
  if (!node) return [];
  const found: Relation[] = [];
  const ctes = new Set<string>();
  const stmt = Object.values(node)[0] as Record<string, unknown> | undefined;
  const target = stmt?.relation as Record<string, unknown> | undefined;
  if (target && typeof target.relname === 'string') found.push(toRelation(target));
  walk(node, (value) => {
    // A RangeVar appears wrapped ({RangeVar: …}) in lists and bare in fields such as `relation`.
    if (typeof value.relname === 'string') found.push(toRelation(value));
    if (typeof value.ctename === 'string') ctes.add(value.ctename);
  });
  const seen = new Set<string>();
  return found.filter(([schema, name]) => {
    const key = `${schema ?? ''}.${name}`;
    if (seen.has(key) || (!schema && ctes.has(name))) return false;
    seen.add(key);
    return true;
  });
}

function toRelation(rangeVar: Record<string, unknown>): Relation {
  return [typeof rangeVar.schemaname === 'string' ? rangeVar.schemaname : undefined, String(rangeVar.relname)];
}

function walk(value: unknown, visit: (value: Record<string, unknown>) => void): void {
  if (Array.isArray(value)) return value.forEach((item) => walk(item, visit));
  if (!value || typeof value !== 'object') return;
  visit(value as Record<string, unknown>);
  for (const child of Object.values(value as PgNode)) walk(child, visit);
}
