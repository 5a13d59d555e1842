import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { runbookFrontmatterSchema, type RunbookDiagnostic, type RunbookFrontmatter } from '../../shared/runbook';
import { describeZodError } from '../errors';

export interface SplitFrontmatter {
  frontmatter: RunbookFrontmatter;
  /** The markdown with the frontmatter replaced by blank lines, so line numbers stay the file's. */
  body: string;
  diagnostics: RunbookDiagnostic[];
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
    data = parseYaml(yamlText) ?? {};
  } catch (error) {
    const line = (error as { linePos?: { line: number }[] }).linePos?.[0]?.line ?? 0;
    return { frontmatter: {}, body, diagnostics: [{ line: line + 1, severity: 'error', code: 'frontmatter', message: `frontmatter is not valid YAML: ${firstLine((error as Error).message)}. Fix the YAML between the --- lines.` }] };
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return { frontmatter: {}, body, diagnostics: [{ line: 1, severity: 'error', code: 'frontmatter', message: 'frontmatter must be a YAML mapping (key: value lines).' }] };
  }
  const parsed = runbookFrontmatterSchema.safeParse(data);
  if (!parsed.success) {
    return { frontmatter: unusablePatterns(data, parsed.error), body, diagnostics: [{ line: 1, severity: 'error', code: 'frontmatter', message: `frontmatter ${describeZodError(parsed.error)}.` }] };
  }
  return { frontmatter: parsed.data, body, diagnostics: [] };
}

/**
 * A frontmatter that does not validate is dropped, but a parameter declared with a pattern RE2
 * refuses is kept with that pattern: its values are then refused (validateValue), where
 * dropping it would let any value through as an undeclared placeholder.
 */
function unusablePatterns(data: unknown, error: z.ZodError): RunbookFrontmatter {
  const declared = (data as { parameters?: unknown }).parameters;
  if (!Array.isArray(declared)) return {};
  const parameters = error.issues
    .filter((issue) => issue.path[0] === 'parameters' && issue.path[2] === 'pattern')
    .map((issue) => declared[issue.path[1] as number] as { name?: unknown; pattern?: unknown; secret?: unknown })
    .filter((p) => typeof p?.name === 'string' && /^[A-Za-z_][\w-]*$/.test(p.name) && typeof p.pattern === 'string')
    .map((p) => ({ name: p.name as string, type: 'string' as const, secret: p.secret === true, pattern: p.pattern as string }));
  return parameters.length > 0 ? { parameters } : {};
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
  if (!parsed.success) return { frontmatter: {}, body, diagnostics: [{ line: 1, severity: 'error', code: 'frontmatter', message: `frontmatter ${describeZodError(parsed.error)}.` }] };
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
