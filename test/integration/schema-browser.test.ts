import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { pgCore, type PgCore } from '../support/pg-core';

let fixture: PgCore;
let temp: PgCore['temp'];
let direct: PgCore['direct'];
let profileId: string;

before(async () => {
  ({ direct, temp, profileId } = fixture = await pgCore(`CREATE SCHEMA shop;
    CREATE TABLE shop.customers (id int PRIMARY KEY, email text NOT NULL UNIQUE, created timestamptz DEFAULT now());
    COMMENT ON TABLE shop.customers IS 'people who buy';
    CREATE TABLE shop.orders (id bigint PRIMARY KEY, customer_id int NOT NULL REFERENCES shop.customers (id), total numeric(10, 2) CHECK (total >= 0));
    CREATE INDEX orders_customer ON shop.orders (customer_id);
    CREATE VIEW shop.big_orders AS SELECT * FROM shop.orders WHERE total > 100;
    INSERT INTO shop.customers SELECT g, 'c' || g || '@example.com' FROM generate_series(1, 1000) g;
    INSERT INTO shop.orders SELECT g, 1 + g % 1000, g FROM generate_series(1, 5000) g;
    ANALYZE shop.customers; ANALYZE shop.orders;
    CREATE SCHEMA many;
    DO $$ BEGIN FOR i IN 1..300 LOOP EXECUTE format('CREATE TABLE many.t_%s (id int)', lpad(i::text, 4, '0')); END LOOP; END $$;`));
});
after(async () => {
  await fixture?.dispose();
});

test('schemas with their table and view counts, system schemas left out', async () => {
  const schemas = await temp.core.invoke('schema.schemas', { profileId });
  const byName = Object.fromEntries(schemas.map((s) => [s.name, s]));
  assert.deepEqual(byName.shop, { name: 'shop', tables: 2, views: 1 });
  assert.deepEqual(byName.many, { name: 'many', tables: 300, views: 0 });
  assert.ok(
    !schemas.some((s) => s.name === 'pg_catalog' || s.name === 'information_schema' || s.name.startsWith('pg_toast')),
  );
});

test('a schema pages by name, 100 at a time, with its total; search narrows it', async () => {
  const first = await temp.core.invoke('schema.relations', { profileId, schema: 'many' });
  assert.equal(first.total, 300);
  assert.equal(first.relations.length, 100);
  assert.equal(first.relations[0]!.name, 't_0001');
  const third = await temp.core.invoke('schema.relations', { profileId, schema: 'many', offset: 200 });
  assert.deepEqual(
    [third.relations[0]!.name, third.relations.at(-1)!.name, third.relations.length],
    ['t_0201', 't_0300', 100],
  );
  const found = await temp.core.invoke('schema.relations', { profileId, schema: 'many', search: 'T_02' });
  assert.equal(found.total, 100);
  assert.equal(found.relations[0]!.name, 't_0200');
  const none = await temp.core.invoke('schema.relations', { profileId, schema: 'many', search: 'nothing like it' });
  assert.deepEqual([none.total, none.relations.length], [0, 0]);
  const percent = await temp.core.invoke('schema.relations', { profileId, schema: 'many', search: '%' });
  assert.equal(percent.total, 0, 'the search is a plain substring, not a pattern');
});

test('estimated rows and sizes come from the statistics; a locked table does not stall the page', async () => {
  const shop = await temp.core.invoke('schema.relations', { profileId, schema: 'shop' });
  const orders = shop.relations.find((r) => r.name === 'orders')!;
  assert.equal(orders.kind, 'table');
  assert.equal(orders.estimatedRows, 5000);
  assert.ok(
    orders.estimatedBytes > 8192 * 10,
    `orders with its indexes is more than 10 pages (${orders.estimatedBytes})`,
  );
  assert.equal(shop.relations.find((r) => r.name === 'customers')!.comment, 'people who buy');
  assert.equal(shop.relations.find((r) => r.name === 'big_orders')!.kind, 'view');

  const locker = new pg.Client({ connectionString: fixture.pgServer.connectionString() });
  await locker.connect();
  try {
    await locker.query('BEGIN; LOCK TABLE shop.orders IN ACCESS EXCLUSIVE MODE');
    const started = performance.now();
    const locked = await temp.core.invoke('schema.relations', { profileId, schema: 'shop' });
    assert.ok(performance.now() - started < 900, 'answered without waiting for the lock');
    assert.equal(locked.relations.length, 3);
  } finally {
    await locker.query('ROLLBACK');
    await locker.end();
  }
});

test("describe: columns with types, defaults and nullability; indexes; constraints; foreign keys both ways; a view's definition", async () => {
  const orders = await temp.core.invoke('schema.describe', { profileId, schema: 'shop', name: 'orders' });
  assert.deepEqual(
    orders.columns.map((c) => [c.name, c.type, c.nullable]),
    [
      ['id', 'bigint', false],
      ['customer_id', 'integer', false],
      ['total', 'numeric(10,2)', true],
    ],
  );
  assert.deepEqual(
    orders.indexes.map((i) => [i.name, i.primary, i.unique]),
    [
      ['orders_customer', false, false],
      ['orders_pkey', true, true],
    ],
  );
  assert.match(
    orders.indexes[0]!.definition,
    /CREATE INDEX orders_customer ON shop\.orders USING btree \(customer_id\)/,
  );
  assert.deepEqual(orders.constraints.map((c) => c.type).sort(), ['check', 'primary key']);
  assert.deepEqual(
    orders.foreignKeys.map((f) => [f.direction, f.from, f.to]),
    [['outgoing', 'shop.orders', 'shop.customers']],
  );
  const customers = await temp.core.invoke('schema.describe', { profileId, schema: 'shop', name: 'customers' });
  assert.deepEqual(
    customers.foreignKeys.map((f) => [f.direction, f.from]),
    [['incoming', 'shop.orders']],
  );
  assert.match(customers.columns.find((c) => c.name === 'created')!.default!, /now\(\)/);
  const view = await temp.core.invoke('schema.describe', { profileId, schema: 'shop', name: 'big_orders' });
  assert.match(view.viewDefinition!, /WHERE orders\.total > 100/);
  await assert.rejects(
    temp.core.invoke('schema.describe', { profileId, schema: 'shop', name: 'nope' }),
    /No table or view shop\.nope/,
  );
  await assert.rejects(
    temp.core.invoke('schema.relations', { profileId, schema: 'x'.repeat(64) } as never),
    /schema is longer than 63 bytes/,
  );
});

test("the completion catalog carries functions too (built-ins and the database's own), refreshed on demand", async () => {
  await direct.query(
    "CREATE FUNCTION shop.order_total(bigint) RETURNS numeric LANGUAGE sql STABLE AS 'SELECT total FROM shop.orders WHERE id = $1'",
  );
  const before = await temp.core.invoke('sql.catalog', { profileId, refresh: true });
  assert.ok(before.functions!.some((f) => f.schema === 'pg_catalog' && f.name === 'pg_size_pretty'));
  assert.ok(before.functions!.some((f) => f.schema === 'shop' && f.name === 'order_total'));
  await direct.query('CREATE FUNCTION shop.later() RETURNS int LANGUAGE sql AS $$SELECT 1$$');
  assert.ok(
    !(await temp.core.invoke('sql.catalog', { profileId })).functions!.some((f) => f.name === 'later'),
    'cached until refreshed',
  );
  assert.ok(
    (await temp.core.invoke('sql.catalog', { profileId, refresh: true })).functions!.some((f) => f.name === 'later'),
  );
});
