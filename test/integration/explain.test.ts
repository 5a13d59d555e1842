import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { PlanNode } from '../../src/shared/contract';
import { pgCore, type PgCore } from '../support/pg-core';

let fixture: PgCore;
let temp: PgCore['temp'];
let direct: PgCore['direct'];
let profileId: string;

const nodes = (node: PlanNode): PlanNode[] => [node, ...node.children.flatMap(nodes)];

before(async () => {
  ({ direct, temp, profileId } = fixture = await pgCore(`CREATE TABLE customers (id int PRIMARY KEY, name text);
    CREATE TABLE orders (id int PRIMARY KEY, customer_id int REFERENCES customers (id), total numeric);
    INSERT INTO customers SELECT g, 'c' || g FROM generate_series(1, 2000) g;
    INSERT INTO orders SELECT g, 1 + g % 2000, g FROM generate_series(1, 20000) g;
    CREATE TABLE audit (n int); ANALYZE;`));
});
after(async () => {
  await fixture?.dispose();
});

const join =
  'SELECT c.name, sum(o.total) FROM orders o JOIN customers c ON c.id = o.customer_id GROUP BY c.name ORDER BY 2 DESC LIMIT 5';

test('EXPLAIN of a join: a tree with costs and rows per node, the costliest marked, a plain-text rendering', async () => {
  const plan = await temp.core.invoke('sql.explain', { profileId, sql: join });
  assert.equal(plan.analyzed, false);
  assert.equal(plan.note, undefined);
  const all = nodes(plan.root);
  assert.equal(plan.root.nodeType, 'Limit');
  assert.ok(
    all.some((n) => /Join/.test(n.nodeType)),
    'a join node',
  );
  assert.ok(
    all.some((n) => n.target === 'on orders o'),
    'the scan of orders, with its alias',
  );
  assert.ok(all.every((n) => n.totalCost >= n.startupCost && n.selfCost >= 0 && n.actualMs === undefined));
  assert.ok(all.filter((n) => n.costly).length >= 1);
  const costliest = all.reduce((a, b) => (b.selfCost > a.selfCost ? b : a));
  assert.ok(costliest.costly);
  assert.match(plan.text, /^Limit {2}\(cost=[\d.]+\.\.[\d.]+ rows=5\)/);
  assert.match(plan.text, /-> {2}.*Seq Scan on orders o/);
});

test('EXPLAIN ANALYZE of a read runs it read-only and times each node, with the note that it executed', async () => {
  const plan = await temp.core.invoke('sql.explain', { profileId, sql: join, analyze: true });
  assert.equal(plan.analyzed, true);
  assert.match(plan.note!, /executed the query/);
  assert.ok(plan.executionMs! > 0);
  const scan = nodes(plan.root).find((n) => n.target === 'on orders o')!;
  assert.equal(scan.actualRows, 20000);
  assert.ok(nodes(plan.root).every((n) => n.actualLoops === undefined || n.selfMs! >= 0));
  assert.match(plan.text, /actual time=/);
  assert.match(plan.text, /Execution Time: /);
});

test('ANALYZE is refused for anything but a read, and plain EXPLAIN for unvetted functions: nothing is sent', async () => {
  await assert.rejects(
    temp.core.invoke('sql.explain', { profileId, sql: 'INSERT INTO audit VALUES (1)', analyze: true }),
    /EXPLAIN ANALYZE executes the statement, and this one is write/,
  );
  assert.equal((await direct.query('SELECT count(*)::int AS n FROM audit')).rows[0].n, 0);
  const plain = await temp.core.invoke('sql.explain', {
    profileId,
    sql: 'UPDATE orders SET total = total + 1 WHERE id = 7',
  });
  assert.equal(plain.root.nodeType, 'ModifyTable', 'a write is planned (not run) when planning runs nothing unvetted');
  assert.equal((await direct.query('SELECT total FROM orders WHERE id = 7')).rows[0].total, '7');
  await assert.rejects(
    temp.core.invoke('sql.explain', { profileId, sql: 'SELECT pg_terminate_backend(pg_backend_pid())' }),
    /Planning this statement may run a function that is not known harmless/,
  );
  await assert.rejects(temp.core.invoke('sql.explain', { profileId, sql: 'SELECT 1; SELECT 2' }), /EXPLAIN takes one/);
  await assert.rejects(temp.core.invoke('sql.explain', { profileId, sql: 'VACUUM orders' }), /has no plan/);
});

test('a plan is attached to the timeline on request, as a text attachment', async () => {
  const plan = await temp.core.invoke('sql.explain', { profileId, sql: join });
  const event = await temp.core.invoke('sql.attachPlan', { explainId: plan.explainId });
  assert.equal(event.kind, 'attachment');
  assert.equal(event.payload.name, 'explain.txt');
  await assert.rejects(temp.core.invoke('sql.attachPlan', { explainId: 'gone' }), /no longer kept/);
});
