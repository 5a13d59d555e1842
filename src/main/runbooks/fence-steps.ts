import { readCurl } from './clients';
import { shellBlockSteps } from './shell-block';
import { startsWithProgram } from './shell-command';
import { sqlStep } from './sql-lines';
import { sniffLanguage } from './reference-steps';
import type { StepDraft } from './step-draft';

export interface FenceInfo {
  /** Lower-cased language, '' when the fence has none. */
  language: string;
  attributes: Record<string, string>;
}

/** Reads a fence info string: ```` ```sql {name=top-balances target=postgres confirm=true} ````. */
export function parseFenceInfo(info: string): FenceInfo {
  const trimmed = info.trim();
  const brace = trimmed.indexOf('{');
  const head = brace >= 0 ? trimmed.slice(0, brace) : trimmed;
  const language = (head.trim().split(/\s+/)[0] ?? '').toLowerCase();
  const attributes: Record<string, string> = {};
  if (brace >= 0) {
    let body = trimmed.slice(brace + 1, trimmed.lastIndexOf('}') > brace ? trimmed.lastIndexOf('}') : undefined);
    // addresses= and capture= take comma lists (`capture=pid:blocker_pid,rel:relation`) whose
    // colons and commas the general reading below would split into attributes of their own.
    body = body.replace(/(?<![\w-])(addresses|capture)\s*=\s*([^\s"'}][^\s}]*)/g, (_all, name: string, value: string) => {
      attributes[name] = value.replace(/,$/, '');
      return ' ';
    });
    for (const m of body.matchAll(/"?([\w-]+)"?\s*[=:]\s*("[^"]*"|'[^']*'|[^\s,}]+)|([\w-]+)/g)) {
      if (m[3]) attributes[m[3]] = 'true';
      else attributes[m[1]!] = m[2]!.replace(/^["']|["']$/g, '');
    }
  }
  return { language, attributes };
}

const sqlLanguages = new Set(['sql', 'psql', 'postgres', 'postgresql', 'pgsql', 'plpgsql']);
const shellLanguages = new Set(['bash', 'sh', 'shell', 'zsh', 'console', 'shell-session', 'shellsession', 'terminal', 'shel', 'ksh', 'fish']);
/** Languages the importer never runs: shown as code. */
export function isRunnableLanguage(language: string): boolean {
  return language === '' || sqlLanguages.has(language) || shellLanguages.has(language) || language === 'redis' || language === 'http';
}

/** The steps of one fenced block, by its language and, for unlabeled fences, by its content. */
export function fenceSteps(language: string, text: string): StepDraft[] {
  if (sqlLanguages.has(language)) return sqlFenceSteps(text);
  if (shellLanguages.has(language)) return shellBlockSteps(text, language);
  if (language === 'redis') return shellBlockSteps(text, 'redis', 'redis');
  if (language === 'http') return httpFenceSteps(text);
  if (language === '') return unlabelledSteps(text);
  return [];
}

/** An unlabelled fence: sniffed (Redis commands, SQL, shell), each step saying the guess and how sure it is. */
function unlabelledSteps(text: string): StepDraft[] {
  const sniffed = sniffLanguage(text);
  let drafts: StepDraft[] = [];
  if (sniffed?.language === 'redis' && sniffed.confidence >= 0.5) drafts = shellBlockSteps(text, 'redis', 'redis');
  else if (looksLikeCommands(text)) drafts = shellBlockSteps(text, '');
  for (const draft of drafts) {
    draft.sniffed = sniffed ?? { language: draft.kind === 'sql' ? 'sql' : 'shell', confidence: 0.5 };
    draft.notes.push(`unlabelled block read as ${draft.sniffed.language} (confidence ${draft.sniffed.confidence}): label the fence to be sure`);
  }
  return drafts;
}

function sqlFenceSteps(text: string): StepDraft[] {
  const lines = text.split('\n');
  if (lines.some((l) => /^[\w-]+[=(-][#>]\s?/.test(l))) return shellBlockSteps(text, 'sql');
  let start = 0;
  let title: string | undefined;
  while (start < lines.length && (lines[start]!.trim() === '' || lines[start]!.trim().startsWith('--'))) {
    if (lines[start]!.trim().startsWith('--')) title ??= lines[start]!.trim().replace(/^--\s*/, '');
    start++;
  }
  if (start >= lines.length) return [];
  const outputAt = psqlOutputStart(lines, start);
  const end = outputAt ?? lines.length;
  const step = sqlStep({ text: lines.slice(start, end).join('\n').trimEnd(), offset: start, endOffset: end }, 'postgres');
  if (title) step.title = title;
  if (outputAt !== undefined) {
    step.expectedOutput = lines.slice(outputAt).join('\n').trim();
    step.notes.push(psqlOutputNote);
  }
  return [step];
}

export const psqlOutputNote = 'the block shows psql output after the statement: kept as the expected output, not sent';

/** Where psql's result (a table header over `---+---`, `-[ RECORD 1 ]`, `(N rows)`) begins after the SQL, if it does. */
export function psqlOutputStart(lines: string[], from: number): number | undefined {
  for (let i = from + 1; i < lines.length; i++) {
    const line = lines[i]!.trim();
    // A lone `-----` is also a SQL comment: output only when psql's `(N rows)` follows.
    const single = /^-{3,}$/.test(line) && lines.slice(i).some((l) => /^\s*\(\d+ rows?\)\s*$/.test(l));
    if (/^-+(\+-+)+$/.test(line) || single) return i - 1 > from && lines[i - 1]!.trim() ? i - 1 : i;
    if (/^-\[ RECORD \d+ \]/.test(line) || /^\(\d+ rows?\)$/.test(line)) return i;
  }
  return undefined;
}

/** ```http blocks: `METHOD URL`, headers, a blank line, the body; `###` separates requests. */
function httpFenceSteps(text: string): StepDraft[] {
  const steps: StepDraft[] = [];
  const lines = text.split('\n');
  let i = 0;
  while (i < lines.length) {
    while (i < lines.length && (!lines[i]!.trim() || lines[i]!.startsWith('#'))) i++;
    if (i >= lines.length) break;
    const start = i;
    const curl = lines[i]!.trim().startsWith('curl ');
    while (i < lines.length && !lines[i]!.startsWith('###')) i++;
    const chunk = lines.slice(start, i).join('\n').trim();
    const request = curl ? readCurl(chunk.replace(/\\\n/g, ' ').split(/\s+/)) : parseHttpMessage(chunk);
    const risk = ['GET', 'HEAD', 'OPTIONS'].includes(request.method) ? 'read' : request.method === 'DELETE' ? 'dangerous' : 'write';
    steps.push({ offset: start, endOffset: i, kind: 'http', target: 'http', text: chunk, placeholderText: chunk, notes: [], http: request, statements: [{ text: chunk.split('\n')[0]!, risk, reasons: risk === 'read' ? [] : [`HTTP ${request.method} changes state on the server`] }] });
  }
  return steps;
}

function parseHttpMessage(chunk: string) {
  const [requestLine = '', ...rest] = chunk.split('\n');
  const [method = 'GET', url = ''] = requestLine.trim().split(/\s+/);
  const blank = rest.findIndex((l) => l.trim() === '');
  const headerLines = blank < 0 ? rest : rest.slice(0, blank);
  const headers = headerLines.flatMap((l) => {
    const colon = l.indexOf(':');
    return colon > 0 ? [{ name: l.slice(0, colon).trim(), value: l.slice(colon + 1).trim() }] : [];
  });
  const body = blank < 0 ? '' : rest.slice(blank + 1).join('\n').trim();
  return { method: method.toUpperCase(), url, headers, ...(body ? { body } : {}) };
}

/** True when an unlabeled fence holds commands (not a tree, a config file or program output). */
export function looksLikeCommands(text: string): boolean {
  // A psql result table pasted without its prompt is output, not SQL to run.
  if (/^\s*-{3,}\+-{3,}/m.test(text) && !/^[\w-]+[=(-][#>]\s/m.test(text)) return false;
  if (/^(mysql|MariaDB \[[^\]]*\])>\s/m.test(text)) return true;
  return text.split('\n').some((line) => {
    const trimmed = line.trim().replace(/^\$\s+/, '');
    if (/^(SELECT|WITH|UPDATE|DELETE|INSERT|CREATE|ALTER|DROP|VACUUM|ANALYZE|EXPLAIN|SHOW)\b/.test(trimmed) || /^[\w-]+[=(-][#>]\s/.test(line)) return true;
    return startsWithProgram(trimmed);
  });
}
