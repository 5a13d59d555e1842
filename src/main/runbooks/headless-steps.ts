import type { Client } from 'ssh2';
import type { HeadlessStepResult, RedisRunResult, SqlRunResult } from '../../shared/contract';
import type { EventKind, EventPayloadInput, IncidentEvent } from '../../shared/incident';
import type { ProfileView } from '../../shared/profile';
import type { RunbookPlan, RunbookStep } from '../../shared/runbook';
import { fillShellText, UnquotableValue } from '../../shared/shell-quote';
import { toErrorPayload } from '../errors';
import type { TemplateService } from '../templates/template-service';
import { execLocal, execRemote, stepTimeoutMs, type ShellExecResult } from './shell-exec';
import { fillRedisArgument, shellParams, sqlParams, type RunVariables } from './step-values';
import { judgeShell } from './shell-judge';
import { worstRisk } from '../../shared/risk';
import type { Risk } from '../../shared/runbook';

/** The gates a headless step goes through: the same ones the app's buttons use, never a second path. */
export interface HeadlessGates {
  templates: Pick<TemplateService, 'fromRunbook' | 'run'>;
  confirmSql(runId: string, typedName: string): Promise<SqlRunResult>;
  runRedis(input: { profileId: string; argv: string[]; confirm?: { typedName: string }; incidentId?: string; secretValues?: string[] }): Promise<RedisRunResult>;
  connect(profileId: string): Promise<Client>;
  record<K extends EventKind>(kind: K, payload: EventPayloadInput<K>, options?: { incidentId?: string }): IncidentEvent;
  redact(text: string): string;
}

/** What one run shares with each step. */
export interface StepContext {
  gates: HeadlessGates;
  plan: RunbookPlan;
  profile: ProfileView;
  variables: RunVariables;
  /** The typed profile name, already checked: writes run only with it. */
  confirm?: string;
  incidentId?: string;
  /** Nothing but reads (--all-reads, assistants): a step the gate does not call a read is skipped, unsent. */
  readsOnly: boolean;
  secrets: string[];
}

/** A step's result before it is recorded; `refused` says how the timeline should name a failure. */
export type StepRun = Omit<HeadlessStepResult, 'recorded'> & { recorded?: HeadlessStepResult['recorded']; refused?: boolean };

export const defaultShellTimeoutMs = 5 * 60_000;

export function blankResult(step: RunbookStep, outcome: HeadlessStepResult['outcome'], error: string | null = null): StepRun {
  return { id: step.id, kind: step.kind, risk: step.risk, outcome, serverOutcome: null, fields: null, rows: null, rowCount: null, exitStatus: null, output: null, error, durationMs: 0 };
}

const rerun = (ctx: StepContext) => `Run again with --confirm ${JSON.stringify(ctx.profile.name)} to run it.`;

/** The statement whose result a reader wants: the last one that returned columns, else the last one. */
function shownStatement(result: SqlRunResult) {
  return [...result.statements].reverse().find((s) => s.fields.length > 0) ?? result.statements.at(-1);
}

/** A SQL step: bound as a template through the safe executor; a write commits only with the typed name. */
export async function runSqlStep(ctx: StepContext, step: RunbookStep): Promise<StepRun> {
  const started = performance.now();
  const template = ctx.gates.templates.fromRunbook(ctx.plan, step.id);
  let result = await ctx.gates.templates.run({ profileId: ctx.profile.id, template, params: sqlParams(step, ctx.variables), incidentId: ctx.incidentId, readsOnly: ctx.readsOnly || ctx.confirm === undefined });
  if (result.outcome === 'pending') result = await ctx.gates.confirmSql(result.runId, ctx.confirm!);
  const shown = shownStatement(result);
  const base = { ...blankResult(step, 'ok'), risk: result.risk, fields: shown?.fields ?? [], rows: shown?.rows ?? [], rowCount: shown?.rowCount ?? 0, durationMs: Math.round(performance.now() - started), recorded: result.recorded };
  if (result.outcome === 'read') return base;
  if (result.outcome === 'committed' || result.serverOutcome === 'committed') return { ...base, serverOutcome: 'committed' };
  if (result.outcome === 'unknown' || result.serverOutcome === 'unknown') return { ...base, outcome: 'unknown', serverOutcome: 'unknown', error: result.message ?? 'The COMMIT lost its connection: whether it was applied is unknown. Check before retrying.' };
  const notSent = result.outcome === 'refused';
  if (notSent && ctx.readsOnly) return { ...base, outcome: 'skipped', serverOutcome: 'not_sent', error: `not a read (${result.risk}) by the server's catalog: nothing was sent` };
  const why = result.message ?? result.outcome;
  const error = notSent && ctx.confirm === undefined ? `${why} ${rerun(ctx)}` : why;
  return { ...base, outcome: 'failed', serverOutcome: result.serverOutcome ?? (notSent ? 'not_sent' : result.outcome === 'rolled_back' ? 'rolled_back' : null), error, refused: notSent };
}

/** A Redis step: each command an argv through the gate, in order; the first that does not succeed ends the step. */
export async function runRedisStep(ctx: StepContext, step: RunbookStep): Promise<StepRun> {
  const started = performance.now();
  const rows: unknown[][] = [];
  const fields = [{ name: 'command', type: 'text' }, { name: 'reply', type: 'json' }];
  const done = (outcome: StepRun['outcome'], extra: Partial<StepRun> = {}): StepRun => ({ ...blankResult(step, outcome), fields, rows, rowCount: rows.length, durationMs: Math.round(performance.now() - started), ...extra });
  let wrote = false;
  for (const command of step.redis ?? []) {
    const argv = command.map((arg) => fillRedisArgument(ctx.plan, step, arg, ctx.variables));
    const confirm = ctx.readsOnly || ctx.confirm === undefined ? {} : { confirm: { typedName: ctx.confirm } };
    const result = await ctx.gates.runRedis({ profileId: ctx.profile.id, argv, ...confirm, ...(ctx.incidentId ? { incidentId: ctx.incidentId } : {}), ...(ctx.secrets.length ? { secretValues: ctx.secrets } : {}) });
    const changes = result.risk !== 'read' && result.risk !== 'admin';
    if (result.outcome === 'confirmation_required' || result.outcome === 'refused') {
      if (ctx.readsOnly && result.outcome === 'confirmation_required') return done('skipped', { risk: result.risk, serverOutcome: 'not_sent', error: `${result.argv[0]} is ${result.risk}, not a read: nothing was sent` });
      const advice = result.outcome === 'confirmation_required' ? ` ${rerun(ctx)}` : '';
      return done('failed', { risk: result.risk, serverOutcome: 'not_sent', error: `${result.message ?? `${result.argv[0]} needs confirmation`}${advice}`, refused: true });
    }
    rows.push([result.argv.join(' '), result.reply ?? null]);
    wrote ||= changes;
    if (result.outcome === 'error') return done('failed', { risk: result.risk, error: result.message ?? (result.reply?.type === 'error' ? result.reply.message : 'the server answered with an error') });
  }
  return done('ok', wrote ? { serverOutcome: 'committed' } : {});
}

/** A Redis or SQL failure thrown by a gate: `outcome_unknown` means a write may have been applied. */
export function thrownResult(ctx: StepContext, step: RunbookStep, error: unknown, started: number): StepRun {
  const { code, message } = toErrorPayload(error, ctx.gates.redact);
  const unknown = code === 'outcome_unknown';
  return { ...blankResult(step, unknown ? 'unknown' : 'failed', message), serverOutcome: unknown ? 'unknown' : null, durationMs: Math.round(performance.now() - started) };
}

/** The command as it will run, values quoted for the shell; the masked form is what the timeline keeps. */
function shellCommand(ctx: StepContext, step: RunbookStep): { command: string; shown: string; risk: Risk } {
  const params = shellParams(ctx.plan, step, ctx.variables);
  const cwd = step.attributes.cwd ? `cd ${fillShellText('{{cwd}}', [{ name: 'cwd', value: step.attributes.cwd, secret: false }])} && ` : '';
  const filled = fillShellText(step.text, params);
  return { command: cwd + filled, shown: cwd + fillShellText(step.text, params, 'posix', true), risk: worstRisk([step.risk, filledRisk(filled)]) };
}

/**
 * The import judged the template; the values can change what it does, so the filled text is
 * judged again and the step runs at the riskier of the two (a text that no longer parses is unknown).
 */
function filledRisk(filled: string): Risk {
  try {
    return judgeShell(filled).risk;
  } catch {
    return 'unknown';
  }
}

/**
 * A shell step, named with --step: on the profile's host over an SSH exec channel, or on this
 * computer for a profile without SSH. A command that is not a read runs only with the typed name.
 */
export async function runShellStep(ctx: StepContext, step: RunbookStep): Promise<StepRun> {
  if (ctx.readsOnly) return blankResult(step, 'skipped', 'shell steps run only when named with --step, never in a reads-only run');
  let command: { command: string; shown: string; risk: Risk };
  try {
    command = shellCommand(ctx, step);
  } catch (error) {
    if (error instanceof UnquotableValue) return blankResult(step, 'failed', error.message);
    throw error;
  }
  const where = { profileId: ctx.profile.id, profileName: ctx.profile.name };
  const options = ctx.incidentId ? { incidentId: ctx.incidentId } : undefined;
  if (command.risk !== 'read') {
    if (ctx.confirm === undefined) {
      ctx.gates.record('refusal', { ...where, action: command.shown, reason: `a ${command.risk} shell command run headless without --confirm`, risk: command.risk, target: 'shell' }, options);
      return { ...blankResult(step, 'failed', `This shell command is ${command.risk}, not a read: it was not run. ${rerun(ctx)}`), risk: command.risk, serverOutcome: 'not_sent', refused: true };
    }
    ctx.gates.record('confirmation', { ...where, action: command.shown, risk: command.risk, method: 'typed-name' }, options);
  }
  const started = performance.now();
  const timeoutMs = stepTimeoutMs(step.attributes.timeout, defaultShellTimeoutMs);
  const exec: ShellExecResult = ctx.profile.ssh ? await execRemote(await ctx.gates.connect(ctx.profile.id), command.command, timeoutMs) : await execLocal(command.command, timeoutMs);
  const durationMs = Math.round(performance.now() - started);
  const output = ctx.gates.redact(exec.output);
  const error = exec.timedOut ? `timed out after ${Math.round(timeoutMs / 1000)} s and was stopped` : exec.exitStatus === 0 ? null : exec.signal ? `killed by signal ${exec.signal}` : `exited with status ${exec.exitStatus ?? 'unknown'}`;
  ctx.gates.record('shell.exec', { ...where, command: command.shown, risk: command.risk, exitStatus: exec.exitStatus, ...(exec.signal ? { signal: exec.signal } : {}), output: output.slice(-4000), outputChars: exec.outputChars, durationMs, outcome: exec.timedOut ? 'timeout' : error ? 'error' : 'ok' }, options);
  return { ...blankResult(step, error ? 'failed' : 'ok', error), risk: command.risk, exitStatus: exec.exitStatus, output, durationMs };
}

/** Why a step of this kind cannot run headless (null when it can). */
export function unrunnable(step: RunbookStep): string | null {
  if (step.kind === 'checklist') return 'a checklist item: nothing to run (tick it in the app)';
  if (step.kind === 'reference') return `a ${step.language ?? 'reference'} block: shown, never run`;
  if (step.kind === 'http') return 'an HTTP step: not run headless (run it from the app)';
  if (step.kind === 'sql' && step.target !== 'postgres') return `SQL for ${step.engine ?? 'another engine'}, not the profile's Postgres`;
  if (step.kind === 'sql' && !step.template) return 'SQL that does not parse: fix the step (opsconsole runbook lint FILE)';
  // Sent to the host's shell, such a step would run in the wrong place (the bastion, not the hop it was written for) or wait for input forever.
  if (step.kind === 'shell' && step.runsIn && !/from the prompt/.test(step.runsIn)) return `runs inside ${step.runsIn}, an interactive hop: run it from a terminal in the app`;
  if (step.attributes.interactive === 'true') return 'an interactive step (interactive=true): run it from a terminal in the app';
  return null;
}
