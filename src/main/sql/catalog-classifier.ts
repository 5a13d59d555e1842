import type pg from 'pg';
import { byRiskDescending, riskOfReason, worstRisk, type Reason, type SqlClassification } from '../../shared/risk';
import { analyzeSql, initSqlClassifier, type AnalyzedStatement } from './classifier';
import { catalogLookupText, type CatalogRow } from './catalog-lookup';
import { reasonForFunction, type QualifiedName } from './functions';
import type { PgConnectionRegistry } from '../postgres/connection-registry';
import { withReadOnlyTransaction } from '../postgres/read-only-transaction';

/**
 * What a name resolved to: the reasons calling (or reading) it adds, none when harmless; null when
 * the catalog has no user object of that name (the offline verdict stands).
 */
type Resolved = readonly string[] | null;

interface ProfileCache {
  /** The connection the cache was filled on: a new one (reconnect) starts over. */
  client: pg.Client;
  /** When it was started: after `cacheTtlMs` it starts over (others change the catalog too). */
  createdAt: number;
  functions: Map<string, Resolved>;
  operators: Map<string, Resolved>;
  relations: Map<string, Resolved>;
  types: Map<string, Resolved>;
}

/** How long what was learnt about a catalog is trusted before it is looked up again. */
const cacheTtlMs = 60_000;

/** Nested views and SQL functions beyond this depth are `unknown` (a loop, or too deep to matter). */
const maxDepth = 8;

/**
 * The classifier with the server's own catalog: user-defined functions and operators are harmless
 * only when they are SQL functions whose bodies classify as reads, a view adds the reasons of its
 * definition (views over views, SQL functions calling functions, resolved the same way), a foreign
 * table is never a read, and a cast to a user type adds the reasons of what the cast runs.
 * Cached per profile until the connection is rebuilt, a committed change (`forget`), or 60 s.
 */
export class CatalogClassifier {
  readonly #caches = new Map<string, ProfileCache>();

  constructor(private readonly connections: Pick<PgConnectionRegistry, 'run' | 'peek'>) {}

  async classify(sql: string, profileId: string): Promise<SqlClassification> {
    await initSqlClassifier();
    const analysis = analyzeSql(sql);
    if (!analysis.statements.some(hasReferences)) return strip(analysis.statements);
    // Every name known on the live connection: no round trip (and no wait behind a pending preview).
    const cached = this.#caches.get(profileId);
    const live = await this.connections.peek(profileId, 'read')?.catch(() => undefined);
    if (cached && live === cached.client && fresh(cached) && isEmpty(missingNames(cached, analysis.statements))) {
      return strip(analysis.statements.map((statement) => applyCatalog(statement, cached)));
    }
    return this.connections.run(
      profileId,
      async (client) => {
        const cache = this.cacheFor(profileId, client);
        await this.resolve(client, cache, analysis.statements, 0);
        return strip(analysis.statements.map((statement) => applyCatalog(statement, cache)));
      },
      'read',
    );
  }

  /** Forgets what was learnt about a profile's catalog (after a committed change: it may have been DDL). */
  forget(profileId: string): void {
    this.#caches.delete(profileId);
  }

  private cacheFor(profileId: string, client: pg.Client): ProfileCache {
    let cache = this.#caches.get(profileId);
    if (!cache || cache.client !== client || !fresh(cache)) {
      cache = {
        client,
        createdAt: Date.now(),
        functions: new Map(),
        operators: new Map(),
        relations: new Map(),
        types: new Map(),
      };
      this.#caches.set(profileId, cache);
    }
    return cache;
  }

  /** Looks up every name not cached yet, then the names their bodies use, depth by depth. */
  private async resolve(
    client: pg.Client,
    cache: ProfileCache,
    statements: AnalyzedStatement[],
    depth: number,
  ): Promise<void> {
    const missing = missingNames(cache, statements);
    if (isEmpty(missing)) return;
    if (depth >= maxDepth) return markUnknown(cache, missing);
    const rows = await withReadOnlyTransaction(client, { statementTimeoutMs: 10_000 }, async () => {
      const result = await client.query<CatalogRow>({
        text: catalogLookupText,
        values: [missing.functions, missing.operators, missing.relations, missing.types],
      });
      return result.rows;
    });
    const bodies = new Map<CatalogRow, AnalyzedStatement[]>();
    for (const row of rows) if (row.body) bodies.set(row, analyzeSql(row.body).statements);
    // Names being resolved count as unknown until their bodies are: a recursive function stays unknown.
    markUnknown(cache, missing);
    const operatorFunctions = rows
      .filter((r) => r.kind === 'o')
      .map((r): AnalyzedStatement['references']['functions'][number] => splitQualified(r.detail));
    const nested = [...bodies.values()].flat();
    nested.push(referencesOnly({ functions: operatorFunctions, operators: [], relations: [], types: [] }));
    await this.resolve(client, cache, nested, depth + 1);
    settle(cache, missing, rows, bodies);
  }
}

function fresh(cache: ProfileCache): boolean {
  return Date.now() - cache.createdAt < cacheTtlMs;
}

function hasReferences(statement: AnalyzedStatement): boolean {
  const refs = statement.references;
  return refs.functions.length + refs.operators.length + refs.relations.length + refs.types.length > 0;
}

const key = ([, name]: QualifiedName) => name;

type Names = { functions: string[]; operators: string[]; relations: string[]; types: string[] };

function isEmpty(names: Names): boolean {
  return names.functions.length + names.operators.length + names.relations.length + names.types.length === 0;
}

function missingNames(cache: ProfileCache, statements: AnalyzedStatement[]): Names {
  const pick = (
    names: QualifiedName[],
    map: Map<string, Resolved>,
    skip: (n: QualifiedName) => boolean = () => false,
  ) => [...new Set(names.filter((n) => !skip(n)).map(key))].filter((name) => !map.has(name));
  const refs = statements.map((s) => s.references);
  return {
    functions: pick(
      refs.flatMap((r) => r.functions),
      cache.functions,
    ),
    operators: pick(
      refs.flatMap((r) => r.operators),
      cache.operators,
    ),
    relations: pick(
      refs.flatMap((r) => r.relations),
      cache.relations,
      ([schema]) => schema === 'pg_catalog' || schema === 'information_schema',
    ),
    types: pick(
      refs.flatMap((r) => r.types),
      cache.types,
      ([schema]) => schema === 'pg_catalog',
    ),
  };
}

function markUnknown(cache: ProfileCache, missing: Names): void {
  for (const name of missing.functions) cache.functions.set(name, [`unknown_function:${name}`]);
  for (const name of missing.operators) cache.operators.set(name, [`unknown_operator:${name}`]);
  // A view nested deeper than maxDepth: too deep to vouch for.
  for (const name of missing.relations) cache.relations.set(name, ['too_complex']);
  for (const name of missing.types) cache.types.set(name, [`unknown_type:${name}`]);
}

/**
 * Records what each looked-up name resolved to, once the names its bodies use are known: a view
 * over another view of the same lookup waits for it. A name that depends on itself (a recursive
 * function) keeps the `unknown` it was marked with.
 */
function settle(
  cache: ProfileCache,
  missing: Names,
  rows: CatalogRow[],
  bodies: Map<CatalogRow, AnalyzedStatement[]>,
): void {
  const maps = { f: cache.functions, o: cache.operators, v: cache.relations, t: cache.types };
  const bodyOf = (row: CatalogRow) => bodies.get(row);
  const reasonsOf = (row: CatalogRow): string[] => {
    if (row.kind === 'o') return operatorReasons(row, cache);
    if (row.kind === 'v' && row.detail === 'f') return [`foreign_table:${row.schema}.${row.name}`];
    if (row.kind === 'v' && row.detail !== 'v' && row.detail !== 'p')
      return [`unknown_relation:${row.schema}.${row.name}`];
    const body = bodyOf(row);
    if (!body) return [`${row.kind === 't' ? 'unknown_type' : 'unknown_function'}:${row.schema}.${row.name}`];
    return body.flatMap((statement) => applyCatalog(statement, cache).reasons);
  };
  const dependencies = (row: CatalogRow): string[] => {
    if (row.kind === 'o') return [`f:${splitQualified(row.detail)[1]}`];
    return (bodyOf(row) ?? []).flatMap(({ references: r }) => [
      ...r.functions.map((n) => `f:${n[1]}`),
      ...r.operators.map((n) => `o:${n[1]}`),
      ...r.relations.map((n) => `v:${n[1]}`),
      ...r.types.map((n) => `t:${n[1]}`),
    ]);
  };
  const pending = new Map<string, { kind: CatalogRow['kind']; name: string; found: CatalogRow[]; needs: string[] }>();
  for (const [kind, names] of [
    ['f', missing.functions],
    ['o', missing.operators],
    ['v', missing.relations],
    ['t', missing.types],
  ] as const) {
    for (const name of names) {
      const found = rows.filter((r) => r.kind === kind && r.name === name);
      pending.set(`${kind}:${name}`, { kind, name, found, needs: found.flatMap(dependencies) });
    }
  }
  for (let progress = true; progress;) {
    progress = false;
    for (const [key, item] of pending) {
      if (item.needs.some((need) => need !== key && pending.has(need))) continue;
      maps[item.kind].set(
        item.name,
        item.found.length === 0 && item.kind !== 'v' ? null : [...new Set(item.found.flatMap(reasonsOf))],
      );
      pending.delete(key);
      progress = true;
    }
  }
}

/** A user operator is as harmless as the function it calls: a built-in by the list, a user one by the catalog. */
function operatorReasons(row: CatalogRow, cache: ProfileCache): string[] {
  const [schema, name] = splitQualified(row.detail);
  const reason = schema === 'pg_catalog' ? reasonForFunction([schema, name]) : undefined;
  if (schema === 'pg_catalog') return reason ? [reason] : [];
  const resolved = cache.functions.get(name);
  return resolved === null || resolved === undefined ? [`unknown_operator:${row.name}`] : [...resolved];
}

function splitQualified(text: string): QualifiedName {
  const dot = text.indexOf('.');
  return [text.slice(0, dot), text.slice(dot + 1)];
}

function referencesOnly(references: AnalyzedStatement['references']): AnalyzedStatement {
  return { text: '', risk: 'read', reasons: [], start: 0, end: 0, references };
}

/**
 * The statement's reasons with the catalog's answers: an offline `unknown_function:f` goes when
 * every user function named f proved harmless; a user function that is not harmless adds its own
 * reasons (also when it shares a built-in's name); a view adds its definition's reasons.
 */
function applyCatalog(statement: AnalyzedStatement, cache: ProfileCache): AnalyzedStatement {
  if (statement.reasons.includes('parse_error')) return statement;
  const reasons = new Set<string>(statement.reasons);
  const refs = statement.references;
  const settleName = (code: string, [schema, name]: QualifiedName, resolved: Resolved | undefined) => {
    if (!resolved) return;
    if (resolved.length === 0) (reasons.delete(`${code}:${name}`), reasons.delete(`${code}:${schema}.${name}`));
    for (const r of resolved) reasons.add(r);
  };
  for (const name of refs.functions) settleName('unknown_function', name, cache.functions.get(name[1]));
  for (const name of refs.operators) settleName('unknown_operator', name, cache.operators.get(name[1]));
  for (const name of refs.relations) for (const r of cache.relations.get(name[1]) ?? []) reasons.add(r);
  for (const name of refs.types) settleName('unknown_type', name, cache.types.get(name[1]));
  const list = byRiskDescending(reasons) as Reason[];
  return { ...statement, reasons: list, risk: worstRisk(list.map(riskOfReason)) };
}

function strip(statements: AnalyzedStatement[]): SqlClassification {
  const plain = statements.map(({ references: _, ...rest }) => rest);
  return { risk: worstRisk(plain.map((s) => s.risk)), statements: plain };
}
