import type { SqlRunResult } from '../../../shared/contract';
import type { RunbookPlan, RunbookStep } from '../../../shared/runbook';
import { captureValues, resolvedParams, resolveStepValues } from '../../../shared/runbook-variables';

/** A runbook variable's value in this run, and where it came from (recorded with the step that uses it). */
export interface RunVariable {
  value: string;
  /** "captured from step find-blocker (blocker_pid)", "chosen from a result cell of step find-blocker". */
  origin: string;
}

const plainValues = (variables: Record<string, RunVariable>) =>
  Object.fromEntries(Object.entries(variables).map(([name, v]) => [name, v.value]));

/**
 * The values a step runs with, as the name → text map the panel's checks and fills take:
 * typed values, then the run's variables, then defaults (src/shared/runbook-variables.ts).
 */
export function effectiveValues(
  plan: RunbookPlan,
  step: RunbookStep,
  typed: Record<string, string>,
  variables: Record<string, RunVariable>,
): Record<string, string> {
  return { ...typed, ...resolvedParams(resolveStepValues(plan, step, typed, plainValues(variables))) };
}

/**
 * The step's values as recorded in the timeline: secrets as [redacted]. A value the operator did
 * not type (captured, chosen from a cell, from a finding) says where it came from.
 */
export function recordedValues(
  plan: RunbookPlan,
  step: RunbookStep,
  typed: Record<string, string>,
  variables: Record<string, RunVariable>,
) {
  return resolveStepValues(plan, step, typed, plainValues(variables)).map(({ name, value, source, secret }) => ({
    name,
    value: secret ? '[redacted]' : value,
    secret,
    ...(source === 'variable' ? { origin: variables[name]?.origin ?? 'the runbook variable default' } : {}),
  }));
}

/** The variables a SQL step's `capture=` sets from the first statement that returned columns. */
export function capturedVariables(step: RunbookStep, result: SqlRunResult): Record<string, RunVariable> {
  if (!step.captures?.length) return {};
  const statement = result.statements.find((s) => s.ran && s.fields.length > 0);
  if (!statement) return {};
  const values = captureValues(step, { fields: statement.fields.map((f) => f.name), rows: statement.rows });
  return Object.fromEntries(
    Object.entries(values).map(([name, value]) => [
      name,
      { value, origin: `captured from step ${step.id} (${step.captures!.find((c) => c.name === name)!.column})` },
    ]),
  );
}

/** Names a result cell can be used as: the runbook's variables and every non-secret parameter of its steps. */
export function variableNames(plan: RunbookPlan): string[] {
  const names = new Set<string>((plan.variables ?? []).map((v) => v.name));
  for (const step of plan.steps) for (const c of step.captures ?? []) names.add(c.name);
  for (const p of plan.parameters) if (!p.secret) names.add(p.name);
  return [...names];
}
