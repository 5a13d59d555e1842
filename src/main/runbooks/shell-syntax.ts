import { createRequire } from 'node:module';
import { readShellCommand, resetTokenCache, segmentsOf, tokenize } from './shell-lexer';

/**
 * The shell grammar: mvdan/sh (the parser behind shfmt), in its GopherJS build `mvdan-sh`.
 * Chosen over sh-syntax (its WASM build returns commands without their node types, and costs
 * ~3 ms a parse through JSON), tree-sitter-bash (native or WASM runtime) and bash-parser (3× slower,
 * no bash extensions): ~0.07 ms for a one-liner, synchronous, with heredocs, functions and `$(…)`.
 */
interface ShPos { Offset(): number; Line(): number }
interface ShNode { Pos(): ShPos; End(): ShPos; [field: string]: unknown }
interface ShParser { Parse(text: string, name: string): ShNode }
interface ShSyntax {
  NewParser(...options: unknown[]): ShParser;
  Walk(node: ShNode, visit: (node: ShNode | null) => boolean): void;
  NodeType(node: ShNode): string;
  Variant(lang: unknown): unknown;
  LangBash: unknown;
}

// Loaded on the first text the lexer cannot settle: the GopherJS build costs ~20 MB of resident
// memory, which an idle console (or a one-liner) should not pay for.
let grammar: { syntax: ShSyntax; parser: ShParser } | undefined;
function shGrammar(): { syntax: ShSyntax; parser: ShParser } {
  if (!grammar) {
    const { syntax } = createRequire(import.meta.url)('mvdan-sh') as { syntax: ShSyntax };
    grammar = { syntax, parser: syntax.NewParser(syntax.Variant(syntax.LangBash)) };
  }
  return grammar;
}
/** A node's Go type name ('CallExpr', 'Lit'…): nodes exist only once the grammar is loaded. */
const nodeType = (node: ShNode): string => shGrammar().syntax.NodeType(node);

/** Operator numbers of mvdan/sh's token table. */
const pipeOps = new Set([12, 13]);
const redirectOps: Record<number, string> = { 54: '>', 55: '>>', 56: '<', 57: '<>', 59: '>&', 60: '>|', 63: '<<<', 64: '&>', 65: '&>>', 58: '<&' };
const heredocOps = new Set([61, 62]);

/** One simple command found anywhere in the text: in a pipeline, a list, a loop, a `$(…)`. */
export interface ShellCall {
  argv: string[];
  redirects: { op: string; target: string }[];
  heredoc?: string;
  hereString?: string;
  /** Its standard input comes from a pipe. */
  piped: boolean;
  /** Inside a `$(…)`, backquotes or `<(…)`. */
  substituted: boolean;
}

/** What a text contains beyond a single command: a script is kept whole when it has any. */
export type ShellFeature = 'pipeline' | 'list' | 'loop' | 'conditional' | 'function' | 'heredoc' | 'assignment' | 'substitution' | 'subshell';

export interface ShellTree {
  calls: ShellCall[];
  /** Functions the text defines: calling one runs its body, which is judged where it is written. */
  functions?: string[];
  features: Set<ShellFeature>;
  /** Top-level statements, each with its 0-based first and last line. */
  statements: { line: number; endLine: number; text: string }[];
  /** Variables a `for NAME in …` or `select NAME in …` loop sets. */
  loopVariables?: string[];
}

export class ShellSyntaxError extends Error {}

const cache = new Map<string, ShellTree | ShellSyntaxError>();

/** Forgets earlier parses (called once per import, so each import pays for its own). */
export function resetShellCache(): void {
  cache.clear();
  resetTokenCache();
}

/** Parses a shell text; throws ShellSyntaxError (unterminated quote, heredoc…) with the parser's words. */
export function parseShell(text: string): ShellTree {
  let tree = cache.get(text);
  if (!tree) {
    try {
      tree = simpleCommand(text) ?? lexedLine(text) ?? (text.length > largeText ? parseInPieces(text) : parseWithGrammar(text));
    } catch (error) {
      if (!(error instanceof ShellSyntaxError)) throw error;
      tree = error;
    }
    // A step is judged, checked for a hop and for a script: one parse serves them all.
    if (cache.size > 5000) cache.clear();
    cache.set(text, tree);
  }
  if (tree instanceof ShellSyntaxError) throw tree;
  return tree;
}

/**
 * Most runbook commands are one program and its words: without operators, expansions or line
 * breaks the grammar has nothing to add, and walking its tree from JavaScript costs far more
 * than reading the words (the bench keeps the corpus under 2 s).
 */
function simpleCommand(text: string): ShellTree | undefined {
  if (/[|;&$`()<>\n\\{}*?[\]#!=]/.test(text)) return undefined;
  const words: string[] = [];
  let quote = '';
  let word: string | undefined;
  for (const c of text) {
    if (quote) {
      if (c === quote) quote = '';
      else word = (word ?? '') + c;
    } else if (c === "'" || c === '"') {
      quote = c;
      word ??= '';
    } else if (c === ' ' || c === '\t' || c === '\r') {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else word = (word ?? '') + c;
  }
  if (quote) return undefined;
  if (word !== undefined) words.push(word);
  if (words.length === 0) return undefined;
  const trimmed = text.trim();
  return { calls: [{ argv: words, redirects: [], piped: false, substituted: false }], features: new Set(), statements: [{ line: 0, endLine: 0, text: trimmed }] };
}

/**
 * One line of plain pipelines and lists (`a | xargs b && c > f`): the lexer reads it as the
 * grammar would. Substitutions, compound commands, heredocs and several lines go to the grammar.
 */
function lexedLine(text: string): ShellTree | undefined {
  const line = text.replace(/\\\r?\n/g, ' ');
  if (/[\n`(){}]|\$\(|<<|\b(for|while|until|if|case|select|function)\b/.test(line) || !quotesBalanced(line)) return undefined;
  const segments = segmentsOf(tokenize(line));
  if (segments.length === 0) return undefined;
  const tree: ShellTree = { calls: [], features: new Set(), statements: [] };
  for (const segment of segments) {
    if (segment.joiner === '|' || segment.joiner === '|&') tree.features.add('pipeline');
    else if (segment.joiner) tree.features.add('list');
    if (segment.words.every((w) => /^[A-Za-z_]\w*=/.test(w))) tree.features.add('assignment');
    tree.calls.push({ argv: segment.words, redirects: segment.redirects, piped: segment.joiner === '|', substituted: false, ...(segment.hereString !== undefined ? { hereString: segment.hereString } : {}) });
    if (segment.joiner !== '|') tree.statements.push({ line: 0, endLine: 0, text: segment.rawWords.join(' ') });
    else tree.statements.at(-1)!.text += ` | ${segment.rawWords.join(' ')}`;
  }
  return tree;
}

function quotesBalanced(line: string): boolean {
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote === "'") {
      if (c === "'") quote = '';
    } else if (c === '\\') i++;
    else if (quote === '"') {
      if (c === '"') quote = '';
    } else if (c === "'" || c === '"') quote = c;
  }
  return quote === '';
}

/** Past this size a text is parsed command by command: walking one huge tree costs seconds. */
const largeText = 32 * 1024;

/** A long script, read command by command (the lexer finds where each ends), each on the grammar. */
function parseInPieces(text: string): ShellTree {
  const lines = text.split('\n');
  const tree: ShellTree = { calls: [], features: new Set(), statements: [] };
  for (let start = 0; start < lines.length; ) {
    const end = Math.max(readShellCommand(lines, start), start + 1);
    const piece = lines.slice(start, end).join('\n');
    if (piece.trim() && !piece.trim().startsWith('#')) {
      const part = parseShell(piece);
      tree.calls.push(...part.calls);
      for (const feature of part.features) tree.features.add(feature);
      if (part.functions) (tree.functions ??= []).push(...part.functions);
      if (part.loopVariables) (tree.loopVariables ??= []).push(...part.loopVariables);
      tree.statements.push(...part.statements.map((s) => ({ ...s, line: s.line + start, endLine: s.endLine + start })));
    }
    start = end;
  }
  return tree;
}

function parseWithGrammar(text: string): ShellTree {
  let file: ShNode;
  try {
    file = shGrammar().parser.Parse(text, '');
  } catch (error) {
    const go = error as { Error?: () => string };
    throw new ShellSyntaxError(typeof go.Error === 'function' ? go.Error() : String(error));
  }
  // mvdan/sh counts offsets in UTF-8 bytes.
  const walker = new Walker(Buffer.from(text, 'utf8'), text);
  for (const stmt of (file.Stmts as ShNode[]) ?? []) {
    walker.tree.statements.push({ line: stmt.Pos().Line() - 1, endLine: stmt.End().Line() - 1, text: slice(walker.source, stmt) });
    walker.stmt(stmt, false, false);
  }
  walker.unreached(file);
  return walker.tree;
}

/** The fields of each compound command that hold statements. */
const clauseFields: Record<string, string[]> = {
  Block: ['Stmts'], Subshell: ['Stmts'], IfClause: ['Cond', 'Then'], WhileClause: ['Cond', 'Do'], ForClause: ['Do'], FuncDecl: ['Body'], TimeClause: ['Stmt'], CoprocClause: ['Stmt'],
};

const featureOf: Record<string, ShellFeature> = {
  ForClause: 'loop', WhileClause: 'loop', IfClause: 'conditional', CaseClause: 'conditional', FuncDecl: 'function', Subshell: 'subshell',
};

/**
 * Visits only what can hold a command (statements, clauses, `$(…)` in words): every field read
 * crosses from Go to JavaScript, so a full syntax.Walk costs several times the parse.
 */
class Walker {
  readonly tree: ShellTree = { calls: [], features: new Set(), statements: [] };
  /** Only a text with `$(`, backquotes or `<(` has commands inside its words. */
  private readonly substitutions: boolean;
  /** The substitutions visited, by offset. */
  private readonly visited = new Set<number>();
  private readonly redirections: boolean;
  private readonly assignments: boolean;
  constructor(readonly source: Buffer, text: string) {
    this.substitutions = /\$\(|`|[<>]\(/.test(text);
    this.redirections = /[<>]/.test(text);
    this.assignments = text.includes('=');
  }

  stmts(list: unknown, piped: boolean, substituted: boolean): void {
    for (const stmt of (list as ShNode[] | null) ?? []) this.stmt(stmt, piped, substituted);
  }

  stmt(stmt: ShNode, piped: boolean, substituted: boolean): void {
    // Every slice read is converted element by element: read Redirs only where a text has them.
    const redirs = this.redirections ? (stmt.Redirs as ShNode[]) : [];
    if (redirs.some((r) => heredocOps.has(r.Op as number))) this.tree.features.add('heredoc');
    for (const redirect of redirs) if (redirect.Word) this.word(redirect.Word as ShNode);
    const cmd = stmt.Cmd as ShNode | null;
    if (!cmd) return;
    const type = nodeType(cmd);
    const feature = featureOf[type];
    if (feature) this.tree.features.add(feature);
    if (type === 'CallExpr') return this.call(cmd, redirs, piped, substituted);
    if (type === 'BinaryCmd') {
      const pipe = pipeOps.has(cmd.Op as number);
      this.tree.features.add(pipe ? 'pipeline' : 'list');
      this.stmt(cmd.X as ShNode, piped, substituted);
      return this.stmt(cmd.Y as ShNode, pipe || piped, substituted);
    }
    if (type === 'DeclClause') {
      this.tree.features.add('assignment');
      return this.declaration(cmd, redirs, piped, substituted);
    }
    if (type === 'ForClause' && nodeType(cmd.Loop as ShNode) === 'WordIter')
      (this.tree.loopVariables ??= []).push(((cmd.Loop as ShNode).Name as { Value: string }).Value);
    if (type === 'FuncDecl') (this.tree.functions ??= []).push((cmd.Name as { Value: string }).Value);
    for (const field of clauseFields[type] ?? []) {
      const value = cmd[field];
      if (Array.isArray(value)) this.stmts(value, piped, substituted);
      else if (value) this.stmt(value as ShNode, piped, substituted);
    }
    if (type === 'IfClause' && cmd.Else) this.stmt({ Cmd: cmd.Else, Redirs: [] } as unknown as ShNode, piped, substituted);
    if (type === 'CaseClause') for (const item of cmd.Items as ShNode[]) this.stmts(item.Stmts, piped, substituted);
  }

  private call(cmd: ShNode, redirs: ShNode[], piped: boolean, substituted: boolean): void {
    const args = cmd.Args as ShNode[];
    const assigns = this.assignments ? (cmd.Assigns as ShNode[]) : [];
    if (args.length === 0 && assigns.length > 0) this.tree.features.add('assignment');
    for (const word of args) this.word(word);
    const assigned = assigns.map((a) => this.assignment(a));
    this.push({ argv: [...assigned, ...args.map((w) => wordText(w, this.source))], redirects: [], piped, substituted }, redirs);
  }

  /**
   * `export NAME=…`, `local -r NAME=$(…)`, `declare -x NAME`: a call like any other, so the judge
   * sees what it sets (as it does on the lexer's path), and the values' commands are visited.
   */
  private declaration(cmd: ShNode, redirs: ShNode[], piped: boolean, substituted: boolean): void {
    const variant = (cmd.Variant as { Value: string }).Value;
    const args = ((cmd.Args as ShNode[] | null) ?? []).map((a) => this.assignment(a));
    this.push({ argv: [variant, ...args], redirects: [], piped, substituted }, redirs);
  }

  /** `NAME=value` as the judge reads it (a flag or a bare name of a declaration as it is); its value's commands are visited. */
  private assignment(a: ShNode): string {
    const name = a.Name ? (a.Name as { Value: string }).Value : undefined;
    const value = a.Value as ShNode | null;
    if (value) this.word(value);
    if (a.Naked) return name ?? (value ? wordText(value, this.source) : '');
    if (a.Array) {
      for (const elem of ((a.Array as ShNode).Elems as ShNode[] | null) ?? []) if (elem.Value) this.word(elem.Value as ShNode);
      return `${name}=${slice(this.source, a.Array as ShNode)}`;
    }
    return `${name}=${value ? wordText(value, this.source) : ''}`;
  }

  private push(call: ShellCall, redirs: ShNode[]): void {
    for (const redirect of redirs) {
      const op = redirect.Op as number;
      if (heredocOps.has(op)) call.heredoc = redirect.Hdoc ? withoutDelimiter(slice(this.source, redirect.Hdoc as ShNode), wordText(redirect.Word as ShNode, this.source)) : '';
      else if (op === 63) call.hereString = wordText(redirect.Word as ShNode, this.source);
      else call.redirects.push({ op: redirectOps[op] ?? '>', target: redirect.Word ? wordText(redirect.Word as ShNode, this.source) : '' });
    }
    this.tree.calls.push(call);
  }

  /** Commands inside a word: `$(…)`, backquotes, `<(…)`, also within double quotes. */
  private word(word: ShNode): void {
    if (this.substitutions) this.parts(word.Parts as ShNode[]);
  }

  /**
   * Every `$(…)`, backquote and `<(…)` the visits above do not reach (a `for` list, a `case` word,
   * `[[ … ]]`, arithmetic, `${x:-…}`, an unquoted heredoc's body) is visited too: the targeted
   * visits are for speed, and a command they miss must not go unjudged.
   */
  unreached(file: ShNode): void {
    if (!this.substitutions) return;
    const found: ShNode[] = [];
    shGrammar().syntax.Walk(file, (node) => {
      if (node) {
        const type = nodeType(node);
        if (type === 'CmdSubst' || type === 'ProcSubst') found.push(node);
      }
      return true;
    });
    for (const node of found) if (!this.visited.has(node.Pos().Offset())) this.parts([node]);
  }

  private parts(parts: ShNode[]): void {
    for (const part of parts) {
      const type = nodeType(part);
      if (type === 'CmdSubst' || type === 'ProcSubst') {
        this.visited.add(part.Pos().Offset());
        this.tree.features.add('substitution');
        this.stmts(part.Stmts, false, true);
      } else if (type === 'DblQuoted') this.parts(part.Parts as ShNode[]);
    }
  }
}

/** The grammar's heredoc body ends with its delimiter line: the body is what comes before. */
function withoutDelimiter(body: string, delimiter: string): string {
  const lines = body.split('\n');
  return lines.at(-1)?.trim() === delimiter ? lines.slice(0, -1).join('\n') : body;
}

/** A word with its quotes removed; expansions (`$X`, `$(…)`) stay as written. */
function wordText(word: ShNode, text: Buffer): string {
  // Lit() answers a plain word in one call, without converting its parts.
  const lit = (word as unknown as { Lit(): string }).Lit();
  if (lit && !lit.includes('\\')) return lit;
  return (word.Parts as ShNode[]).map((part) => partText(part, text)).join('');
}

function partText(part: ShNode, text: Buffer): string {
  const type = nodeType(part);
  if (type === 'Lit') return (part.Value as string).replace(/\\(.)/gs, (_, c: string) => (c === '\n' ? '' : c));
  if (type === 'SglQuoted') return part.Value as string;
  if (type === 'DblQuoted') return (part.Parts as ShNode[]).map((p) => (nodeType(p) === 'Lit' ? (p.Value as string).replace(/\\([$`"\\\n])/g, '$1') : partText(p, text))).join('');
  return slice(text, part);
}

function slice(source: Buffer, node: ShNode): string {
  return source.subarray(node.Pos().Offset(), node.End().Offset()).toString('utf8');
}
