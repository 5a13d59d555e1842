import type { RunbookStatement } from '../../shared/runbook';
import { redisRisk } from './redis-risk';
import { startsWithProgram } from './shell-command';
import type { StepDraft } from './step-draft';

/**
 * Blocks the console does not run (python, yaml, json…) still become steps, so nothing is
 * dropped in silence: shown for reference, with the SQL and Redis calls found in them classified
 * so that a `pg_terminate_backend` inside a script is still flagged.
 */
export function referenceStep(language: string, text: string): StepDraft {
  const sql = sqlInStrings(text);
  const statements: RunbookStatement[] = redisCalls(text);
  const draft: StepDraft = {
    offset: 0, endOffset: Math.max(text.split('\n').length, 1), kind: 'reference', target: null, text: text.trimEnd(), placeholderText: text, statements,
    notes: [`${language || 'unlabelled'} block shown for reference: the console does not run it`],
  };
  if (sql.length > 0) {
    draft.sql = { text: sql.join(';\n'), role: 'statements' };
    draft.notes.push('SQL found in its strings is classified below');
  }
  return draft;
}

const sqlStart = /^\s*(SELECT|WITH|UPDATE|DELETE|INSERT|CREATE|ALTER|DROP|TRUNCATE|VACUUM|ANALYZE|GRANT|REVOKE|COPY|REINDEX|CLUSTER|EXPLAIN|SHOW|SET|LOCK|COMMENT)\b/i;

/** String literals (quoted once or thrice) whose text is SQL. */
function sqlInStrings(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/("""|'''|`|"|')((?:\\.|(?!\1)[^\\])*?)\1/gs)) {
    const body = m[2]!.replace(/\\n/g, '\n').trim();
    if (sqlStart.test(body) && /\s/.test(body)) found.push(body.replace(/;\s*$/, ''));
  }
  return found;
}

/** `r.flushall()`, `redis.delete(key)`, `client.execute_command("CONFIG", "SET", …)`. */
function redisCalls(text: string): RunbookStatement[] {
  const statements: RunbookStatement[] = [];
  for (const m of text.matchAll(/\b(\w*(?:redis|cache|valkey)\w*|r|rc|client|conn)\.(\w+)\(([^)\n]*)\)/gi)) {
    const method = m[2]!.toLowerCase();
    const argv = method === 'execute_command' || method === 'call' || method === 'send_command' ? [...m[3]!.matchAll(/["']([^"']+)["']/g)].map((a) => a[1]!) : [method === 'delete' ? 'DEL' : method.toUpperCase()];
    if (argv.length === 0) continue;
    const verdict = redisRisk(argv);
    if (verdict.reasons.some((r) => r.startsWith('unknown_command'))) continue;
    statements.push({ text: m[0], ...verdict });
  }
  return statements;
}

const promptPattern = /^(\$|[\w-]+[=(-][#>]|(?:redis )?[\w.-]+:\d+(?:\[\d+\])?>|mysql>|MariaDB \[[^\]]*\]>)\s+/;

export type SniffedLanguage = NonNullable<StepDraft['sniffed']>;

/** Guesses what an unlabelled fence holds: the share of its lines that read as SQL, Redis or shell. */
export function sniffLanguage(text: string): SniffedLanguage | undefined {
  const all = text.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#') && !l.startsWith('--') && !l.startsWith('//'));
  // In a pasted session only the prompted lines were typed: the rest is output.
  const prompted = all.filter((l) => promptPattern.test(l));
  const lines = prompted.length > 0 ? prompted : all;
  if (lines.length === 0) return undefined;
  const score = { sql: 0, redis: 0, shell: 0 };
  for (const raw of lines) {
    const line = raw.replace(promptPattern, '');
    if (/^([\w-]+[=(-][#>]|mysql>|MariaDB \[)/.test(raw) || sqlStart.test(line)) score.sql++;
    else if (/^(?:redis )?[\w.-]+:\d+(?:\[\d+\])?>/.test(raw)) score.redis++;
    else if (/^[A-Z][A-Z]+\b/.test(line) && !redisRisk(line.split(/\s+/)).reasons.some((r) => r.startsWith('unknown_command'))) score.redis++;
    else if (startsWithProgram(line)) score.shell++;
  }
  const [language, count] = (Object.entries(score) as [SniffedLanguage['language'], number][]).sort((a, b) => b[1] - a[1])[0]!;
  if (count === 0) return undefined;
  return { language, confidence: Math.round((count / lines.length) * 100) / 100 };
}

/** Prose that announces output: "Output:", "You should see:", "It returns something like:". */
export function announcesOutput(prose: string): boolean {
  return /\b(output|result|returns?|prints?|shows?|should see|looks? like|response|example)\b[^\n]*:\s*$/i.test(prose.trim());
}

/** Languages of blocks that only ever show output or text. */
export const outputLanguages = new Set(['text', 'txt', 'plaintext', 'plain', 'output', 'log', 'logs', 'stdout', 'console-output', 'nohighlight']);
