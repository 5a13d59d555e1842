import type { SqlReasonCode } from '../../shared/risk';

/**
 * Functions the classifier refuses to call a read whatever their volatility says: their effects
 * escape the transaction (the server lets them run inside BEGIN READ ONLY), or they run SQL handed
 * to them as text, which the classifier cannot see. Matched on the unqualified name, whatever the
 * schema: a user function called `set_config` is treated like the real one. The generator of
 * pg15-builtins.ts keeps every name here off the harmless list.
 */
const sideEffect = [
  // Other backends and the server process.
  'pg_terminate_backend', 'pg_cancel_backend', 'pg_signal_backend', 'pg_reload_conf', 'pg_rotate_logfile',
  'pg_promote', 'pg_log_backend_memory_contexts',
  // Session state: settings and the random seed outlive a rolled-back preview's intent.
  'set_config', 'setseed',
  // WAL, backups, replication.
  'pg_switch_wal', 'pg_switch_xlog', 'pg_create_restore_point', 'pg_start_backup', 'pg_stop_backup',
  'pg_backup_start', 'pg_backup_stop', 'pg_wal_replay_pause', 'pg_wal_replay_resume',
  'pg_create_physical_replication_slot', 'pg_create_logical_replication_slot', 'pg_drop_replication_slot',
  'pg_copy_physical_replication_slot', 'pg_copy_logical_replication_slot', 'pg_replication_slot_advance',
  'pg_logical_slot_get_changes', 'pg_logical_slot_get_binary_changes', 'pg_logical_slot_peek_changes',
  'pg_logical_slot_peek_binary_changes', 'pg_logical_emit_message',
  'pg_replication_origin_create', 'pg_replication_origin_drop', 'pg_replication_origin_advance',
  'pg_replication_origin_session_setup', 'pg_replication_origin_session_reset', 'pg_replication_origin_xact_setup',
  'pg_replication_origin_xact_reset', 'pg_replication_origin_session_progress', 'pg_replication_origin_progress',
  'pg_sync_replication_slots',
  // Statistics resets.
  'pg_stat_reset', 'pg_stat_reset_shared', 'pg_stat_reset_single_table_counters',
  'pg_stat_reset_single_function_counters', 'pg_stat_reset_slru', 'pg_stat_reset_replication_slot',
  'pg_stat_reset_subscription_stats', 'pg_stat_reset_backend_stats', 'pg_stat_statements_reset',
  // Index and table maintenance that writes outside the transaction.
  'brin_summarize_new_values', 'brin_summarize_range', 'brin_desummarize_range', 'gin_clean_pending_list',
  'pg_truncate_visibility_map', 'heap_force_kill', 'heap_force_freeze', 'pg_import_system_collations',
  // Large objects and server files.
  'lo_import', 'lo_export', 'lo_unlink', 'lo_create', 'lo_creat', 'lo_put', 'lo_from_bytea', 'lo_truncate',
  'lo_truncate64', 'lowrite', 'lo_open', 'lo_close', 'lo_lseek', 'lo_lseek64', 'lo_tell', 'lo_tell64', 'loread',
  'lo_get', 'pg_read_file', 'pg_read_binary_file', 'pg_stat_file', 'pg_ls_dir',
  'pg_ls_logdir', 'pg_ls_waldir', 'pg_ls_tmpdir', 'pg_ls_archive_statusdir', 'pg_ls_logicalsnapdir',
  'pg_ls_logicalmapdir', 'pg_ls_replslotdir', 'pg_ls_summariesdir', 'pg_file_write', 'pg_file_rename',
  'pg_file_unlink', 'pg_file_sync', 'pg_logdir_ls',
  // Other connections (dblink, postgres_fdw).
  'dblink', 'dblink_exec', 'dblink_connect', 'dblink_connect_u', 'dblink_send_query', 'dblink_open',
  'dblink_fetch', 'dblink_close', 'dblink_get_result', 'dblink_cancel_query', 'dblink_disconnect',
  'postgres_fdw_disconnect', 'postgres_fdw_disconnect_all',
];

/** Functions that run SQL given as a string (or a cursor's query): what they run is not visible. */
const dynamicSql = [
  'query_to_xml', 'query_to_xmlschema', 'query_to_xml_and_xmlschema', 'cursor_to_xml', 'cursor_to_xmlschema',
  'table_to_xml', 'table_to_xmlschema', 'table_to_xml_and_xmlschema', 'schema_to_xml', 'schema_to_xmlschema',
  'schema_to_xml_and_xmlschema', 'database_to_xml', 'database_to_xmlschema', 'database_to_xml_and_xmlschema',
  'ts_stat', 'ts_rewrite', 'crosstab', 'crosstab2', 'crosstab3', 'crosstab4', 'connectby', 'xpath_table',
];

const advisoryLocks = [
  'pg_advisory_lock', 'pg_advisory_lock_shared', 'pg_advisory_xact_lock', 'pg_advisory_xact_lock_shared',
  'pg_try_advisory_lock', 'pg_try_advisory_lock_shared', 'pg_try_advisory_xact_lock',
  'pg_try_advisory_xact_lock_shared', 'pg_advisory_unlock', 'pg_advisory_unlock_shared', 'pg_advisory_unlock_all',
];

/** Every denied function name with the reason code a call adds. */
export const deniedFunctions: Readonly<Record<string, SqlReasonCode>> = Object.freeze({
  ...Object.fromEntries(sideEffect.map((name) => [name, 'side_effect_function'])),
  ...Object.fromEntries(dynamicSql.map((name) => [name, 'dynamic_sql'])),
  ...Object.fromEntries(advisoryLocks.map((name) => [name, 'advisory_lock'])),
  nextval: 'sequence_change',
  setval: 'sequence_change',
  pg_notify: 'notify',
});
