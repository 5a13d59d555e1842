import { Fragment, useEffect, useMemo, useState } from 'react';
import {
  formatBytes,
  formatSeconds,
  statusRank,
  type HealthCheckInfo,
  type HealthCheckResult,
  type HealthStatus,
} from '../../../../shared/health';
import { useApp } from '../../store';
import { useHealth, type ProfileHealth } from '../../store/health-slice';
import { Sparkline } from './Sparkline';
import { FindingActions } from './FindingActions';
import './health.css';

const pollChoices = [0, 10, 30, 60, 300];
const cacheChoices = [0, 30, 60, 300, 900];
const seconds = (s: number) => (s < 60 ? `${s} s` : `${s / 60} min`);
const problem = (status: HealthStatus | undefined) => status === 'warn' || status === 'critical' || status === 'error';
/** Worst first; checks not run yet last; the catalogue's order otherwise. */
const bySeverity = (health: ProfileHealth) => (a: HealthCheckInfo, b: HealthCheckInfo) =>
  rankOf(health.results[b.id]?.status) - rankOf(health.results[a.id]?.status);
const rankOf = (status: HealthStatus | undefined) => (status ? statusRank(status) : -1);
const statusLabel: Record<HealthStatus | 'pending', string> = {
  ok: 'OK',
  warn: 'Warn',
  critical: 'Critical',
  error: 'Error',
  pending: 'Not run',
};
const noHealth: ProfileHealth = { results: {}, trends: {}, running: [], pollSeconds: 0 };

/** The headline value in the check's unit: bytes, seconds, percent. */
export function formatValue(value: HealthCheckResult['value'], unit?: string): string {
  if (value === null) return '—';
  if (typeof value === 'string') return value;
  if (unit === 'bytes') return formatBytes(value);
  if (unit === 's') return formatSeconds(value);
  if (unit === '%') return `${value} %`;
  return unit ? `${value} ${unit}` : String(value);
}

function StatusBadge({ status, id }: { status: HealthStatus | 'pending'; id: string }) {
  return (
    <span className={`health-status health-status-${status}`} data-testid={`health-status-${id}`} data-status={status}>
      {statusLabel[status]}
    </span>
  );
}

function CheckRow({
  profileId,
  profileName,
  check,
  result,
  running,
  trend,
}: {
  profileId: string;
  profileName: string;
  check: HealthCheckInfo;
  result?: HealthCheckResult;
  running: boolean;
  trend: ProfileHealth['trends'][string];
}) {
  const [open, setOpen] = useState(false);
  const run = useHealth((s) => s.healthRunRequested);
  const status = result?.status ?? 'pending';
  const detailsId = `health-details-${check.id.replace('.', '-')}`;
  return (
    <li className={`health-check health-check-${status}`} data-testid={`health-check-${check.id}`} aria-busy={running}>
      <div className="health-check-head">
        <StatusBadge status={status} id={check.id} />
        <span className="health-title">{check.title}</span>
        <span className="health-value" data-testid={`health-value-${check.id}`}>
          {result ? formatValue(result.value, check.unit) : ''}
        </span>
        {check.numeric ? (
          <Sparkline points={trend ?? []} label={`${check.title} trend`} />
        ) : (
          <span className="health-trend-empty" aria-hidden="true" />
        )}
        <span className="health-actions">
          <button
            onClick={() => setOpen(!open)}
            aria-expanded={open}
            aria-controls={detailsId}
            data-testid={`health-open-${check.id}`}
          >
            {open ? 'Hide query' : 'Query'}
          </button>
          <button
            onClick={() => void run(profileId, [check.id])}
            disabled={running}
            data-testid={`health-rerun-${check.id}`}
            aria-label={`${running ? 'Running…' : 'Re-run'} ${check.title}`}
          >
            {running ? 'Running…' : 'Re-run'}
          </button>
        </span>
      </div>
      {result && (
        <p className="health-message" data-testid={`health-message-${check.id}`}>
          {result.message}
        </p>
      )}
      {result && (result.status === 'warn' || result.status === 'critical') && (
        <FindingActions profileId={profileId} profileName={profileName} result={result} />
      )}
      <p className="health-threshold">
        Threshold: {result?.threshold ?? check.threshold}
        {result ? ` · ${result.durationMs} ms · ${new Date(result.checkedAt).toLocaleTimeString()}` : ''}
      </p>
      {open && (
        <div className="health-details" id={detailsId} data-testid={`health-details-${check.id}`}>
          <p>
            <strong>What this means:</strong> {check.meaning}
          </p>
          <p>
            <strong>What to do next:</strong> {check.next}
          </p>
          <pre className="health-query" data-testid={`health-query-${check.id}`}>
            {check.query}
          </pre>
          {result?.details && result.details.rows.length > 0 && (
            <div className="health-table-wrap">
              <table className="health-table">
                <thead>
                  <tr>
                    {result.details.columns.map((c) => (
                      <th key={c} scope="col">
                        {c}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {result.details.rows.map((row, i) => (
                    <tr key={i}>
                      {row.map((cell, j) => (
                        <td key={j}>{cell === null ? '∅' : String(cell)}</td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
      )}
    </li>
  );
}

/**
 * The Health panel of one profile: runs every check that applies (Postgres, Redis), re-runs one,
 * polls every N seconds with a trend line per numeric check, and opens each check's query with what
 * the result means and what to do next.
 */
export function HealthPanel({ profileId }: { profileId: string }) {
  const profile = useApp((s) => s.profiles.find((p) => p.id === profileId));
  const checks = useHealth((s) => s.healthChecks);
  const health = useHealth((s) => s.health[profileId]) ?? noHealth;
  const { healthChecksRequested, healthRunRequested, healthPollChosen, healthCacheChosen, healthPanelOpened } =
    useHealth.getState();
  const cacheSeconds = useHealth((s) => s.healthCacheSeconds);
  const [onlyProblems, setOnlyProblems] = useState(false);
  const applicable = useMemo(
    () => checks.filter((c) => (c.target === 'pg' ? !!profile?.postgres : !!profile?.redis)),
    [checks, profile],
  );
  const runningAll = health.running.length > 0 && applicable.every((c) => health.running.includes(c.id));

  useEffect(() => {
    if (checks.length === 0) void healthChecksRequested();
  }, [checks.length, healthChecksRequested]);

  // Opening the panel answers "is it healthy?" at once; a recent run is reused (Reuse results for…).
  useEffect(() => {
    if (applicable.length > 0) healthPanelOpened(profileId);
  }, [profileId, applicable.length > 0, healthPanelOpened]);

  useEffect(() => {
    if (!health.pollSeconds) return;
    const timer = setInterval(() => {
      if (useHealth.getState().health[profileId]?.running.length) return;
      void healthRunRequested(profileId);
    }, health.pollSeconds * 1000);
    return () => clearInterval(timer);
  }, [health.pollSeconds, profileId, healthRunRequested]);

  if (!profile) return null;
  const counts = applicable.reduce<Record<string, number>>((acc, c) => {
    const status = health.results[c.id]?.status ?? 'pending';
    acc[status] = (acc[status] ?? 0) + 1;
    return acc;
  }, {});
  const worst = applicable
    .map((c) => health.results[c.id]?.status)
    .filter((s): s is HealthStatus => !!s)
    .sort((a, b) => statusRank(b) - statusRank(a))[0];
  const groups: [string, HealthCheckInfo[]][] = [
    ['Postgres', applicable.filter((c) => c.target === 'pg')],
    ['Redis', applicable.filter((c) => c.target === 'redis')],
  ].map(([name, list]) => [
    name as string,
    (list as HealthCheckInfo[])
      .filter((c) => !onlyProblems || problem(health.results[c.id]?.status))
      .sort(bySeverity(health)),
  ]);

  return (
    <section className="health-panel" aria-labelledby="health-heading" data-testid="health-panel">
      <header className="health-toolbar">
        <h2 id="health-heading">Health · {profile.name}</h2>
        <button
          className="primary"
          onClick={() => void healthRunRequested(profileId)}
          disabled={runningAll || applicable.length === 0}
          data-testid="health-run-all"
        >
          {runningAll ? 'Running…' : 'Run all checks'}
        </button>
        <label className="health-poll">
          Re-run every{' '}
          <select
            value={health.pollSeconds}
            onChange={(e) => healthPollChosen(profileId, Number(e.target.value))}
            data-testid="health-poll"
          >
            {pollChoices.map((s) => (
              <option key={s} value={s}>
                {s === 0 ? 'never' : seconds(s)}
              </option>
            ))}
          </select>
        </label>
        <label className="health-poll">
          Reuse results for{' '}
          <select
            value={cacheSeconds}
            onChange={(e) => healthCacheChosen(Number(e.target.value))}
            data-testid="health-cache"
          >
            {cacheChoices.map((s) => (
              <option key={s} value={s}>
                {s === 0 ? 'no time (run on open)' : seconds(s)}
              </option>
            ))}
          </select>
        </label>
        <label className="health-poll">
          <input
            type="checkbox"
            checked={onlyProblems}
            onChange={(e) => setOnlyProblems(e.target.checked)}
            data-testid="health-only-problems"
          />{' '}
          Only problems
        </label>
        <span className="health-summary" role="status" aria-live="polite" data-testid="health-summary">
          {health.lastRunAt ? `Last run ${new Date(health.lastRunAt).toLocaleTimeString()}: ` : 'Not run yet. '}
          {(['critical', 'error', 'warn', 'ok'] as const)
            .filter((s) => counts[s])
            .map((s) => `${counts[s]} ${statusLabel[s].toLowerCase()}`)
            .join(', ')}
          {worst && <span className="visually-hidden"> (worst: {statusLabel[worst]})</span>}
        </span>
      </header>
      {applicable.length === 0 && checks.length > 0 && (
        <p className="empty">This profile has neither Postgres nor Redis settings: edit it to add them.</p>
      )}
      {groups.map(([name, list]) =>
        list.length === 0 ? null : (
          <Fragment key={name}>
            <h3 className="health-group">{name}</h3>
            <ul className="health-list">
              {list.map((check) => (
                <CheckRow
                  key={check.id}
                  profileId={profileId}
                  profileName={profile.name}
                  check={check}
                  result={health.results[check.id]}
                  running={health.running.includes(check.id)}
                  trend={health.trends[check.id] ?? []}
                />
              ))}
            </ul>
          </Fragment>
        ),
      )}
    </section>
  );
}
