import type { RedisRunResult, SqlRunResult } from '../../../shared/contract';
import type { RunbookStep } from '../../../shared/runbook';
import type { AppState, SetState } from './app-state';
import { attempt, noticeBar } from './request';
import { effectiveValues, recordedValues, capturedVariables } from './runbook-values';
import { isRunnable, recordedOutcome, sqlStatus } from './runbook-steps';
import type { StepRun, StepStatus } from './state/runbooks';
import { transport } from './transport-ref';

/**
 * Parameter checks hold the RE2 engine (runbook patterns): loaded with the runbook panel, which
 * imports the same module, so by the time a step runs this resolves from the module cache.
 */
export const runbookParams = () => import('../components/runbook/runbook-params');

/** What a terminal step reports when it ends (recorded on the incident timeline with the step). */
export interface TerminalOutcome {
  exitStatus: number;
  output: string;
  terminal: string;
}

/** How the runbook actions run one step: SQL and Redis against the profile, recorded on the timeline. */
export type StepRunner = ReturnType<typeof createStepRunner>;

export function createStepRunner(set: SetState, get: () => AppState) {
  const show = noticeBar(get);
  const patchStep = (stepId: string, change: Partial<StepRun>) =>
    set((s) => ({
      runbookSteps: { ...s.runbookSteps, [stepId]: { ...(s.runbookSteps[stepId] ?? { status: 'idle' }), ...change } },
    }));
  const stepOf = (stepId: string) => get().runbookPlan?.steps.find((s) => s.id === stepId);
  const runbookName = () => get().runbookPlan?.path ?? get().runbookPlan?.title ?? 'runbook';

  /** The values a step runs with: typed, else the run's variables, else defaults. */
  const valuesFor = (step: RunbookStep) =>
    effectiveValues(get().runbookPlan!, step, get().runbookParams, get().runbookVariables);
  /** The step's parameters as recorded, with where each value came from; secret values never leave the panel for the timeline. */
  const recordedParams = (step: RunbookStep) =>
    recordedValues(get().runbookPlan!, step, get().runbookParams, get().runbookVariables);

  const record = async (step: RunbookStep, status: StepStatus, durationMs?: number, terminal?: TerminalOutcome) => {
    await attempt(show, async () => {
      await transport().invoke('incidents.recordStep', {
        runbook: runbookName(),
        step: step.id,
        parameters: recordedParams(step),
        outcome: recordedOutcome(status),
        ...(durationMs !== undefined ? { durationMs: Math.round(durationMs) } : {}),
        ...(terminal ?? {}),
        ...(isRunnable(step) && get().selectedProfileId ? { profileId: get().selectedProfileId } : {}),
      });
    });
  };

  const landedSql = async (step: RunbookStep, result: SqlRunResult, started: number): Promise<StepStatus> => {
    const status = sqlStatus(result);
    patchStep(step.id, { status, sql: result, message: result.message, durationMs: result.durationMs });
    if (status === 'ok')
      set((s) => ({ runbookVariables: { ...s.runbookVariables, ...capturedVariables(step, result) } }));
    if (status === 'pending') {
      set({ runbookSqlPending: { stepId: step.id, result, typedName: '', busy: false } });
      return status;
    }
    await record(step, status, performance.now() - started);
    return status;
  };

  const runSql = async (step: RunbookStep, profileId: string, started: number): Promise<StepStatus> => {
    const { stepParameters } = await runbookParams();
    const plan = get().runbookPlan!;
    const params: Record<string, string> = {};
    for (const { parameter, value } of stepParameters(plan, step, valuesFor(step)))
      if (value.trim() !== '') params[parameter.name] = value.trim();
    const input =
      get().runbookFromLibrary && plan.path
        ? { profileId, template: { runbook: plan.path, step: step.id }, params }
        : { profileId, sql: step.template!.sql };
    return landedSql(step, await transport().invoke('sql.run', input), started);
  };

  const runRedis = async (
    step: RunbookStep,
    profileId: string,
    commands: string[][],
    done: RedisRunResult[],
    confirm?: { typedName?: string },
  ): Promise<StepStatus> => {
    const { stepParameters, fillPlaceholders } = await runbookParams();
    const values = valuesFor(step);
    const plan = get().runbookPlan!;
    // Values of secret parameters: the core masks them wherever the command is recorded or shown.
    const secretValues = stepParameters(plan, step, values)
      .filter(({ parameter, value }) => parameter.secret && value)
      .map(({ value }) => value);
    for (let i = 0; i < commands.length; i++) {
      const argv = commands[i]!.map((arg) => fillPlaceholders(plan, step, arg, values, true));
      const result = await transport().invoke('redis.run', {
        profileId,
        argv,
        ...(secretValues.length ? { secretValues } : {}),
        ...(i === 0 && confirm ? { confirm } : {}),
      });
      if (result.outcome === 'confirmation_required') {
        patchStep(step.id, {
          status: 'pending',
          redis: done,
          redisPending: { result, rest: commands.slice(i), typedName: '' },
        });
        return 'pending';
      }
      done = [...done, result];
      if (result.outcome !== 'ok') {
        const status = result.outcome === 'refused' ? 'refused' : 'failed';
        patchStep(step.id, { status, redis: done, redisPending: undefined, message: result.message });
        return status;
      }
    }
    patchStep(step.id, {
      status: 'ok',
      redis: done,
      redisPending: undefined,
      durationMs: done.reduce((n, r) => n + r.durationMs, 0),
    });
    return 'ok';
  };

  return { patchStep, stepOf, runbookName, valuesFor, record, landedSql, runSql, runRedis };
}
