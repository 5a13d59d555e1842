import { compareRisk, worstRisk } from '../../shared/risk';
import type { Risk, RunbookStatement } from '../../shared/runbook';
import { readClient } from './clients';
import { codeVariableReadInto, codeVariableSet, prefixAssignmentRisk, shellSetRisk } from './code-settings';
import { longOption, prefixFormRisk } from './read-forms';
import { innerCommand, posixShells, stdinCodeReader } from '../../shared/command-wrappers';
import { programName } from './shell-command';
import { redisRisk } from './redis-risk';
import type { ShellSegment } from './shell-lexer';
import { segmentRisk, writesFile } from './shell-risk';
import { parseShell, type ShellTree } from './shell-syntax';
import { interactiveShell, leavesOf, type ShellLeaf } from './shell-wrappers';

/** The verdict on one command found in a shell text, named as the operator will recognise it. */
export interface CommandVerdict extends RunbookStatement {
  via: string[];
}

export interface ShellJudgement {
  risk: Risk;
  /** Reasons of the worst commands first, each naming its command. */
  reasons: string[];
  commands: CommandVerdict[];
  /** SQL given to psql (-c, heredoc, here-string) anywhere in the text: the SQL classifier judges it. */
  sql: string[];
  tree: ShellTree;
}

/**
 * Judges a shell text as a whole on the real shell grammar: every command of every pipeline,
 * list, loop, `$(…)`, `sh -c` string and wrapper (sudo, xargs, find -exec, kubectl exec --…)
 * is classified; the text is as risky as its worst command. Throws ShellSyntaxError.
 */
export function judgeShell(text: string): ShellJudgement {
  const tree = parseShell(text);
  const sql: string[] = [];
  const defined = new Set(tree.functions ?? []);
  const commands = tree.calls
    .flatMap((call) => leavesOf(call))
    .filter((leaf) => !defined.has(leaf.argv[0] ?? ''))
    .map((leaf) => judgeLeaf(leaf, sql));
  for (const name of tree.loopVariables ?? []) {
    const loop = shellSetRisk(name, 'the loop');
    if (loop) commands.push({ text: `for ${name} in …`, via: [], ...loop });
  }
  // `: ${PROMPT_COMMAND:=…}` assigns as it expands (read as written, so a quoted one asks too).
  for (const [, name = ''] of text.matchAll(/\$\{([A-Za-z_]\w*)(?:\[[^\]]*\])?:?=/g)) {
    const expansion = shellSetRisk(name, `\${${name}:=…}`);
    if (expansion) commands.push({ text: `\${${name}:=…}`, via: [], ...expansion });
  }
  // `${x@P}` expands x's value as a prompt string, which runs any `$(…)` or backquote held in it:
  // what it runs is in a value the text does not show (a literal in single quotes asks too).
  for (const expansion of new Set(Array.from(text.matchAll(promptExpansion), (m) => m[0]))) {
    commands.push({
      text: expansion,
      via: [],
      risk: 'unknown',
      reasons: ['expands a value as a prompt, which runs any $(…) held in it: the console cannot tell what it runs'],
    });
  }
  const risk = commands.length > 0 ? worstRisk(commands.map((c) => c.risk)) : 'read';
  const ranked = [...commands].sort((a, b) => compareRisk(b.risk, a.risk));
  const reasons = ranked.filter((c) => c.risk !== 'read').flatMap((c) => c.reasons.map((r) => `${c.text}: ${r}`));
  return { risk, reasons: [...new Set(reasons)], commands, sql, tree };
}

/** `${NAME@P}`, `${list[i]@P}`, `${!ref@P}`, `${@@P}`: bash's prompt expansion of a parameter. */
const promptExpansion = /\$\{!?(?:[A-Za-z_]\w*(?:\[[^\]]*\])?|[@*]|\d+)@P\}/g;

/** Builtins that only change the shell's own state (options, variables, positional arguments). */
const shellBuiltins = new Set(['set', 'shopt', 'local', 'declare', 'typeset', 'readonly', 'shift', 'return', 'break', 'continue', 'unset', 'trap', 'wait', 'getopts', 'mapfile', 'readarray', ':']);

/** Builtins that set variables from `NAME=value` arguments. */
const declaringBuiltins = new Set(['export', 'local', 'declare', 'typeset', 'readonly']);

/** A command and what its redirections do: one that opens a file for writing is at least a write, whatever the command. */
function judgeLeaf(leaf: ShellLeaf, sql: string[]): CommandVerdict {
  const verdict = judgeCommand(leaf, sql);
  const written = leaf.call.redirects.find(writesFile);
  if (!written || compareRisk(verdict.risk, 'write') >= 0) return verdict;
  return { ...verdict, risk: 'write', reasons: [...verdict.reasons, `writes to ${written.target}`] };
}

function judgeCommand(leaf: ShellLeaf, sql: string[]): CommandVerdict {
  const text = display(leaf);
  if (leaf.unparsed !== undefined) return { text, via: leaf.via, risk: 'unknown', reasons: ['the command string does not parse as shell: the console cannot tell what it runs'] };
  // The first word after the assignments before it (`IFS= read -r line`): -1 for a bare assignment.
  const command = leaf.argv.findIndex((w) => !/^[A-Za-z_]\w*=/.test(w));
  const assigned = prefixAssignmentRisk(leaf.argv);
  if (assigned) {
    const inner = command < 0 ? undefined : judgeLeaf({ ...leaf, argv: leaf.argv.slice(command) }, sql);
    const worse = inner && compareRisk(inner.risk, assigned.risk) > 0;
    return { text, via: leaf.via, risk: worse ? inner.risk : assigned.risk, reasons: [...assigned.reasons, ...(inner?.reasons ?? [])] };
  }
  // The assignments left are harmless: what follows them is judged.
  const argv = command > 0 ? leaf.argv.slice(command) : leaf.argv;
  const exported = declaringBuiltins.has(argv[0] ?? '') ? codeVariableSet(argv) : codeVariableReadInto(argv);
  if (exported) return { text, via: leaf.via, risk: 'unknown', reasons: [`setting ${exported} changes what later commands run: the console cannot tell what it runs`] };
  const prefixForm = prefixFormRisk(argv);
  if (prefixForm) return { text, via: leaf.via, ...prefixForm };
  const segment: ShellSegment = {
    words: leaf.argv, rawWords: leaf.argv, joiner: leaf.call.piped || leaf.via.includes('xargs') ? '|' : '', redirects: leaf.call.redirects,
    substitution: leaf.call.substituted, ...(leaf.call.heredoc !== undefined ? { heredoc: leaf.call.heredoc } : {}), ...(leaf.call.hereString !== undefined ? { hereString: leaf.call.hereString } : {}),
  };
  const fed = codeFedOnStdin(leaf);
  if (fed) return { text, via: leaf.via, ...fed };
  if (interactiveShell(argv) || shellBuiltins.has(argv[0] ?? '')) return { text, via: leaf.via, risk: 'read', reasons: [] };
  const client = readClient(segment);
  // Opening psql's or redis-cli's prompt changes nothing: what is typed there is judged where it is written.
  if (client?.kind === 'psql-repl' || client?.kind === 'redis-repl') return { text, via: leaf.via, risk: 'read', reasons: [] };
  if (client?.kind === 'psql') {
    sql.push(...client.sql);
    return { text, via: leaf.via, risk: 'read', reasons: [] };
  }
  if (client?.kind === 'redis' && client.commands.length > 0) {
    const verdicts = client.commands.map(redisRisk);
    return { text, via: leaf.via, risk: worstRisk(verdicts.map((v) => v.risk)), reasons: verdicts.flatMap((v) => v.reasons) };
  }
  if (client?.kind === 'http') return { text, via: leaf.via, ...worse(httpRisk(client.request.method), curlFiles(leaf.argv)) };
  if (programName(leaf.argv) === 'wget') return { text, via: leaf.via, ...worse(httpRisk(wgetMethod(leaf.argv)), wgetFiles(leaf.argv)) };
  const own = segmentRisk(segment);
  return { text, via: leaf.via, risk: own.risk, reasons: own.reasons };
}

/**
 * A shell, an interpreter, su or `sudo -s` reading its code from stdin (`curl … | bash`,
 * `sh < script`, `bash <<EOF`) runs whatever arrives there: a here-document or here-string given
 * to a shell is judged as the script it is; code from a pipe or a file the console cannot see is
 * unknown, never a read. SQL and Redis clients keep their own rules (a piped psql is a restore).
 */
function codeFedOnStdin(leaf: ShellLeaf): Pick<RunbookStatement, 'risk' | 'reasons'> | undefined {
  const reader = stdinCodeReader(leaf.argv);
  if (!reader || /^(?:psql|gitlab-psql|mysql|mariadb|sqlite3|redis-cli)$/.test(programName(innerCommand(leaf.argv).argv))) return undefined;
  const script = leaf.call.heredoc ?? leaf.call.hereString;
  const program = programName(innerCommand(leaf.argv).argv);
  if (script !== undefined && (posixShells.has(program) || program === '' || program === 'su')) {
    try {
      const judged = judgeShell(script);
      return { risk: judged.risk, reasons: judged.reasons.map((r) => `${reader} runs ${r}`) };
    } catch {
      return { risk: 'unknown', reasons: [`${reader} runs a here-document that does not parse as shell`] };
    }
  }
  const from = leaf.call.redirects.find((r) => r.op === '<');
  const source = leaf.call.piped ? 'a pipe' : from ? `the file ${from.target}` : script !== undefined ? 'a here-document' : undefined;
  if (!source) return undefined;
  return { risk: 'unknown', reasons: [`${reader} runs the code it reads from ${source}, which the console cannot see`] };
}

/** curl and wget are judged by their HTTP method. */
export function httpRisk(method: string): Pick<RunbookStatement, 'risk' | 'reasons'> {
  if (['GET', 'HEAD', 'OPTIONS'].includes(method)) return { risk: 'read', reasons: [] };
  if (method === 'DELETE') return { risk: 'dangerous', reasons: ['HTTP DELETE removes a resource'] };
  return { risk: 'write', reasons: [`HTTP ${method} changes state on the server`] };
}

type Verdict = Pick<RunbookStatement, 'risk' | 'reasons'>;

function worse(a: Verdict, b: Verdict | undefined): Verdict {
  return b && compareRisk(b.risk, a.risk) > 0 ? b : a;
}

/** curl -o/-O/-D/-c/--trace write files; -K reads options (and URLs) from a file the console cannot see. */
function curlFiles(argv: string[]): Verdict | undefined {
  const args = argv.slice(1).filter((w) => w.startsWith('-'));
  if (args.some((w) => w === '-K' || longOption(w, ['--config']) || (/^-[a-zA-Z]+$/.test(w) && w.includes('K')))) return { risk: 'unknown', reasons: ['curl -K reads its options from a file the console cannot see'] };
  const writes = args.some(
    (w) =>
      longOption(w, ['--output', '--remote-name', '--remote-name-all', '--dump-header', '--cookie-jar', '--trace', '--trace-ascii', '--output-dir', '--etag-save', '--hsts', '--alt-svc', '--libcurl', '--stderr']) ||
      (/^-[a-zA-Z]+$/.test(w) && /[oODc]/.test(w)),
  );
  return writes ? { risk: 'write', reasons: ['curl -o/-O/-D/-c writes a file'] } : undefined;
}

/** wget saves what it fetches unless told to print it (-O -) or only check it (--spider). */
function wgetFiles(argv: string[]): Verdict | undefined {
  const args = argv.slice(1);
  if (args.some((w) => w === '-e' || longOption(w, ['--execute', '--config']))) return { risk: 'unknown', reasons: ['wget -e/--config runs settings the console cannot judge'] };
  const logs = args.some((w, i) => /^-[a-zA-Z]*[oa]$/.test(w) || /^--(output-file|append-output)/.test(w) || (/^-[a-zA-Z]*[oa]./.test(w) && !/^-[a-zA-Z]*O/.test(w) && args[i] !== undefined));
  const printed = args.some((w, i) => ((w === '-O' || /^-[a-zA-Z]*O$/.test(w)) && args[i + 1] === '-') || /^-[a-zA-Z]*O-$/.test(w) || w === '--output-document=-' || w === '--spider');
  if (printed && !logs) return undefined;
  return { risk: 'write', reasons: ['wget saves a file (only -O - and --spider print or check)'] };
}

function wgetMethod(argv: string[]): string {
  const method = argv.find((w) => w.startsWith('--method='));
  if (method) return method.slice('--method='.length).toUpperCase();
  return argv.some((w) => /^--(post|body)-(data|file)/.test(w)) ? 'POST' : 'GET';
}

/** `xargs → redis-cli -n 2 unlink`: the command with the wrappers it runs through. */
function display(leaf: ShellLeaf): string {
  const words = leaf.unparsed !== undefined ? [leaf.unparsed] : leaf.argv.map((w) => (/^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`));
  const command = words.join(' ').replace(/\s+/g, ' ');
  const shown = command.length > 80 ? `${command.slice(0, 77)}…` : command;
  return leaf.via.length > 0 ? `${leaf.via.join(' → ')} → ${shown}` : shown;
}
