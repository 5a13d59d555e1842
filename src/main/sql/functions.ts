import type { SqlReasonCode } from '../../shared/risk';

/**
 * Built-in functions whose effects escape a READ ONLY transaction (the server would let them run
 * inside one), so the classifier must catch them by name. Matched on the unqualified name, whatever
 * the schema: a user function called `set_config` is treated like the real one.
 */
const sideEffectFunctions = [
  // Other backends and the server process.
  'pg_terminate_backend', 'pg_cancel_backend', 'pg_signal_backend', 'pg_reload_conf', 'pg_rotate_logfile',
  'pg_promote', 'pg_log_backend_memory_contexts',
  // Settings.
  'set_config',
  // WAL, backups, replication.
  'pg_switch_wal', 'pg_switch_xlog', 'pg_create_restore_point', 'pg_start_backup', 'pg_stop_backup',
  'pg_backup_start', 'pg_backup_stop', 'pg_wal_replay_pause', 'pg_wal_replay_resume',
  'pg_create_physical_replication_slot', 'pg_create_logical_replication_slot', 'pg_drop_replication_slot',
  'pg_copy_physical_replication_slot', 'pg_copy_logical_replication_slot', 'pg_replication_slot_advance',
  'pg_logical_slot_get_changes', 'pg_logical_slot_get_binary_changes', 'pg_logical_emit_message',
  'pg_replication_origin_create', 'pg_replication_origin_drop', 'pg_replication_origin_advance',
  'pg_replication_origin_session_setup', 'pg_replication_origin_xact_setup', 'pg_sync_replication_slots',
  // Statistics resets.
  'pg_stat_reset', 'pg_stat_reset_shared', 'pg_stat_reset_single_table_counters',
  'pg_stat_reset_single_function_counters', 'pg_stat_reset_slru', 'pg_stat_reset_replication_slot',
  'pg_stat_reset_subscription_stats', 'pg_stat_reset_backend_stats', 'pg_stat_statements_reset',
  // Large objects and server files.
  'lo_import', 'lo_export', 'lo_unlink', 'lo_create', 'lo_creat', 'lo_put', 'lo_from_bytea', 'lo_truncate',
  'lo_truncate64', 'lowrite', 'pg_read_file', 'pg_read_binary_file', 'pg_stat_file', 'pg_ls_dir',
  'pg_ls_logdir', 'pg_ls_waldir', 'pg_ls_tmpdir', 'pg_ls_archive_statusdir', 'pg_ls_logicalsnapdir',
  'pg_ls_logicalmapdir', 'pg_ls_replslotdir', 'pg_ls_summariesdir', 'pg_file_write', 'pg_file_rename',
  'pg_file_unlink', 'pg_file_sync', 'pg_logdir_ls', 'pg_import_system_collations', 'pg_truncate_visibility_map',
  // Other connections (dblink, postgres_fdw).
  'dblink', 'dblink_exec', 'dblink_connect', 'dblink_connect_u', 'dblink_send_query', 'dblink_open',
  'dblink_fetch', 'dblink_close', 'dblink_get_result', 'dblink_cancel_query', 'postgres_fdw_disconnect',
  'postgres_fdw_disconnect_all',
];

/** Functions that run SQL handed to them as a string: the classifier cannot see what they run. */
const dynamicSqlFunctions = ['query_to_xml', 'query_to_xmlschema', 'query_to_xml_and_xmlschema'];

const sequenceFunctions = ['nextval', 'setval'];

const advisoryLockFunctions = [
  'pg_advisory_lock', 'pg_advisory_lock_shared', 'pg_advisory_xact_lock', 'pg_advisory_xact_lock_shared',
  'pg_try_advisory_lock', 'pg_try_advisory_lock_shared', 'pg_try_advisory_xact_lock',
  'pg_try_advisory_xact_lock_shared',
];

const reasonByFunction = new Map<string, SqlReasonCode>([
  ...sideEffectFunctions.map((name) => [name, 'side_effect_function'] as const),
  ...dynamicSqlFunctions.map((name) => [name, 'dynamic_sql'] as const),
  ...sequenceFunctions.map((name) => [name, 'sequence_change'] as const),
  ...advisoryLockFunctions.map((name) => [name, 'advisory_lock'] as const),
  ['pg_notify', 'notify'],
]);

/** The reason a call to `name` (unqualified, as written) adds, with the name as detail; none for ordinary functions. */
export function reasonForFunction(name: string): string | undefined {
  const lower = name.toLowerCase();
  const code = reasonByFunction.get(lower);
  if (!code) return undefined;
  return code === 'sequence_change' || code === 'notify' ? code : `${code}:${lower}`;
}
