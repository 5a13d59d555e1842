import { formatBytes, formatSeconds, grade, type HealthDetails, type HealthStatus } from '../../shared/health';
import { biggestKeys, scanKeys, type ScanClient, type ScanWalk } from '../redis/key-scan';

/** What a check found; the runner adds id, title, threshold, timing. */
export interface Finding {
  status: HealthStatus;
  value: number | string | null;
  message: string;
  details?: HealthDetails;
  pids?: number[];
  /** Named for the runbook step that addresses the check (`pid`, `relation`, `key`…). */
  values?: Record<string, string>;
}

/** A row as the Postgres driver hands it (every value raw text, see connection-registry). */
export type Row = Record<string, string | null>;

/** What a Redis check needs from a client: ioredis's `call` fits. */
/** What a Redis check needs of a client: ioredis's `call` (and its `pipeline`, which scans use when there). */
export type RedisCaller = ScanClient;

interface CheckBase {
  id: string;
  title: string;
  /** Thresholds in words, from this run's params. */
  threshold: (p: Params) => string;
  meaning: string;
  next: string;
  numeric: boolean;
  unit?: string;
  params: Params;
}

export type Params = Record<string, number>;

export interface PgCheck extends CheckBase {
  target: 'pg';
  /** Read-only SQL; {name} is replaced by the number params[name]. */
  sql: string;
  evaluate(rows: Row[], p: Params): Finding;
  /** Turns a server error into a clearer reason (e.g. a missing extension). */
  explainError?: (message: string) => string | undefined;
}

export interface RedisCheck extends CheckBase {
  target: 'redis';
  /** The commands it sends, as shown to the operator. */
  commands: string;
  run(redis: RedisCaller, p: Params, deadline: number): Promise<Finding>;
}

export type HealthCheck = PgCheck | RedisCheck;

const num = (value: string | null | undefined): number =>
  value === null || value === undefined || value === '' ? NaN : Number(value);
const pct = (value: number) => `${Math.round(value * 10) / 10} %`;
const table = (rows: Row[], columns: string[]): HealthDetails => ({
  columns,
  rows: rows.map((row) => columns.map((c) => row[c] ?? null)),
});

/** Parses `INFO` text into fields (`# Section` lines skipped). */
export function parseInfo(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    if (!line || line.startsWith('#')) continue;
    const at = line.indexOf(':');
    if (at > 0) out[line.slice(0, at)] = line.slice(at + 1);
  }
  return out;
}

async function info(redis: RedisCaller, section: string): Promise<Record<string, string>> {
  return parseInfo(String(await redis.call('INFO', section)));
}

/** Walks the keyspace with SCAN (never KEYS) until done or the deadline; calls `visit` per batch. */
function scanUntil(
  redis: RedisCaller,
  deadline: number,
  match: string | undefined,
  visit: (keys: string[]) => Promise<void>,
): Promise<ScanWalk> {
  return scanKeys(redis, { deadline, match }, visit);
}

export const queueStates = [
  'wait',
  'active',
  'failed',
  'delayed',
  'completed',
  'paused',
  'prioritized',
  'waiting-children',
] as const;
const queueKey = new RegExp(`^(.+):([^:]+):(${queueStates.join('|')})$`);

/**
 * Every health check, in the order the panel shows them. Adding a check is adding an entry here:
 * read-only SQL (or Redis commands), its thresholds as params, and what it means / what to do.
 */
export const healthChecks: HealthCheck[] = [
  {
    id: 'pg.version',
    target: 'pg',
    title: 'Version and uptime',
    sql: `SELECT current_setting('server_version') AS version, extract(epoch FROM now() - pg_postmaster_start_time())::bigint AS uptime_s, pg_is_in_recovery() AS replica,
  pg_has_role(current_user, 'pg_read_all_stats', 'MEMBER') AS sees_all_sessions`,
    params: { restartWarnSeconds: 600 },
    threshold: (p) =>
      `warn when up less than ${formatSeconds(p.restartWarnSeconds!)} (a recent restart or failover), or when the user cannot see other roles' sessions`,
    meaning:
      'A short uptime means the server restarted or failed over recently: caches are cold and connections were dropped.',
    next: 'Check the server log around the start time for a crash, OOM kill or failover.',
    numeric: false,
    unit: 's',
    evaluate([row], p) {
      const uptime = num(row?.uptime_s);
      const role = row?.replica === 't' ? 'replica' : 'primary';
      const blind = row?.sees_all_sessions !== 't';
      const note = blind
        ? " This user cannot see other roles' sessions: the connection, idle, long-query and lock checks only cover its own (GRANT pg_monitor TO it)."
        : '';
      return {
        status: uptime < p.restartWarnSeconds! || blind ? 'warn' : 'ok',
        value: row?.version ?? null,
        message: `PostgreSQL ${row?.version} (${role}), up ${formatSeconds(uptime)}.${note}`,
      };
    },
  },
  {
    id: 'pg.connections',
    target: 'pg',
    title: 'Connections by state',
    sql: `SELECT coalesce(state, 'not visible to this user') AS state, count(*)::int AS connections, current_setting('max_connections')::int AS max_connections
FROM pg_stat_activity WHERE backend_type = 'client backend' GROUP BY 1 ORDER BY 2 DESC`,
    params: { warnPercent: 80, criticalPercent: 95 },
    threshold: (p) => `warn ≥ ${p.warnPercent} %, critical ≥ ${p.criticalPercent} % of max_connections`,
    meaning:
      'Near max_connections new clients are refused ("too many clients"); many idle ones usually mean a pool that is too big.',
    next: 'Look at who holds the connections (application, user) and at idle-in-transaction sessions; lower pool sizes or add a pooler.',
    numeric: true,
    unit: '%',
    evaluate(rows, p) {
      const max = num(rows[0]?.max_connections);
      const total = rows.reduce((sum, r) => sum + num(r.connections), 0);
      const used = max > 0 ? (100 * total) / max : 0;
      const byState = rows.map((r) => `${r.state} ${r.connections}`).join(', ');
      return {
        status: grade(used, p.warnPercent!, p.criticalPercent!),
        value: Math.round(used * 10) / 10,
        message: `${total} of ${max} connections in use (${pct(used)}): ${byState}.`,
        details: table(rows, ['state', 'connections']),
      };
    },
  },
  {
    id: 'pg.idle_in_transaction',
    target: 'pg',
    title: 'Idle in transaction',
    sql: `SELECT pid, usename, application_name, client_addr::text AS client, extract(epoch FROM now() - state_change)::int AS idle_s, extract(epoch FROM now() - xact_start)::int AS transaction_s, left(query, 200) AS last_query
FROM pg_stat_activity
WHERE state IN ('idle in transaction', 'idle in transaction (aborted)') AND now() - state_change > interval '{minSeconds} seconds'
ORDER BY idle_s DESC`,
    params: { minSeconds: 300, criticalSeconds: 900 },
    threshold: (p) =>
      `warn when a session is idle in transaction over ${formatSeconds(p.minSeconds!)}, critical over ${formatSeconds(p.criticalSeconds!)}`,
    meaning:
      'A transaction left open holds its locks and its snapshot: it blocks DDL and other writers and stops vacuum from cleaning up.',
    next: 'Find the client (application, address) and fix it; if it is stuck, pg_terminate_backend(pid) ends it (its changes roll back).',
    numeric: true,
    unit: 'sessions',
    evaluate(rows, p) {
      if (rows.length === 0)
        return {
          status: 'ok',
          value: 0,
          message: `No session idle in transaction for over ${formatSeconds(p.minSeconds!)}.`,
        };
      const longest = num(rows[0]!.idle_s);
      const pids = rows.map((r) => num(r.pid));
      return {
        status: longest >= p.criticalSeconds! ? 'critical' : 'warn',
        value: rows.length,
        message: `${rows.length} session(s) idle in transaction, longest ${formatSeconds(longest)}: pid ${pids.join(', ')}.`,
        details: table(rows, ['pid', 'usename', 'application_name', 'client', 'idle_s', 'transaction_s', 'last_query']),
        pids,
        values: { pid: String(pids[0]) },
      };
    },
  },
  {
    id: 'pg.long_queries',
    target: 'pg',
    title: 'Longest-running queries',
    sql: `SELECT pid, usename, extract(epoch FROM now() - query_start)::numeric(12,1) AS running_s, wait_event_type, left(query, 200) AS query
FROM pg_stat_activity
WHERE state = 'active' AND backend_type = 'client backend' AND pid <> pg_backend_pid() AND application_name <> 'opsconsole health'
ORDER BY query_start LIMIT 10`,
    params: { warnSeconds: 60, criticalSeconds: 300 },
    threshold: (p) =>
      `warn ≥ ${formatSeconds(p.warnSeconds!)}, critical ≥ ${formatSeconds(p.criticalSeconds!)} running`,
    meaning: 'Long statements hold locks and connections, and may be the cause of load or of blocked sessions.',
    next: 'Check whether it is expected (a report, a migration); otherwise pg_cancel_backend(pid) stops the statement.',
    numeric: true,
    unit: 's',
    evaluate(rows, p) {
      if (rows.length === 0) return { status: 'ok', value: 0, message: 'No other query is running right now.' };
      const longest = num(rows[0]!.running_s);
      return {
        status: grade(longest, p.warnSeconds!, p.criticalSeconds!),
        value: longest,
        message: `${rows.length} running; the longest (pid ${rows[0]!.pid}) for ${formatSeconds(longest)}.`,
        details: table(rows, ['pid', 'usename', 'running_s', 'wait_event_type', 'query']),
        pids: rows.map((r) => num(r.pid)),
        values: { pid: String(rows[0]!.pid) },
      };
    },
  },
  {
    id: 'pg.blocking_locks',
    target: 'pg',
    title: 'Blocking lock chains',
    sql: `SELECT a.pid, pg_blocking_pids(a.pid) AS blocked_by, extract(epoch FROM now() - coalesce(a.state_change, a.query_start))::numeric(12,1) AS waiting_s, a.wait_event_type, left(a.query, 200) AS query
FROM pg_stat_activity a
WHERE cardinality(pg_blocking_pids(a.pid)) > 0
ORDER BY waiting_s DESC`,
    params: { criticalSeconds: 60 },
    threshold: (p) =>
      `warn when any session waits on another's lock, critical when one has waited ${formatSeconds(p.criticalSeconds!)}`,
    meaning:
      'Sessions are queued behind locks held by others; the root blocker (often idle in transaction) holds up every session behind it.',
    next: "Look at the root blocker's query and client; ending it (pg_terminate_backend(pid)) releases the whole chain.",
    numeric: true,
    unit: 'sessions',
    evaluate(rows, p) {
      if (rows.length === 0)
        return { status: 'ok', value: 0, message: 'No session is waiting on a lock held by another.' };
      const edges = rows.map((r) => ({
        pid: num(r.pid),
        by: String(r.blocked_by ?? '')
          .replace(/[{}]/g, '')
          .split(',')
          .filter(Boolean)
          .map(Number),
      }));
      const blocked = new Set(edges.map((e) => e.pid));
      const roots = [...new Set(edges.flatMap((e) => e.by))].filter((pid) => !blocked.has(pid));
      const longest = num(rows[0]!.waiting_s);
      const chain = edges.map((e) => `${e.pid} ← ${e.by.join('+')}`).join('; ');
      return {
        status: longest >= p.criticalSeconds! ? 'critical' : 'warn',
        value: rows.length,
        message: `${rows.length} session(s) blocked, longest waiting ${formatSeconds(longest)}; root blocker pid ${roots.join(', ') || '(a cycle)'}. Blocked ← blocking: ${chain}.`,
        details: {
          columns: ['pid', 'blocked_by', 'waiting_s', 'wait_event_type', 'query'],
          rows: rows.map((r) => [
            r.pid ?? null,
            String(r.blocked_by ?? '').replace(/[{}]/g, ''),
            r.waiting_s ?? null,
            r.wait_event_type ?? null,
            r.query ?? null,
          ]),
        },
        pids: [...roots, ...edges.map((e) => e.pid)],
        // The root blocker is what the next step ends: the whole chain behind it is released.
        values: { ...(roots[0] !== undefined ? { pid: String(roots[0]) } : {}), blocked_pid: String(edges[0]!.pid) },
      };
    },
  },
  {
    id: 'pg.database_sizes',
    target: 'pg',
    title: 'Database sizes',
    sql: `SELECT datname AS database, pg_database_size(datname) AS bytes, datname = current_database() AS current FROM pg_database WHERE datallowconn ORDER BY 2 DESC`,
    params: { warnGb: 500, criticalGb: 2000 },
    threshold: (p) => `warn ≥ ${p.warnGb} GB, critical ≥ ${p.criticalGb} GB for this database`,
    meaning: 'A database growing faster than expected fills the disk; compare with the trend and the volume size.',
    next: 'Find the largest tables (next check) and bloat (dead tuples); plan archiving or more disk before it is full.',
    numeric: true,
    unit: 'bytes',
    evaluate(rows, p) {
      const current = rows.find((r) => r.current === 't') ?? rows[0];
      const bytes = num(current?.bytes);
      return {
        status: grade(bytes / 1024 ** 3, p.warnGb!, p.criticalGb!),
        value: bytes,
        message: `${current?.database} is ${formatBytes(bytes)}; all: ${rows.map((r) => `${r.database} ${formatBytes(num(r.bytes))}`).join(', ')}.`,
        details: {
          columns: ['database', 'size'],
          rows: rows.map((r) => [r.database ?? null, formatBytes(num(r.bytes))]),
        },
      };
    },
  },
  {
    id: 'pg.largest_tables',
    target: 'pg',
    title: 'Largest tables',
    sql: `SELECT n.nspname || '.' || c.relname AS "table", pg_total_relation_size(c.oid) AS total_bytes, pg_relation_size(c.oid) AS table_bytes, c.reltuples::bigint AS estimated_rows
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
ORDER BY total_bytes DESC LIMIT 10`,
    params: { warnGb: 100, criticalGb: 500 },
    threshold: (p) => `warn ≥ ${p.warnGb} GB, critical ≥ ${p.criticalGb} GB for one table (with indexes and TOAST)`,
    meaning: 'Very large tables make vacuum, index builds and restores slow.',
    next: 'Check whether old rows can be archived or the table partitioned; compare table and index size for bloat.',
    numeric: true,
    unit: 'bytes',
    evaluate(rows, p) {
      if (rows.length === 0) return { status: 'ok', value: 0, message: 'No user tables.' };
      const bytes = num(rows[0]!.total_bytes);
      return {
        status: grade(bytes / 1024 ** 3, p.warnGb!, p.criticalGb!),
        value: bytes,
        message: `Largest: ${rows
          .slice(0, 3)
          .map((r) => `${r.table} ${formatBytes(num(r.total_bytes))}`)
          .join(', ')}.`,
        details: {
          columns: ['table', 'total', 'table only', 'estimated rows'],
          rows: rows.map((r) => [
            r.table ?? null,
            formatBytes(num(r.total_bytes)),
            formatBytes(num(r.table_bytes)),
            r.estimated_rows ?? null,
          ]),
        },
        values: { relation: String(rows[0]!.table) },
      };
    },
  },
  {
    id: 'pg.dead_tuples',
    target: 'pg',
    title: 'Dead tuples and autovacuum',
    sql: `SELECT schemaname || '.' || relname AS "table", n_live_tup, n_dead_tup, round(100.0 * n_dead_tup / greatest(n_live_tup + n_dead_tup, 1), 1) AS dead_percent, last_autovacuum, last_vacuum
FROM pg_stat_user_tables WHERE n_dead_tup >= {minDeadTuples}
ORDER BY dead_percent DESC LIMIT 10`,
    params: { minDeadTuples: 10000, warnPercent: 20, criticalPercent: 50 },
    threshold: (p) =>
      `warn ≥ ${p.warnPercent} %, critical ≥ ${p.criticalPercent} % dead (tables with ${p.minDeadTuples}+ dead tuples)`,
    meaning:
      'Dead tuples that autovacuum does not clean up bloat tables and slow scans; often a long transaction holds them.',
    next: "Look for long or idle-in-transaction sessions; check last_autovacuum and the table's autovacuum settings; VACUUM (not FULL) is safe online.",
    numeric: true,
    unit: '%',
    evaluate(rows, p) {
      if (rows.length === 0)
        return { status: 'ok', value: 0, message: `No table has ${p.minDeadTuples} or more dead tuples.` };
      const worst = num(rows[0]!.dead_percent);
      return {
        status: grade(worst, p.warnPercent!, p.criticalPercent!),
        value: worst,
        message: `${rows[0]!.table}: ${pct(worst)} dead (${rows[0]!.n_dead_tup} tuples), last autovacuum ${rows[0]!.last_autovacuum ?? 'never'}.`,
        details: table(rows, ['table', 'n_live_tup', 'n_dead_tup', 'dead_percent', 'last_autovacuum', 'last_vacuum']),
        values: { relation: String(rows[0]!.table) },
      };
    },
  },
  {
    id: 'pg.cache_hit',
    target: 'pg',
    title: 'Cache hit ratio',
    sql: `SELECT blks_hit, blks_read, round(100.0 * blks_hit / nullif(blks_hit + blks_read, 0), 2) AS hit_percent FROM pg_stat_database WHERE datname = current_database()`,
    params: { warnPercent: 99, criticalPercent: 90, minBlocks: 10000 },
    threshold: (p) =>
      `warn ≤ ${p.warnPercent} %, critical ≤ ${p.criticalPercent} % of block reads served from shared buffers`,
    meaning:
      'A low ratio means reads go to disk: the working set does not fit in shared_buffers, or a big scan is running.',
    next: 'Look for sequential scans on large tables (missing indexes) and compare shared_buffers with the working set.',
    numeric: true,
    unit: '%',
    evaluate([row], p) {
      const hits = num(row?.blks_hit);
      const reads = num(row?.blks_read);
      const ratio = num(row?.hit_percent);
      if (!(hits + reads >= p.minBlocks!))
        return {
          status: 'ok',
          value: Number.isNaN(ratio) ? null : ratio,
          message: `Too few block reads yet (${(hits || 0) + (reads || 0)}) to judge the ratio.`,
        };
      return {
        status: grade(ratio, p.warnPercent!, p.criticalPercent!, 'below'),
        value: ratio,
        message: `${pct(ratio)} of ${hits + reads} block reads came from shared buffers.`,
      };
    },
  },
  {
    id: 'pg.replication',
    target: 'pg',
    title: 'Replication lag',
    sql: `SELECT 'replica' AS role, 'this server' AS client, extract(epoch FROM now() - pg_last_xact_replay_timestamp())::numeric(12,1) AS lag_s, NULL::numeric AS lag_bytes
WHERE pg_is_in_recovery()
UNION ALL
SELECT 'primary', coalesce(application_name, client_addr::text), extract(epoch FROM replay_lag)::numeric(12,1), pg_wal_lsn_diff(sent_lsn, replay_lsn)
FROM pg_stat_replication WHERE NOT pg_is_in_recovery()`,
    params: { warnSeconds: 30, criticalSeconds: 300 },
    threshold: (p) => `warn ≥ ${formatSeconds(p.warnSeconds!)}, critical ≥ ${formatSeconds(p.criticalSeconds!)} behind`,
    meaning: 'Lagging replicas serve stale reads and lose more on failover.',
    next: "Check the replica's load and network, long queries on it (hot_standby_feedback), and WAL volume on the primary.",
    numeric: true,
    unit: 's',
    evaluate(rows, p) {
      if (rows.length === 0)
        return { status: 'ok', value: null, message: 'No replicas: this is a primary with no standby connected.' };
      const lag = Math.max(...rows.map((r) => num(r.lag_s) || 0));
      return {
        status: grade(lag, p.warnSeconds!, p.criticalSeconds!),
        value: lag,
        message: `${rows[0]!.role === 'replica' ? 'This replica' : `${rows.length} replica(s)`}: ${formatSeconds(lag)} behind at most.`,
        details: table(rows, ['role', 'client', 'lag_s', 'lag_bytes']),
      };
    },
  },
  {
    id: 'pg.top_queries',
    target: 'pg',
    title: 'Top queries (pg_stat_statements)',
    sql: `SELECT left(query, 200) AS query, calls, round(total_exec_time::numeric, 1) AS total_ms, round(mean_exec_time::numeric, 2) AS mean_ms, rows
FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 10`,
    params: { warnMeanMs: 1000, criticalMeanMs: 10000 },
    threshold: (p) => `warn when a top query averages ≥ ${p.warnMeanMs} ms, critical ≥ ${p.criticalMeanMs} ms`,
    meaning: 'The queries that cost the server the most time in total: where tuning pays off first.',
    next: 'EXPLAIN the top query on a replica or with a sample; look for missing indexes and unbounded scans.',
    numeric: true,
    unit: 'ms',
    explainError: (message) =>
      /pg_stat_statements/.test(message) && /does not exist|must be loaded/.test(message)
        ? `pg_stat_statements is not available here (${message}): top queries need it in shared_preload_libraries and CREATE EXTENSION pg_stat_statements in this database. The other checks do not need it.`
        : undefined,
    evaluate(rows, p) {
      if (rows.length === 0)
        return { status: 'ok', value: 0, message: 'pg_stat_statements has no statements recorded yet.' };
      const worst = Math.max(...rows.map((r) => num(r.mean_ms)));
      return {
        status: grade(worst, p.warnMeanMs!, p.criticalMeanMs!),
        value: num(rows[0]!.total_ms),
        message: `Top by total time: ${rows[0]!.calls} calls, ${rows[0]!.total_ms} ms in all, ${rows[0]!.mean_ms} ms on average.`,
        details: table(rows, ['query', 'calls', 'total_ms', 'mean_ms', 'rows']),
      };
    },
  },

  {
    id: 'redis.ping',
    target: 'redis',
    title: 'PING latency',
    commands: 'PING (×5, median)',
    params: { warnMs: 50, criticalMs: 250 },
    threshold: (p) =>
      `warn ≥ ${p.warnMs} ms, critical ≥ ${p.criticalMs} ms (through the SSH session when there is one)`,
    meaning: 'Slow PINGs mean a busy server (a slow command, a fork for persistence) or a slow network path.',
    next: "Check the slowlog and CPU; over SSH compare with the session's own round trip.",
    numeric: true,
    unit: 'ms',
    async run(redis, p) {
      const times: number[] = [];
      for (let i = 0; i < 5; i++) {
        const started = performance.now();
        await redis.call('PING');
        times.push(performance.now() - started);
      }
      const median = Math.round(times.sort((a, b) => a - b)[2]! * 100) / 100;
      return {
        status: grade(median, p.warnMs!, p.criticalMs!),
        value: median,
        message: `PING answered in ${median} ms (median of 5, max ${Math.round(times[4]! * 100) / 100} ms).`,
      };
    },
  },
  {
    id: 'redis.memory',
    target: 'redis',
    title: 'Memory',
    commands: 'INFO memory',
    params: { warnPercent: 80, criticalPercent: 95, warnFragmentation: 1.5 },
    threshold: (p) =>
      `warn ≥ ${p.warnPercent} %, critical ≥ ${p.criticalPercent} % of maxmemory; warn at fragmentation ≥ ${p.warnFragmentation}`,
    meaning: 'At maxmemory Redis evicts keys or refuses writes (noeviction); high fragmentation wastes RAM.',
    next: 'Find big keys (below) and keys without TTL; check the eviction policy; activedefrag helps fragmentation.',
    numeric: true,
    unit: '%',
    async run(redis, p) {
      const m = await info(redis, 'memory');
      const used = num(m.used_memory);
      const max = num(m.maxmemory);
      const frag = num(m.mem_fragmentation_ratio);
      const facts = `used ${formatBytes(used)}, peak ${formatBytes(num(m.used_memory_peak))}, fragmentation ${frag}, maxmemory ${max ? formatBytes(max) : 'none'} (${m.maxmemory_policy})`;
      const fragStatus: HealthStatus = frag >= p.warnFragmentation! && used > 64 * 1024 ** 2 ? 'warn' : 'ok';
      if (!max)
        return {
          status: fragStatus,
          value: null,
          message: `No maxmemory set: Redis may grow until the OS kills it. ${facts}.`,
        };
      const percent = Math.round((1000 * used) / max) / 10;
      const status = grade(percent, p.warnPercent!, p.criticalPercent!);
      return {
        status: status === 'ok' ? fragStatus : status,
        value: percent,
        message: `${pct(percent)} of maxmemory: ${facts}.`,
      };
    },
  },
  {
    id: 'redis.clients',
    target: 'redis',
    title: 'Clients',
    commands: 'INFO clients, CONFIG GET maxclients',
    params: { warnPercent: 80, criticalPercent: 95, warnBlocked: 50 },
    threshold: (p) =>
      `warn ≥ ${p.warnPercent} %, critical ≥ ${p.criticalPercent} % of maxclients; warn at ${p.warnBlocked}+ blocked clients`,
    meaning: 'Near maxclients new connections are refused; many blocked clients wait on BLPOP/XREAD-style commands.',
    next: 'CLIENT LIST shows who is connected (name, address, idle time); look for a leaking pool.',
    numeric: true,
    unit: 'connected',
    async run(redis, p) {
      const c = await info(redis, 'clients');
      const connected = num(c.connected_clients);
      const blocked = num(c.blocked_clients);
      const max =
        num(c.maxclients) ||
        num(((await redis.call('CONFIG', 'GET', 'maxclients').catch(() => [])) as string[])[1]) ||
        10000;
      const percent = (100 * connected) / max;
      const status = grade(percent, p.warnPercent!, p.criticalPercent!);
      return {
        status: status === 'ok' && blocked >= p.warnBlocked! ? 'warn' : status,
        value: connected,
        message: `${connected} connected of ${max} (${pct(percent)}), ${blocked} blocked.`,
      };
    },
  },
  {
    id: 'redis.persistence',
    target: 'redis',
    title: 'Persistence',
    commands: 'INFO persistence',
    params: { warnUnsavedChanges: 1000000 },
    threshold: (p) =>
      `critical when the last RDB save or AOF write failed; warn at ${p.warnUnsavedChanges} changes since the last save`,
    meaning: 'A failing save means a restart loses data; with stop-writes-on-bgsave-error Redis also refuses writes.',
    next: 'Check disk space and permissions on the Redis dir and the log for "Background saving error"; fork failures mean too little memory.',
    numeric: false,
    async run(redis, p) {
      const s = await info(redis, 'persistence');
      const rdb = s.rdb_last_bgsave_status ?? 'unknown';
      const aof = s.aof_enabled === '1' ? (s.aof_last_write_status ?? 'unknown') : 'off';
      const changes = num(s.rdb_changes_since_last_save);
      const failed = rdb === 'err' || aof === 'err';
      const lastSave = num(s.rdb_last_save_time);
      const message = `RDB last save ${rdb} (${lastSave ? new Date(lastSave * 1000).toISOString() : 'never'}), ${changes} changes since; AOF ${aof}${s.rdb_bgsave_in_progress === '1' ? '; a save is running' : ''}.`;
      return {
        status: failed ? 'critical' : changes >= p.warnUnsavedChanges! ? 'warn' : 'ok',
        value: failed ? 'failing' : 'ok',
        message,
      };
    },
  },
  {
    id: 'redis.replication',
    target: 'redis',
    title: 'Replication',
    commands: 'INFO replication',
    params: { warnLagSeconds: 10 },
    threshold: (p) =>
      `critical when a replica's link to its master is down; warn when the last I/O with the master is ${p.warnLagSeconds} s old`,
    meaning: 'A replica with a broken link serves stale data and cannot take over on failover.',
    next: "Check master_link_status, the network between them and the master's log (full resyncs, client-output-buffer limits).",
    numeric: false,
    async run(redis, p) {
      const r = await info(redis, 'replication');
      if (r.role === 'master') {
        const count = num(r.connected_slaves) || 0;
        const replicas = Object.entries(r)
          .filter(([k]) => /^slave\d+$/.test(k))
          .map(([, v]) => v);
        return {
          status: 'ok',
          value: 'master',
          message: `Master with ${count} replica(s)${replicas.length ? `: ${replicas.join('; ')}` : ''}.`,
        };
      }
      const link = r.master_link_status ?? 'unknown';
      const io = num(r.master_last_io_seconds_ago);
      return {
        status: link !== 'up' ? 'critical' : io >= p.warnLagSeconds! ? 'warn' : 'ok',
        value: 'replica',
        message: `Replica of ${r.master_host}:${r.master_port}: link ${link}, last I/O ${Number.isNaN(io) ? '?' : io} s ago.`,
      };
    },
  },
  {
    id: 'redis.slowlog',
    target: 'redis',
    title: 'Slowlog',
    commands: 'SLOWLOG LEN, SLOWLOG GET 10',
    params: { warnMs: 100, criticalMs: 1000 },
    threshold: (p) => `warn when a recent entry took ≥ ${p.warnMs} ms, critical ≥ ${p.criticalMs} ms`,
    meaning: 'Redis runs one command at a time: every slow command stalls all clients for its duration.',
    next: 'Look at the commands (KEYS, big SMEMBERS/HGETALL, Lua) and the clients that send them; replace with SCAN-style or smaller calls.',
    numeric: true,
    unit: 'ms',
    async run(redis, p) {
      const length = Number(await redis.call('SLOWLOG', 'LEN'));
      const entries = (await redis.call('SLOWLOG', 'GET', '10')) as [
        number,
        number,
        number,
        string[],
        string?,
        string?,
      ][];
      if (entries.length === 0) return { status: 'ok', value: 0, message: 'The slowlog is empty.' };
      const rows = entries.map(
        ([id, at, micros, argv, client]) =>
          [
            id,
            new Date(at * 1000).toISOString(),
            Math.round(micros / 100) / 10,
            argv.map(String).join(' ').slice(0, 200),
            client ?? null,
          ] as (string | number | null)[],
      );
      const worst = Math.max(...rows.map((r) => Number(r[2])));
      return {
        status: grade(worst, p.warnMs!, p.criticalMs!),
        value: worst,
        message: `${length} entries; the slowest of the last ${entries.length} took ${worst} ms.`,
        details: { columns: ['id', 'at', 'ms', 'command', 'client'], rows },
      };
    },
  },
  {
    id: 'redis.keyspace',
    target: 'redis',
    title: 'Keyspace',
    commands: 'INFO keyspace',
    params: { warnKeys: 50000000, criticalKeys: 200000000 },
    threshold: (p) => `warn ≥ ${p.warnKeys}, critical ≥ ${p.criticalKeys} keys in all`,
    meaning: 'Keys per database and how many expire; a keyspace that only grows usually lacks TTLs.',
    next: 'Compare with the trend; sample big keys and check that cache keys carry a TTL.',
    numeric: true,
    unit: 'keys',
    async run(redis, p) {
      const k = await info(redis, 'keyspace');
      const rows = Object.entries(k).map(([db, text]) => {
        const f = Object.fromEntries(text.split(',').map((pair) => pair.split('=') as [string, string]));
        return [db, num(f.keys), num(f.expires), num(f.avg_ttl)] as (string | number)[];
      });
      const total = rows.reduce((sum, r) => sum + Number(r[1]), 0);
      return {
        status: grade(total, p.warnKeys!, p.criticalKeys!),
        value: total,
        message: rows.length
          ? `${total} keys: ${rows.map((r) => `${r[0]} ${r[1]} (${r[2]} expiring)`).join(', ')}.`
          : 'No keys in any database.',
        details: { columns: ['db', 'keys', 'expires', 'avg_ttl_ms'], rows },
      };
    },
  },
  {
    id: 'redis.big_keys',
    target: 'redis',
    title: 'Big keys (sampled with SCAN)',
    commands:
      'SCAN cursor COUNT 1000 (never KEYS), MEMORY USAGE key (SAMPLES 5, the default), TYPE key — stops at the time budget',
    params: { budgetMs: 2000, warnMb: 10, criticalMb: 100 },
    threshold: (p) =>
      `warn ≥ ${p.warnMb} MB, critical ≥ ${p.criticalMb} MB for one key; scans at most ${p.budgetMs} ms`,
    meaning:
      'A big key is slow to read, delete and replicate and can stall Redis; it also skews memory across a cluster.',
    next: 'Split it (hash buckets, capped lists/streams) and delete big keys with UNLINK, not DEL.',
    numeric: true,
    unit: 'bytes',
    async run(redis, p, deadline) {
      const { top, walk } = await biggestKeys(redis, { deadline: Math.min(deadline - 200, Date.now() + p.budgetMs!) });
      const types = await Promise.all(top.map((t) => redis.call('TYPE', t.key).catch(() => '?')));
      const biggest = top[0]?.bytes ?? 0;
      const coverage = walk.complete
        ? `all ${walk.scanned} keys`
        : `${walk.scanned} keys sampled (the ${p.budgetMs} ms budget ran out)`;
      return {
        status: grade(biggest / 1024 ** 2, p.warnMb!, p.criticalMb!),
        value: biggest,
        message: top.length
          ? `Biggest of ${coverage} in ${walk.elapsedMs} ms: ${top[0]!.key} ${formatBytes(biggest)}.`
          : `No keys (${coverage}).`,
        details: { columns: ['key', 'type', 'bytes'], rows: top.map((t, i) => [t.key, String(types[i]), t.bytes]) },
        ...(top[0] ? { values: { key: top[0].key } } : {}),
      };
    },
  },
  {
    id: 'redis.queues',
    target: 'redis',
    title: 'Bull/BullMQ queue depths',
    commands:
      'SCAN cursor MATCH bull:* COUNT 1000, TYPE key, LLEN or ZCARD per bull:<queue>:wait|active|failed|delayed|completed|paused|prioritized key',
    params: { budgetMs: 2000, warnWaiting: 1000, criticalWaiting: 10000, warnFailed: 100 },
    threshold: (p) =>
      `warn at ${p.warnWaiting}+ waiting or ${p.warnFailed}+ failed jobs in a queue, critical at ${p.criticalWaiting}+ waiting`,
    meaning:
      'A growing wait list means the workers do not keep up (or are down); failed jobs pile up until someone retries or removes them.',
    next: "Check the workers (are they running, erroring?), then the failed jobs' reasons; scale workers for a backlog.",
    numeric: true,
    unit: 'jobs waiting',
    async run(redis, p, deadline) {
      const keys: { queue: string; state: string; key: string }[] = [];
      const walk = await scanUntil(
        redis,
        Math.min(deadline - 200, Date.now() + p.budgetMs!),
        'bull:*',
        async (batch) => {
          for (const key of batch) {
            const match = queueKey.exec(key);
            if (match) keys.push({ queue: `${match[1]}:${match[2]}`, state: match[3]!, key });
          }
        },
      );
      const depths = await Promise.all(
        keys.map(async ({ key }) => {
          const type = String(await redis.call('TYPE', key));
          if (type === 'list') return Number(await redis.call('LLEN', key));
          if (type === 'zset') return Number(await redis.call('ZCARD', key));
          if (type === 'set') return Number(await redis.call('SCARD', key));
          return 0;
        }),
      );
      const queues = new Map<string, Record<string, number>>();
      keys.forEach(({ queue, state }, i) => {
        const q = queues.get(queue) ?? {};
        q[state] = (q[state] ?? 0) + depths[i]!;
        queues.set(queue, q);
      });
      if (queues.size === 0)
        return {
          status: 'ok',
          value: 0,
          message: `No Bull/BullMQ queues found (${walk.complete ? 'whole keyspace scanned' : `${walk.scanned} keys scanned within the budget`}).`,
        };
      const waiting = (q: Record<string, number>) => (q.wait ?? 0) + (q.paused ?? 0) + (q.prioritized ?? 0);
      const states = ['wait', 'active', 'delayed', 'failed', 'completed'];
      const rows = [...queues]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([name, q]) => [name.replace(/^bull:/, ''), ...states.map((s) => q[s] ?? 0)] as (string | number)[]);
      const maxWaiting = Math.max(...[...queues.values()].map(waiting));
      const maxFailed = Math.max(...[...queues.values()].map((q) => q.failed ?? 0));
      const status =
        maxWaiting >= p.criticalWaiting!
          ? 'critical'
          : maxWaiting >= p.warnWaiting! || maxFailed >= p.warnFailed!
            ? 'warn'
            : 'ok';
      return {
        status,
        value: maxWaiting,
        message:
          rows.map((r) => `${r[0]}: ${states.map((s, i) => `${s} ${r[i + 1]}`).join(' · ')}`).join('; ') +
          (walk.complete ? '' : ` (partial: the ${p.budgetMs} ms budget ran out)`),
        details: { columns: ['queue', ...states], rows },
        values: {
          queue: String([...queues].sort(([, a], [, b]) => waiting(b) - waiting(a))[0]![0].replace(/^bull:/, '')),
        },
      };
    },
  },
];
