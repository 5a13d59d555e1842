import { loadModule, parseSync, scanSync, type SqlError } from 'libpg-query';
import { mayEndInComment, skipTrivia, SourceText, trimEndSpace } from './source-text';

/** A parse-tree node as libpg-query returns it: `{ TypeName: { …fields } }`. */
export type PgNode = Record<string, unknown>;

/** One statement of a text, located by UTF-16 indices, with its parse tree or the parser's error. */
export interface SplitStatement {
  start: number;
  end: number;
  /** The statement node (`{ SelectStmt: … }`), absent when the statement does not parse. */
  node?: PgNode;
  /** The parser's message and the UTF-16 index in the whole input it points at. */
  error?: { message: string; position: number };
}

let loaded = false;

/** Loads the parser's WebAssembly module once; every sync function here needs it first. */
export async function loadSqlParser(): Promise<void> {
  if (loaded) return;
  await loadModule();
  loaded = true;
}

export function isSqlParserLoaded(): boolean {
  return loaded;
}

/**
 * Splits a text into statements with the real Postgres parser. When the text does not parse as a
 * whole, it is cut at the scanner's top-level `;` tokens and each piece is parsed on its own, so
 * the good statements keep their classification and the bad ones carry the parser's error.
 */
export function splitSql(text: string): SplitStatement[] {
  if (skipTrivia(text, 0) === text.length) return [];
  // The parser stops at a NUL as C strings do, so whatever follows would go unseen.
  const nul = text.indexOf('\u0000');
  if (nul >= 0) {
    const [start, end] = trimStatement(text, 0, text.length);
    return [
      {
        start,
        end,
        error: { message: 'The text contains a NUL byte, which Postgres never accepts in a query.', position: nul },
      },
    ];
  }
  try {
    return parsedStatements(text, 0);
  } catch (error) {
    const pieces = text.includes(';') ? piecesAtSemicolons(text) : undefined;
    if (!pieces || pieces.length === 1) return [errorStatement(text, 0, error)];
    const statements: SplitStatement[] = [];
    for (const [from, to] of pieces) {
      const piece = text.slice(from, to);
      if (skipTrivia(piece, 0) === piece.length) continue;
      try {
        statements.push(...parsedStatements(piece, from));
      } catch (pieceError) {
        statements.push(errorStatement(piece, from, pieceError));
      }
    }
    return statements;
  }
}

function parsedStatements(text: string, offset: number): SplitStatement[] {
  const tree = parseSync(text) as { stmts?: { stmt: PgNode; stmt_location?: number; stmt_len?: number }[] };
  const source = new SourceText(text);
  return (tree.stmts ?? []).map((raw) => {
    const byteStart = raw.stmt_location ?? 0;
    const byteEnd = raw.stmt_len ? byteStart + raw.stmt_len : source.byteLength;
    const [start, end] = trimStatement(text, source.indexOfByte(byteStart), source.indexOfByte(byteEnd));
    return { start: start + offset, end: end + offset, node: raw.stmt };
  });
}

function errorStatement(piece: string, offset: number, error: unknown): SplitStatement {
  const details = (error as SqlError).sqlDetails;
  const message = details?.message ?? (error instanceof Error ? error.message : String(error));
  const [start, end] = trimStatement(piece, 0, piece.length);
  const position = details ? new SourceText(piece).indexOfCodePoint(details.cursorPosition) : start;
  return { start: start + offset, end: end + offset, error: { message, position: position + offset } };
}

/** Narrows [start, end) to the statement proper: no surrounding whitespace, comments or `;`. */
function trimStatement(text: string, rawStart: number, rawEnd: number): [number, number] {
  const start = skipTrivia(text, rawStart, rawEnd);
  let end = rawEnd;
  for (;;) {
    const before = end;
    end = trimEndSpace(text, start, end);
    if (end > start && text.charCodeAt(end - 1) === 59 /* ; */) end--;
    if (end > start && mayEndInComment(text, start, end)) end = start + lastTokenEnd(text.slice(start, end));
    if (end === before) return [start, end];
  }
}

/** UTF-16 end of the last token that is not a comment or `;` (the scanner knows strings from comments). */
function lastTokenEnd(piece: string): number {
  let tokens;
  try {
    tokens = scanSync(piece).tokens;
  } catch {
    return piece.length;
  }
  for (let i = tokens.length - 1; i >= 0; i--) {
    const token = tokens[i]!;
    if (token.tokenName !== 'SQL_COMMENT' && token.tokenName !== 'C_COMMENT' && token.text !== ';') {
      return new SourceText(piece).indexOfByte(token.end);
    }
  }
  return 0;
}

/**
 * [from, to) UTF-16 ranges between top-level `;` tokens, or undefined when the text does not even
 * scan. Like psql, it does not cut inside a `BEGIN ATOMIC … END` function body (where CASE … END
 * also nests).
 */
function piecesAtSemicolons(text: string): [number, number][] | undefined {
  let tokens;
  try {
    tokens = scanSync(text).tokens;
  } catch {
    return undefined;
  }
  const source = new SourceText(text);
  const pieces: [number, number][] = [];
  let from = 0;
  let atomic = 0;
  let cases = 0;
  tokens.forEach((token, i) => {
    const word = token.text.toUpperCase();
    if (word === 'BEGIN' && tokens[i + 1]?.text.toUpperCase() === 'ATOMIC') atomic++;
    else if (atomic > 0 && word === 'CASE') cases++;
    else if (atomic > 0 && word === 'END') {
      if (cases > 0) cases--;
      else atomic--;
    }
    if (token.text !== ';' || atomic > 0) return;
    const at = source.indexOfByte(token.start);
    pieces.push([from, at]);
    from = at + 1;
  });
  pieces.push([from, text.length]);
  return pieces;
}
