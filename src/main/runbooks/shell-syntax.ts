import { createRequire } from 'node:module';

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

const { syntax } = createRequire(import.meta.url)('mvdan-sh') as { syntax: ShSyntax };
const parser = syntax.NewParser(syntax.Variant(syntax.LangBash));

/** Operator numbers of mvdan/sh's token table. */
const pipeOps = new Set([12, 13]);
const redirectOps: Record<number, string> = { 54: '>', 55: '>>', 56: '<', 57: '<>', 59: '>&', 60: '>|', 63: '<<<', 64: '&>', 65: '&>>', 58: '<&' };
const heredocOps = new Set([61, 62]);

/** One simple command found anywhere in the text: in a pipeline, a list, a loop, a `$(…)`. */
export interface ShellCall {
  argv: string[];
  /** The command as written in the source. */
  text: string;
  /** 0-based line inside the parsed text. */
  line: number;
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
  features: Set<ShellFeature>;
  /** Top-level statements, each with its 0-based first and last line. */
  statements: { line: number; endLine: number; text: string }[];
}

export class ShellSyntaxError extends Error {}

/** Parses a shell text; throws ShellSyntaxError (unterminated quote, heredoc…) with the parser's words. */
export function parseShell(text: string): ShellTree {
  let file: ShNode;
  try {
    file = parser.Parse(text, '');
  } catch (error) {
    const go = error as { Error?: () => string };
    throw new ShellSyntaxError(typeof go.Error === 'function' ? go.Error() : String(error));
  }
  // mvdan/sh counts offsets in UTF-8 bytes.
  const source = Buffer.from(text, 'utf8');
  const tree: ShellTree = { calls: [], features: new Set(), statements: [] };
  for (const stmt of (file.Stmts as ShNode[]) ?? []) {
    tree.statements.push({ line: stmt.Pos().Line() - 1, endLine: stmt.End().Line() - 1, text: slice(source, stmt) });
  }
  collect(file, source, tree, { piped: new Set(), substituted: new Set() });
  return tree;
}

interface Marks {
  piped: Set<ShNode>;
  substituted: Set<ShNode>;
}

const featureOf: Record<string, ShellFeature> = {
  ForClause: 'loop', WhileClause: 'loop', IfClause: 'conditional', CaseClause: 'conditional', FuncDecl: 'function', Subshell: 'subshell', CmdSubst: 'substitution', ProcSubst: 'substitution',
};

function collect(root: ShNode, text: Buffer, tree: ShellTree, marks: Marks): void {
  const substitutionDepth: ShNode[] = [];
  syntax.Walk(root, (node) => {
    if (!node) return true;
    const type = syntax.NodeType(node);
    const feature = featureOf[type];
    if (feature) tree.features.add(feature);
    if (type === 'CmdSubst' || type === 'ProcSubst') substitutionDepth.push(node);
    if (type === 'BinaryCmd') {
      tree.features.add(pipeOps.has(node.Op as number) ? 'pipeline' : 'list');
      if (pipeOps.has(node.Op as number)) markStatements(node.Y as ShNode, marks.piped);
    }
    if (type === 'Stmt') {
      if (substitutionDepth.some((s) => within(node, s))) marks.substituted.add(node);
      const call = node.Cmd ? callOf(node, text, marks) : undefined;
      if (call) tree.calls.push(call);
      if ((node.Redirs as ShNode[]).some((r) => heredocOps.has(r.Op as number))) tree.features.add('heredoc');
    }
    if (type === 'CallExpr' && (node.Args as ShNode[]).length === 0 && (node.Assigns as ShNode[]).length > 0) tree.features.add('assignment');
    if (type === 'DeclClause') tree.features.add('assignment');
    return true;
  });
}

function markStatements(node: ShNode, into: Set<ShNode>): void {
  syntax.Walk(node, (n) => {
    if (n && syntax.NodeType(n) === 'Stmt') into.add(n);
    return true;
  });
}

function within(inner: ShNode, outer: ShNode): boolean {
  return inner.Pos().Offset() >= outer.Pos().Offset() && inner.End().Offset() <= outer.End().Offset();
}

function callOf(stmt: ShNode, text: Buffer, marks: Marks): ShellCall | undefined {
  const cmd = stmt.Cmd as ShNode;
  if (syntax.NodeType(cmd) !== 'CallExpr') return undefined;
  const argv = (cmd.Args as ShNode[]).map((word) => wordText(word, text));
  const assigns = (cmd.Assigns as ShNode[]).map((a) => `${(a.Name as { Value: string }).Value}=${a.Value ? wordText(a.Value as ShNode, text) : ''}`);
  const call: ShellCall = {
    argv: [...assigns, ...argv], text: slice(text, stmt).replace(/;\s*$/, ''), line: stmt.Pos().Line() - 1, redirects: [],
    piped: marks.piped.has(stmt), substituted: marks.substituted.has(stmt),
  };
  for (const redirect of stmt.Redirs as ShNode[]) {
    const op = redirect.Op as number;
    if (heredocOps.has(op)) call.heredoc = redirect.Hdoc ? slice(text, redirect.Hdoc as ShNode) : '';
    else if (op === 63) call.hereString = wordText(redirect.Word as ShNode, text);
    else call.redirects.push({ op: redirectOps[op] ?? '>', target: redirect.Word ? wordText(redirect.Word as ShNode, text) : '' });
  }
  return call;
}

/** A word with its quotes removed; expansions (`$X`, `$(…)`) stay as written. */
function wordText(word: ShNode, text: Buffer): string {
  return (word.Parts as ShNode[]).map((part) => partText(part, text)).join('');
}

function partText(part: ShNode, text: Buffer): string {
  const type = syntax.NodeType(part);
  if (type === 'Lit') return (part.Value as string).replace(/\\(.)/gs, (_, c: string) => (c === '\n' ? '' : c));
  if (type === 'SglQuoted') return part.Value as string;
  if (type === 'DblQuoted') return (part.Parts as ShNode[]).map((p) => (syntax.NodeType(p) === 'Lit' ? (p.Value as string).replace(/\\([$`"\\\n])/g, '$1') : partText(p, text))).join('');
  return slice(text, part);
}

function slice(source: Buffer, node: ShNode): string {
  return source.subarray(node.Pos().Offset(), node.End().Offset()).toString('utf8');
}
