import { useApp } from '../../store';
import type { StepRun } from '../../store/state/runbooks';
import { RedisConfirmForm, RedisConfirmPanel } from '../redis-browser/RedisConfirmForm';

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
    <RedisConfirmPanel pending={result} testId="runbook-redis-confirm">
      <RedisConfirmForm
        pending={result}
        typedName={pending.typedName}
        testPrefix="runbook-redis"
        sendTestId="runbook-redis-confirm-send"
        onType={(name) => runbookRedisNameTyped(stepId, name)}
        onConfirm={() => void runbookRedisConfirmed(stepId)}
        onDismiss={() => runbookRedisDismissed(stepId)}
      />
    </RedisConfirmPanel>
  );
}
