import { parse as parseYaml } from 'yaml';
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
    return { frontmatter: {}, body, diagnostics: [{ line: 1, severity: 'error', code: 'frontmatter', message: `frontmatter ${describeZodError(parsed.error)}.` }] };
  }
  return { frontmatter: parsed.data, body, diagnostics: [] };
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.replace(/\.$/, '');
}
