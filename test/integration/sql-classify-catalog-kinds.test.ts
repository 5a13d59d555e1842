import assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import type { PgConnectionRegistry } from '../../src/main/postgres/connection-registry';
import { CatalogClassifier } from '../../src/main/sql/catalog-classifier';
import { initSqlClassifier } from '../../src/main/sql/classifier';
import { startPostgres, type PostgresServer } from '../harness/index';

/**
 * What a read touches beyond functions and views, judged with the server's own catalog: foreign
 * tables (their wrapper runs code outside the transaction) and casts (a type's input function, a
 * domain's CHECK, a user cast function). Each hazard is first shown to be real on the server,
 * inside BEGIN READ ONLY, then shown never to be classified `read`; everyday reads stay reads.
 */
let server: PostgresServer;
let admin: pg.Client;
let classifier: CatalogClassifier;
const marker = `/tmp/opsconsole-fdw-${process.pid}-${Date.now()}`;

before(async () => {
  await initSqlClassifier();
  server = await startPostgres();
  admin = new pg.Client({
    host: server.host,
    port: server.port,
    user: server.superuser,
    password: server.superPassword,
    database: server.database,
  });
  await admin.connect();
  await admin.query(`
    CREATE EXTENSION file_fdw;
    CREATE SERVER files FOREIGN DATA WRAPPER file_fdw;
    CREATE FOREIGN TABLE ft (line text) SERVER files OPTIONS (program 'touch ${marker}');
    CREATE VIEW v_over_ft AS SELECT * FROM ft;
    CREATE TABLE measurements (id int, at date) PARTITION BY RANGE (at);
    CREATE TABLE measurements_new PARTITION OF measurements FOR VALUES FROM ('2010-01-01') TO ('2100-01-01');
    CREATE FOREIGN TABLE measurements_old PARTITION OF measurements
      FOR VALUES FROM ('2000-01-01') TO ('2010-01-01') SERVER files OPTIONS (program 'true');
    CREATE TABLE logs (line text);
    CREATE FOREIGN TABLE logs_archive () INHERITS (logs) SERVER files OPTIONS (program 'true');
    CREATE TABLE plain (id int);
    CREATE TABLE plain_parent (id int);
    CREATE TABLE plain_child () INHERITS (plain_parent);
    CREATE MATERIALIZED VIEW mv AS SELECT 1 AS x;
    CREATE SEQUENCE seq;
    -- A base type built the way an extension builds one: its input function is C code of its own
    -- (here the server's int4in under another name; hstore itself would also bring a user = operator).
    CREATE TYPE ext_int;
    CREATE FUNCTION ext_int_in(cstring) RETURNS ext_int LANGUAGE internal IMMUTABLE STRICT AS 'int4in';
    CREATE FUNCTION ext_int_out(ext_int) RETURNS cstring LANGUAGE internal IMMUTABLE STRICT AS 'int4out';
    CREATE TYPE ext_int (INPUT = ext_int_in, OUTPUT = ext_int_out, LIKE = int4);
    CREATE TYPE pair AS (a int, b int);
    CREATE FUNCTION lock_then_pair(text) RETURNS pair LANGUAGE plpgsql
      AS $$ BEGIN PERFORM pg_advisory_lock(41); RETURN ROW(1, 2)::pair; END $$;
    CREATE CAST (text AS pair) WITH FUNCTION lock_then_pair(text);
    CREATE FUNCTION lock_then_check(int) RETURNS bool LANGUAGE plpgsql
      AS $$ BEGIN PERFORM pg_advisory_lock(42); RETURN $1 > 0; END $$;
    CREATE DOMAIN posint AS int CHECK (lock_then_check(VALUE));
    CREATE DOMAIN over_posint AS posint;
    CREATE TYPE wraps_posint AS (n posint);
    CREATE VIEW v_posint AS SELECT 5::posint AS n;
    CREATE DOMAIN plain_posint AS int CHECK (VALUE > 0) NOT NULL;
    CREATE DOMAIN short_text AS text CHECK (length(VALUE) < 10);
    CREATE TYPE order_status AS ENUM ('active', 'closed');
    CREATE TYPE point2 AS (x float8, y float8, tags text[]);
    CREATE TABLE orders (id int, status order_status);
  `);
  const connections = {
    run: <T>(_: string, work: (c: pg.Client) => Promise<T>) => work(admin),
    peek: () => Promise.resolve(admin),
  } as unknown as Pick<PgConnectionRegistry, 'run' | 'peek'>;
  classifier = new CatalogClassifier(connections);
});
after(async () => {
  rmSync(marker, { force: true });
  await admin?.end();
  await server?.stop();
});

async function reasonsOf(sql: string): Promise<{ risk: string; reasons: string[] }> {
  classifier.forget('p');
  const result = await classifier.classify(sql, 'p');
  return { risk: result.risk, reasons: result.statements.flatMap((s) => s.reasons) };
}

describe('foreign tables', () => {
  test("file_fdw's program runs on the server even inside BEGIN READ ONLY (the hazard is real)", async () => {
    rmSync(marker, { force: true });
    await admin.query('BEGIN READ ONLY');
    try {
      await admin.query('SELECT * FROM ft');
    } finally {
      await admin.query('ROLLBACK');
    }
    assert.ok(existsSync(marker), 'the program ran and its file outlived the rollback');
    rmSync(marker, { force: true });
  });

  test('a foreign table, a view over one, and tables with a foreign partition or child are never read', async () => {
    for (const [sql, table] of [
      ['SELECT * FROM ft', 'public.ft'],
      ['SELECT count(*) FROM public.ft WHERE line IS NOT NULL', 'public.ft'],
      ['SELECT * FROM v_over_ft', 'public.ft'],
      ['SELECT count(*) FROM measurements', 'public.measurements'],
      ['SELECT * FROM measurements_old', 'public.measurements_old'],
      ['SELECT * FROM logs', 'public.logs'],
      ['WITH x AS (SELECT * FROM ft) SELECT count(*) FROM x', 'public.ft'],
      // COPY reads its table as a SELECT does.
      ['COPY ft TO STDOUT', 'public.ft'],
    ] as const) {
      const { risk, reasons } = await reasonsOf(sql);
      assert.equal(risk, 'dangerous', `${sql}: ${reasons.join(', ')}`);
      assert.ok(reasons.includes(`foreign_table:${table}`), `${sql}: ${reasons.join(', ')}`);
    }
  });

  test('plain, partitioned and inherited tables, materialized views and sequences stay reads', async () => {
    for (const sql of [
      'SELECT * FROM plain',
      'SELECT * FROM measurements_new',
      'SELECT * FROM plain_parent',
      'SELECT * FROM mv',
      'SELECT last_value FROM seq',
    ]) {
      const { risk, reasons } = await reasonsOf(sql);
      assert.equal(risk, 'read', `${sql}: ${reasons.join(', ')}`);
    }
  });
});

describe('casts to types', () => {
  async function advisoryLocksAfterRollback(sql: string): Promise<number> {
    await admin.query('BEGIN READ ONLY');
    try {
      await admin.query(sql);
    } finally {
      await admin.query('ROLLBACK');
    }
    const { rows } = await admin.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()",
    );
    await admin.query('SELECT pg_advisory_unlock_all()');
    return rows[0]!.n;
  }

  test('a user cast function and a domain CHECK run inside BEGIN READ ONLY (the hazard is real)', async () => {
    assert.equal(await advisoryLocksAfterRollback("SELECT 'x'::text::pair"), 1, 'the cast function took a lock');
    assert.equal(await advisoryLocksAfterRollback('SELECT 5::posint'), 1, 'the domain CHECK took a lock');
  });

  test('casts that run a function nobody vetted are never read', async () => {
    for (const [sql, reason] of [
      ["SELECT 'x'::text::pair", 'unknown_function:public.lock_then_pair'],
      ['SELECT 5::posint', 'unknown_function:public.lock_then_check'],
      ['SELECT CAST(5 AS public.posint)', 'unknown_function:public.lock_then_check'],
      ['SELECT ARRAY[5]::posint[]', 'unknown_function:public.lock_then_check'],
      ['SELECT 5::over_posint', 'unknown_function:public.lock_then_check'],
      ["SELECT '(5)'::wraps_posint", 'unknown_function:public.lock_then_check'],
      ['SELECT * FROM jsonb_to_record(\'{"a": 5}\') AS x(a posint)', 'unknown_function:public.lock_then_check'],
      ['SELECT * FROM v_posint', 'unknown_function:public.lock_then_check'],
      ['EXPLAIN SELECT 5::posint', 'unknown_function:public.lock_then_check'],
      ["SELECT '7'::ext_int", 'unknown_function:public.ext_int_in'],
    ] as const) {
      const { risk, reasons } = await reasonsOf(sql);
      assert.equal(risk, 'unknown', `${sql}: ${reasons.join(', ')}`);
      assert.ok(reasons.includes(reason), `${sql}: ${reasons.join(', ')}`);
    }
  });

  test('enums, composites of harmless types, domains with harmless checks and built-in types stay reads', async () => {
    for (const sql of [
      "SELECT 'active'::order_status",
      "SELECT * FROM orders WHERE status = 'active'::order_status",
      "SELECT ARRAY['active', 'closed']::order_status[]",
      "SELECT '(1,2,{a})'::point2, ROW(1, 2, ARRAY['b'])::point2",
      'SELECT 5::plain_posint',
      "SELECT 'abc'::short_text",
      "SELECT 1::int, 'x'::text, now()::timestamptz, '{}'::jsonb, 'orders'::regclass, 1::numeric(4, 1)",
      'SELECT * FROM jsonb_to_record(\'{"a": 5}\') AS x(a plain_posint, s order_status)',
    ]) {
      const { risk, reasons } = await reasonsOf(sql);
      assert.equal(risk, 'read', `${sql}: ${reasons.join(', ')}`);
    }
  });
});
