import type { StateCreator } from 'zustand';
import type { AppState } from './app-state';
import { noticeFrom } from './notice-slice';
import { createRunbookConfirmActions } from './runbook-confirm-actions';
import { createRunbookLibraryActions, loadRecentRunbooks } from './runbook-library-actions';
import { createStepRunner, runbookParams } from './runbook-step-runner';
import { isRunnable, runAllSteps, whyNotRunnable } from './runbook-steps';
import { sendStepToTerminal } from './runbook-terminal-send';
import type { RunbooksSlice, StepRun } from './state/runbooks';
import { transport } from './transport-ref';

/** What a step's card forgets when it runs again. */
const cleared: Partial<StepRun> = {
  durationMs: undefined,
  message: undefined,
  error: undefined,
  sql: undefined,
  redis: undefined,
};

export const createRunbooksSlice: StateCreator<AppState, [], [], RunbooksSlice> = (set, get) => {
  const runner = createStepRunner(set, get);
  const { patchStep, stepOf, valuesFor, record, runSql, runRedis } = runner;
  const stopRunAll = (stepId: string) =>
    set((s) => ({ runbookRunAll: s.runbookRunAll && { ...s.runbookRunAll, stoppedAt: stepId, finished: true } }));

  return {
    runbookLibrary: [],
    runbookLibraryLoaded: false,
    runbookQuery: '',
    runbookServiceFilter: '',
    runbookTagFilter: '',
    recentRunbooks: loadRecentRunbooks(),
    runbookOpening: false,
    runbookFromLibrary: false,
    runbookParams: {},
    runbookVariables: {},
    runbookSteps: {},
    runbookTicks: {},
    ...createRunbookLibraryActions(set, get),
    ...createRunbookConfirmActions(set, get, runner),
    runbookParamEdited: (name, value) => set((s) => ({ runbookParams: { ...s.runbookParams, [name]: value } })),
    runbookVariableChosen: (name, value, origin) =>
      // The operator chose it on purpose: it replaces a typed value of that name, so the step runs what the panel shows.
      set((s) => ({
        runbookVariables: { ...s.runbookVariables, [name]: { value, origin } },
        runbookParams: { ...s.runbookParams, [name]: '' },
      })),
    async runbookStepRunRequested(stepId) {
      const { stepParameters } = await runbookParams();
      const step = stepOf(stepId);
      const state = get();
      if (!step || !state.runbookPlan) return 'failed';
      const why = whyNotRunnable(state, step);
      const invalid = stepParameters(state.runbookPlan, step, valuesFor(step)).find((p) => p.error);
      if (why || invalid) {
        patchStep(stepId, { ...cleared, status: 'failed', message: why ?? invalid!.error });
        return 'failed';
      }
      if (step.kind === 'shell' || step.target === 'terminal') {
        await get().runbookStepSendRequested(stepId, true);
        return get().runbookSteps[stepId]?.status ?? 'failed';
      }
      if (!isRunnable(step)) return 'failed';
      const profileId = state.selectedProfileId!;
      const started = performance.now();
      patchStep(stepId, { ...cleared, status: 'running', redisPending: undefined });
      try {
        if (step.kind === 'sql') return await runSql(step, profileId, started);
        const status = await runRedis(step, profileId, step.redis ?? [], []);
        if (status !== 'pending') await record(step, status, performance.now() - started);
        return status;
      } catch (error) {
        patchStep(stepId, { status: 'failed', durationMs: undefined, error: noticeFrom(error) });
        await record(step, 'failed', performance.now() - started);
        return 'failed';
      }
    },
    runbookStepSendRequested: (stepId, run) => sendStepToTerminal(runner, get, stepId, run),
    async runbookChecklistTicked(stepId, checked) {
      const step = stepOf(stepId);
      if (!step) return;
      const before = get().runbookTicks[stepId] ?? false;
      set((s) => ({ runbookTicks: { ...s.runbookTicks, [stepId]: checked } }));
      try {
        await transport().invoke('incidents.tickChecklist', {
          runbook: runner.runbookName(),
          item: step.text,
          checked,
        });
      } catch (error) {
        set((s) => ({ runbookTicks: { ...s.runbookTicks, [stepId]: before } }));
        get().noticeShown(noticeFrom(error));
      }
    },
    async runbookRunAllRequested(sectionSlug) {
      const plan = get().runbookPlan;
      const section = plan?.sections.find((s) => s.slug === sectionSlug);
      if (!plan || !section || get().runbookRunAll?.finished === false) return;
      const stepIds = runAllSteps(plan, sectionSlug).map((s) => s.id);
      set({ runbookRunAll: { section: sectionSlug, stepIds, done: 0, stopRequested: false, finished: false } });
      for (const stepId of stepIds) {
        if (get().runbookRunAll?.stopRequested) return stopRunAll(stepId);
        const status = await get().runbookStepRunRequested(stepId);
        if (status !== 'ok') return stopRunAll(stepId);
        set((s) => ({ runbookRunAll: s.runbookRunAll && { ...s.runbookRunAll, done: s.runbookRunAll.done + 1 } }));
      }
      set((s) => ({ runbookRunAll: s.runbookRunAll && { ...s.runbookRunAll, finished: true } }));
    },
    runbookRunAllStopped: () =>
      set((s) =>
        s.runbookRunAll && !s.runbookRunAll.finished
          ? { runbookRunAll: { ...s.runbookRunAll, stopRequested: true } }
          : {},
      ),
    runbookStepFocused: (stepId) => set({ runbookFocusStepId: stepId }),
  };
};
