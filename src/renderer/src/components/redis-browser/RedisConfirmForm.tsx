import type { ReactNode } from 'react';
import type { RedisRunResult } from '../../../../shared/contract';
import { ReasonList, RiskBadge } from '../sql/RiskBadge';

/**
 * The Redis gate's question as a form: the profile's name to type on production, "Don't send" and
 * "Send". One form for the console, the browser and runbook steps, so every write asks the same way.
 */
export function RedisConfirmForm({
  pending,
  typedName,
  busy,
  testPrefix,
  sendTestId = `${testPrefix}-confirm`,
  onType,
  onConfirm,
  onDismiss,
}: {
  pending: RedisRunResult;
  typedName: string;
  busy?: boolean;
  testPrefix: 'redis' | 'browser' | 'runbook-redis';
  /** The Send button's test id, where a panel already uses `${testPrefix}-confirm` for itself. */
  sendTestId?: string;
  onType: (name: string) => void;
  onConfirm: () => void;
  onDismiss: () => void;
}) {
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        onConfirm();
      }}
    >
      {pending.confirmation?.policy === 'type-profile-name' && (
        <label>
          <span>
            Type <strong>{pending.confirmation.profileName}</strong> to send it
          </span>
          <input
            value={typedName}
            onChange={(e) => onType(e.target.value)}
            autoComplete="off"
            spellCheck="false"
            data-testid={`${testPrefix}-confirm-name`}
          />
        </label>
      )}
      <div className="actions">
        <button type="button" onClick={onDismiss} data-testid={`${testPrefix}-dismiss`}>
          Don't send
        </button>
        <button type="submit" className="danger-solid" disabled={busy} data-testid={sendTestId}>
          Send {pending.argv[0]}
        </button>
      </div>
    </form>
  );
}

/** The gate's question with its risk and reasons, around the form (and anything offered instead). */
export function RedisConfirmPanel({
  pending,
  testId,
  children,
}: {
  pending: RedisRunResult;
  testId: string;
  children: ReactNode;
}) {
  return (
    <div className="redis-confirm" role="group" aria-label="Confirm the Redis command" data-testid={testId}>
      <p>
        <RiskBadge risk={pending.risk} /> {pending.message}
      </p>
      <ReasonList reasons={pending.reasons} />
      {children}
    </div>
  );
}
