import type { z } from 'zod';
import { frontmatterParameterSchema, runbookFrontmatterSchema, type RunbookDiagnostic, type RunbookFrontmatter } from '../../shared/runbook';
import { yamlParser } from '../drivers';
import { describeZodError } from '../errors';

export interface SplitFrontmatter {
  frontmatter: RunbookFrontmatter;
  /** The markdown with the frontmatter replaced by blank lines, so line numbers stay the file's. */
  body: string;
  diagnostics: RunbookDiagnostic[];
  /**
   * When the frontmatter has errors: why each parameter whose declaration could not be read has
   * no usable rules (by name), or, under `*`, why no declaration could be read at all. No value
   * of such a parameter passes (validateValue) until the frontmatter is fixed.
   */
  unusable?: Record<string, string>;
}

/** Separates optional YAML frontmatter (`---` … `---`) from the markdown and validates it. */
export function splitFrontmatter(source: string): SplitFrontmatter {
  const empty: SplitFrontmatter = { frontmatter: {}, body: source, diagnostics: [] };
  if (/^\+\+\+[ \t]*\n/.test(source)) return splitTomlFrontmatter(source);
  if (!/^---[ \t]*\n/.test(source)) return empty;
  const lines = source.split('\n');
  const close = lines.findIndex((line, i) => i > 0 && /^(---|\.\.\.)[ \t]*$/.test(line));
  if (close < 0) return empty;
  const yamlText = lines.slice(1, close).join('\n');
  const body = '\n'.repeat(close + 1) + lines.slice(close + 1).join('\n');
  let data: unknown;
  try {
    data = yamlParser().parse(yamlText) ?? {};
  } catch (error) {
    const line = (error as { linePos?: { line: number }[] }).linePos?.[0]?.line ?? 0;
    const message = `frontmatter is not valid YAML: ${firstLine((error as Error).message)}. Fix the YAML between the --- lines.`;
    return { frontmatter: {}, body, diagnostics: [{ line: line + 1, severity: 'error', code: 'frontmatter', message }], unusable: { '*': message } };
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    const message = 'frontmatter must be a YAML mapping (key: value lines).';
    return { frontmatter: {}, body, diagnostics: [{ line: 1, severity: 'error', code: 'frontmatter', message }], unusable: { '*': message } };
  }
  const parsed = runbookFrontmatterSchema.safeParse(data);
  if (!parsed.success) {
    return { ...salvage(data, parsed.error), body, diagnostics: [{ line: 1, severity: 'error', code: 'frontmatter', message: `frontmatter ${describeZodError(parsed.error)}.` }] };
  }
  return { frontmatter: parsed.data, body, diagnostics: [] };
}

const parameterName = /^[A-Za-z_][\w-]*$/;

/**
 * A frontmatter with an error never loosens a value's rules. Each parameter whose declaration is
 * valid on its own keeps it (type, enum, pattern); one whose declaration is not (an unknown key,
 * a pattern RE2 refuses, a bad type) is kept by name with no value passing, the error naming its
 * field and the fix; a `parameters` that is no list of declarations makes every parameter so.
 * The runbook still reads, and its steps without such values still run.
 */
function salvage(data: object, error: z.ZodError): Pick<SplitFrontmatter, 'frontmatter' | 'unusable'> {
  const declared = (data as { parameters?: unknown }).parameters;
  const errors = (issues: z.ZodError['issues']) => describeZodError({ issues } as z.ZodError);
  if (declared === undefined) return { frontmatter: {} };
  if (!Array.isArray(declared)) {
    const problem = `its parameters are not a list of declarations (${errors(error.issues.filter((i) => i.path[0] === 'parameters'))}): write them as "- name: NAME" items`;
    return { frontmatter: {}, unusable: { '*': problem } };
  }
  const parameters: NonNullable<RunbookFrontmatter['parameters']> = [];
  const unusable: Record<string, string> = {};
  declared.forEach((entry, index) => {
    const one = frontmatterParameterSchema.safeParse(entry);
    if (one.success) return void parameters.push(one.data);
    const { name, pattern, secret } = (entry ?? {}) as { name?: unknown; pattern?: unknown; secret?: unknown };
    // Only its pattern is wrong (RE2 refuses it): kept with it, and validateValue says so for every value.
    if (one.error.issues.every((i) => i.path[0] === 'pattern') && typeof name === 'string' && parameterName.test(name) && typeof pattern === 'string')
      return void parameters.push({ name, type: 'string', secret: secret === true, pattern });
    const problem = `parameters.${index} ${errors(one.error.issues)}`;
    if (typeof name === 'string' && parameterName.test(name)) unusable[name] = problem;
    else unusable['*'] = `${problem}, so the console cannot tell which parameter it declares`;
  });
  return { frontmatter: parameters.length > 0 ? { parameters } : {}, ...(Object.keys(unusable).length > 0 ? { unusable } : {}) };
}

/**
 * Hugo's TOML frontmatter (`+++` … `+++`): the flat `key = value` lines the console reads
 * (strings, numbers, booleans, arrays of strings); tables and other keys are skipped.
 */
function splitTomlFrontmatter(source: string): SplitFrontmatter {
  const lines = source.split('\n');
  const close = lines.findIndex((line, i) => i > 0 && /^\+\+\+[ \t]*$/.test(line));
  if (close < 0) return { frontmatter: {}, body: source, diagnostics: [] };
  const body = '\n'.repeat(close + 1) + lines.slice(close + 1).join('\n');
  const data: Record<string, unknown> = {};
  for (const line of lines.slice(1, close)) {
    if (/^\s*\[/.test(line)) break;
    const m = /^\s*([A-Za-z_][\w-]*)\s*=\s*(.+?)\s*$/.exec(line);
    if (!m) continue;
    const value = tomlValue(m[2]!);
    if (value !== undefined) data[m[1]!] = value;
  }
  const parsed = runbookFrontmatterSchema.safeParse(data);
  if (!parsed.success) return { ...salvage(data, parsed.error), body, diagnostics: [{ line: 1, severity: 'error', code: 'frontmatter', message: `frontmatter ${describeZodError(parsed.error)}.` }] };
  return { frontmatter: parsed.data, body, diagnostics: [] };
}

function tomlValue(text: string): unknown {
  const string = /^"((?:[^"\\]|\\.)*)"$|^'([^']*)'$/.exec(text);
  if (string) return string[1] !== undefined ? string[1].replace(/\\(.)/g, '$1') : string[2];
  if (/^(true|false)$/.test(text)) return text === 'true';
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (text.startsWith('[') && text.endsWith(']')) return [...text.matchAll(/"((?:[^"\\]|\\.)*)"|'([^']*)'/g)].map((m) => m[1] ?? m[2]!);
  return undefined;
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.replace(/\.$/, '');
}
