import { createHash } from 'node:crypto';
import type { RehearsalReport } from '../../shared/contract/sandbox';
import { shapeToDdl, type DdlStep } from './ddl';
import { SandboxQueryError, type SandboxEngine } from './sandbox-engine';
import type { Shape } from './shape';
import { seedPlans, sequenceResets } from './synthetic-rows';

/** What applying a shape left: what could not be made, and how many server rows each sandbox row stands for. */
export interface AppliedShape {
  unreproduced: RehearsalReport['unreproduced'];
  /** Tables (schema.name) that could not be made: statements on them cannot be rehearsed. */
  missingTables: Set<string>;
  scale: Map<string, number>;
}

const stateTable = 'opsconsole_sandbox.state';

/**
 * Makes the sandbox hold exactly the shape with synthetic rows: a shape already applied (same
 * hash) is kept as is; otherwise every user schema is dropped and the shape rebuilt.
 */
export async function applyShape(engine: SandboxEngine, shape: Shape, rowCap?: number): Promise<AppliedShape> {
  const hash = createHash('sha256')
    .update(JSON.stringify({ ...shape, takenAt: undefined, rowCap }))
    .digest('hex');
  const applied = await engine
    .query<{ report: AppliedState }>(`SELECT report FROM ${stateTable} WHERE hash = $1`, [hash])
    .catch(() => undefined);
  if (applied?.rows[0]) return fromState(applied.rows[0].report);
  await reset(engine);
  const { before, after } = shapeToDdl(shape);
  const state: AppliedState = { unreproduced: unsupported(shape), missingTables: [], scale: {} };
  await runSteps(engine, before, state);
  for (const plan of seedPlans(shape, rowCap)) {
    if (state.missingTables.includes(plan.table)) continue;
    try {
      await engine.query(plan.sql);
      state.scale[plan.table] = plan.scale;
    } catch (error) {
      state.unreproduced.push({
        object: `rows of ${plan.table}`,
        reason: `synthetic rows could not be made (${(error as Error).message}): counts on it are not meaningful`,
      });
    }
  }
  for (const reset of sequenceResets(shape)) await engine.query(reset).catch(() => undefined);
  await runSteps(engine, after, state);
  await engine.exec('ANALYZE');
  await engine.exec(
    `CREATE SCHEMA opsconsole_sandbox; CREATE TABLE ${stateTable} (hash text PRIMARY KEY, report jsonb NOT NULL)`,
  );
  await engine.query(`INSERT INTO ${stateTable} VALUES ($1, $2)`, [hash, JSON.stringify(state)]);
  return fromState(state);
}

export interface AppliedState {
  unreproduced: RehearsalReport['unreproduced'];
  missingTables: string[];
  scale: Record<string, number>;
}

function fromState(state: AppliedState): AppliedShape {
  return {
    unreproduced: state.unreproduced,
    missingTables: new Set(state.missingTables),
    scale: new Map(Object.entries(state.scale)),
  };
}

/** Applies DDL in one round trip when it all succeeds; otherwise step by step, reporting each failure. */
export async function runSteps(engine: SandboxEngine, steps: DdlStep[], state: AppliedState): Promise<void> {
  const todo = steps.filter((step) => !(step.table && state.missingTables.includes(step.table)));
  // One script runs as one implicit transaction: a failure leaves nothing behind to redo.
  const script = todo.map((step) => step.fast ?? step.sql).filter(Boolean);
  if (
    await engine.exec(script.map((sql) => `${sql};`).join('\n')).then(
      () => true,
      () => false,
    )
  )
    return;
  for (const step of todo) {
    // A table that could not be made is reported once, not again for each of its constraints.
    if (step.table && state.missingTables.includes(step.table)) continue;
    try {
      await engine.exec(step.sql);
    } catch (error) {
      // Synthetic rows may not satisfy a CHECK or a foreign-key cycle: NOT VALID still checks every row a statement writes.
      if (
        step.object.startsWith('constraint ') &&
        (await engine.exec(`${step.sql} NOT VALID`).then(
          () => true,
          () => false,
        ))
      )
        continue;
      const message = error instanceof SandboxQueryError ? error.detail.message : (error as Error).message;
      state.unreproduced.push({ object: step.object, reason: `${message}: ${step.meaning}` });
      if (step.table && /^(table|partition|view) /.test(step.object)) state.missingTables.push(step.table);
    }
  }
}

/** Objects reported without trying: types from extensions or kinds the generator does not make, roles, foreign tables. */
function unsupported(shape: Shape): RehearsalReport['unreproduced'] {
  const found: RehearsalReport['unreproduced'] = [];
  for (const type of shape.otherTypes) {
    found.push({
      object: `type ${type.qualified}`,
      reason: type.extension
        ? `comes from the extension ${type.extension}, which the sandbox does not have: columns of this type cannot be made`
        : `is a ${kindName(type.kind)} type, not reproduced: columns of this type cannot be made`,
    });
  }
  for (const table of shape.tables) {
    if (table.kind === 'f')
      found.push({
        object: `foreign table ${table.qualified}`,
        reason: 'its data lives on another server: statements on it cannot be rehearsed',
      });
    for (const policy of table.rls.policies.filter((p) => p.roles.some((r) => r !== 'public'))) {
      found.push({
        object: `roles of policy ${policy.name} on ${table.qualified}`,
        reason: `the sandbox has none of the server's roles (${policy.roles.join(', ')}); the policy applies to everyone there, and the rehearsal runs as a superuser, which row-level security does not filter`,
      });
    }
  }
  return found;
}

function kindName(kind: string): string {
  return (
    ({ c: 'composite', r: 'range', m: 'multirange', b: 'base', p: 'pseudo' } as Record<string, string>)[kind] ?? kind
  );
}

async function reset(engine: SandboxEngine): Promise<void> {
  const schemas = await engine.query<{ nspname: string }>(
    `SELECT nspname FROM pg_namespace WHERE nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND nspname NOT LIKE 'pg\\_%'`,
  );
  for (const { nspname } of schemas.rows) await engine.exec(`DROP SCHEMA "${nspname.replace(/"/g, '""')}" CASCADE`);
  await engine.exec('CREATE SCHEMA public');
}
