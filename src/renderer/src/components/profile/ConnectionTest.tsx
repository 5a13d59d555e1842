import type { PgTlsState } from '../../../../shared/pg-tls';
import { useApp } from '../../store';

const stageLabels: Record<string, string> = {
  'ssh.connect': 'SSH connect',
  'ssh.hostKey': 'Host key',
  'ssh.auth': 'Authentication',
  postgres: 'Postgres',
  redis: 'Redis',
};

/**
 * "Test connection": each stage as it happens, the failing one with its reason. `profileId` keys
 * the test (a saved profile's id, or "draft:…" for the editor, which passes `run` to test its draft).
 */
export function ConnectionTest({ profileId, run }: { profileId: string; run?: () => void }) {
  const test = useApp((s) => s.connectionTests[profileId]);
  const connectionTestRequested = useApp((s) => s.connectionTestRequested);
  return (
    <section className="connection-test" aria-label="Connection test">
      <button
        type="button"
        onClick={() => (run ? run() : void connectionTestRequested(profileId))}
        disabled={test?.running}
        data-testid="test-connection"
      >
        {test?.running ? 'Testing…' : 'Test connection'}
      </button>
      {test && (
        <ol className="test-steps" data-testid="test-steps" aria-live="polite">
          {test.steps.map((step) => (
            <li
              key={`${step.stage}-${step.hop ?? ''}`}
              className={`test-step status-${step.status}`}
              data-stage={step.stage}
              data-status={step.status}
            >
              <span className="test-status">
                {step.status === 'ok' ? '✓' : step.status === 'failed' ? '✗' : step.status === 'running' ? '…' : '–'}
              </span>
              <span>
                {stageLabels[step.stage] ?? step.stage}
                {step.hop ? ` (hop ${step.hop})` : ''}
              </span>
              <code>{step.target}</code>
              {step.tls && <TlsBadge tls={step.tls} />}
              {step.detail && <span className="test-detail">{step.detail}</span>}
            </li>
          ))}
          {!test.running && test.ok !== undefined && (
            <li className={`test-summary status-${test.ok ? 'ok' : 'failed'}`} data-testid="test-summary">
              {test.ok ? 'Every stage passed.' : 'A stage failed: see its reason above.'}
            </li>
          )}
        </ol>
      )}
    </section>
  );
}

/** Whether the Postgres session got TLS, and what was verified, at a glance. */
function TlsBadge({ tls }: { tls: PgTlsState }) {
  const label = !tls.encrypted
    ? 'Not encrypted'
    : { none: 'TLS, server not verified', ca: 'TLS, CA verified', full: 'TLS, CA and host verified' }[tls.verified];
  const tone = !tls.encrypted ? 'danger' : tls.verified === 'none' ? 'warning' : 'ok';
  return (
    <span
      className={`tls-badge tls-${tone}`}
      data-testid="test-pg-tls"
      data-encrypted={tls.encrypted}
      data-verified={tls.verified}
    >
      {label}
    </span>
  );
}
