/** Guided health checks: what the core, the CLI and the Health panel share. */

export type HealthStatus = 'ok' | 'warn' | 'critical' | 'error';
export type HealthTarget = 'pg' | 'redis';

/** A check as the operator reads it: what it runs, when it turns warn or critical, and what to do. */
export interface HealthCheckInfo {
  id: string;
  title: string;
  target: HealthTarget;
  /** The SQL, or the Redis commands, the check runs (read-only), with this run's parameters filled in. */
  query: string;
  /** The thresholds in words, e.g. "warn ≥ 80 %, critical ≥ 95 % of max_connections". */
  threshold: string;
  /** One line: what a bad result means. */
  meaning: string;
  /** One line: what to do next. */
  next: string;
  /** Its value is a number worth a trend line (unit says of what). */
  numeric: boolean;
  unit?: string;
  /** Tunable numbers (e.g. minSeconds); override them per run as "checkId.param". */
  params: Record<string, number>;
}

/** The numbers behind a result, as a small table. */
export interface HealthDetails {
  columns: string[];
  rows: (string | number | null)[][];
}

export interface HealthCheckResult {
  id: string;
  title: string;
  target: HealthTarget;
  status: HealthStatus;
  /** The headline number (or text); null when the check could not produce one. */
  value: number | string | null;
  threshold: string;
  /** What was found, in one line; for `error`, why the check could not run. */
  message: string;
  details?: HealthDetails;
  /** Postgres backends the result is about (idle in transaction, blocked and blocking). */
  pids?: number[];
  /**
   * The values a next step needs, named as runbook parameters are (`pid`, `relation`, `database`,
   * `key`…): a runbook step that `addresses` this check opens with them filled in.
   */
  values?: Record<string, string>;
  durationMs: number;
  /** ISO time the check finished. */
  checkedAt: string;
}

export interface HealthRunResult {
  profileId: string;
  profileName: string;
  startedAt: string;
  durationMs: number;
  checks: HealthCheckResult[];
}

/** Worst first: critical, error, warn, ok. */
export function statusRank(status: HealthStatus): number {
  return { critical: 3, error: 2, warn: 1, ok: 0 }[status];
}

/** The worst status of a run (ok when there are no checks). */
export function worstStatus(statuses: readonly HealthStatus[]): HealthStatus {
  return statuses.reduce<HealthStatus>((worst, s) => (statusRank(s) > statusRank(worst) ? s : worst), 'ok');
}

/**
 * Grades a number: `above` (the default) turns warn/critical at or over the thresholds, `below`
 * at or under them (cache hit ratio).
 */
export function grade(
  value: number,
  warn: number,
  critical: number,
  direction: 'above' | 'below' = 'above',
): HealthStatus {
  if (direction === 'above') return value >= critical ? 'critical' : value >= warn ? 'warn' : 'ok';
  return value <= critical ? 'critical' : value <= warn ? 'warn' : 'ok';
}

/** Bytes as people read them: 1.5 GB. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

/** Seconds as people read them: 3 d 4 h, 12 min 5 s, 4.2 s. */
export function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${Math.round(seconds * 10) / 10} s`;
  const s = Math.floor(seconds);
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d) return `${d} d ${h} h`;
  if (h) return `${h} h ${m} min`;
  return `${m} min ${s % 60} s`;
}
