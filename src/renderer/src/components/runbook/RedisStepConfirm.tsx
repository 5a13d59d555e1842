import { useApp } from '../../store';
import type { StepRun } from '../../store/state/runbooks';
import { RedisConfirmForm } from '../redis-browser/RedisConfirmForm';
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
      <RedisConfirmForm
        pending={result}
        typedName={pending.typedName}
        testPrefix="runbook-redis"
        sendTestId="runbook-redis-confirm-send"
        onType={(name) => runbookRedisNameTyped(stepId, name)}
        onConfirm={() => void runbookRedisConfirmed(stepId)}
        onDismiss={() => runbookRedisDismissed(stepId)}
      />
    </div>
  );
}
