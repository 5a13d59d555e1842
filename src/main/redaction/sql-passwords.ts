import { parseSync, scanSync } from 'libpg-query';
import { isSqlParserLoaded } from '../sql/split';
import { SourceText } from '../sql/source-text';
import { redactedMark } from './mark';

/** What masking found: the text with the secrets replaced, and the secrets (to mask elsewhere too). */
export interface Masked<T> {
  value: T;
  secrets: string[];
}

interface Token {
  start: number;
  end: number;
  text: string;
  tokenName: string;
}

/** A password option's value in a conninfo string or URI (`password=x`, `password='x y'`, `user:x@`). */
const conninfoPassword = /(\bpassword\s*=\s*)('(?:\\.|[^'\\])*'|[^\s']+)|(:\/\/[^:/@\s]*:)([^@\s]+)(@)/gi;

/**
 * Masks the passwords a SQL text carries, found by the real Postgres parser: the value of every
 * `password` option (CREATE/ALTER ROLE/USER, USER MAPPING, in every spelling the scanner accepts:
 * 'x', E'x', $$x$$, U&'x', with comments between) and the password of every conninfo literal
 * (`dblink_connect('… password=…')`). Text that does not parse is masked from the scanner's tokens
 * (a string after the PASSWORD keyword, a conninfo string), so a broken statement leaks no more.
 */
export function maskSqlPasswords(sql: string): Masked<string> {
  if (!sql || !/password|:\/\/[^@\s]*@/i.test(sql)) return { value: sql, secrets: [] };
  if (!isSqlParserLoaded()) return maskWithoutParser(sql);
  let tokens: Token[];
  try {
    tokens = (scanSync(sql) as { tokens: Token[] }).tokens.filter(
      (t) => t.tokenName !== 'C_COMMENT' && t.tokenName !== 'SQL_COMMENT',
    );
  } catch {
    return maskWithoutParser(sql);
  }
  // Conninfo strings also sit outside expressions (CREATE SUBSCRIPTION … CONNECTION '…'): every string token is checked too.
  const conninfo = tokens
    .filter((t) => isString(t) && hasConninfoPassword(t.text))
    .map((t): Target => ({ kind: 'conninfo', at: t.start }));
  const targets = [...(parsedTargets(sql) ?? scannedTargets(tokens)), ...conninfo];
  return applyMasks(sql, tokens, targets);
}

/**
 * What to mask, by byte offset: `option` = the string token after a password option, `conninfo` = a
 * string literal holding a conninfo password, `glued` = PASSWORD$$x$$ scanned as one identifier.
 */
type Target = { kind: 'option' | 'conninfo' | 'glued'; at: number };

function parsedTargets(sql: string): Target[] | undefined {
  let tree: unknown;
  try {
    tree = parseSync(sql);
  } catch {
    return undefined;
  }
  const targets: Target[] = [];
  walk(tree, (key, node) => {
    // PASSWORD NULL has no string to mask (and the next string of the text is not its value).
    const literal = (node.arg as { String?: unknown } | undefined)?.String !== undefined;
    if (key === 'DefElem' && /^password$/i.test(String(node.defname)) && literal && typeof node.location === 'number')
      targets.push({ kind: 'option', at: node.location });
    if (key === 'A_Const' && typeof node.location === 'number' && hasConninfoPassword(stringOf(node.sval) ?? ''))
      targets.push({ kind: 'conninfo', at: node.location });
  });
  return targets;
}

function scannedTargets(tokens: Token[]): Target[] {
  const targets: Target[] = [];
  tokens.forEach((token, i) => {
    if (/^password$/i.test(token.text) && isString(tokens[i + 1])) targets.push({ kind: 'option', at: token.start });
    // PASSWORD$$x$$ scans as one identifier (`$` continues a name): the parser rejects it, mask it anyway.
    if (/^password\$/i.test(token.text)) targets.push({ kind: 'glued', at: token.start });
  });
  return targets;
}

function applyMasks(sql: string, tokens: Token[], targets: Target[]): Masked<string> {
  const source = new SourceText(sql);
  const edits = new Map<number, { end: number; text: string }>();
  const secrets: string[] = [];
  for (const target of targets) {
    const token =
      target.kind === 'option'
        ? tokens.find((t) => t.start > target.at && isString(t))
        : tokens.find((t) => t.start === target.at);
    if (!token || edits.has(token.start)) continue;
    const glued =
      target.kind === 'glued'
        ? sql.slice(source.indexOfByte(token.start)).match(/^password(\$[A-Za-z_]*\$)[\s\S]*?\1/i)
        : undefined;
    const end = glued ? token.start + Buffer.byteLength(glued[0]) : token.end;
    const original = sql.slice(source.indexOfByte(token.start), source.indexOfByte(end));
    if (target.kind === 'conninfo') {
      const conninfo = maskConninfo(decodeLiteral(original));
      secrets.push(...conninfo.secrets);
      edits.set(token.start, { end: token.end, text: `'${conninfo.value.replace(/'/g, "''")}'` });
    } else {
      secrets.push(...secretsOf(original));
      edits.set(token.start, {
        end,
        text: target.kind === 'glued' ? `PASSWORD '${redactedMark}'` : `'${redactedMark}'`,
      });
    }
  }
  let out = sql;
  for (const [start, edit] of [...edits].sort((a, b) => b[0] - a[0]))
    out = out.slice(0, source.indexOfByte(start)) + edit.text + out.slice(source.indexOfByte(edit.end));
  return { value: out, secrets };
}

/** A string literal's value: quotes removed, '' undone (E'' escapes are kept as written). */
function decodeLiteral(literal: string): string {
  return literal
    .replace(/^(?:[eE]|[uU]&)?'([\s\S]*)'$/, '$1')
    .replace(/^\$([A-Za-z_]*)\$([\s\S]*)\$\1\$$/, '$2')
    .replace(/''/g, "'");
}

/** The password itself, as written and decoded from its quoting. */
function secretsOf(literal: string): string[] {
  const body = decodeLiteral(literal.replace(/^password\$+/i, '$$$$'));
  return [literal, body];
}

/** Passwords in conninfo options and URIs (`password=x`, `redis://user:x@host`) masked, anywhere in a text. */
export function maskConninfo(text: string): Masked<string> {
  const secrets: string[] = [];
  const value = text.replace(
    conninfoPassword,
    (_m, lead?: string, pw?: string, scheme?: string, uriPw?: string, at?: string) => {
      secrets.push((pw ?? uriPw ?? '').replace(/^'|'$/g, ''));
      return lead !== undefined ? `${lead}${redactedMark}` : `${scheme}${redactedMark}${at}`;
    },
  );
  return { value, secrets };
}

/** Without the parser (not loaded yet): PASSWORD followed by any quoting, and conninfo passwords. */
function maskWithoutParser(sql: string): Masked<string> {
  const secrets: string[] = [];
  const option =
    /(\bpassword)(\s*(?:\/\*[\s\S]*?\*\/\s*)*)((?:[eE]|[uU]&)?'(?:[^']|'')*'|\$([A-Za-z_]*)\$[\s\S]*?\$\4\$)/gi;
  const masked = sql.replace(option, (_m, word: string, gap: string, literal: string) => {
    secrets.push(...secretsOf(literal));
    return `${word}${gap || ' '}'${redactedMark}'`;
  });
  const conninfo = maskConninfo(masked);
  return { value: conninfo.value, secrets: [...secrets, ...conninfo.secrets] };
}

function hasConninfoPassword(text: string): boolean {
  conninfoPassword.lastIndex = 0;
  const found = conninfoPassword.test(text);
  conninfoPassword.lastIndex = 0;
  return found;
}

function isString(token: Token | undefined): boolean {
  return token?.tokenName === 'SCONST' || token?.tokenName === 'USCONST';
}

function stringOf(value: unknown): string | undefined {
  const sval = (value as { sval?: unknown } | undefined)?.sval;
  return typeof sval === 'string' ? sval : undefined;
}

function walk(value: unknown, visit: (key: string, node: Record<string, unknown>) => void): void {
  if (Array.isArray(value)) for (const item of value) walk(item, visit);
  else if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if (child && typeof child === 'object' && !Array.isArray(child)) visit(key, child as Record<string, unknown>);
      walk(child, visit);
    }
  }
}
