import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { CatalogClassifier } from '../../src/main/sql/catalog-classifier';
import type { PgConnectionRegistry } from '../../src/main/postgres/connection-registry';
import { classifySql, initSqlClassifier } from '../../src/main/sql/classifier';
import type { SqlClassification } from '../../src/shared/risk';
import { startPostgres, type PostgresServer } from '../harness/index';

/**
 * Several hundred statements of our own, each judged by the real server: run under BEGIN READ ONLY
 * (then rolled back) as the application's user, with the session and the server probed before and
 * after (session settings, advisory locks, listeners, prepared statements, sequences, backends,
 * large objects, the config load time, statistics resets, the table's rows, relations). A
 * statement the classifier calls `read` must change nothing and never be refused as a write;
 * one the server refuses as a write (25006) or that changes something is never `read`.
 */
const reads = [
  'SELECT 1',
  'SELECT 1 + 2 * 3',
  "SELECT 'a' || 'b'",
  'SELECT now()',
  'SELECT current_timestamp',
  'SELECT current_date',
  "SELECT clock_timestamp() > now() - interval '1 day'",
  'SELECT count(*) FROM pg_stat_activity',
  'SELECT * FROM pg_stat_activity',
  "SELECT pid, state, query FROM pg_stat_activity WHERE state <> 'idle'",
  'SELECT * FROM pg_locks',
  'SELECT * FROM pg_stat_database',
  'SELECT * FROM pg_stat_user_tables',
  "SELECT * FROM pg_settings WHERE name = 'work_mem'",
  'SELECT * FROM pg_database',
  'SELECT * FROM information_schema.tables',
  "SELECT * FROM information_schema.columns WHERE table_name = 't'",
  'SELECT * FROM pg_indexes',
  'SELECT * FROM pg_roles',
  'SELECT * FROM pg_stat_replication',
  'SELECT * FROM pg_replication_slots',
  'SELECT * FROM pg_prepared_xacts',
  'SELECT * FROM pg_stat_bgwriter',
  'SELECT * FROM pg_stat_user_indexes',
  'SELECT * FROM pg_statio_user_tables',
  'SELECT * FROM pg_views',
  'SELECT * FROM pg_sequences',
  'SELECT * FROM pg_available_extensions',
  'SELECT * FROM pg_timezone_names LIMIT 3',
  'SELECT pg_size_pretty(pg_database_size(current_database()))',
  "SELECT pg_size_pretty(pg_total_relation_size('t'))",
  "SELECT pg_relation_size('t')",
  "SELECT pg_table_size('t'), pg_indexes_size('t')",
  'SELECT pg_backend_pid()',
  'SELECT version()',
  "SELECT current_setting('work_mem')",
  'SELECT current_user, session_user, current_database(), current_schema()',
  'SELECT pg_is_in_recovery()',
  'SELECT pg_current_wal_lsn()',
  'SELECT pg_postmaster_start_time()',
  'SELECT pg_conf_load_time()',
  'SELECT pg_blocking_pids(pg_backend_pid())',
  "SELECT pg_get_viewdef('v_plain'::regclass)",
  "SELECT pg_get_functiondef('f_sql_read'::regproc)",
  "SELECT to_regclass('t')",
  "SELECT 't'::regclass::oid",
  "SELECT has_table_privilege('t', 'SELECT')",
  'SELECT * FROM t',
  'SELECT * FROM t WHERE id = 1',
  'SELECT id, a FROM t ORDER BY a DESC LIMIT 2',
  'SELECT a, count(*) FROM t GROUP BY a HAVING count(*) > 0',
  'SELECT sum(a), avg(a), min(a), max(a), stddev(a) FROM t',
  "SELECT string_agg(id::text, ',' ORDER BY id) FROM t",
  'SELECT array_agg(a) FROM t',
  'SELECT json_agg(t) FROM t',
  'SELECT row_to_json(t) FROM t',
  "SELECT jsonb_build_object('id', id) FROM t",
  "SELECT '{\"a\":1}'::jsonb -> 'a'",
  'SELECT \'{"a":{"b":2}}\'::jsonb #>> \'{a,b}\'',
  "SELECT '{\"a\":1}'::jsonb ? 'a'",
  "SELECT '{1,2}'::int[] @> '{1}'",
  'SELECT ARRAY[1,2] || 3',
  'SELECT id, row_number() OVER (ORDER BY a) FROM t',
  'SELECT id, lag(a) OVER (ORDER BY id) FROM t',
  'SELECT rank() OVER (PARTITION BY b ORDER BY a) FROM t',
  'WITH x AS (SELECT * FROM t) SELECT count(*) FROM x',
  'WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 5) SELECT * FROM r',
  'SELECT * FROM t JOIN u ON u.id = t.id',
  'SELECT * FROM t LEFT JOIN u USING (id)',
  'SELECT * FROM t WHERE id IN (SELECT id FROM u)',
  'SELECT * FROM t WHERE EXISTS (SELECT 1 FROM u WHERE u.id = t.id)',
  'SELECT * FROM t WHERE a = ANY (ARRAY[1, 2])',
  'SELECT * FROM t WHERE a BETWEEN 1 AND 3',
  "SELECT * FROM t WHERE name LIKE 'n%'",
  "SELECT * FROM t WHERE name ILIKE 'N%'",
  "SELECT * FROM t WHERE name ~ '^n'",
  "SELECT * FROM t WHERE name SIMILAR TO 'n%'",
  'SELECT * FROM t WHERE name IS DISTINCT FROM NULL',
  'SELECT NULLIF(a, 1) FROM t',
  'SELECT COALESCE(NULL, 1)',
  'SELECT GREATEST(1, 2), LEAST(1, 2)',
  "SELECT CASE WHEN a > 1 THEN 'big' ELSE 'small' END FROM t",
  'SELECT generate_series(1, 5)',
  'SELECT * FROM generate_series(1, 3) g(n)',
  "SELECT date_trunc('hour', now())",
  'SELECT extract(epoch FROM now())',
  "SELECT now() - interval '5 minutes'",
  "SELECT to_char(now(), 'YYYY')",
  "SELECT lower('ABC'), upper('abc'), length('abc'), substr('abcdef', 2, 3)",
  "SELECT md5('x'), sha256('x'::bytea)",
  "SELECT regexp_replace('abc', 'b', 'x')",
  "SELECT split_part('a,b', ',', 2)",
  "SELECT format('%s-%s', 1, 2)",
  "SELECT quote_ident('a b'), quote_literal('x')",
  "SELECT left('abc', 1), right('abc', 1)",
  'SELECT random() < 2',
  'SELECT gen_random_uuid() IS NOT NULL',
  'SELECT abs(-1), ceil(1.2), floor(1.8), round(1.5), sqrt(4)',
  "SELECT 'x'::text::varchar(3)",
  'SELECT 1::numeric / 3',
  "SELECT '2024-01-01'::date + 1",
  "SELECT inet '10.0.0.1' << inet '10.0.0.0/8'",
  "SELECT 'a b'::tsvector @@ 'a'::tsquery",
  'VALUES (1, 2), (3, 4)',
  'TABLE t',
  'SHOW work_mem',
  'SHOW ALL',
  'SHOW search_path',
  'EXPLAIN SELECT * FROM t',
  'EXPLAIN (FORMAT JSON) SELECT * FROM t WHERE id = 1',
  'EXPLAIN UPDATE t SET a = 1',
  'EXPLAIN DELETE FROM t',
  "EXPLAIN INSERT INTO t VALUES (100, 1, true, 'x')",
  'EXPLAIN ANALYZE SELECT * FROM t',
  'SELECT * FROM rls_plain',
  'SELECT * FROM v_plain',
  'SELECT * FROM v_over_plain',
  'SELECT * FROM v_over_plain, v_plain',
  'SELECT f_sql_read(1)',
  'SELECT * FROM t WHERE f_sql_read(a) > 0',
  'SELECT 1 @+@ 2',
  'SELECT pg_sleep(0)',
  'SELECT currval_safe FROM (SELECT 1 AS currval_safe) x',
  'SELECT txid_current_snapshot() IS NOT NULL',
  'SELECT pg_current_snapshot() IS NOT NULL',
  'SELECT * FROM pg_stat_statements_missing_is_an_error',
  'SELECT * FROM (SELECT 1) AS x(y) CROSS JOIN LATERAL (SELECT y + 1) z',
  'SELECT DISTINCT a FROM t',
  'SELECT a FROM t UNION SELECT a FROM u',
  'SELECT a FROM t INTERSECT SELECT a FROM u',
  'SELECT a FROM t EXCEPT SELECT a FROM u',
  'SELECT * FROM t TABLESAMPLE SYSTEM (50)',
  'SELECT * FROM ROWS FROM (generate_series(1, 2), generate_series(1, 3))',
  'SELECT xmlelement(name a, 1)',
  'SELECT * FROM json_each(\'{"a":1}\')',
  'SELECT * FROM jsonb_to_record(\'{"a":1}\') AS x(a int)',
  'SELECT unnest(ARRAY[1,2,3])',
  'SELECT pg_typeof(1)',
  'SELECT 2 ^ 10, 7 % 3, |/ 16, @ -5',
];

const changes = [
  // Session state that outlives the rollback, or effects on other sessions and the server.
  'SELECT pg_advisory_lock(11)',
  'SELECT pg_advisory_lock_shared(12)',
  'SELECT pg_try_advisory_lock(13)',
  'SELECT pg_try_advisory_lock_shared(14)',
  'SELECT pg_advisory_lock(1, 2)',
  'SELECT pg_try_advisory_lock(3, 4)',
  'SELECT count(*) FROM t WHERE pg_try_advisory_lock(id)',
  'SELECT pg_advisory_xact_lock(15)',
  "SELECT nextval('s')",
  "SELECT setval('s', 42)",
  "SELECT nextval('s'), * FROM t",
  "SELECT * FROM t WHERE id = nextval('s')",
  "SELECT setval('s', 7, false)",
  "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'judge-victim'",
  "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE application_name = 'judge-victim'",
  "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'judge-victim'",
  'SELECT pg_cancel_backend(pg_backend_pid() + 0 * 0) WHERE false',
  'SELECT pg_reload_conf()',
  'SELECT pg_stat_reset()',
  "SELECT pg_stat_reset_shared('bgwriter')",
  "SELECT set_config('work_mem', '7MB', false)",
  "SELECT set_config('search_path', 'public', false)",
  'SELECT lo_create(0)',
  "SELECT lo_from_bytea(0, 'x')",
  "SELECT pg_notify('judge_chan', 'x')",
  'LISTEN judge_chan',
  'PREPARE judged AS SELECT 1',
  'DECLARE judged CURSOR WITH HOLD FOR SELECT 1',
  "SET work_mem = '9MB'",
  'SET statement_timeout = 0',
  'SET search_path = public',
  "SET SESSION work_mem = '5MB'",
  'SELECT setseed(0.5)',
  'SELECT pg_advisory_unlock_all()',
  'SELECT pg_advisory_unlock(11)',
  "SELECT dblink_exec('x')",
  "SELECT query_to_xml('DELETE FROM t', true, true, '')",
  "SELECT ts_stat('SELECT to_tsvector(name) FROM t')",
  "SELECT brin_summarize_new_values('t_brin')",
  "SELECT gin_clean_pending_list('t_gin')",
  'SELECT * FROM v_cancel',
  'SELECT * FROM v_over_cancel',
  'SELECT f_plpgsql_cancel()',
  'SELECT f_sql_cancel()',
  'SELECT 1 ### 2',
  'SELECT f_plpgsql_write()',
  'SELECT * FROM t WHERE f_plpgsql_write() > 0',
  'SELECT f_sql_nextval()',
  'SELECT * FROM v_nextval',
  'SELECT * FROM rls_locking',
  // Writes the read-only transaction refuses.
  "INSERT INTO t VALUES (100, 1, true, 'x')",
  'INSERT INTO t SELECT id + 100, a, b, name FROM t',
  'UPDATE t SET a = a + 1 WHERE id = 1',
  'UPDATE t SET a = 0',
  'DELETE FROM t WHERE id = 2',
  'DELETE FROM t',
  "UPDATE t SET name = 'x' WHERE true",
  'DELETE FROM t WHERE 1 = 1',
  'TRUNCATE t',
  'TRUNCATE u',
  'WITH d AS (DELETE FROM t WHERE id = 3 RETURNING *) SELECT * FROM d',
  'WITH i AS (INSERT INTO u VALUES (9, 9) RETURNING *) SELECT * FROM i',
  'MERGE INTO u USING t ON u.id = t.id WHEN MATCHED THEN UPDATE SET a = t.a',
  'SELECT * FROM t FOR UPDATE',
  'SELECT * FROM t FOR SHARE',
  'SELECT * FROM t WHERE id = 1 FOR NO KEY UPDATE',
  'SELECT * FROM (SELECT * FROM t FOR UPDATE) x',
  'SELECT * INTO t_copy FROM t',
  'CREATE TABLE judged_t (x int)',
  'CREATE TEMP TABLE judged_tmp (x int)',
  'CREATE TABLE judged_t2 AS SELECT * FROM t',
  'CREATE VIEW judged_v AS SELECT 1',
  'CREATE INDEX judged_i ON t (a)',
  'CREATE SEQUENCE judged_s',
  "CREATE FUNCTION judged_f() RETURNS int LANGUAGE sql AS 'SELECT 1'",
  'CREATE SCHEMA judged_schema',
  'CREATE TYPE judged_ty AS (a int)',
  'ALTER TABLE t ADD COLUMN c int',
  'ALTER TABLE t DROP COLUMN name',
  'ALTER TABLE t RENAME TO t_renamed',
  'ALTER SEQUENCE s RESTART',
  'ALTER VIEW v_plain RENAME TO v2',
  'DROP TABLE u',
  'DROP VIEW v_plain',
  'DROP SEQUENCE s',
  'DROP FUNCTION f_sql_read(int)',
  "COMMENT ON TABLE t IS 'x'",
  'GRANT SELECT ON t TO PUBLIC',
  'REVOKE SELECT ON t FROM PUBLIC',
  'LOCK TABLE t',
  'LOCK TABLE t IN ACCESS SHARE MODE',
  'REFRESH MATERIALIZED VIEW mv',
  'ANALYZE t',
  'CLUSTER t USING t_pkey',
  'REINDEX TABLE t',
  'COPY u FROM STDIN',
  'CALL p_noop()',
  'DO $$ BEGIN PERFORM 1; END $$',
  'DO $$ BEGIN INSERT INTO u VALUES (1, 1); END $$',
  'EXPLAIN ANALYZE DELETE FROM t',
  'EXPLAIN ANALYZE UPDATE t SET a = 1 WHERE id = 1',
  'EXPLAIN ANALYZE INSERT INTO u VALUES (5, 5)',
  "SECURITY LABEL ON TABLE t IS 'x'",
  'CREATE EXTENSION IF NOT EXISTS hstore',
  'SET transaction_read_only = off',
  'SET ROLE NONE',
  'RESET ALL',
  'DISCARD ALL',
  'DISCARD PLANS',
  'DEALLOCATE ALL',
  'UNLISTEN *',
  'SET standard_conforming_strings = off',
  'SET session_replication_role = replica',
  'SELECT pg_advisory_xact_lock_shared(16)',
  'SELECT pg_try_advisory_xact_lock(17)',
  'SELECT lo_unlink(0)',
  "NOTIFY judge_chan, 'y'",
  'CHECKPOINT',
  'SELECT pg_switch_wal()',
  "SELECT pg_create_restore_point('x')",
  'SELECT pg_rotate_logfile()',
  'SELECT pg_log_backend_memory_contexts(pg_backend_pid())',
  "SELECT pg_stat_reset_single_table_counters('t'::regclass)",
  "SELECT pg_read_file('PG_VERSION')",
  "SELECT pg_ls_dir('.')",
  "COPY t TO '/tmp/opsconsole-judged-never'",
  "COPY (SELECT 1) TO PROGRAM 'true'",
  "SELECT lo_export(0, '/tmp/opsconsole-judged-never')",
  'SELECT txid_current()',
  'SELECT pg_current_xact_id()',
  'SELECT my_missing_function(1)',
  "SELECT public.lower('x')",
];

let server: PostgresServer;
let admin: pg.Client;
let session: pg.Client;
let victim: pg.Client;

async function newVictim(): Promise<void> {
  victim = new pg.Client({ connectionString: server.connectionString(), application_name: 'judge-victim' });
  victim.on('error', () => undefined);
  await victim.connect();
}

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
    CREATE TABLE t (id int PRIMARY KEY, a int, b bool, name text);
    CREATE TABLE u (id int, a int);
    INSERT INTO t SELECT g, g, g % 2 = 0, 'n' || g FROM generate_series(1, 5) g;
    INSERT INTO u VALUES (1, 7), (2, 8);
    CREATE INDEX t_brin ON t USING brin (a);
    CREATE SEQUENCE s;
    CREATE MATERIALIZED VIEW mv AS SELECT * FROM t;
    CREATE VIEW v_plain AS SELECT id, upper(name) AS name FROM t;
    CREATE VIEW v_over_plain AS SELECT * FROM v_plain;
    CREATE VIEW v_cancel AS SELECT pg_cancel_backend(pid) AS c FROM pg_stat_activity WHERE application_name = 'judge-victim';
    CREATE VIEW v_over_cancel AS SELECT * FROM v_cancel;
    CREATE VIEW v_nextval AS SELECT nextval('s') AS n;
    CREATE FUNCTION f_sql_read(int) RETURNS int LANGUAGE sql AS 'SELECT $1 * 2';
    CREATE FUNCTION f_sql_cancel() RETURNS bool LANGUAGE sql AS $$SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE application_name = 'judge-victim'$$;
    CREATE FUNCTION f_sql_nextval() RETURNS bigint LANGUAGE sql AS $$SELECT nextval('s')$$;
    CREATE FUNCTION f_plpgsql_cancel() RETURNS bool LANGUAGE plpgsql AS $$ BEGIN RETURN pg_cancel_backend(0); END $$;
    CREATE FUNCTION f_plpgsql_write() RETURNS int LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_advisory_lock(99); RETURN 1; END $$;
    CREATE FUNCTION f_plus(int, int) RETURNS int LANGUAGE sql AS 'SELECT $1 + $2';
    CREATE OPERATOR @+@ (LEFTARG = int, RIGHTARG = int, FUNCTION = f_plus);
    CREATE FUNCTION f_op_cancel(int, int) RETURNS bool LANGUAGE sql AS 'SELECT pg_cancel_backend(0)';
    CREATE OPERATOR ### (LEFTARG = int, RIGHTARG = int, FUNCTION = f_op_cancel);
    CREATE PROCEDURE p_noop() LANGUAGE sql AS 'SELECT 1';
    CREATE TABLE rls_locking (id int);
    INSERT INTO rls_locking VALUES (1);
    ALTER TABLE rls_locking ENABLE ROW LEVEL SECURITY;
    CREATE POLICY takes_a_lock ON rls_locking USING (f_plpgsql_write() > 0);
    CREATE TABLE rls_plain (id int);
    ALTER TABLE rls_plain ENABLE ROW LEVEL SECURITY;
    CREATE POLICY own_rows ON rls_plain USING (id > 0 AND current_user = 'ops');
    GRANT ALL ON ALL TABLES IN SCHEMA public TO ${server.user};
    GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO ${server.user};
    GRANT pg_signal_backend TO ${server.user};
  `);
  session = new pg.Client({ connectionString: server.connectionString() });
  session.on('error', () => undefined);
  await session.connect();
  await session.query("SET statement_timeout = '3s'");
  await newVictim();
});
after(async () => {
  await Promise.all([session, victim, admin].map((c) => c?.end().catch(() => undefined)));
  await server?.stop();
});

const sessionProbe = `SELECT (SELECT string_agg(name || '=' || setting, ',' ORDER BY name) FROM pg_settings WHERE source = 'session' AND name <> 'statement_timeout') AS settings,
  (SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()) AS locks,
  (SELECT string_agg(c, ',') FROM pg_listening_channels() c) AS listening,
  (SELECT count(*) FROM pg_prepared_statements) AS prepared, (SELECT count(*) FROM pg_cursors) AS cursors, current_user AS who`;
const serverProbe = `SELECT (SELECT string_agg(sequencename || last_value, ',') FROM pg_sequences) AS seqs,
  (SELECT count(*) FROM pg_stat_activity WHERE application_name = 'judge-victim' AND state = 'idle') AS victims,
  (SELECT count(*) FROM pg_largeobject_metadata) AS los, pg_conf_load_time()::text AS conf,
  (SELECT stats_reset::text FROM pg_stat_database WHERE datname = current_database()) AS reset,
  (SELECT md5(string_agg(t::text, ',' ORDER BY id)) FROM t) AS tdata, (SELECT count(*) FROM u) AS urows,
  (SELECT count(*) FROM pg_class) AS rels, (SELECT count(*) FROM pg_description) AS comments`;

async function snapshot(): Promise<string> {
  const [own, all] = await Promise.all([session.query(sessionProbe), admin.query(serverProbe)]);
  return JSON.stringify([own.rows[0], all.rows[0]]);
}

/** What the server says the statement did: refused as a write (25006), changed something, or nothing. */
async function judge(sql: string): Promise<'refused' | 'changed' | 'nothing'> {
  const before = await snapshot();
  let refused = false;
  await session.query('BEGIN READ ONLY');
  try {
    await session.query(sql);
  } catch (error) {
    refused = (error as { code?: string }).code === '25006';
  }
  await session.query('ROLLBACK').catch(() => undefined);
  await new Promise((r) => setImmediate(r));
  const after = await snapshot();
  await session.query('DISCARD ALL');
  await session.query("SET statement_timeout = '3s'");
  if (
    (
      await admin.query(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'judge-victim' AND state = 'idle'",
      )
    ).rows[0].n !== 1
  ) {
    await victim.end().catch(() => undefined);
    await newVictim();
  }
  await admin.query(
    "SELECT pg_advisory_unlock_all(); SELECT lo_unlink(oid) FROM pg_largeobject_metadata; ALTER SEQUENCE s RESTART WITH 1; SELECT nextval('s')",
  );
  return refused ? 'refused' : before === after ? 'nothing' : 'changed';
}

test('every statement the classifier calls read changes nothing on the real server; everything that changes something is never read', async () => {
  const all = [...reads, ...changes];
  assert.ok(all.length >= 250, `${all.length} statements`);
  assert.equal(new Set(all).size, all.length, 'no statement twice');
  const connection = {
    run: <T>(_: string, work: (c: pg.Client) => Promise<T>) => work(admin),
    peek: () => Promise.resolve(admin),
  } as unknown as Pick<PgConnectionRegistry, 'run' | 'peek'>;
  const withCatalog = new CatalogClassifier(connection);
  const wrong: string[] = [];
  const overCalled: string[] = [];
  const verdicts = { refused: 0, changed: 0, nothing: 0 };
  const hidden: Record<string, string> = {};
  for (const sql of all) {
    let offline: SqlClassification;
    let resolved: SqlClassification;
    try {
      offline = classifySql(sql);
      resolved = await withCatalog.classify(sql, 'judge');
    } catch (error) {
      wrong.push(`${sql}: the classifier crashed (${(error as Error).message})`);
      continue;
    }
    const verdict = await judge(sql);
    verdicts[verdict]++;
    if (/^SELECT \* FROM (rls_locking|v_cancel|v_nextval)$/.test(sql))
      hidden[sql] = `${verdict} ${offline.risk} ${resolved.risk}`;
    // Offline (no profile) a view's definition or a table's policies are out of sight; every run resolves them through the catalog.
    const judged = /\b(v|rls)_/.test(sql)
      ? ([['with the catalog', resolved]] as const)
      : ([
          ['offline', offline],
          ['with the catalog', resolved],
        ] as const);
    for (const [how, c] of judged) {
      if (c.risk === 'read' && verdict !== 'nothing') wrong.push(`${sql}: ${how} read, but the server says ${verdict}`);
    }
    if (verdict === 'nothing' && resolved.risk !== 'read') overCalled.push(sql);
    if (reads.includes(sql) && resolved.risk !== 'read' && !sql.includes('missing'))
      wrong.push(
        `${sql}: a plain read, classified ${resolved.risk} (${resolved.statements.flatMap((s) => s.reasons).join(', ')})`,
      );
  }
  assert.deepEqual(wrong, []);
  // Effects hidden in a policy or a view: a read offline, caught by the catalog, and real on the server.
  assert.deepEqual(hidden, {
    'SELECT * FROM rls_locking': 'changed read unknown',
    'SELECT * FROM v_cancel': 'nothing read dangerous',
    'SELECT * FROM v_nextval': 'refused read write',
  });
  // The judge itself sees effects: refusals by the server and changes that outlive the rollback.
  assert.ok(
    verdicts.refused >= 50 && verdicts.changed >= 10 && verdicts.nothing >= reads.length,
    JSON.stringify(verdicts),
  );
  // Over-classifying is the safe direction, but stays honest: these changed nothing here (rolled back, or refused for want of privileges) yet ask first.
  assert.ok(overCalled.length < changes.length, `${overCalled.length} over-called`);
});
