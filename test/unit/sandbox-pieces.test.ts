import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { describeLock, newLocks } from '../../src/main/sandbox/lock-report';
import { notAReadReason, predicateQueries } from '../../src/main/sandbox/sample-reader';
import { statementRelations } from '../../src/main/sandbox/statement-relations';
import { classifySqlAsync, initSqlClassifier } from '../../src/main/sql/classifier';

before(() => initSqlClassifier());

test('locks in plain words; only the locks a statement added, the strongest per table', () => {
  assert.deepEqual(describeLock('orders', 'AccessExclusiveLock'), {
    relation: 'orders',
    mode: 'ACCESS EXCLUSIVE',
    blocks: 'every read and write of orders waits until commit',
  });
  const held = [{ relation: 'orders', mode: 'RowExclusiveLock' }];
  const after = [
    ...held,
    { relation: 'orders', mode: 'AccessExclusiveLock' },
    { relation: 'orders', mode: 'ShareLock' },
    { relation: 'items', mode: 'AccessShareLock' },
  ];
  assert.deepEqual(
    newLocks(held, after).map((l) => `${l.mode} ${l.relation}`),
    ['ACCESS EXCLUSIVE orders', 'ACCESS SHARE items'],
  );
});

test('the tables a statement names: its target first, CTE names left out', () => {
  assert.deepEqual(statementRelations('DELETE FROM orders WHERE created_at < now()'), [[undefined, 'orders']]);
  assert.deepEqual(
    statementRelations(
      'WITH old AS (SELECT id FROM archive.orders) UPDATE shop.orders o SET x = 1 FROM old WHERE old.id = o.id',
    ),
    [
      ['shop', 'orders'],
      ['archive', 'orders'],
    ],
  );
  assert.deepEqual(statementRelations('ALTER TABLE orders ADD COLUMN note text'), [[undefined, 'orders']]);
  assert.deepEqual(statementRelations('not sql at all'), []);
});

test("sample mode builds SELECTs from a write's own predicate, and only reads pass", async () => {
  assert.deepEqual(predicateQueries("DELETE FROM orders o WHERE o.created_at < now() - interval '30 days';", 50), {
    count: "SELECT count(*) AS n FROM orders o WHERE o.created_at < now() - interval '30 days'",
    rows: "SELECT o.* FROM orders o WHERE o.created_at < now() - interval '30 days' LIMIT 50",
  });
  assert.equal(
    predicateQueries("UPDATE customers SET name = 'x' WHERE id > 450")?.count,
    'SELECT count(*) AS n FROM customers WHERE id > 450',
  );
  assert.equal(predicateQueries('DELETE FROM orders USING customers c WHERE c.id = orders.customer_id'), undefined);
  assert.equal(predicateQueries('DELETE FROM orders WHERE id = 1 RETURNING *'), undefined);
  const harmful = predicateQueries('DELETE FROM orders WHERE pg_terminate_backend(42)')!;
  assert.match(notAReadReason([await classifySqlAsync(harmful.count)]) ?? '', /not a read/);
  const fine = predicateQueries('DELETE FROM orders WHERE id < 10')!;
  assert.equal(notAReadReason([await classifySqlAsync(fine.count), await classifySqlAsync(fine.rows)]), undefined);
});
