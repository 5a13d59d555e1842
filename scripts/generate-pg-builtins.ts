// Regenerates src/main/sql/pg15-builtins.ts from a live Postgres 15's own catalog (pg_proc,
// pg_operator and pg_type of pg_catalog):
//   node_modules/.bin/node --import tsx scripts/generate-pg-builtins.ts
// It starts a throwaway server from test/harness. A function name is harmless when every overload
// is immutable or stable, or it is on the vetted list of volatile functions below (their effect is
// a value, a clock or a wait), and it is not denied in src/main/sql/denied-functions.ts. An operator
// name is harmless when every built-in operator of that name calls a harmless function, a type name
// when its input function is harmless. Functions, operators and types of newer versions are `unknown` to the classifier until a regeneration adds them.
import { writeFileSync } from 'node:fs';
import pg from 'pg';
import { deniedFunctions } from '../src/main/sql/denied-functions';
import { startPostgres } from '../test/harness/index';

/** Volatile built-ins vetted by hand: they read, wait, or return a fresh value; nothing else. */
const vettedVolatile = [
  'random',
  'clock_timestamp',
  'timeofday',
  'gen_random_uuid',
  'pg_sleep',
  'pg_sleep_for',
  'pg_sleep_until',
  'currval',
  'lastval',
  'pg_backend_pid',
  'pg_stat_clear_snapshot',
  'pg_current_wal_lsn',
  'pg_current_wal_insert_lsn',
  'pg_current_wal_flush_lsn',
  'pg_last_wal_receive_lsn',
  'pg_last_wal_replay_lsn',
  'pg_last_xact_replay_timestamp',
  'pg_is_in_recovery',
  'pg_is_wal_replay_paused',
  'pg_get_wal_replay_pause_state',
  'pg_blocking_pids',
  'pg_safe_snapshot_blocking_pids',
  'pg_notification_queue_usage',
  'pg_relation_size',
  'pg_total_relation_size',
  'pg_table_size',
  'pg_indexes_size',
  'pg_database_size',
  'pg_tablespace_size',
  'pg_column_size',
  'pg_relation_filenode',
  'pg_relation_filepath',
  'pg_filenode_relation',
  'pg_stat_get_activity',
  'pg_stat_get_progress_info',
  'pg_stat_get_wal_senders',
  'pg_stat_get_wal_receiver',
  'pg_stat_get_subscription',
  'pg_stat_get_replication_slot',
  'pg_stat_get_slru',
  'pg_stat_get_wal',
  'pg_stat_get_archiver',
  'pg_stat_get_backend_idset',
  'pg_get_replication_slots',
  'pg_lock_status',
  'pg_prepared_xact',
  'pg_cursor',
  'pg_prepared_statement',
  'pg_show_all_settings',
  'pg_show_all_file_settings',
  'pg_hba_file_rules',
  'pg_ident_file_mappings',
  'pg_get_backend_memory_contexts',
  'pg_get_shmem_allocations',
  'pg_control_checkpoint',
  'pg_control_system',
  'pg_control_init',
  'pg_control_recovery',
  'pg_get_keywords',
  'pg_timezone_names',
  'pg_timezone_abbrevs',
  'pg_available_extensions',
  'pg_available_extension_versions',
  'pg_config',
  'pg_stat_get_snapshot_timestamp',
  'pg_event_trigger_ddl_commands',
  'pg_listening_channels',
  'pg_get_catalog_foreign_keys',
  'pg_get_publication_tables',
  'pg_partition_tree',
  'pg_partition_ancestors',
  'pg_visible_in_snapshot',
  'txid_current_snapshot',
  'pg_current_snapshot',
  'txid_current_if_assigned',
  'pg_current_xact_id_if_assigned',
  'pg_xact_status',
  'txid_status',
  'now',
  'statement_timestamp',
  'transaction_timestamp',
  'inet_client_addr',
  'inet_client_port',
  'inet_server_addr',
  'inet_server_port',
  'version',
  'current_setting',
  'pg_postmaster_start_time',
  'pg_conf_load_time',
  'pg_get_viewdef',
  'pg_get_functiondef',
  'pg_get_indexdef',
  'pg_get_constraintdef',
  'pg_get_triggerdef',
  'pg_get_ruledef',
  'pg_get_expr',
  'pg_get_userbyid',
  'pg_get_serial_sequence',
  'pg_sequence_last_value',
  'pg_sequence_parameters',
  'pg_stat_get_function_calls',
  'pg_stat_get_xact_function_calls',
  'pg_stat_get_xact_numscans',
  'pg_stat_get_xact_tuples_returned',
  'pg_stat_get_xact_tuples_fetched',
  'pg_stat_get_xact_tuples_inserted',
  'pg_stat_get_xact_tuples_updated',
  'pg_stat_get_xact_tuples_deleted',
  'pg_stat_get_xact_tuples_hot_updated',
  'pg_stat_get_xact_blocks_fetched',
  'pg_stat_get_xact_blocks_hit',
  'pg_stat_get_xact_function_total_time',
  'pg_stat_get_xact_function_self_time',
  'pg_tablespace_location',
  'pg_tablespace_databases',
  'pg_options_to_table',
  'pg_get_object_address',
  'pg_identify_object',
  'pg_identify_object_as_address',
  'pg_describe_object',
  'pg_get_multixact_members',
  'pg_trigger_depth',
  'pg_jit_available',
  'pg_get_wal_resource_managers',
];

/**
 * Stable built-ins that are not harmless all the same: they assign a transaction id (a real,
 * lasting change to the server's xid counter).
 */
const notHarmless = new Set(['txid_current', 'pg_current_xact_id']);

const port = process.argv[2] ? Number(process.argv[2]) : undefined;
const server = port ? undefined : await startPostgres();
const client = new pg.Client(
  port
    ? { host: '127.0.0.1', port, user: 'postgres', database: 'postgres' }
    : {
        host: server!.host,
        port: server!.port,
        user: server!.superuser,
        password: server!.superPassword,
        database: server!.database,
      },
);
await client.connect();
try {
  const version = (await client.query<{ server_version: string }>('SHOW server_version')).rows[0]!.server_version.split(
    ' ',
  )[0]!;
  const procs = await client.query<{ name: string; volatile: boolean }>(`
    SELECT p.proname::text AS name, bool_or(p.provolatile = 'v') AS volatile
    FROM pg_catalog.pg_proc p WHERE p.pronamespace = 'pg_catalog'::regnamespace
    GROUP BY p.proname ORDER BY p.proname COLLATE "C"`);
  const vetted = new Set(vettedVolatile);
  const harmless = procs.rows
    .filter(
      (r) => !Object.hasOwn(deniedFunctions, r.name) && !notHarmless.has(r.name) && (!r.volatile || vetted.has(r.name)),
    )
    .map((r) => r.name);
  const harmlessSet = new Set(harmless);
  const operators = await client.query<{ name: string; codes: string[] }>(`
    SELECT o.oprname::text AS name, array_agg(DISTINCT p.proname::text) AS codes
    FROM pg_catalog.pg_operator o JOIN pg_catalog.pg_proc p ON p.oid = o.oprcode
    WHERE o.oprnamespace = 'pg_catalog'::regnamespace
    GROUP BY o.oprname ORDER BY o.oprname COLLATE "C"`);
  const harmlessOperators = operators.rows
    .filter((r) => r.codes.every((code) => harmlessSet.has(code)))
    .map((r) => r.name);
  // A built-in type is harmless to cast to when its input function is (every pg_catalog type's is
  // a C built-in, but the list says so by the same rule rather than by trust).
  const types = await client.query<{ name: string; input: string }>(`
    SELECT t.typname::text AS name, p.proname::text AS input
    FROM pg_catalog.pg_type t JOIN pg_catalog.pg_proc p ON p.oid = t.typinput
    WHERE t.typnamespace = 'pg_catalog'::regnamespace ORDER BY t.typname COLLATE "C"`);
  const harmlessTypes = types.rows.filter((r) => harmlessSet.has(r.input)).map((r) => r.name);
  writeFileSync(
    new URL('../src/main/sql/pg15-builtins.ts', import.meta.url),
    `// Generated by scripts/generate-pg-builtins.ts from PostgreSQL ${version}'s pg_proc, pg_operator and pg_type. Do\n` +
      `// not edit: regenerate (deny a function in denied-functions.ts, vet a volatile one in the script).\n\n` +
      `export const pgBuiltinsVersion = ${JSON.stringify(version)};\n\n` +
      `/** pg_catalog function names whose every overload is free of effects outside the statement's value. */\n` +
      `export const harmlessFunctionNames: readonly string[] = ${wrap(harmless)};\n\n` +
      `/** pg_catalog operator names whose every built-in operator calls a harmless function. */\n` +
      `export const harmlessOperatorNames: readonly string[] = ${wrap(harmlessOperators)};\n\n` +
      `/** pg_catalog type names (arrays included) whose input function is harmless: a cast to one runs nothing else. */\n` +
      `export const harmlessTypeNames: readonly string[] = ${wrap(harmlessTypes)};\n`,
  );
  console.error(
    `wrote ${harmless.length} of ${procs.rows.length} function names, ${harmlessOperators.length} of ${operators.rows.length} operator names and ${harmlessTypes.length} of ${types.rows.length} type names from Postgres ${version}`,
  );
} finally {
  await client.end();
  await server?.stop();
}

function wrap(names: string[]): string {
  const lines: string[] = [];
  let line = '';
  for (const name of names) {
    const item = `${JSON.stringify(name)}, `;
    if (line.length + item.length > 110) (lines.push(line.trimEnd()), (line = ''));
    line += item;
  }
  if (line) lines.push(line.trimEnd());
  return `[\n  ${lines.join('\n  ')}\n]`;
}
