import type { RunbookPlan, RunbookStep } from '../../shared/runbook';
import { defaultOf, parameterOf as declaredParameter, shellParametersOf } from '../../shared/runbook-fill';
import type { ShellParameter } from '../../shared/shell-quote';
import { validateValue } from '../../shared/runbook-values';
import { OpsError } from '../errors';

/**
 * The values a headless run holds, by parameter name: frontmatter defaults and runbook variables,
 * then --param, then values captured from earlier steps. One map for the whole run.
 */
export type RunVariables = Map<string, string | string[]>;

const parameterOf = (plan: RunbookPlan, step: RunbookStep, name: string) => declaredParameter(plan, name, step);

/** Defaults from the frontmatter, overridden by the values given; a name the runbook does not use is refused. */
export function initialVariables(plan: RunbookPlan, given: Record<string, string | string[]>): RunVariables {
  const known = new Set([...plan.parameters.map((p) => p.name), ...(plan.variables ?? []).map((v) => v.name), ...plan.steps.flatMap((s) => s.parameters.map((p) => p.name))]);
  for (const name of Object.keys(given)) {
    if (!known.has(name)) throw new OpsError('invalid_input', `--param ${name} is not a parameter of runbook "${plan.title}" (it has ${[...known].join(', ') || 'none'}): check the name with "opsconsole runbook inspect FILE".`);
  }
  const variables: RunVariables = new Map();
  for (const v of plan.variables ?? []) if (v.default !== undefined) variables.set(v.name, v.default);
  for (const p of plan.parameters) if (p.default !== undefined) variables.set(p.name, String(p.default));
  // ${LINES:-100}: the runbook's own default, as the shell would have used it.
  for (const p of plan.parameters) {
    const fallback = defaultOf(p);
    if (!variables.has(p.name) && fallback !== undefined) variables.set(p.name, fallback);
  }
  for (const [name, value] of Object.entries(given)) variables.set(name, value);
  return variables;
}

/** Values of parameters marked secret: remembered by the redactor before anything runs. */
export function secretValues(plan: RunbookPlan, variables: RunVariables): string[] {
  return plan.parameters.filter((p) => p.secret && variables.has(p.name)).flatMap((p) => [variables.get(p.name)!].flat());
}

/**
 * Why a value of the step breaks its parameter's rules (type, enum, pattern), naming the
 * parameter and the rule; undefined when all pass. Typed, default and captured values alike:
 * a captured one comes from production and is checked as strictly as a typed one.
 */
export function invalidValue(plan: RunbookPlan, step: RunbookStep, variables: RunVariables): string | undefined {
  for (const sp of step.parameters) {
    const value = variables.get(sp.name);
    if (value === undefined) continue;
    const parameter = parameterOf(plan, step, sp.name);
    for (const one of [value].flat()) {
      const problem = validateValue(parameter, one);
      if (problem) return `${problem} (got ${parameter.secret ? 'a secret value' : JSON.stringify(one)})`;
    }
  }
  return undefined;
}

/** The step's parameters that have no value. */
export function missingParameters(step: RunbookStep, variables: RunVariables): string[] {
  return step.parameters.filter((p) => !variables.has(p.name)).map((p) => p.name);
}

/** The step's parameters with their values as the timeline records them (secret ones as [redacted]). */
export function recordedParameters(plan: RunbookPlan, step: RunbookStep, variables: RunVariables): { name: string; value: unknown; secret: boolean }[] {
  return step.parameters
    .filter((p) => variables.has(p.name))
    .map((p) => {
      const secret = parameterOf(plan, step, p.name).secret;
      return { name: p.name, value: secret ? '[redacted]' : variables.get(p.name), secret };
    });
}

/** The values a SQL step binds, by name (only the step's own). */
export function sqlParams(step: RunbookStep, variables: RunVariables): Record<string, string | string[]> {
  return Object.fromEntries(step.parameters.filter((p) => variables.has(p.name)).map((p) => [p.name, variables.get(p.name)!]));
}

/** The values a shell step fills, each quoted for the shell by fillShellText: the same function as the app's terminal send. */
export function shellParams(plan: RunbookPlan, step: RunbookStep, variables: RunVariables): ShellParameter[] {
  return shellParametersOf(plan, step, (name) => variables.get(name));
}

/** One Redis argument with its placeholders filled: the value stays one argv element, never re-split. */
export function fillRedisArgument(plan: RunbookPlan, step: RunbookStep, argument: string, variables: RunVariables): string {
  let out = argument;
  for (const sp of step.parameters) {
    const value = variables.get(sp.name);
    if (value === undefined) continue;
    const p = parameterOf(plan, step, sp.name);
    const placeholders = p.placeholders.length > 0 ? p.placeholders : [`<${p.name}>`, `{{${p.name}}}`, `\${${p.name}}`, `$${p.name}`];
    for (const placeholder of [...placeholders].sort((a, b) => b.length - a.length)) out = out.split(placeholder).join([value].flat().join(','));
  }
  return out;
}
