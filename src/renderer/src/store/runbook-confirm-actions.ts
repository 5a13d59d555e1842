import type { AppState, SetState } from './app-state';
import { noticeFrom } from './notice-slice';
import type { StepRunner } from './runbook-step-runner';
import type { RunbooksSlice } from './state/runbooks';
import { transport } from './transport-ref';

type ConfirmActions = Pick<
  RunbooksSlice,
  | 'runbookSqlNameTyped'
  | 'runbookSqlDecided'
  | 'runbookRedisNameTyped'
  | 'runbookRedisConfirmed'
  | 'runbookRedisDismissed'
  | 'runbookSqlRunSettled'
>;

/** The operator's decisions on a step that waits: a break-glass SQL run, a Redis command to confirm. */
export function createRunbookConfirmActions(set: SetState, get: () => AppState, runner: StepRunner): ConfirmActions {
  const { patchStep, stepOf, record, landedSql, runRedis } = runner;
  return {
    runbookSqlNameTyped: (name) =>
      set((s) => (s.runbookSqlPending ? { runbookSqlPending: { ...s.runbookSqlPending, typedName: name } } : {})),
    async runbookSqlDecided(decision) {
      const pending = get().runbookSqlPending;
      if (!pending) return;
      set({ runbookSqlPending: { ...pending, busy: true } });
      const step = stepOf(pending.stepId);
      try {
        const result = await transport().invoke('sql.confirm', {
          runId: pending.result.runId,
          decision,
          ...(pending.typedName ? { typedName: pending.typedName } : {}),
        });
        set({ runbookSqlPending: undefined });
        if (step) await landedSql(step, result, performance.now() - result.durationMs);
      } catch (error) {
        set({ runbookSqlPending: undefined });
        patchStep(pending.stepId, { status: 'failed', error: noticeFrom(error) });
        if (step) await record(step, 'failed');
      }
    },
    runbookRedisNameTyped: (stepId, name) => {
      const run = get().runbookSteps[stepId];
      if (run?.redisPending) patchStep(stepId, { redisPending: { ...run.redisPending, typedName: name } });
    },
    async runbookRedisConfirmed(stepId) {
      const step = stepOf(stepId);
      const run = get().runbookSteps[stepId];
      const profileId = get().selectedProfileId;
      if (!step || !run?.redisPending || !profileId) return;
      const { rest, typedName } = run.redisPending;
      const started = performance.now();
      patchStep(stepId, { status: 'running', redisPending: undefined });
      try {
        const status = await runRedis(step, profileId, rest, run.redis ?? [], typedName ? { typedName } : {});
        if (status !== 'pending') await record(step, status, performance.now() - started);
      } catch (error) {
        patchStep(stepId, { status: 'failed', error: noticeFrom(error) });
        await record(step, 'failed');
      }
    },
    runbookRedisDismissed(stepId) {
      const step = stepOf(stepId);
      patchStep(stepId, {
        status: 'cancelled',
        redisPending: undefined,
        message: 'Not sent: you chose not to run it.',
      });
      if (step) void record(step, 'cancelled');
    },
    runbookSqlRunSettled(result) {
      const pending = get().runbookSqlPending;
      if (!pending || pending.result.runId !== result.runId || pending.busy) return;
      set({ runbookSqlPending: undefined });
      const step = stepOf(pending.stepId);
      if (step) void landedSql(step, result, performance.now() - result.durationMs);
    },
  };
}
