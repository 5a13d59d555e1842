import type { RunbookStatement, StepConnection } from '../../shared/runbook';
import { readClient, type ClientCommand } from './clients';
import { redisRisk } from './redis-risk';
import { onlyFiltered, outputNotes, programName, startsWithProgram, unwrap } from './shell-command';
import { httpRisk } from './shell-judge';
import { shellStep } from './shell-step';
import { attachOutput, mixedOutputNote, mysqlPrompt, psqlPrompt, readPrompts, redisPrompt } from './prompts';
import { hopOf, scriptStep } from './shell-script';
import { readShellCommand, segmentsOf, tokenize, type ShellSegment } from './shell-lexer';
import { metaStatement, readSqlChunk, looksLikeSql, sqlStep } from './sql-lines';
import type { StepDraft } from './step-draft';

type Repl = { type: 'psql' | 'redis'; connection: StepConnection } | { type: 'other'; program: string };

/** Where the lines typed next run: at a database prompt, or in a shell reached through a hop. */
interface Context {
  repl: Repl | null;
  /** Sessions opened and not yet left, outermost first: `exit` leaves the innermost. */
  hops: string[];
}

/**
 * Steps of a shell-like block (bash, sh, shell, zsh, console, no language): commands become shell,
 * SQL, Redis or HTTP steps; lines after a bare `psql` or `redis-cli` are typed at that prompt; lines
 * after `kubectl exec -it … -- bash` or `ssh host` run there; output lines become expected output.
 */
export function shellBlockSteps(text: string, language: string, startIn?: 'psql' | 'redis'): StepDraft[] {
  const lines = text.split('\n');
  const { input, hosts, transcript } = readPrompts(lines, language);
  const script = transcript ? null : scriptStep(text, lines);
  if (script) return [script];
  const steps: StepDraft[] = [];
  const outputAt: number[] = [];
  const context: Context = { hops: [], repl: startIn ? { type: startIn, connection: { client: startIn === 'psql' ? 'psql' : 'redis-cli', flags: {}, profileVariables: [] } } : null };
  let title: string | undefined;
  let i = 0;
  const push = (step: StepDraft, at: number) => {
    if (title) step.title = title;
    const where = hosts[at] ? `${hosts[at]} (from the prompt)` : context.hops.join(' → ') || undefined;
    if (where && !step.runsIn) step.runsIn = where;
    steps.push(step);
    title = undefined;
  };
  while (i < lines.length) {
    const line = input[i];
    if (line === null || line === undefined || line.trim() === '') {
      if (line === null && lines[i]!.trim()) outputAt.push(i);
      if (line !== null) title = undefined;
      i++;
      continue;
    }
    const trimmed = line.trim();
    // A shell command never starts with `--`: it is a SQL comment above pasted SQL.
    if (trimmed.startsWith('#') || (context.repl?.type !== 'redis' && trimmed.startsWith('--'))) {
      title = trimmed.replace(/^(#+|--)\s*/, '') || title;
      i++;
      continue;
    }
    if ((context.repl || context.hops.length > 0) && /^(\\q|exit|quit|logout|exit;|quit;)$/i.test(trimmed)) {
      if (context.repl) context.repl = null;
      else context.hops.pop();
      i++;
      continue;
    }
    const replPrompt = psqlPrompt.test(lines[i]!) ? 'psql' : redisPrompt.test(lines[i]!) ? 'redis' : mysqlPrompt.test(lines[i]!) ? 'mysql' : null;
    if (replPrompt === 'mysql') context.repl = { type: 'other', program: 'mysql' };
    else if (replPrompt && context.repl?.type !== replPrompt) context.repl = { type: replPrompt, connection: { client: replPrompt === 'psql' ? 'psql' : 'redis-cli', flags: {}, profileVariables: [] } };
    // A shell command after the prompt's lines (no \q written): the session ended there.
    const repl = context.repl;
    if (repl && !replPrompt && !('program' in repl) && leavesRepl(repl.type, trimmed)) context.repl = null;
    const step: StepDraft | null = context.repl ? replStep(context.repl, input, i) : looksLikeSql(trimmed) ? rawSqlStep(input, i, language) : null;
    if (step) {
      push(step, i);
      i = step.endOffset;
      continue;
    }
    // Unlabeled fences mix commands with their output: only lines that start a program are commands.
    // Labeled ones too sometimes: `role:master` or `- item` cannot start a command.
    if ((language === '' || language === 'console') ? !startsWithProgram(trimmed) : !looksLikeCommandStart(trimmed)) {
      outputAt.push(i);
      i++;
      continue;
    }
    const end = readShellCommand(input.map((l) => l ?? ''), i);
    const command = input.slice(i, end).map((l) => l ?? '').join('\n');
    const result = commandStep(command, i, end, end < lines.length && input.slice(end).some((l) => l && l.trim() && !l.trim().startsWith('#')));
    if ('repl' in result) context.repl = result.repl;
    else if (result.step) {
      push(result.step, i);
      // `kubectl exec -it db-0 -- bash`, `ssh bastion`: what follows is typed in there.
      const hop = hopOf(command);
      if (hop) context.hops.push(hop);
    }
    title = undefined;
    i = end;
  }
  attachOutput(steps, lines, outputAt);
  if (!transcript) for (const step of steps) if (step.expectedOutput) step.notes.push(mixedOutputNote);
  return steps;
}

function leavesRepl(type: 'psql' | 'redis', line: string): boolean {
  if (!startsWithProgram(line) || line.startsWith('\\')) return false;
  return type === 'psql' ? !looksLikeSql(line) : !/^[A-Z]+\b/.test(line);
}

function looksLikeCommandStart(line: string): boolean {
  const first = line.split(/\s+/)[0]!;
  if (startsWithProgram(line)) return true;
  // "Your identification has been saved", "Key fingerprint is…": a sentence a program printed.
  if (/^[A-Z][a-z]+[:,.]?$/.test(first) && /^\S+\s+[a-z]/.test(line)) return false;
  return /^[A-Za-z_.~/[{(!][\w.~/+@%-]*$/.test(first.replace(/^\(/, '')) || /^[A-Za-z_]\w*=/.test(first);
}

function replStep(repl: Repl, input: (string | null)[], start: number): StepDraft {
  if ('program' in repl && repl.program === 'mysql') {
    const step = sqlStep(readSqlChunk(input, start), 'terminal');
    step.engine = 'mysql';
    step.notes.push('typed at the mysql prompt: MySQL SQL runs in the terminal, never against the Postgres profile');
    return step;
  }
  if ('program' in repl) {
    let end = start;
    while (end < input.length && !/^(exit|quit)$/i.test((input[end] ?? '').trim())) end++;
    const text = input.slice(start, end).filter((l) => l !== null).join('\n').trim();
    return {
      offset: start, endOffset: end, kind: 'shell', target: 'terminal', text, placeholderText: text, notes: [`typed at the ${repl.program} prompt`],
      statements: [{ text, risk: 'unknown', reasons: [`input to ${repl.program}, which the console does not classify`] }],
    };
  }
  if (repl.type === 'psql') {
    const first = input[start]!.trim();
    if (first.startsWith('\\')) return { ...metaStatement(first, start), connection: repl.connection, notes: ['typed at the psql prompt'] };
    const step = sqlStep(readSqlChunk(input, start), 'postgres');
    step.connection = repl.connection;
    step.notes.push('typed at the psql prompt');
    return step;
  }
  const commands: string[][] = [];
  let end = start;
  while (end < input.length && input[end] && input[end]!.trim() && !input[end]!.trim().startsWith('#') && !/^(exit|quit)$/i.test(input[end]!.trim())) {
    commands.push(tokenize(input[end]!).flatMap((t) => (t.kind === 'word' ? [t.value] : [])));
    end++;
  }
  return redisStep(commands, input.slice(start, end).join('\n'), start, end, repl.connection, ['typed at the redis-cli prompt']);
}

function rawSqlStep(input: (string | null)[], start: number, language: string): StepDraft {
  const step = sqlStep(readSqlChunk(input, start), 'postgres');
  step.notes.push(`raw SQL in a ${language || 'plain'} block: runs against the profile's Postgres`);
  return step;
}

const cronSchedule = /^\s*(?:@(?:reboot|hourly|daily|weekly|monthly|yearly|annually)|(?:[\d*/,-]+\s+){4}[\d*/,-]+)\s+(?=\S)/;

function commandStep(command: string, start: number, end: number, linesFollow: boolean): { step?: StepDraft } | { repl: Repl } {
  const cron = cronSchedule.exec(command);
  if (cron) {
    const step = shellStep(command.slice(cron[0].length), start, end, segmentsOf(tokenize(command.slice(cron[0].length))));
    step.text = step.statements[0]!.text = command.trim();
    step.placeholderText = command;
    step.notes.push('a crontab entry: running it here runs the command once, it does not schedule it');
    return { step };
  }
  const segments = segmentsOf(tokenize(command));
  if (segments.length === 0) return {};
  const echoed = echoIntoClient(segments);
  const clientSegments = echoed ? [echoed, ...segments.slice(2)] : segments;
  const client = readClient(clientSegments[0]!, clientSegments[1]);
  const filtered = clientSegments.length === 1 || onlyFiltered(clientSegments);
  if (client && filtered) {
    if (client.kind === 'psql-repl' || client.kind === 'redis-repl' || client.kind === 'repl') {
      const repl: Repl = client.kind === 'repl' ? { type: 'other', program: client.program } : { type: client.kind === 'psql-repl' ? 'psql' : 'redis', connection: client.connection };
      if (linesFollow) return { repl };
    } else {
      const step = clientStep(client, command, start, end, clientSegments);
      if (step) return { step };
    }
  }
  return { step: shellStep(command, start, end, segments) };
}

/** `echo "SELECT 1" | psql`: the echoed text is the SQL. */
function echoIntoClient(segments: ShellSegment[]): ShellSegment | undefined {
  const [first, second] = segments;
  if (!first || !second || second.joiner !== '|' || !['echo', 'printf'].includes(programName(first.words))) return undefined;
  const name = programName(unwrap(second.words).argv);
  if (name !== 'psql' && name !== 'gitlab-psql') return undefined;
  return { ...second, joiner: '', hereString: first.words.slice(1).filter((w) => !/^-[ne]+$/.test(w)).join(' ') };
}

function clientStep(client: ClientCommand, command: string, start: number, end: number, segments: ShellSegment[]): StepDraft | null {
  const notes = outputNotes(segments);
  if (client.kind === 'psql') {
    const joined = client.sql.join('\n');
    const step = sqlStep({ text: joined, offset: start, endOffset: end }, 'postgres');
    step.placeholderText = command;
    step.connection = client.connection;
    step.variables = client.variables;
    step.notes.push(...connectionNotes(client.connection), ...notes);
    return step;
  }
  if (client.kind === 'redis') {
    if (client.commands.length === 0) return null;
    return redisStep(client.commands, command, start, end, client.connection, [...connectionNotes(client.connection), ...client.notes, ...notes]);
  }
  if (client.kind === 'http') {
    return { offset: start, endOffset: end, kind: 'http', target: 'http', text: command, placeholderText: command, notes, http: client.request, statements: [{ text: command, ...httpRisk(client.request.method) }] };
  }
  if (client.kind === 'other-sql') {
    const step = sqlStep({ text: client.sql, offset: start, endOffset: end }, 'terminal');
    step.engine = client.engine;
    step.placeholderText = command;
    step.connection = client.connection;
    step.notes.push(`${client.engine} SQL: runs in the terminal, never against the Postgres profile`, ...notes);
    return step;
  }
  return null;
}

function redisStep(commands: string[][], text: string, start: number, end: number, connection: StepConnection, notes: string[]): StepDraft {
  const statements: RunbookStatement[] = commands.filter((c) => c.length > 0).map((argv) => ({ text: argv.map(quoteRedisArg).join(' '), ...redisRisk(argv) }));
  return { offset: start, endOffset: end, kind: 'redis', target: 'redis', text: text.trim(), placeholderText: text, notes, connection, redis: commands, statements };
}

function connectionNotes(connection: StepConnection): string[] {
  const flags = Object.entries(connection.flags).filter(([, v]) => v);
  const notes: string[] = [];
  if (connection.via) notes.push(`written for ${connection.via.tool} ${connection.via.container}: runs against the profile instead`);
  if (flags.length > 0) notes.push(`connection flags ignored (the profile decides): ${flags.map(([k, v]) => `${k}=${v}`).join(', ')}`);
  return notes;
}

function quoteRedisArg(arg: string): string {
  return /^[^\s"'\\]+$/.test(arg) ? arg : JSON.stringify(arg);
}
