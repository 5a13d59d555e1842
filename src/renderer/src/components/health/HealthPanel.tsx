import { Fragment, useEffect, useMemo, useState } from 'react';
import { statusRank, type HealthCheckInfo, type HealthStatus } from '../../../../shared/health';
import { useApp } from '../../store';
import { useHealth, type ProfileHealth } from '../../store/health-slice';
import { CheckRow, statusLabel } from './CheckRow';
import './health.css';

const pollChoices = [0, 10, 30, 60, 300];
const cacheChoices = [0, 30, 60, 300, 900];
const seconds = (s: number) => (s < 60 ? `${s} s` : `${s / 60} min`);
const problem = (status: HealthStatus | undefined) => status === 'warn' || status === 'critical' || status === 'error';
/** Worst first; checks not run yet last; the catalogue's order otherwise. */
const bySeverity = (health: ProfileHealth) => (a: HealthCheckInfo, b: HealthCheckInfo) =>
  rankOf(health.results[b.id]?.status) - rankOf(health.results[a.id]?.status);
const rankOf = (status: HealthStatus | undefined) => (status ? statusRank(status) : -1);
const noHealth: ProfileHealth = { results: {}, trends: {}, running: [], pollSeconds: 0 };

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
