import type { RunbookParameter } from './runbook';
import { defaultOf } from './runbook-fill';
import { matchesWhole, patternProblem } from './template-pattern';

/*
 * The rules a runbook value must meet (frontmatter type, enum, pattern), the same in the app's
 * form and in a headless run, for typed values, defaults and values captured from a step.
 */

const identifier = /^[A-Za-z_][A-Za-z0-9_$]*(\.[A-Za-z_][A-Za-z0-9_$]*)?$/;
const interval =
  /^\s*\d+(\.\d+)?\s*(microseconds?|milliseconds?|ms|seconds?|secs?|s|minutes?|mins?|m|hours?|h|days?|d|weeks?|w|months?|mons?|years?|y)(\s+\d+(\.\d+)?\s*[a-z]+)*\s*$|^\s*\d{1,2}:\d{2}(:\d{2})?\s*$/i;

/** What is wrong with a value, in words naming the parameter and the rule; undefined when it is fine. */
export function validateValue(p: RunbookParameter, raw: string | undefined): string | undefined {
  // A frontmatter error never loosens a value's rules: with its declaration unreadable, none passes.
  if (p.unusable)
    return `${p.name} cannot be checked: the runbook's frontmatter has an error (${p.unusable}). Fix the frontmatter to run a step that uses ${p.name}`;
  const value = (raw ?? '').trim();
  if (value === '')
    return defaultOf(p) === undefined && p.type !== 'boolean' ? `${p.name} is empty: fill it in` : undefined;
  switch (p.type) {
    case 'int':
      if (!/^-?\d+$/.test(value) || !Number.isSafeInteger(Number(value)))
        return `${p.name} must be a whole number (e.g. 42)`;
      break;
    case 'number':
      if (!Number.isFinite(Number(value))) return `${p.name} must be a number (e.g. 1.5)`;
      break;
    case 'boolean':
      if (value !== 'true' && value !== 'false') return `${p.name} must be true or false`;
      break;
    case 'enum':
      if (p.enum && !p.enum.includes(value)) return `${p.name} must be one of ${p.enum.join(', ')}`;
      break;
    case 'identifier':
      if (!identifier.test(value))
        return `${p.name} must be a name such as orders or public.orders (letters, digits, _)`;
      break;
    case 'interval':
      if (!interval.test(value)) return `${p.name} must be an interval such as 5 minutes or 00:05:00`;
      break;
    case 'timestamp':
      if (Number.isNaN(Date.parse(value))) return `${p.name} must be a date and time such as 2026-01-31 12:00`;
      break;
    default:
      break;
  }
  // RE2, as in the main process: a runbook's pattern cannot freeze the window either. A pattern
  // RE2 refuses checks nothing, so no value passes it.
  if (p.pattern) {
    const problem = patternProblem(p.pattern);
    if (problem)
      return `${p.name} cannot be checked: its pattern ${JSON.stringify(p.pattern)} ${problem}. Fix the pattern in the runbook's frontmatter`;
    if (!matchesWhole(p.pattern, value)) return `${p.name} must match ${p.pattern}`;
  }
  return undefined;
}
