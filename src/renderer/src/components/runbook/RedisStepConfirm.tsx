import { useApp } from '../../store';
import type { StepRun } from '../../store/state/runbooks';
import { ReasonList, RiskBadge } from '../sql/RiskBadge';

/** A Redis command of the step waiting for confirmation (nothing was sent yet): send it, or not. */
export function RedisStepConfirm({
  stepId,
  pending,
}: {
  stepId: string;
  pending: NonNullable<StepRun['redisPending']>;
}) {
  const { runbookRedisNameTyped, runbookRedisConfirmed, runbookRedisDismissed } = useApp.getState();
  const { result } = pending;
  return (
    <div
      className="redis-confirm"
      role="group"
      aria-label="Confirm the Redis command"
      data-testid="runbook-redis-confirm"
    >
      <p>
        <RiskBadge risk={result.risk} /> {result.message}
      </p>
      <ReasonList reasons={result.reasons} />
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void runbookRedisConfirmed(stepId);
        }}
      >
        {result.confirmation?.policy === 'type-profile-name' && (
          <label>
            <span>
              Type <strong>{result.confirmation.profileName}</strong> to send it
            </span>
            <input
              value={pending.typedName}
              onChange={(e) => runbookRedisNameTyped(stepId, e.target.value)}
              autoComplete="off"
              data-testid="runbook-redis-confirm-name"
            />
          </label>
        )}
        <div className="actions">
          <button type="button" onClick={() => runbookRedisDismissed(stepId)}>
            Don't send
          </button>
          <button type="submit" className="danger-solid" data-testid="runbook-redis-confirm-send">
            Send {result.argv[0]}
          </button>
        </div>
      </form>
    </div>
  );
}
