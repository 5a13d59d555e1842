import type { SqlRunResult } from '../../../shared/contract';
import type { RunbookPlan, RunbookStep } from '../../../shared/runbook';
import type { AppState } from './app-state';
import type { RunbooksSlice, StepStatus } from './state/runbooks';

/** Steps the panel can run itself (SQL against Postgres, Redis); shell goes to the terminal, HTTP is copied. */
export function isRunnable(step: RunbookStep): boolean {
  return (step.kind === 'sql' && step.target === 'postgres') || (step.kind === 'redis' && step.target === 'redis');
}

/** Why the step cannot run right now, or undefined when it can. */
export function whyNotRunnable(state: AppState, step: RunbookStep): string | undefined {
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

export function sqlStatus(result: SqlRunResult): StepStatus {
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

export const recordedOutcome = (status: StepStatus): 'ok' | 'error' | 'refused' | 'cancelled' =>
  status === 'ok' || status === 'sent'
    ? 'ok'
    : status === 'refused'
      ? 'refused'
      : status === 'cancelled'
        ? 'cancelled'
        : 'error';

/** A fresh run of a plan: defaults filled, no results, ticks as written in the file. */
export function freshRun(
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
