import type { RunbookParameter, RunbookPlan, RunbookStep, StepCapture } from './runbook';
import { defaultOf } from './runbook-fill';

/**
 * Values that flow between the steps of a runbook run: variables declared in the frontmatter,
 * set by a step's `capture=` from its first result row, or chosen from a result cell; a later
 * step's `{{name}}` takes the variable's value when no parameter of that name was typed.
 *
 * A value is data whatever its origin (a result cell is text from the server, not from the
 * operator): this module only picks values, it never splices them. The routes that send them
 * keep them inert: SQL binds them as `$n`, Redis sends them as argv elements, shell text quotes
 * them for the target shell (src/shared/shell-quote.ts).
 */

const nameRule = /^[A-Za-z_][\w-]{0,62}$/;
const checkIdRule = /^[a-z][\w-]*(\.[\w-]+)+$/;

/** `addresses=pg.blocking-locks,redis.memory`: the health check ids, or what is wrong with the text. */
export function parseAddresses(text: string): { ids: string[]; problem?: string } {
  const ids = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = ids.find((id) => !checkIdRule.test(id));
  if (ids.length === 0)
    return {
      ids: [],
      problem: 'addresses= is empty: name the health check ids it remedies, e.g. addresses=pg.blocking-locks',
    };
  if (bad)
    return {
      ids: ids.filter((id) => id !== bad),
      problem: `addresses=${text}: "${bad}" is not a health check id (such as pg.blocking-locks): use lower-case ids with a dot`,
    };
  return { ids: [...new Set(ids)] };
}

/** `capture=pid` or `capture=pid:blocker_pid,rel:relation`: the captures, or what is wrong with the text. */
export function parseCaptures(text: string): { captures: StepCapture[]; problem?: string } {
  const captures: StepCapture[] = [];
  for (const part of text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const colon = part.indexOf(':');
    const name = colon < 0 ? part : part.slice(0, colon).trim();
    const column = colon < 0 ? part : part.slice(colon + 1).trim();
    if (!nameRule.test(name) || column === '') {
      return {
        captures,
        problem: `capture=${text}: "${part}" is not NAME or NAME:COLUMN (a name of letters, digits, _ and -, then the result column)`,
      };
    }
    if (!captures.some((c) => c.name === name)) captures.push({ name, column });
  }
  if (captures.length === 0)
    return { captures, problem: 'capture= is empty: write capture=NAME or capture=NAME:COLUMN' };
  return { captures };
}

/** A cell as a variable's text: numbers and bigints as written, dates in ISO, objects as JSON; null has no value. */
export function cellText(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
  return JSON.stringify(value);
}

/**
 * The variables a step's `capture=` sets from its result: the first row's value of each named
 * column. A column the result lacks, an empty result or a NULL sets nothing (the variable keeps
 * its earlier value, and the later step asks for it).
 */
export function captureValues(
  step: Pick<RunbookStep, 'captures'>,
  result: { fields: string[]; rows: unknown[][] },
): Record<string, string> {
  const values: Record<string, string> = {};
  const first = result.rows[0];
  if (!first) return values;
  for (const capture of step.captures ?? []) {
    const index = result.fields.indexOf(capture.column);
    const text = index < 0 ? undefined : cellText(first[index]);
    if (text !== undefined) values[capture.name] = text;
  }
  return values;
}

/** Where a step's value came from: typed by the operator, a runbook variable, the parameter's default, or nowhere yet. */
export type ValueSource = 'typed' | 'variable' | 'default' | 'empty';

export interface ResolvedValue {
  name: string;
  value: string;
  source: ValueSource;
  secret: boolean;
}

/** The parameter as the plan declares it, or as the step names it. */
function declared(
  plan: Pick<RunbookPlan, 'parameters'>,
  step: Pick<RunbookStep, 'parameters'>,
  name: string,
): Pick<RunbookParameter, 'secret' | 'default' | 'placeholders'> {
  return (
    plan.parameters.find((p) => p.name === name) ?? {
      secret: step.parameters.find((p) => p.name === name)?.secret ?? false,
      placeholders: [],
    }
  );
}

/**
 * The values a step runs with, one per parameter: typed (non-blank) first, then the run's
 * variables (captured, chosen from a cell, or a frontmatter variable's default), then the
 * parameter's own default. A typed value always wins: the operator sees and owns it.
 */
export function resolveStepValues(
  plan: Pick<RunbookPlan, 'parameters' | 'variables'>,
  step: Pick<RunbookStep, 'parameters'>,
  typed: Record<string, string>,
  variables: Record<string, string>,
): ResolvedValue[] {
  return step.parameters.map(({ name }) => {
    const parameter = declared(plan, step, name);
    const typedValue = typed[name]?.trim();
    if (typedValue) return { name, value: typedValue, source: 'typed' as const, secret: parameter.secret };
    const variable = variables[name] ?? plan.variables?.find((v) => v.name === name)?.default;
    if (variable !== undefined && variable !== '')
      return { name, value: variable, source: 'variable' as const, secret: parameter.secret };
    const fallback = defaultOf(parameter);
    if (fallback !== undefined) return { name, value: fallback, source: 'default' as const, secret: parameter.secret };
    return { name, value: '', source: 'empty' as const, secret: parameter.secret };
  });
}

/** The resolved values as a name → value map (blank ones left out), the shape `sql.run`'s params take. */
export function resolvedParams(values: ResolvedValue[]): Record<string, string> {
  return Object.fromEntries(values.filter((v) => v.value !== '').map((v) => [v.name, v.value]));
}
