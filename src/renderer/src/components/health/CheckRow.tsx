import { useState } from 'react';
import {
  formatBytes,
  formatSeconds,
  type HealthCheckInfo,
  type HealthCheckResult,
  type HealthStatus,
} from '../../../../shared/health';
import { useHealth, type ProfileHealth } from '../../store/health-slice';
import { FindingActions } from './FindingActions';
import { Sparkline } from './Sparkline';

export const statusLabel: Record<HealthStatus | 'pending', string> = {
  ok: 'OK',
  warn: 'Warn',
  critical: 'Critical',
  error: 'Error',
  pending: 'Not run',
};
/** The headline value in the check's unit: bytes, seconds, percent. */
function formatValue(value: HealthCheckResult['value'], unit?: string): string {
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

/** One check: its status and value, the trend, re-run, and (opened) its query, meaning and next steps. */
export function CheckRow({
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
