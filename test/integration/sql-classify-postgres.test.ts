import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { classifySql, initSqlClassifier } from '../../src/main/sql/classifier';
import { compareRisk } from '../../src/shared/risk';
import { startPostgres, type PostgresServer } from '../harness/index';

/**
 * Ground truth from a real server: inside BEGIN READ ONLY, Postgres refuses what writes with
 * SQLSTATE 25006. What the classifier calls `read` must run there; what the server refuses must
 * never be `read` (nor `admin`, GRANT/REVOKE aside); and statements with effects that get through
 * READ ONLY (side-effect functions, SET ROLE, read-only off) are `dangerous`.
 */
const statements = [
  // read
  'SELECT 1',
  'TABLE t',
  'VALUES (1, 2)',
  'SHOW work_mem',
  'SELECT * FROM t WHERE id = 1',
  'WITH r AS (SELECT * FROM t) SELECT count(*) FROM r',
  'SELECT currval_or_null FROM (SELECT 1 AS currval_or_null) x',
  'EXPLAIN SELECT * FROM t',
  'EXPLAIN DELETE FROM t',
  'EXPLAIN UPDATE t SET a = 1',
  'EXPLAIN INSERT INTO t VALUES (9, 9, true)',
  'EXPLAIN ANALYZE SELECT * FROM t',
  "SELECT 'DELETE FROM t'",
  'SELECT "update" FROM (SELECT 1 AS "update") x',
  'SELECT * FROM pg_stat_activity',
  'SELECT pg_size_pretty(pg_database_size(current_database()))',
  'DECLARE c CURSOR FOR SELECT * FROM t',
  'PREPARE q(int) AS SELECT * FROM t WHERE id = $1',
  // write
  'INSERT INTO t VALUES (10, 1, true)',
  'UPDATE t SET a = 2 WHERE id = 1',
  'DELETE FROM t WHERE id = 1',
  'WITH d AS (DELETE FROM t WHERE id = 2 RETURNING *) SELECT * FROM d',
  "SELECT nextval('s')",
  "SELECT setval('s', 5)",
  'SELECT * FROM t WHERE id = 1 FOR UPDATE',
  'SELECT * FROM t FOR SHARE',
  'SELECT * FROM (SELECT * FROM t FOR UPDATE) x',
  'MERGE INTO t USING u ON t.id = u.id WHEN MATCHED THEN UPDATE SET a = u.a',
  'EXPLAIN ANALYZE DELETE FROM t WHERE id = 3',
  'SELECT pg_advisory_xact_lock(1)',
  "NOTIFY ch, 'x'",
  // ddl
  'CREATE TABLE n (x int)',
  'ALTER TABLE t ADD COLUMN c int',
  'CREATE INDEX t_a ON t (a)',
  'CREATE VIEW v AS SELECT 1',
  'SELECT * INTO t_copy FROM t',
  'CREATE TABLE t2 AS SELECT * FROM t',
  "COMMENT ON TABLE t IS 'x'",
  'CREATE SEQUENCE s2',
  // dangerous
  'DELETE FROM t',
  'UPDATE t SET a = 1',
  'WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d',
  'TRUNCATE t',
  'DROP TABLE u',
  'LOCK TABLE t',
  "COPY t TO '/tmp/opsconsole-never'",
  'DO $$ BEGIN NULL; END $$',
  'CALL p()',
  'ALTER TABLE t DROP COLUMN b',
  'SELECT pg_terminate_backend(0)',
  'SELECT pg_cancel_backend(0)',
  'SELECT pg_reload_conf()',
  "SELECT set_config('statement_timeout', '1s', true)",
  "SELECT pg_read_file('PG_VERSION')",
  "SELECT pg_ls_dir('.')",
  'SET ROLE ops',
  'SET transaction_read_only = off',
  'EXPLAIN ANALYZE DELETE FROM t',
  'CLUSTER t USING t_pkey',
  // admin
  "SET work_mem = '8MB'",
  'SET statement_timeout = 0',
  'GRANT SELECT ON t TO ops',
  'CHECKPOINT',
];

let server: PostgresServer;
let client: pg.Client;

before(async () => {
  await initSqlClassifier();
  server = await startPostgres();
  client = new pg.Client({
    host: server.host,
    port: server.port,
    user: server.superuser,
    password: server.superPassword,
    database: server.database,
  });
  await client.connect();
  await client.query(`
    CREATE TABLE t (id int PRIMARY KEY, a int, b bool);
    CREATE TABLE u (id int, a int);
    INSERT INTO t SELECT g, g, true FROM generate_series(1, 5) g;
    INSERT INTO u VALUES (1, 7);
    CREATE SEQUENCE s;
    CREATE PROCEDURE p() LANGUAGE sql AS 'SELECT 1';
  `);
});
after(async () => {
  await client?.end();
  await server?.stop();
});

/** Runs one statement inside BEGIN READ ONLY and rolls back: the SQLSTATE it failed with, or 'ok'. */
async function underReadOnly(sql: string): Promise<string> {
  await client.query('BEGIN READ ONLY');
  try {
    await client.query(sql);
    return 'ok';
  } catch (error) {
    return (error as { code?: string }).code ?? 'error';
  } finally {
    await client.query('ROLLBACK');
  }
}

describe('the classifier against a real Postgres in READ ONLY', () => {
  test('read runs; refused (25006) is never read or admin; functions that get through read-only are dangerous', async () => {
    const wrong: string[] = [];
    const seen = { read: 0, refused: 0, slippedThrough: 0 };
    for (const sql of statements) {
      const { risk, statements: parts } = classifySql(sql);
      assert.equal(parts.length, 1, sql);
      const outcome = await underReadOnly(sql);
      const reasons = parts[0]!.reasons;
      if (risk === 'read') {
        seen.read++;
        if (outcome !== 'ok') wrong.push(`${sql}: classified read, but READ ONLY gave ${outcome}`);
      }
      if (outcome === '25006') {
        seen.refused++;
        // GRANT/REVOKE write the catalog, so READ ONLY refuses them; the issue ranks them admin.
        const grant = risk === 'admin' && reasons.every((r) => r === 'grant');
        if (compareRisk(risk, 'write') < 0 && !grant)
          wrong.push(`${sql}: the server refuses it as a write, classified ${risk}`);
      }
      if (
        outcome === 'ok' &&
        reasons.some((r) => r.startsWith('side_effect_function:') || r === 'identity_change' || r === 'read_only_off')
      ) {
        seen.slippedThrough++;
        if (risk !== 'dangerous') wrong.push(`${sql}: runs under READ ONLY with effects, classified ${risk}`);
      }
    }
    assert.deepEqual(wrong, []);
    assert.ok(seen.read >= 15 && seen.refused >= 20 && seen.slippedThrough >= 6, JSON.stringify(seen));
  });

  test('write and ddl statements are refused by READ ONLY (except locks and NOTIFY, which it lets through)', async () => {
    const letThrough = new Set(['SELECT pg_advisory_xact_lock(1)', "NOTIFY ch, 'x'"]);
    const notRefused: string[] = [];
    for (const sql of statements) {
      const { risk } = classifySql(sql);
      if ((risk === 'write' || risk === 'ddl') && !letThrough.has(sql)) {
        const outcome = await underReadOnly(sql);
        if (outcome !== '25006') notRefused.push(`${sql}: ${outcome}`);
      }
    }
    assert.deepEqual(notRefused, []);
  });
});
