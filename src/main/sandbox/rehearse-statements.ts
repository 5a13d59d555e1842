import type { RehearsalMode, RehearsedStatement } from '../../shared/contract/sandbox';
import type { RiskLevel } from '../../shared/risk';
import type { StepCapture } from '../../shared/runbook';
import { captureValues } from '../../shared/runbook-variables';
import { leadingWords } from '../postgres/statement-traits';
import { fileNodesQuery, heldLocksQuery, newLocks } from './lock-report';
import { SandboxQueryError, type SandboxEngine } from './sandbox-engine';

/** One statement to rehearse, as the classifier split it, with its bound values. */
export interface StatementToRehearse {
  sql: string;
  values: unknown[];
  risk: RiskLevel;
  /** The table it writes (first relation named), for scaling its count. */
  target?: string;
  /** Why it cannot be rehearsed (an object the sandbox lacks): reported, never run. */
  cannot?: string;
  /** Its own rows' mode when it differs from the rehearsal's (a statement sample mode could not copy for). */
  mode?: RehearsalMode;
  /** A runbook step's `capture=`: the variables its result rows set for the later steps. */
  captures?: StepCapture[];
  /** Binds the statement again with the variables captured so far, as a real run renders each step when it reaches it. */
  bind?: (variables: Record<string, string>) => Promise<unknown[]>;
}

export const sampleLimit = 100;

/**
 * Runs the statements in order inside one sandbox transaction (a savepoint each, so a failed
 * one does not stop the next; later ones see earlier ones' effects as in a real run), reading
 * locks from pg_locks while it is open, then rolls everything back.
 */
export async function rehearseStatements(
  engine: SandboxEngine,
  statements: StatementToRehearse[],
  mode: RehearsalMode,
  scale: Map<string, number>,
  prepare?: () => Promise<void>,
): Promise<RehearsedStatement[]> {
  const results: RehearsedStatement[] = [];
  await engine.query('BEGIN');
  try {
    // Sample mode's copied rows go in here: rolled back with everything else.
    await prepare?.();
    // Values captured from earlier steps' rows in the sandbox, as a real run passes them on.
    const variables: Record<string, string> = {};
    for (const statement of statements) {
      await rebind(statement, variables);
      results.push(
        await rehearseOne(engine, statement, mode, scale, (rows) => captureFrom(statement, rows, variables)),
      );
    }
  } finally {
    await engine.query('ROLLBACK').catch(() => undefined);
  }
  return results;
}

async function rebind(statement: StatementToRehearse, variables: Record<string, string>): Promise<void> {
  if (!statement.bind || statement.cannot) return;
  try {
    statement.values = await statement.bind(variables);
  } catch (error) {
    statement.cannot = `its values could not be bound with the captured ones (${(error as Error).message})`;
  }
}

function captureFrom(
  statement: StatementToRehearse,
  rows: Record<string, unknown>[],
  variables: Record<string, string>,
): void {
  if (!statement.captures?.length || !rows.length) return;
  const fields = Object.keys(rows[0]!);
  Object.assign(variables, captureValues(statement, { fields, rows: rows.map((row) => fields.map((f) => row[f])) }));
}

type RowsSeen = (rows: Record<string, unknown>[]) => void;

async function rehearseOne(
  engine: SandboxEngine,
  statement: StatementToRehearse,
  mode: RehearsalMode,
  scale: Map<string, number>,
  seen: RowsSeen,
): Promise<RehearsedStatement> {
  const base: RehearsedStatement = {
    sql: statement.sql,
    risk: statement.risk,
    outcome: 'error',
    rowsAffected: 0,
    estimated: false,
    locks: [],
    rewritesTable: false,
    error: null,
    durationMs: 0,
    sample: { columns: [], before: [], after: [] },
  };
  if (statement.cannot) return { ...base, error: `cannot rehearse: ${statement.cannot}` };
  const locksBefore = (await engine.query<{ relation: string; mode: string }>(heldLocksQuery)).rows;
  const nodesBefore = new Map(
    (await engine.query<{ relation: string; node: string }>(fileNodesQuery)).rows.map((r) => [r.relation, r.node]),
  );
  await engine.query('SAVEPOINT rehearsal');
  const started = performance.now();
  try {
    const run = await runWithSample(engine, statement, seen);
    const durationMs = Math.round(performance.now() - started);
    const locks = newLocks(locksBefore, (await engine.query<{ relation: string; mode: string }>(heldLocksQuery)).rows);
    const nodesAfter = (await engine.query<{ relation: string; node: string }>(fileNodesQuery)).rows;
    const rewritesTable = nodesAfter.some((r) => nodesBefore.has(r.relation) && nodesBefore.get(r.relation) !== r.node);
    await engine.query('RELEASE SAVEPOINT rehearsal');
    const shaped = (statement.mode ?? mode) === 'shaped';
    const factor = shaped && statement.target ? (scale.get(statement.target) ?? 1) : 1;
    return {
      ...base,
      outcome: 'ok',
      rowsAffected: Math.round(run.count * factor),
      estimated: shaped && factor !== 1,
      locks,
      rewritesTable,
      durationMs,
      sample: run.sample,
    };
  } catch (error) {
    await engine.query('ROLLBACK TO SAVEPOINT rehearsal').catch(() => undefined);
    return { ...base, durationMs: Math.round(performance.now() - started), error: describeError(error) };
  }
}

/**
 * A plain UPDATE or DELETE runs wrapped so the sandbox hands back its before/after rows (Postgres
 * 18's RETURNING old/new); anything else runs as written and reports its count only.
 */
async function runWithSample(
  engine: SandboxEngine,
  statement: StatementToRehearse,
  seen: RowsSeen,
): Promise<{ count: number; sample: RehearsedStatement['sample'] }> {
  const text = statement.sql.trim().replace(/;\s*$/, '');
  const verb = leadingWords(text, 1);
  const wrappable = (verb === 'update' || verb === 'delete') && !/\breturning\b/i.test(text);
  if (!wrappable) {
    const result = await engine.query<Record<string, unknown>>(text, statement.values);
    seen(result.rows);
    return { count: result.affectedRows, sample: { columns: [], before: [], after: [] } };
  }
  const wrapped = `WITH changed AS (${text} RETURNING to_json(old) AS b, to_json(new) AS a)
    SELECT (SELECT count(*) FROM changed)::int AS n, (SELECT coalesce(json_agg(json_build_array(b, a)), '[]') FROM (SELECT b, a FROM changed LIMIT ${sampleLimit}) s) AS rows`;
  const result = await engine.query<{
    n: number;
    rows: [Record<string, unknown> | null, Record<string, unknown> | null][];
  }>(wrapped, statement.values);
  const row = result.rows[0]!;
  const before = row.rows.map(([b]) => b).filter((b): b is Record<string, unknown> => !!b);
  const after = row.rows.map(([, a]) => a).filter((a): a is Record<string, unknown> => !!a);
  return { count: row.n, sample: { columns: Object.keys(before[0] ?? after[0] ?? {}), before, after } };
}

const constraintKinds: Record<string, string> = {
  '23503': 'foreign key violation',
  '23505': 'unique violation',
  '23514': 'check violation',
  '23502': 'not-null violation',
  '23P01': 'exclusion violation',
};

function describeError(error: unknown): string {
  if (!(error instanceof SandboxQueryError)) return (error as Error).message;
  const { message, code, detail, constraint } = error.detail;
  const kind = code && constraintKinds[code];
  return [
    kind ? `${kind}${constraint ? ` (${constraint})` : ''}: ${message}` : message,
    detail,
    code ? `SQLSTATE ${code}` : '',
  ]
    .filter(Boolean)
    .join(' — ');
}
