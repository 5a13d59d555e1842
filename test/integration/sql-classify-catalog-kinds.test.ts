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
 * tables (their wrapper runs code outside the transaction). Each hazard is first shown to be real
 * on the server, inside BEGIN READ ONLY, then shown never to be classified `read`.
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
