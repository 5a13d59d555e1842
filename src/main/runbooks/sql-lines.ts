import type { RunbookStatement, StepTarget } from '../../shared/runbook';
import { describeMetaCommands, displayMetaCommands, type StepDraft } from './step-draft';

const upperSql = /^(SELECT|WITH|INSERT\s+INTO|UPDATE|DELETE\s+FROM|CREATE|ALTER|DROP|TRUNCATE|VACUUM|ANALYZE|ANALYSE|EXPLAIN|SHOW|GRANT|REVOKE|REINDEX|CLUSTER|COPY|REFRESH\s+MATERIALIZED|LOCK\s+TABLE|BEGIN|COMMIT|ROLLBACK|CALL|DO\s+\$|TABLE\s+[\w."]+\s*;|VALUES\s*\(|COMMENT\s+ON|RESET|CHECKPOINT|SET\s+(LOCAL\s+|SESSION\s+)?[\w.]+\s*(=|TO\b))/;
const lowerSql = /^(select\s+.*(\bfrom\b|\(|;\s*$|\*)|select$|with\s+\w+\s+as\s*\(|insert\s+into|update\s+\S+\s+set\b|delete\s+from|create\s+(table|(unique\s+)?index|extension|view|role|user|database|schema|materialized)|alter\s+(table|system|role|index|database|user|sequence)|drop\s+(table|index|database|role|schema|view|extension)|vacuum\b|analyze\s+\w|explain\b|truncate\s+(?!-)|show\s+\w+;?$|begin;|commit;|rollback;)/i;

/** A line that starts a SQL statement rather than a shell command. */
export function looksLikeSql(line: string): boolean {
  const trimmed = line.trim();
  if (upperSql.test(trimmed)) return !/^(SELECT|UPDATE|SHOW|TABLE)\s*=/.test(trimmed);
  return lowerSql.test(trimmed);
}

export interface SqlChunk {
  text: string;
  offset: number;
  endOffset: number;
}

/**
 * Reads SQL lines from `start` up to the line that ends the statement (`;` or `\g` at the end),
 * a blank line after an unterminated statement, or the end of the block.
 */
export function readSqlChunk(input: (string | null)[], start: number): SqlChunk {
  const lines: string[] = [];
  let end = start;
  let quote = '';
  while (end < input.length) {
    const line = input[end];
    if (line === null || line === undefined) break;
    if (line.trim() === '' && !quote) break;
    if (lines.length > 0 && !quote && line.trim().startsWith('\\')) break;
    lines.push(line);
    end++;
    quote = scanQuotes(line, quote);
    const code = line.replace(/--.*$/, '').trimEnd();
    if (!quote && (code.endsWith(';') || /\\g\w*$/.test(code))) break;
  }
  return { text: lines.join('\n'), offset: start, endOffset: Math.max(end, start + 1) };
}

/** Tracks '…' and $tag$…$tag$ across lines so a `;` inside a literal does not end the statement. */
function scanQuotes(line: string, open: string): string {
  let quote = open;
  for (let i = 0; i < line.length; i++) {
    if (quote) {
      if (line.startsWith(quote, i)) (i += quote.length - 1), (quote = '');
      continue;
    }
    if (line.startsWith('--', i)) break;
    if (line[i] === "'") quote = "'";
    else if (line[i] === '$') {
      const tag = /^\$\w*\$/.exec(line.slice(i));
      if (tag) (quote = tag[0]), (i += tag[0].length - 1);
    }
  }
  return quote;
}

/** A SQL step from a chunk: psql meta-commands become their own statements, the rest is classified. */
export function sqlStep(chunk: SqlChunk, target: StepTarget): StepDraft {
  const metas: RunbookStatement[] = [];
  const sqlLines: string[] = [];
  for (const line of chunk.text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed.startsWith('\\')) metas.push(metaOf(trimmed));
    else sqlLines.push(line.replace(/\\g\w*\s*$/, ';'));
  }
  const sql = sqlLines.join('\n').trim();
  const needsPsql = metas.some((m) => !displayMetaCommands.test(m.text));
  const notes = needsPsql ? ['psql meta-commands run in psql: send this step to the terminal'] : [];
  return {
    offset: chunk.offset, endOffset: chunk.endOffset, kind: 'sql', target: needsPsql ? 'terminal' : target, text: chunk.text.trim(),
    placeholderText: chunk.text, notes, statements: metas, ...(sql ? { sql: { text: sql, role: 'statements' as const } } : {}),
  };
}

/** A single psql meta-command line typed at the prompt. */
export function metaStatement(line: string, offset: number): StepDraft {
  return sqlStep({ text: line, offset, endOffset: offset + 1 }, 'postgres');
}

function metaOf(text: string): RunbookStatement {
  if (displayMetaCommands.test(text)) return { text, risk: 'read', reasons: ['psql display setting'] };
  if (describeMetaCommands.test(text)) return { text, risk: 'read', reasons: ['psql meta-command describing the catalog'] };
  if (/^\\watch\b/.test(text)) return { text, risk: 'read', reasons: ['psql \\watch re-runs the statement before it: that statement is judged, and the console runs it once'] };
  if (/^\\gexec\b/.test(text)) return { text, risk: 'dangerous', reasons: ['psql \\gexec runs every cell of the result as SQL, which the console cannot inspect'] };
  if (/^\\c(onnect)?\b/.test(text)) return { text, risk: 'read', reasons: ['psql \\connect switches database: the profile decides the database'] };
  if (/^\\(i|ir|include|copy|!)\b/.test(text)) return { text, risk: 'dangerous', reasons: [`${text.split(/\s/)[0]} runs a file or a shell command the console cannot inspect`] };
  return { text, risk: 'unknown', reasons: ['psql meta-command the console does not classify'] };
}
