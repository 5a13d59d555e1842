import type { TemplateParam } from '../../shared/template';
import { matchesWhole, patternProblem } from '../../shared/template-pattern';
import { OpsError } from '../errors';

/** A parameter's value once validated: what is bound (or, for identifiers, the names to check). */
export interface CoercedValue {
  /** null when the parameter is optional and was left empty. */
  value: unknown;
  /** As shown and recorded (the typed text; secret ones are redacted by the caller). */
  display: unknown;
}

const int32 = { min: -(2n ** 31n), max: 2n ** 31n - 1n };
const int64 = { min: -(2n ** 63n), max: 2n ** 63n - 1n };
const numericPattern = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$|^(NaN|[+-]?Infinity)$/;
const uuidPattern = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const unit =
  '(microseconds?|us|milliseconds?|ms|seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h|days?|d|weeks?|w|months?|mons?|years?|yrs?|y|decades?|centuries|century|millenniums?)';
const intervalWords = new RegExp(`^([+-]?\\d+(\\.\\d+)?\\s*${unit}\\s*)+(ago)?$`, 'i');
const intervalIso = /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/;
const intervalClock = /^[+-]?\d+:\d{2}(:\d{2}(\.\d+)?)?$/;
const timestampPattern =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(:(\d{2})(\.\d{1,6})?)?\s*(Z|[+-]\d{2}(:?\d{2})?)$/i;
const truthy = new Set(['true', 't', 'yes', 'y', 'on', '1']);
const falsy = new Set(['false', 'f', 'no', 'n', 'off', '0']);

/** On RE2 (linear time): a runbook's pattern cannot hang the main process. */
function checkPattern(param: TemplateParam, pattern: string, text: string): void {
  const problem = patternProblem(pattern);
  if (problem) throw bad(param, `has a pattern that ${problem}: fix the pattern in the runbook or template`);
  if (!matchesWhole(pattern, text)) throw bad(param, `does not match the pattern ${pattern}`);
}

/**
 * How a message names the value that was refused: quoted, except for a secret parameter, whose
 * value is never written into a message (it would reach the terminal, the log and the timeline).
 */
export function refusedValue(param: TemplateParam, text: string, max: number): string {
  return param.secret ? 'the value given (a secret parameter: not shown)' : `"${text.slice(0, max)}"`;
}

function bad(param: TemplateParam, message: string): OpsError {
  return new OpsError('invalid_input', `params.${param.name} ${message}`);
}

function validDate(y: number, m: number, d: number): boolean {
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

function inRange(param: TemplateParam, text: string, range: { min: bigint; max: bigint }, label: string): string {
  if (!/^[+-]?\d+$/.test(text))
    throw bad(param, `must be a whole number (${label}), not ${refusedValue(param, text, 40)}`);
  const n = BigInt(text);
  if (n < range.min || n > range.max) throw bad(param, `is out of range for ${label} (${range.min} to ${range.max})`);
  return n.toString();
}

/** One item of the parameter's type from what the operator typed (or a typed JSON value). */
function coerceItem(param: TemplateParam, raw: unknown): unknown {
  if (typeof raw === 'object' && raw !== null) throw bad(param, 'must be a single value, not an object or a list');
  const text = typeof raw === 'string' ? raw : String(raw);
  if (text.includes('\u0000')) throw bad(param, 'contains a NUL character, which Postgres text cannot hold: remove it');
  if (/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text))
    throw bad(param, 'contains a broken (unpaired) UTF-16 surrogate, which is not valid Unicode: retype the value');
  if (param.pattern !== undefined) checkPattern(param, param.pattern, text);
  const trimmed = text.trim();
  switch (param.type) {
    case 'text':
    case 'enum':
    case 'identifier':
      return text;
    case 'int':
      return inRange(param, trimmed, int32, 'int');
    case 'bigint':
      return inRange(param, trimmed, int64, 'bigint');
    case 'numeric':
      if (!numericPattern.test(trimmed))
        throw bad(param, `must be a number such as 12.5 or 1e3, not ${refusedValue(param, trimmed, 40)}`);
      return trimmed;
    case 'bool':
      if (typeof raw === 'boolean') return raw;
      if (truthy.has(trimmed.toLowerCase())) return true;
      if (falsy.has(trimmed.toLowerCase())) return false;
      throw bad(param, 'must be true or false');
    case 'date': {
      const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(trimmed);
      if (!m || !validDate(Number(m[1]), Number(m[2]), Number(m[3]))) throw bad(param, 'must be a date as YYYY-MM-DD');
      return trimmed;
    }
    case 'timestamptz': {
      const m = timestampPattern.exec(trimmed);
      if (
        !m ||
        !validDate(Number(m[1]), Number(m[2]), Number(m[3])) ||
        Number(m[4]) > 23 ||
        Number(m[5]) > 59 ||
        Number(m[7] ?? 0) > 59
      ) {
        throw bad(param, 'must be a time with its zone, as 2026-11-23T14:05:00Z or 2026-11-23 15:05:00+01:00');
      }
      return trimmed;
    }
    case 'interval':
      if (!intervalWords.test(trimmed) && !intervalIso.test(trimmed) && !intervalClock.test(trimmed))
        throw bad(param, 'must be an interval such as "15 minutes", "1 hour 30 min", "PT15M" or "00:15:00"');
      return trimmed;
    case 'uuid':
      if (!uuidPattern.test(trimmed)) throw bad(param, 'must be a UUID such as 3f2b8c1e-9d4a-4f5e-8b7c-1a2b3c4d5e6f');
      return trimmed.toLowerCase();
  }
}

/**
 * Validates a parameter's value and turns it into what is bound. Empty means the default, else
 * null for an optional parameter; lists take an array or comma-separated text.
 */
export function coerceParam(param: TemplateParam, raw: unknown): CoercedValue {
  let given = raw;
  if (given === undefined || given === null || given === '') given = param.default;
  if (given === undefined || given === '' || (Array.isArray(given) && given.length === 0)) {
    if (param.required)
      throw bad(param, `is required: give a value${param.list ? ' (one or more, comma-separated)' : ''}`);
    return { value: null, display: null };
  }
  if (param.list) {
    const items = Array.isArray(given)
      ? given
      : String(given)
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s !== '');
    if (items.length > 10_000) throw bad(param, 'has more than 10000 items');
    const values = items.map((item) => coerceItem(param, item));
    return { value: values, display: values };
  }
  if (Array.isArray(given)) throw bad(param, 'takes one value, not a list');
  const value = coerceItem(param, given);
  return { value, display: value };
}

/** The parts of a possibly qualified name (`schema.table`, `table.column`), each 1–63 characters. */
export function identifierParts(param: TemplateParam, name: string): string[] {
  const parts = name.split('.');
  const max = param.identifierKind === 'schema' ? 1 : 2;
  if (parts.length > max || parts.some((p) => p.length === 0 || p.length > 63)) {
    throw bad(
      param,
      `must name a ${param.identifierKind ?? 'table'}${max > 1 ? ` (optionally qualified: ${param.identifierKind === 'column' ? 'table.column' : 'schema.table'})` : ''}, each part 1 to 63 characters`,
    );
  }
  return parts;
}
