import type { StateCreator } from 'zustand';
import type { RedisRunResult, RunbookSummary, SqlRunResult } from '../../../shared/contract';
import type { RunbookPlan, RunbookStep } from '../../../shared/runbook';
import { noticeFrom, type Notice } from './notice-slice';
import type { TerminalsSlice } from './terminals-slice';
import { transport } from './transport-ref';
import { capturedVariables, effectiveValues, recordedValues, type RunVariable } from './runbook-values';
import { terminalStepSent, type TerminalStepRun } from './terminal-step-run';
import type { AppState } from './index';

/**
 * Parameter checks hold the RE2 engine (runbook patterns): loaded with the runbook panel, which
 * imports the same module, so by the time a step runs this resolves from the module cache.
 */
const runbookParams = () => import('../components/runbook/runbook-params');

/** Where a step stands in this run of the runbook. */
export type StepStatus = 'idle' | 'running' | 'ok' | 'failed' | 'pending' | 'refused' | 'cancelled' | 'sent';

export interface StepRun {
  status: StepStatus;
  sql?: SqlRunResult;
  redis?: RedisRunResult[];
  /** A Redis command waiting for confirmation (nothing was sent yet), with what runs after it. */
  redisPending?: { result: RedisRunResult; rest: string[][]; typedName: string };
  message?: string;
  error?: Notice;
  durationMs?: number;
  /** A terminal step run with its end mark: exit status and output excerpt. */
  terminal?: TerminalStepRun;
}

export interface RunAllProgress {
  section: string;
  stepIds: string[];
  done: number;
  /** Set when it stopped: the step that failed, or the operator. */
  stoppedAt?: string;
  stopRequested: boolean;
  finished: boolean;
}

export interface RunbooksSlice {
  runbookLibrary: RunbookSummary[];
  runbookLibraryLoaded: boolean;
  runbookLibraryError?: Notice;
  runbookQuery: string;
  runbookServiceFilter: string;
  runbookTagFilter: string;
  recentRunbooks: string[];
  /** The runbook on screen. */
  runbookPlan?: RunbookPlan;
  runbookOpening: boolean;
  /** The plan came from a library file (SQL steps run as templates by path), not from pasted text. */
  runbookFromLibrary: boolean;
  runbookError?: Notice;
  /** Parameter values as typed, filled once per run of the open runbook. */
  runbookParams: Record<string, string>;
  /** Runbook variables set in this run (captured from a result, or chosen from a cell): later steps' values. */
  runbookVariables: Record<string, RunVariable>;
  runbookSteps: Record<string, StepRun>;
  runbookTicks: Record<string, boolean>;
  /** A break-glass SQL step waiting for the operator's decision (shown in the confirmation dialog). */
  runbookSqlPending?: { stepId: string; result: SqlRunResult; typedName: string; busy: boolean };
  runbookRunAll?: RunAllProgress;
  runbookFocusStepId?: string;
  runbooksRequested(): Promise<void>;
  runbookQueryChanged(query: string): void;
  runbookFiltersChanged(filters: { service?: string; tag?: string }): void;
  runbookOpened(path: string): Promise<void>;
  runbookTextOpened(text: string, name?: string): Promise<void>;
  runbookClosed(): void;
  runbookParamEdited(name: string, value: string): void;
  /** A value chosen for a variable ("use as pid" on a result cell); it fills later steps' {{pid}}. */
  runbookVariableChosen(name: string, value: string, origin: string): void;
  runbookStepRunRequested(stepId: string): Promise<StepStatus>;
  runbookStepSendRequested(stepId: string, run: boolean): Promise<void>;
  runbookSqlNameTyped(name: string): void;
  runbookSqlDecided(decision: 'commit' | 'rollback'): Promise<void>;
  runbookRedisNameTyped(stepId: string, name: string): void;
  runbookRedisConfirmed(stepId: string): Promise<void>;
  runbookRedisDismissed(stepId: string): void;
  runbookChecklistTicked(stepId: string, checked: boolean): Promise<void>;
  runbookRunAllRequested(sectionSlug: string): Promise<void>;
  runbookRunAllStopped(): void;
  runbookStepFocused(stepId: string | undefined): void;
  /** onRunbooksChanged: list again, and reopen the runbook on screen (values and results kept). */
  runbooksChanged(event: { folder: string }): Promise<void>;
  /** onSqlRunSettled: a pending step settled by itself (its confirmation timed out). */
  runbookSqlRunSettled(result: SqlRunResult): void;
}

/** The app's state with this slice (and the terminals', which may not be mounted yet). */
export type RunbookState = AppState & RunbooksSlice & Partial<TerminalsSlice>;
type State = RunbookState;

const recentKey = 'opsconsole.recentRunbooks';

function loadRecent(): string[] {
  try {
    const stored = JSON.parse(localStorage.getItem(recentKey) ?? '[]') as unknown;
    return Array.isArray(stored) ? stored.filter((s): s is string => typeof s === 'string').slice(0, 10) : [];
  } catch {
    return [];
  }
}

/** Steps the panel can run itself (SQL against Postgres, Redis); shell goes to the terminal, HTTP is copied. */
export function isRunnable(step: RunbookStep): boolean {
  return (step.kind === 'sql' && step.target === 'postgres') || (step.kind === 'redis' && step.target === 'redis');
}

/** Why the step cannot run right now, or undefined when it can. */
export function whyNotRunnable(state: State, step: RunbookStep): string | undefined {
  const profile = state.profiles.find((p) => p.id === state.selectedProfileId);
  if (step.kind === 'http')
    return 'HTTP steps are not run by the console: copy the request and run it where the API is reachable.';
  if (step.kind === 'checklist') return undefined;
  if (step.kind === 'reference')
    return `A ${step.language ?? 'text'} block shown for reference: the console does not run it.`;
  if (profile?.demo && (step.kind === 'shell' || step.target === 'terminal' || step.target === 'redis')) {
    return `The demo environment has no ${step.target === 'redis' ? 'Redis' : 'SSH host or terminal'} for this step: on a real profile it would ${step.target === 'redis' ? "send this command to the profile's Redis" : 'run this command in a terminal on the bastion'}.`;
  }
  if (step.kind === 'sql' && step.target !== 'postgres')
    return `This SQL is for ${step.engine ?? 'another engine'}, not the profile's Postgres: send it to a terminal instead.`;
  if (step.kind === 'shell' || step.target === 'terminal') {
    if (!state.activeTerminalId)
      return 'No terminal is open: open one with "Open a terminal" here or in the dock, then send the command.';
    return undefined;
  }
  if (!profile) return 'No profile selected: choose one in "Runs against" above to run this step against it.';
  if (step.kind === 'sql' && !profile.postgres)
    return `Profile ${profile.name} has no Postgres: edit the profile to add one.`;
  if (step.kind === 'redis' && !profile.redis)
    return `Profile ${profile.name} has no Redis: edit the profile to add one.`;
  if (step.kind === 'sql' && !step.template)
    return 'This SQL does not parse, so it cannot run: fix it in the runbook (lint shows where).';
  if (step.kind === 'sql' && !state.runbookFromLibrary && step.template && step.template.parameters.length > 0)
    return 'This runbook was pasted, not opened from a library folder: save it in a runbook folder to run steps with parameters.';
  const session = state.sessions[profile.id];
  if (session?.state === 'failed')
    return `The connection to ${profile.name} failed${session.reason ? `: ${session.reason}` : ''}. Connect again, then run.`;
  return undefined;
}

function sqlStatus(result: SqlRunResult): StepStatus {
  switch (result.outcome) {
    case 'read':
    case 'committed':
      return 'ok';
    case 'pending':
      return 'pending';
    case 'refused':
      return 'refused';
    case 'cancelled':
    case 'rolled_back':
      // Rolled back by the operator, by the confirmation timing out, or by Postgres refusing the COMMIT (the message says which).
      return 'cancelled';
    case 'unknown':
      // The COMMIT lost its connection and could not be settled: never shown as rolled back.
      return 'failed';
  }
}

const recordedOutcome = (status: StepStatus): 'ok' | 'error' | 'refused' | 'cancelled' =>
  status === 'ok' || status === 'sent'
    ? 'ok'
    : status === 'refused'
      ? 'refused'
      : status === 'cancelled'
        ? 'cancelled'
        : 'error';

export const createRunbooksSlice: StateCreator<AppState, [], [], RunbooksSlice> = (rawSet, rawGet) => {
  const set = rawSet as (partial: Partial<State> | ((s: State) => Partial<State>)) => void;
  const get = rawGet as () => State;
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

  const record = async (
    step: RunbookStep,
    status: StepStatus,
    durationMs?: number,
    terminal?: { exitStatus: number; output: string; terminal: string },
  ) => {
    try {
      await transport().invoke('incidents.recordStep', {
        runbook: runbookName(),
        step: step.id,
        parameters: recordedParams(step),
        outcome: recordedOutcome(status),
        ...(durationMs !== undefined ? { durationMs: Math.round(durationMs) } : {}),
        ...(terminal ?? {}),
        ...(isRunnable(step) && get().selectedProfileId ? { profileId: get().selectedProfileId } : {}),
      });
    } catch (error) {
      get().noticeShown(noticeFrom(error));
    }
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

  return {
    runbookLibrary: [],
    runbookLibraryLoaded: false,
    runbookQuery: '',
    runbookServiceFilter: '',
    runbookTagFilter: '',
    recentRunbooks: loadRecent(),
    runbookOpening: false,
    runbookFromLibrary: false,
    runbookParams: {},
    runbookVariables: {},
    runbookSteps: {},
    runbookTicks: {},
    async runbooksRequested() {
      try {
        set({
          runbookLibrary: await transport().invoke('runbooks.list', {}),
          runbookLibraryLoaded: true,
          runbookLibraryError: undefined,
        });
      } catch (error) {
        set({ runbookLibraryLoaded: true, runbookLibraryError: noticeFrom(error) });
      }
    },
    runbookQueryChanged: (query) => set({ runbookQuery: query }),
    runbookFiltersChanged: ({ service, tag }) =>
      set((s) => ({
        runbookServiceFilter: service ?? s.runbookServiceFilter,
        runbookTagFilter: tag ?? s.runbookTagFilter,
      })),
    async runbookOpened(path) {
      set({ runbookOpening: true, runbookError: undefined });
      try {
        const plan = await transport().invoke('runbooks.open', { path });
        const recent = [path, ...get().recentRunbooks.filter((p) => p !== path)].slice(0, 10);
        localStorage.setItem(recentKey, JSON.stringify(recent));
        set({
          runbookPlan: plan,
          runbookOpening: false,
          runbookFromLibrary: true,
          recentRunbooks: recent,
          ...freshRun(plan),
        });
      } catch (error) {
        set({ runbookOpening: false, runbookError: noticeFrom(error) });
      }
    },
    async runbookTextOpened(text, name) {
      set({ runbookOpening: true, runbookError: undefined });
      try {
        const plan = await transport().invoke('runbooks.open', { text, ...(name ? { name } : {}) });
        set({ runbookPlan: plan, runbookOpening: false, runbookFromLibrary: false, ...freshRun(plan) });
      } catch (error) {
        set({ runbookOpening: false, runbookError: noticeFrom(error) });
      }
    },
    runbookClosed: () =>
      set({
        runbookPlan: undefined,
        runbookVariables: {},
        runbookSteps: {},
        runbookTicks: {},
        runbookRunAll: undefined,
        runbookSqlPending: undefined,
        runbookError: undefined,
      }),
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
        patchStep(stepId, {
          status: 'failed',
          durationMs: undefined,
          message: why ?? invalid!.error,
          error: undefined,
          sql: undefined,
          redis: undefined,
        });
        return 'failed';
      }
      if (step.kind === 'shell' || step.target === 'terminal') {
        await get().runbookStepSendRequested(stepId, true);
        return get().runbookSteps[stepId]?.status ?? 'failed';
      }
      if (!isRunnable(step)) return 'failed';
      const profileId = state.selectedProfileId!;
      const started = performance.now();
      patchStep(stepId, {
        status: 'running',
        durationMs: undefined,
        message: undefined,
        error: undefined,
        sql: undefined,
        redis: undefined,
        redisPending: undefined,
      });
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
    async runbookStepSendRequested(stepId, run) {
      const { stepParameters } = await runbookParams();
      const step = stepOf(stepId);
      const state = get();
      if (!step || !state.runbookPlan) return;
      if (!state.terminalSendRequested || !state.activeTerminalId) {
        patchStep(stepId, {
          status: 'failed',
          durationMs: undefined,
          message: 'No terminal is open: open one with "Open a terminal" here or in the dock, then send the command.',
        });
        return;
      }
      const invalid = stepParameters(state.runbookPlan, step, valuesFor(step)).find((p) => p.error);
      if (invalid) {
        patchStep(stepId, { status: 'failed', durationMs: undefined, message: invalid.error });
        return;
      }
      const parameters = stepParameters(state.runbookPlan, step, valuesFor(step)).map(({ parameter, value }) => ({
        name: parameter.name,
        value: value || String(parameter.default ?? ''),
        secret: parameter.secret,
      }));
      const origin = {
        id: step.id,
        ...(step.title ? { title: step.title } : {}),
        ...(step.attributes.controlBytes ? { controlBytes: step.attributes.controlBytes } : {}),
      };
      const watch = terminalStepSent(step, run, state.activeTerminalId, parameters, {
        settled: (change) => patchStep(stepId, change),
        record: (status, durationMs, terminal) => record(step, status, durationMs, terminal),
        terminalTitle: (id) => get().terminals?.[id]?.title ?? id,
      });
      const sent = await state.terminalSendRequested({
        command: watch?.command ?? step.text,
        parameters,
        run,
        step: origin,
      });
      // A dangerous command waits for the terminal's own confirmation dialog: not sent yet. A refused
      // one (control bytes, a closed terminal) says why.
      const waiting = get().pendingSend;
      patchStep(
        stepId,
        sent
          ? {
              status: 'sent',
              message: run
                ? 'Sent to the terminal and run: its output is in the terminal.'
                : 'Pasted into the terminal: press Enter there to run it.',
            }
          : waiting
            ? { status: 'idle', message: 'Waiting for the terminal: confirm or cancel there.' }
            : { status: 'failed', message: get().notice?.message ?? 'Not sent to the terminal.' },
      );
      if (!sent && !waiting) watch?.cancel();
      if (sent && watch)
        patchStep(stepId, {
          status: 'running',
          message: 'Running in the terminal: the output and exit status land here when it ends.',
        });
      else if (sent) await record(step, 'sent');
    },
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
    async runbookChecklistTicked(stepId, checked) {
      const step = stepOf(stepId);
      if (!step) return;
      const before = get().runbookTicks[stepId] ?? false;
      set((s) => ({ runbookTicks: { ...s.runbookTicks, [stepId]: checked } }));
      try {
        await transport().invoke('incidents.tickChecklist', { runbook: runbookName(), item: step.text, checked });
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
        if (get().runbookRunAll?.stopRequested) {
          set((s) => ({ runbookRunAll: { ...s.runbookRunAll!, stoppedAt: stepId, finished: true } }));
          return;
        }
        const status = await get().runbookStepRunRequested(stepId);
        if (status !== 'ok') {
          set((s) => ({ runbookRunAll: { ...s.runbookRunAll!, stoppedAt: stepId, finished: true } }));
          return;
        }
        set((s) => ({ runbookRunAll: { ...s.runbookRunAll!, done: s.runbookRunAll!.done + 1 } }));
      }
      set((s) => ({ runbookRunAll: { ...s.runbookRunAll!, finished: true } }));
    },
    runbookRunAllStopped: () =>
      set((s) =>
        s.runbookRunAll && !s.runbookRunAll.finished
          ? { runbookRunAll: { ...s.runbookRunAll, stopRequested: true } }
          : {},
      ),
    runbookStepFocused: (stepId) => set({ runbookFocusStepId: stepId }),
    async runbooksChanged() {
      await get().runbooksRequested();
      const path = get().runbookPlan?.path;
      if (!path || !get().runbookFromLibrary) return;
      try {
        set({ runbookPlan: await transport().invoke('runbooks.open', { path }) });
      } catch (error) {
        set({ runbookError: noticeFrom(error) });
      }
    },
    runbookSqlRunSettled(result) {
      const pending = get().runbookSqlPending;
      if (!pending || pending.result.runId !== result.runId || pending.busy) return;
      set({ runbookSqlPending: undefined });
      const step = stepOf(pending.stepId);
      if (step) void landedSql(step, result, performance.now() - result.durationMs);
    },
  };
};

/** A fresh run of a plan: defaults filled, no results, ticks as written in the file. */
function freshRun(
  plan: RunbookPlan,
): Pick<
  RunbooksSlice,
  'runbookParams' | 'runbookVariables' | 'runbookSteps' | 'runbookTicks' | 'runbookRunAll' | 'runbookSqlPending'
> {
  const params: Record<string, string> = {};
  for (const p of plan.parameters) if (p.default !== undefined) params[p.name] = String(p.default);
  const ticks: Record<string, boolean> = {};
  for (const step of plan.steps) if (step.kind === 'checklist' && step.checked) ticks[step.id] = true;
  return {
    runbookParams: params,
    runbookVariables: {},
    runbookSteps: {},
    runbookTicks: ticks,
    runbookRunAll: undefined,
    runbookSqlPending: undefined,
  };
}

/** The steps "Run all" runs in a section: read-only SQL and Redis steps that need no confirmation. */
export function runAllSteps(plan: RunbookPlan, sectionSlug: string): RunbookStep[] {
  const section = plan.sections.find((s) => s.slug === sectionSlug);
  if (!section) return [];
  const ids = section.blocks.flatMap((b) => (b.type === 'code' || b.type === 'checklist' ? b.stepIds : []));
  return ids
    .map((id) => plan.steps.find((s) => s.id === id))
    .filter(
      (s): s is RunbookStep =>
        !!s &&
        isRunnable(s) &&
        s.risk === 'read' &&
        !s.confirm &&
        !s.mentioned &&
        s.attributes.excludeFromRunAll !== 'true',
    );
}

/** Palette entries: every runbook of the library, and the steps of the open one. */
export function runbookPaletteCommands(
  state: AppState,
): { id: string; title: string; group: string; run(state: AppState): void }[] {
  const s = state as State;
  const open = (path: string) => (st: AppState) => {
    st.centreViewChosen('runbook' as never);
    void (st as State).runbookOpened(path);
  };
  const commands = (s.runbookLibrary ?? []).map((r) => ({
    id: `runbook:${r.path}`,
    title: `Runbook: ${r.title}`,
    group: 'Runbooks',
    run: open(r.path),
  }));
  for (const step of s.runbookPlan?.steps ?? []) {
    if (step.kind === 'checklist') continue;
    commands.push({
      id: `runbook-step:${step.id}`,
      title: `Step: ${step.title ?? step.id} (${step.kind})`,
      group: 'Runbook steps',
      run: (st) => {
        st.centreViewChosen('runbook' as never);
        (st as State).runbookStepFocused(step.id);
      },
    });
  }
  return commands;
}
