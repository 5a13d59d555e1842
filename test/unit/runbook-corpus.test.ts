import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { defaultSqlClassifier } from '../../src/main/runbooks/classifier';
import { importRunbook } from '../../src/main/runbooks/importer';
import { markdownFiles } from '../../src/main/runbooks/runbook-service';
import type { RunbookPlan } from '../../src/shared/runbook';

/** The corpus of runbooks written by others: test input only, read in place, never copied. */
const corpus = new URL('../../../shared/corpus/', import.meta.url).pathname;
const skip = existsSync(corpus)
  ? false
  : `the corpus folder ${corpus} is absent (it sits beside the repository as shared/corpus)`;

const load = async (relative: string): Promise<RunbookPlan> =>
  importRunbook(readFileSync(corpus + relative, 'utf8'), { path: relative, classify: defaultSqlClassifier });
const stepWith = (plan: RunbookPlan, fragment: string) => {
  const step = plan.steps.find((s) => s.text.includes(fragment));
  assert.ok(step, `a step containing ${JSON.stringify(fragment)} in ${plan.path}`);
  return step;
};

describe('runbook corpus', { skip }, () => {
  it('imports every markdown file without throwing, each step well formed', async () => {
    const files = await markdownFiles(corpus);
    assert.ok(files.length > 400, `${files.length} files`);
    let steps = 0;
    for (const file of files) {
      const plan = await importRunbook(readFileSync(file, 'utf8'), { path: file, classify: defaultSqlClassifier });
      steps += plan.steps.length;
      const ids = new Set(plan.steps.map((s) => s.id));
      assert.equal(ids.size, plan.steps.length, `unique ids in ${file}`);
      for (const step of plan.steps) {
        assert.ok(step.line >= 1 && step.endLine >= step.line, `${file}: line of ${step.id}`);
        if (step.kind !== 'checklist' && step.kind !== 'reference')
          assert.ok(step.statements.length > 0 || step.kind === 'sql', `${file}:${step.line} has statements`);
      }
    }
    assert.ok(steps > 1500, `${steps} steps`);
  });

  it('reads psql -c one-liners, curl with <admin_token>, raw SQL in bash and redirected output (scroll-novels)', async () => {
    const plan = await load('seeds/scroll-novels-runbook.md');
    const version = stepWith(plan, 'SELECT version();');
    assert.deepEqual([version.kind, version.target, version.risk], ['sql', 'postgres', 'read']);
    assert.equal(version.connection?.flags.host, 'localhost');
    const reconcile = stepWith(plan, 'patreon-reconcile');
    assert.equal(reconcile.kind, 'http');
    assert.equal(reconcile.http?.method, 'POST');
    assert.deepEqual(reconcile.parameters, [{ name: 'admin_token', type: 'string', secret: true }]);
    const raw = stepWith(plan, 'COUNT(*) as links');
    assert.deepEqual([raw.kind, raw.target], ['sql', 'postgres']);
    assert.ok(stepWith(plan, 'COPY (').notes.some((n) => n.includes('ledger.csv')));
    assert.equal(stepWith(plan, 'VACUUM FULL').risk, 'dangerous');
    assert.equal(stepWith(plan, 'your_user_id').parameters[0]?.name, 'your_user_id');
  });

  it('reads docker exec psql/redis-cli, checklists and tables (spilt-tea)', async () => {
    const plan = await load('seeds/spilt-tea-runbook.md');
    const kill = stepWith(plan, 'pg_terminate_backend');
    assert.deepEqual([kill.kind, kill.target, kill.risk], ['sql', 'postgres', 'dangerous']);
    assert.equal(kill.connection?.via?.container, 'spilttea-postgres');
    const flush = plan.steps.find((s) => s.kind === 'redis' && s.redis?.[0]?.[0] === 'FLUSHALL');
    assert.equal(flush?.risk, 'dangerous');
    assert.equal(stepWith(plan, 'xargs').risk, 'dangerous', 'KEYS piped into DEL through xargs');
    assert.equal(stepWith(plan, '< backup_20260122_120000.sql').risk, 'dangerous', 'a restore from a file');
    assert.ok(plan.steps.filter((s) => s.kind === 'checklist').length >= 10);
    assert.ok(
      plan.sections.some((s) => s.blocks.some((b) => b.type === 'table' && b.header.includes('Alert Threshold'))),
    );
  });

  it('reads a psql prompt transcript: the typed lines are steps, the output is not (gitlab)', async () => {
    const plan = await load('gitlab-runbooks/docs/patroni/postgres-data-corruption.md');
    const select = stepWith(plan, 'select ctid,* from users;');
    assert.deepEqual([select.kind, select.target], ['sql', 'postgres']);
    assert.ok(!plan.steps.some((s) => s.text.includes('Pager usage is off')));
  });
});
