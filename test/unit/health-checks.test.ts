import assert from 'node:assert/strict';
import { test } from 'node:test';
import { healthChecks, parseInfo, type PgCheck, type Row } from '../../src/main/health/checks';
import { HealthService } from '../../src/main/health/health-service';
import { classifySqlAsync } from '../../src/main/sql/classifier';
import { grade, worstStatus } from '../../src/shared/health';

const pgCheck = (id: string) => healthChecks.find((c) => c.id === id) as PgCheck;
const service = new HealthService({
  profiles: {
    get: () => {
      throw new Error('unused');
    },
  },
  pg: { openSide: () => Promise.reject(new Error('unused')) },
  redis: { client: () => Promise.reject(new Error('unused')) },
});

test('every check is complete data: unique id, title, explanation, threshold, and Postgres SQL that classifies as a read', async () => {
  const ids = healthChecks.map((c) => c.id);
  assert.equal(new Set(ids).size, ids.length);
  for (const check of service.checks()) {
    assert.match(check.id, /^(pg|redis)\.[a-z_]+$/);
    for (const field of ['title', 'query', 'threshold', 'meaning', 'next'] as const)
      assert.ok(check[field].length > 5, `${check.id}.${field}`);
    assert.doesNotMatch(check.query, /\{\w+\}/, `${check.id}: every placeholder is filled`);
    assert.doesNotMatch(check.query.replace('(never KEYS)', ''), /\bKEYS\b/, `${check.id}: never KEYS`);
    if (check.target === 'pg') assert.equal((await classifySqlAsync(check.query)).risk, 'read', check.id);
  }
});

test('params: overrides fill the query and the threshold; unknown ones are named', () => {
  const [idle] = service
    .checks('pg', { 'pg.idle_in_transaction.minSeconds': 60 })
    .filter((c) => c.id === 'pg.idle_in_transaction');
  assert.match(idle!.query, /interval '60 seconds'/);
  assert.match(idle!.threshold, /over 1 min 0 s, critical over 15 min 0 s/);
  assert.deepEqual(idle!.params, { minSeconds: 60, criticalSeconds: 900 });
  assert.throws(
    () => service.checks(undefined, { 'pg.idle_in_transaction.nope': 1 }),
    /"pg.idle_in_transaction.nope" is not a check parameter/,
  );
});

test('blocking locks: blocked ← blocking, the root blocker first, critical once one waited long enough', () => {
  const check = pgCheck('pg.blocking_locks');
  const rows: Row[] = [
    { pid: '30', blocked_by: '{20}', waiting_s: '12.0', wait_event_type: 'Lock', query: 'UPDATE c' },
    { pid: '20', blocked_by: '{10}', waiting_s: '8.0', wait_event_type: 'Lock', query: 'UPDATE b' },
  ];
  const found = check.evaluate(rows, check.params);
  assert.equal(found.status, 'warn');
  assert.deepEqual(found.pids, [10, 30, 20]);
  assert.match(found.message, /root blocker pid 10\. Blocked ← blocking: 30 ← 20; 20 ← 10/);
  assert.equal(check.evaluate(rows, { criticalSeconds: 10 }).status, 'critical');
  assert.equal(check.evaluate([], check.params).status, 'ok');
});

test('cache hit ratio grades downward and waits for enough reads', () => {
  const check = pgCheck('pg.cache_hit');
  assert.equal(
    check.evaluate([{ blks_hit: '95000', blks_read: '5000', hit_percent: '95.00' }], check.params).status,
    'warn',
  );
  assert.equal(
    check.evaluate([{ blks_hit: '80000', blks_read: '20000', hit_percent: '80.00' }], check.params).status,
    'critical',
  );
  assert.equal(check.evaluate([{ blks_hit: '10', blks_read: '90', hit_percent: '10.00' }], check.params).status, 'ok');
});

test('missing pg_stat_statements is explained; other errors are not rewritten', () => {
  const check = pgCheck('pg.top_queries');
  assert.match(
    check.explainError!('relation "pg_stat_statements" does not exist') ?? '',
    /CREATE EXTENSION pg_stat_statements/,
  );
  assert.equal(check.explainError!('permission denied for table x'), undefined);
});

test('INFO parsing, grading and the worst status', () => {
  assert.deepEqual(parseInfo('# Memory\r\nused_memory:1024\r\nmaxmemory_policy:noeviction\r\n\r\n'), {
    used_memory: '1024',
    maxmemory_policy: 'noeviction',
  });
  assert.equal(grade(80, 80, 95), 'warn');
  assert.equal(grade(79.9, 80, 95), 'ok');
  assert.equal(grade(90, 99, 90, 'below'), 'critical');
  assert.equal(worstStatus(['ok', 'warn', 'error']), 'error');
  assert.equal(worstStatus(['error', 'critical']), 'critical');
});
