import type { HeadlessRunResult, HeadlessStepResult, ParsedInputOf } from '../../shared/contract';
import type { IncidentEvent } from '../../shared/incident';
import type { ProfileView } from '../../shared/profile';
import type { RunbookPlan, RunbookStep } from '../../shared/runbook';
import { captureValues } from '../../shared/runbook-variables';
import { OpsError } from '../errors';
import { blankResult, runRedisStep, runShellStep, runSqlStep, thrownResult, unrunnable, type HeadlessGates, type StepContext, type StepRun } from './headless-steps';
import { initialVariables, invalidValue, missingParameters, recordedParameters, secretValues, type RunVariables } from './step-values';

export type HeadlessRunInput = ParsedInputOf<'runbooks.run'>;

export interface HeadlessRunDeps extends HeadlessGates {
  openRunbook(runbook: HeadlessRunInput['runbook']): Promise<RunbookPlan>;
  profile(id: string): ProfileView;
  /** incidents.recordStep as the contract runs it: pinned to the source and commit the step came from. */
  recordStep(input: { id?: string; runbook: string; step: string; parameters: { name: string; value: unknown; secret: boolean }[]; outcome: 'ok' | 'error' | 'refused'; durationMs: number; profileId: string }): Promise<IncidentEvent & { deferred?: boolean }>;
  remember(values: unknown[]): void;
  activeIncident(): string | null;
}

/**
 * The single place where values captured from a step's result (`capture=NAME:COLUMN` fence
 * attributes) join the run's variables, for the steps after it. A value is data: the later steps
 * bind it (SQL), pass it as one argument (Redis) or quote it (shell), like a typed one.
 */
function captureInto(variables: RunVariables, step: RunbookStep, result: StepRun): void {
  const captured = captureValues(step, { fields: (result.fields ?? []).map((f) => f.name), rows: (result.rows ?? []) as unknown[][] });
  for (const [name, value] of Object.entries(captured)) variables.set(name, value);
}

/**
 * `runbook run`: the chosen steps of a runbook, one after the other, through the same gates as the
 * app. Stops at the first step that failed or whose server outcome is unknown; the rest are not run.
 */
export class HeadlessRunner {
  constructor(private readonly deps: HeadlessRunDeps) {}

  async run(input: HeadlessRunInput): Promise<HeadlessRunResult> {
    const plan = await this.deps.openRunbook(input.runbook);
    const profile = this.deps.profile(input.profileId);
    if (input.confirm !== undefined && input.confirm !== profile.name) {
      throw new OpsError('refused', `--confirm ${JSON.stringify(input.confirm)} is not the name of profile "${profile.name}": nothing was run. Type the profile's exact name to confirm its writes.`);
    }
    const chosen = input.allReads ? plan.steps : input.steps.map((id) => stepById(plan, id));
    const variables = initialVariables(plan, input.params);
    const secrets = secretValues(plan, variables);
    this.deps.remember(secrets);
    const ctx: StepContext = { gates: this.deps, plan, profile, variables, confirm: input.confirm, incidentId: input.incidentId, readsOnly: input.readsOnly || input.allReads, secrets };
    const steps: HeadlessStepResult[] = [];
    let incidentId = input.incidentId ?? null;
    let stopped = false;
    for (const step of chosen) {
      if (stopped) {
        steps.push(shownResult(blankResult(step, 'not_run'), null));
        continue;
      }
      const result = await this.runStep(ctx, step, input.allReads);
      const recorded = await this.record(ctx, step, result);
      incidentId ??= recorded.incidentId;
      steps.push(shownResult(result, result.recorded === false || result.recorded === 'deferred' ? result.recorded : recorded.recorded));
      if (result.outcome === 'ok') captureInto(variables, step, result);
      stopped = result.outcome === 'failed' || result.outcome === 'unknown';
    }
    return { runbook: plan.path ?? plan.title, profile: profile.name, incidentId: incidentId ?? this.deps.activeIncident(), steps };
  }

  private async runStep(ctx: StepContext, step: RunbookStep, allReads: boolean): Promise<StepRun> {
    const cannot = unrunnable(step);
    if (cannot) return blankResult(step, allReads || step.kind === 'checklist' || step.kind === 'reference' ? 'skipped' : 'failed', cannot);
    if (allReads) {
      const skip = readsSkip(step);
      if (skip) return blankResult(step, 'skipped', skip);
    }
    const missing = missingParameters(step, ctx.variables);
    if (missing.length > 0) {
      const flags = missing.map((name) => `--param ${name}=…`).join(' ');
      return blankResult(step, allReads ? 'skipped' : 'failed', `needs a value for ${missing.join(', ')}: give ${flags}`);
    }
    const invalid = invalidValue(ctx.plan, step, ctx.variables);
    if (invalid) return { ...blankResult(step, 'failed', `${invalid}: nothing was run`), refused: true };
    const started = performance.now();
    try {
      if (step.kind === 'sql') return await runSqlStep(ctx, step);
      if (step.kind === 'redis') return await runRedisStep(ctx, step);
      return await runShellStep(ctx, step);
    } catch (error) {
      return thrownResult(ctx, step, error, started);
    }
  }

  /** Each step that ran, or was refused, as a runbook step of the incident; skipped ones are not recorded. */
  private async record(ctx: StepContext, step: RunbookStep, result: StepRun): Promise<{ recorded: HeadlessStepResult['recorded']; incidentId: string | null }> {
    if (result.outcome === 'skipped' || result.outcome === 'not_run') return { recorded: null, incidentId: null };
    try {
      const event = await this.deps.recordStep({
        ...(ctx.incidentId ? { id: ctx.incidentId } : {}),
        runbook: ctx.plan.path ?? ctx.plan.title,
        step: step.id,
        parameters: recordedParameters(ctx.plan, step, ctx.variables),
        outcome: result.outcome === 'ok' ? 'ok' : result.refused ? 'refused' : 'error',
        durationMs: result.durationMs,
        profileId: ctx.profile.id,
      });
      return { recorded: event.deferred ? 'deferred' : true, incidentId: event.incidentId || null };
    } catch {
      return { recorded: false, incidentId: null };
    }
  }
}

/** The step as the JSON lists it, in that order. */
function shownResult(r: StepRun, recorded: HeadlessStepResult['recorded']): HeadlessStepResult {
  return { id: r.id, kind: r.kind, risk: r.risk, outcome: r.outcome, serverOutcome: r.serverOutcome, recorded, fields: r.fields, rows: r.rows, rowCount: r.rowCount, exitStatus: r.exitStatus, output: r.output, error: r.error, durationMs: r.durationMs };
}

function stepById(plan: RunbookPlan, id: string): RunbookStep {
  const step = plan.steps.find((s) => s.id === id);
  if (!step) throw new OpsError('invalid_input', `--step ${id}: runbook "${plan.title}" has no such step. Its steps are ${plan.steps.map((s) => s.id).join(', ') || 'none'} (opsconsole runbook inspect FILE).`);
  return step;
}

/** Why --all-reads passes a step by (null: it is a read and runs). */
function readsSkip(step: RunbookStep): string | null {
  if (step.mentioned) return 'mentioned in the prose, not a step block';
  if (step.kind === 'shell') return 'shell steps run only when named with --step';
  const read = step.risk === 'read' || (step.kind === 'redis' && step.risk === 'admin');
  return read ? null : `not a read (${step.risk}): run it with --step ${step.id} --confirm PROFILE_NAME`;
}
