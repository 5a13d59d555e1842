import type { RunbookPlan, RunbookStep } from '../../../../shared/runbook';
import { defaultOf, parameterOf, shellParametersOf } from '../../../../shared/runbook-fill';
import { validateValue } from '../../../../shared/runbook-values';
import { fillShellText, type ShellDialect, type ShellParameter } from '../../../../shared/shell-quote';
import { flagCommand, type CommandFlag } from '../../../../shared/terminal';

/** Shared with the headless runner: one set of rules for a value, and one fill, wherever it is given. */
export { parameterOf, validateValue };

/** Initial values: each parameter's default (the frontmatter's, or `${X:-default}`), as text. */
export function defaultValues(plan: RunbookPlan): Record<string, string> {
  const values: Record<string, string> = {};
  for (const p of plan.parameters) {
    const fallback = defaultOf(p);
    if (fallback !== undefined) values[p.name] = fallback;
  }
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
    const value = values[sp.name] || defaultOf(p) || '';
    if (!value || (p.secret && !secrets)) continue;
    const placeholders =
      p.placeholders.length > 0 ? p.placeholders : [`<${p.name}>`, `{{${p.name}}}`, `\${${p.name}}`, `$${p.name}`];
    for (const placeholder of [...placeholders].sort((a, b) => b.length - a.length))
      out = out.split(placeholder).join(value);
  }
  return out;
}

/**
 * The values a terminal step sends, with the forms each was written in ([X], REPLACE_ME,
 * your_host, ${X:-100}): typed, else the default; empty ones stay placeholders. The same
 * function fills a headless run's shell steps.
 */
export function shellParameters(
  plan: RunbookPlan,
  step: RunbookStep,
  values: Record<string, string>,
): ShellParameter[] {
  return shellParametersOf(plan, step, (name) => values[name]);
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
