/**
 * A small POSIX-shell lexer, enough to read commands as runbooks write them: quotes, escapes,
 * line continuations, heredocs, pipes and redirects. It never runs anything.
 */

export type ShellToken =
  | { kind: 'word'; value: string; raw: string; substitution: boolean }
  | { kind: 'op'; value: string }
  | { kind: 'heredoc'; delimiter: string; body: string; quoted: boolean };

const operators = ['&&', '||', ';;', '2>&1', '>&2', '&>', '2>>', '2>', '1>', '<<<', '>>', '|', ';', '&', '>', '<'];

/**
 * Where the command that starts at `lines[start]` ends (exclusive): open quotes, `$(`, a trailing
 * backslash, `|`, `&&` or an open heredoc carry it onto the next lines.
 */
export function readShellCommand(lines: string[], start: number): number {
  const state: { quote: string; depth: number; compound?: number } = { quote: '', depth: 0 };
  const heredocs: { delimiter: string; strip: boolean }[] = [];
  let i = start;
  while (i < lines.length) {
    const continues = scanLine(lines[i]!, state, heredocs);
    i++;
    while (heredocs.length > 0 && i < lines.length) {
      const { delimiter, strip } = heredocs[0]!;
      const line = strip ? lines[i]!.replace(/^\t+/, '') : lines[i]!;
      if (line.trim() === delimiter) heredocs.shift();
      i++;
    }
    if (!continues && !state.quote && state.depth === 0 && (state.compound ?? 0) <= 0) return i;
  }
  // An unclosed quote: the author's typo should not swallow the rest of the block.
  if (state.quote || state.depth > 0 || (state.compound ?? 0) > 0) return Math.min(start + 1, lines.length);
  return i;
}

/** Scans one line; returns true when the command explicitly continues (\, |, &&, ||). */
function scanLine(line: string, state: { quote: string; depth: number; compound?: number }, heredocs: { delimiter: string; strip: boolean }[]): boolean {
  let lastSignificant = '';
  if (!state.quote) {
    // for/while … do … done, if … fi, case … esac span lines: count openers and closers.
    const code = line.replace(/'[^']*'|"(?:[^"\\]|\\.)*"|#.*$/g, ' ');
    for (const m of code.matchAll(/(?:^|[\s;&|(])(do|if|case|done|fi|esac)(?=$|[\s;&|)])/g)) {
      state.compound = (state.compound ?? 0) + (['do', 'if', 'case'].includes(m[1]!) ? 1 : -1);
    }
  }
  for (let j = 0; j < line.length; j++) {
    const c = line[j]!;
    if (state.quote === "'") {
      if (c === "'") state.quote = '';
      continue;
    }
    if (c === '\\') {
      if (j === line.length - 1) return true;
      j++;
      continue;
    }
    if (state.quote === '"' || state.quote === '`') {
      if (c === state.quote) state.quote = '';
      else if (c === '$' && line[j + 1] === '(') state.depth++, j++;
      continue;
    }
    if (c === '#' && (j === 0 || /\s/.test(line[j - 1]!))) break;
    if (c === "'" || c === '"' || c === '`') state.quote = c;
    else if (c === '$' && line[j + 1] === '(') state.depth++, j++;
    else if (c === '(' && state.depth > 0) state.depth++;
    else if (c === ')' && state.depth > 0) state.depth--;
    else if (c === '<' && line[j + 1] === '<' && line[j + 2] !== '<') {
      const match = /^<<(-?)\s*(['"]?)([\w.-]+)\2/.exec(line.slice(j));
      if (match) {
        heredocs.push({ delimiter: match[3]!, strip: match[1] === '-' });
        j += match[0].length - 1;
      }
    }
    if (!/\s/.test(c)) lastSignificant = line.slice(Math.max(0, j - 1), j + 1);
  }
  return /(\||&&)$/.test(lastSignificant) && !state.quote;
}

const placeholderPattern = /(?<![<\\A-Za-z0-9])<([A-Za-z][\w.-]{0,62})>(?!>)/g;

/**
 * Splits a command (possibly several lines) into words (quotes removed), operators and heredocs.
 * `<admin_token>`-style placeholders stay words, not redirections.
 */
const tokenCache = new Map<string, ShellToken[]>();

/** Forgets the memo (once per import, so each import pays for its own reading). */
export function resetTokenCache(): void {
  tokenCache.clear();
}

/** A command is read by its step, its risk and its parameters: one tokenization serves them all. */
export function tokenize(text: string): ShellToken[] {
  let tokens = tokenCache.get(text);
  if (!tokens) {
    tokens = tokenizeFresh(text);
    if (tokenCache.size > 5000) tokenCache.clear();
    tokenCache.set(text, tokens);
  }
  return tokens;
}

function tokenizeFresh(text: string): ShellToken[] {
  if (!text.includes('<')) return tokenizeRaw(text);
  const protectedText = text.replace(placeholderPattern, '\uE000$1\uE001');
  const restore = (value: string) => value.replace(/\uE000/g, '<').replace(/\uE001/g, '>');
  return tokenizeRaw(protectedText).map((token) => (token.kind === 'word' ? { ...token, value: restore(token.value), raw: restore(token.raw) } : token.kind === 'heredoc' ? { ...token, body: restore(token.body) } : token));
}

function tokenizeRaw(text: string): ShellToken[] {
  const tokens: ShellToken[] = [];
  const pendingHeredocs: { delimiter: string; strip: boolean; quoted: boolean; index: number }[] = [];
  let i = 0;
  let word: { value: string; raw: string; substitution: boolean } | null = null;
  const flush = () => {
    if (word) tokens.push({ kind: 'word', ...word });
    word = null;
  };
  const append = (value: string, raw: string) => {
    word ??= { value: '', raw: '', substitution: false };
    word.value += value;
    word.raw += raw;
  };
  while (i < text.length) {
    const c = text[i]!;
    if (c === '\n') {
      flush();
      i++;
      if (pendingHeredocs.length > 0) i = readHeredocBodies(text, i, pendingHeredocs, tokens);
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') {
      flush();
      i++;
      continue;
    }
    if (c === '#' && !word) {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    if (c === '\\') {
      if (text[i + 1] === '\n') i += 2;
      else append(text[i + 1] ?? '', text.slice(i, i + 2)), (i += 2);
      continue;
    }
    if (c === "'") {
      const end = indexOrEnd(text, "'", i + 1);
      append(text.slice(i + 1, end), text.slice(i, end + 1));
      i = end + 1;
      continue;
    }
    if (c === '$' && text[i + 1] === "'") {
      const end = ansiEnd(text, i + 2);
      append(unescapeAnsi(text.slice(i + 2, end)), text.slice(i, end + 1));
      i = end + 1;
      continue;
    }
    if (c === '"') {
      const [value, end, substitution] = readDoubleQuoted(text, i + 1);
      append(value, text.slice(i, end + 1));
      if (substitution) word!.substitution = true;
      i = end + 1;
      continue;
    }
    if ((c === '$' && text[i + 1] === '(') || c === '`') {
      const end = c === '`' ? indexOrEnd(text, '`', i + 1) : matchParen(text, i + 1);
      append(text.slice(i, end + 1), text.slice(i, end + 1));
      word!.substitution = true;
      i = end + 1;
      continue;
    }
    const heredoc = c === '<' ? /^<<(-?)[ \t]*(['"]?)([\w.-]+)\2/.exec(text.slice(i)) : null;
    if (heredoc && text[i + 2] !== '<') {
      flush();
      pendingHeredocs.push({ delimiter: heredoc[3]!, strip: heredoc[1] === '-', quoted: heredoc[2] !== '', index: tokens.length });
      tokens.push({ kind: 'heredoc', delimiter: heredoc[3]!, body: '', quoted: heredoc[2] !== '' });
      i += heredoc[0].length;
      continue;
    }
    const op = operators.find((o) => text.startsWith(o, i) && (!/^\d/.test(o) || !word));
    if (op) {
      flush();
      tokens.push({ kind: 'op', value: op });
      i += op.length;
      continue;
    }
    append(c, c);
    i++;
  }
  flush();
  return tokens;
}

function readHeredocBodies(text: string, start: number, pending: { delimiter: string; strip: boolean; index: number }[], tokens: ShellToken[]): number {
  let i = start;
  while (pending.length > 0 && i < text.length) {
    const { delimiter, strip, index } = pending[0]!;
    const lines: string[] = [];
    while (i < text.length) {
      const end = indexOrEnd(text, '\n', i);
      const line = text.slice(i, end);
      i = end + 1;
      const compared = strip ? line.replace(/^\t+/, '') : line;
      if (compared.trim() === delimiter) break;
      lines.push(strip ? compared : line);
    }
    (tokens[index] as { body: string }).body = lines.join('\n');
    pending.shift();
  }
  return i;
}

function indexOrEnd(text: string, needle: string, from: number): number {
  const at = text.indexOf(needle, from);
  return at < 0 ? text.length : at;
}

function ansiEnd(text: string, from: number): number {
  let i = from;
  while (i < text.length && text[i] !== "'") i += text[i] === '\\' ? 2 : 1;
  return Math.min(i, text.length);
}

function unescapeAnsi(body: string): string {
  const map: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"' };
  return body.replace(/\\(.)/g, (_, ch: string) => map[ch] ?? `\\${ch}`);
}

/** Reads a "…" string from `from` (after the quote): returns [value, index of closing quote, had $( ]. */
function readDoubleQuoted(text: string, from: number): [string, number, boolean] {
  let value = '';
  let substitution = false;
  let i = from;
  while (i < text.length && text[i] !== '"') {
    const c = text[i]!;
    if (c === '\\' && i + 1 < text.length) {
      const next = text[i + 1]!;
      if (next === '\n') i += 2;
      else {
        value += '$`"\\'.includes(next) ? next : c + next;
        i += 2;
      }
      continue;
    }
    if (c === '$' && text[i + 1] === '(') {
      const end = matchParen(text, i + 1);
      value += text.slice(i, end + 1);
      substitution = true;
      i = end + 1;
      continue;
    }
    if (c === '`') substitution = true;
    value += c;
    i++;
  }
  return [value, Math.min(i, text.length), substitution];
}

/** Index of the `)` matching the `(` at `open`, quotes respected; text.length when unbalanced. */
function matchParen(text: string, open: number): number {
  let depth = 0;
  let quote = '';
  for (let i = open; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = '';
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
  }
  return text.length;
}

/** One simple command of a pipeline or list, with what feeds it and where its output goes. */
export interface ShellSegment {
  words: string[];
  /** Words as written (quotes kept), to show and to find placeholders. */
  rawWords: string[];
  /** The operator before this segment ('' for the first). */
  joiner: string;
  redirects: { op: string; target: string }[];
  heredoc?: string;
  hereString?: string;
  substitution: boolean;
}

/** Splits tokens at |, ||, &&, ;, & into simple commands. */
export function segmentsOf(tokens: ShellToken[]): ShellSegment[] {
  const segments: ShellSegment[] = [];
  let current: ShellSegment = { words: [], rawWords: [], joiner: '', redirects: [], substitution: false };
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.kind === 'word') {
      current.words.push(token.value);
      current.rawWords.push(token.raw);
      if (token.substitution) current.substitution = true;
    } else if (token.kind === 'heredoc') {
      current.heredoc = token.body;
    } else if (['|', '||', '&&', ';', '&', ';;'].includes(token.value)) {
      if (current.words.length > 0 || current.redirects.length > 0) segments.push(current);
      current = { words: [], rawWords: [], joiner: token.value, redirects: [], substitution: false };
    } else {
      const next = tokens[i + 1];
      const takesTarget = !['2>&1', '>&2'].includes(token.value) && next?.kind === 'word';
      if (token.value === '<<<' && next?.kind === 'word') current.hereString = next.value;
      else current.redirects.push({ op: token.value, target: takesTarget ? (next as { value: string }).value : '' });
      if (takesTarget) i++;
    }
  }
  if (current.words.length > 0 || current.redirects.length > 0) segments.push(current);
  return segments;
}
