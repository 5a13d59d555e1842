import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { healthChecks } from '../../src/main/health/checks';
import { defaultSqlClassifier } from '../../src/main/runbooks/classifier';
import { importRunbook } from '../../src/main/runbooks/importer';
import { lintPlan } from '../../src/main/runbooks/lint';

const bundled = join(import.meta.dirname, '../../runbooks');
/** Checks whose finding is never critical (version and uptime only warns). */
const neverCritical = new Set(['pg.version']);

const plans = Promise.all(
  readdirSync(bundled)
    .filter((f) => f.endsWith('.md'))
    .map((f) =>
      importRunbook(readFileSync(join(bundled, f), 'utf8'), { path: join(bundled, f), classify: defaultSqlClassifier }),
    ),
);

test('every health check that can be critical is addressed by a step of a bundled runbook', async () => {
  const addressed = new Set((await plans).flatMap((p) => p.steps.flatMap((s) => s.addresses ?? [])));
  const missing = healthChecks.filter((c) => !neverCritical.has(c.id) && !addressed.has(c.id)).map((c) => c.id);
  assert.deepEqual(missing, []);
  const unknown = [...addressed].filter((id) => !healthChecks.some((c) => c.id === id));
  assert.deepEqual(unknown, [], 'an addresses= id names a real check');
  for (const plan of await plans)
    assert.deepEqual(
      lintPlan(plan).filter((f) => f.severity === 'error'),
      [],
      `${plan.path} lints clean`,
    );
});

test('the blocking-locks finding opens a step whose parameter is the pid the finding carries', async () => {
  const steps = (await plans).flatMap((p) => p.steps).filter((s) => s.addresses?.includes('pg.blocking_locks'));
  const terminate = steps.find((s) => s.id === 'terminate-root-blocker');
  assert.ok(terminate, steps.map((s) => s.id).join(', '));
  assert.deepEqual(
    terminate.parameters.map((p) => p.name),
    ['pid'],
  );
  assert.equal(terminate.confirm, true);
  assert.notEqual(terminate.risk, 'read');
  const finding = healthChecks.find((c) => c.id === 'pg.blocking_locks')!;
  assert.equal(finding.target, 'pg');
  if (finding.target !== 'pg') return;
  const result = finding.evaluate(
    [
      { pid: '300', blocked_by: '{200}', waiting_s: '90', wait_event_type: 'Lock', query: 'UPDATE' },
      { pid: '200', blocked_by: '{100}', waiting_s: '80', wait_event_type: 'Lock', query: 'UPDATE' },
    ],
    finding.params,
  );
  assert.equal(result.status, 'critical');
  assert.deepEqual(
    result.values,
    { pid: '100', blocked_pid: '300' },
    'the root blocker (waits on nobody) is the pid to end',
  );
});
