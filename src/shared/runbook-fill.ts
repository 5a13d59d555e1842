import type { RunbookParameter, RunbookPlan, RunbookStep } from './runbook';
import type { ShellParameter } from './shell-quote';

/*
 * Which value fills each placeholder of a shell step, and in which forms it was written: one
 * function for the app's terminal send, the step card's preview and headless runs, so a form the
 * importer recognised ([X], REPLACE_ME, your_host, ${X:-100}) is filled on every path.
 */

/** The parameter as declared (frontmatter or inferred); a step may name one the plan does not list. */
export function parameterOf(
  plan: Pick<RunbookPlan, 'parameters'>,
  name: string,
  step?: Pick<RunbookStep, 'parameters'>,
): RunbookParameter {
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

/**
 * The value a parameter takes when none is given: the frontmatter's default, else the one the
 * runbook wrote in `${LINES:-100}`, as the shell would have used it.
 */
export function defaultOf(parameter: Pick<RunbookParameter, 'default' | 'placeholders'>): string | undefined {
  if (parameter.default !== undefined) return String(parameter.default);
  return (parameter.placeholders ?? []).map((form) => /^\$\{\w+:-(.*)\}$/.exec(form)?.[1]).find((d) => d !== undefined);
}

/**
 * The values a shell step fills (see fillShellText), with the forms each parameter was written
 * in: the value given (a list joined with commas), else the default; a parameter with neither is
 * left out, so its placeholder stays as written.
 */
export function shellParametersOf(
  plan: Pick<RunbookPlan, 'parameters'>,
  step: Pick<RunbookStep, 'parameters'>,
  valueOf: (name: string) => string | string[] | undefined,
): ShellParameter[] {
  return step.parameters.flatMap((sp) => {
    const parameter = parameterOf(plan, sp.name, step);
    const given = valueOf(sp.name);
    const value = (given === undefined ? '' : [given].flat().join(',')) || defaultOf(parameter) || '';
    if (!value) return [];
    return [{ name: parameter.name, value, secret: parameter.secret, placeholders: parameter.placeholders }];
  });
}
