import type { RunbookParameter, RunbookPlan, RunbookStep } from '../../../../shared/runbook';
import { validateValue } from '../../../../shared/runbook-values';
import { fillShellText, type ShellDialect, type ShellParameter } from '../../../../shared/shell-quote';
import { flagCommand, type CommandFlag } from '../../../../shared/terminal';

/** Shared with the headless runner: one set of rules for a value, wherever it is given. */
export { validateValue };

/** The parameter as declared (frontmatter or inferred); a step may name one the plan does not list. */
export function parameterOf(plan: RunbookPlan, name: string, step?: RunbookStep): RunbookParameter {
  const declared = plan.parameters.find((p) => p.name === name);
  if (declared) return declared;
  const fromStep = step?.parameters.find((p) => p.name === name);
  return {
    name,
    type: fromStep?.type ?? 'string',
    secret: fromStep?.secret ?? false,
    source: 'placeholder',
    typed: false,
    placeholders: [],
  };
}

/** Initial values: each parameter's default, as text. */
export function defaultValues(plan: RunbookPlan): Record<string, string> {
  const values: Record<string, string> = {};
  for (const p of plan.parameters) if (p.default !== undefined) values[p.name] = String(p.default);
  return values;
}

/** The step's parameters with their current values and errors. */
export function stepParameters(plan: RunbookPlan, step: RunbookStep, values: Record<string, string>) {
  return step.parameters.map((sp) => {
    const p = parameterOf(plan, sp.name, step);
    const value = values[sp.name] ?? '';
    return { parameter: p, value, error: validateValue(p, value) };
  });
}

/** Replaces each placeholder of the filled parameters in a text (secret ones only when `secrets`). */
export function fillPlaceholders(
  plan: RunbookPlan,
  step: RunbookStep,
  text: string,
  values: Record<string, string>,
  secrets: boolean,
): string {
  let out = text;
  for (const sp of step.parameters) {
    const p = parameterOf(plan, sp.name, step);
    const value = values[sp.name] || (p.default !== undefined ? String(p.default) : '');
    if (!value || (p.secret && !secrets)) continue;
    const placeholders =
      p.placeholders.length > 0 ? p.placeholders : [`<${p.name}>`, `{{${p.name}}}`, `\${${p.name}}`, `$${p.name}`];
    for (const placeholder of [...placeholders].sort((a, b) => b.length - a.length))
      out = out.split(placeholder).join(value);
  }
  return out;
}

/** The values a terminal step sends: typed, else the default; empty ones stay placeholders. */
export function shellParameters(
  plan: RunbookPlan,
  step: RunbookStep,
  values: Record<string, string>,
): ShellParameter[] {
  return step.parameters.flatMap((sp) => {
    const p = parameterOf(plan, sp.name, step);
    const value = values[sp.name] || (p.default !== undefined ? String(p.default) : '');
    return value ? [{ name: p.name, value, secret: p.secret }] : [];
  });
}

/**
 * A terminal step as it will be pasted: each value quoted for the target shell (POSIX, or
 * PowerShell for a local terminal on Windows) exactly as the core will quote it, secrets masked,
 * and the risk flag computed on that filled text (not the template).
 */
export function terminalPreview(
  plan: RunbookPlan,
  step: RunbookStep,
  values: Record<string, string>,
  dialect: ShellDialect = 'posix',
): { text: string; flag: CommandFlag; error?: string } {
  const parameters = shellParameters(plan, step, values);
  try {
    return {
      text: fillShellText(step.text, parameters, dialect, true),
      flag: flagCommand(fillShellText(step.text, parameters, dialect)),
    };
  } catch (error) {
    return { text: step.text, flag: flagCommand(step.text), error: (error as Error).message };
  }
}
