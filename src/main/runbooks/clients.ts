import type { HttpRequestSpec, Risk, StepConnection } from '../../shared/runbook';
import { programName, unwrap } from './shell-command';
import type { ShellSegment } from './shell-lexer';

/** What a database or HTTP client command line means, read without running it. */
export type ClientCommand =
  | { kind: 'psql'; sql: string[]; connection: StepConnection; variables: Record<string, string> }
  | { kind: 'psql-repl'; connection: StepConnection }
  | { kind: 'psql-file'; file: string; connection: StepConnection }
  | { kind: 'redis'; commands: string[][]; connection: StepConnection; notes: string[] }
  | { kind: 'redis-repl'; connection: StepConnection }
  | { kind: 'http'; request: HttpRequestSpec }
  | { kind: 'other-sql'; engine: string; sql: string; connection: StepConnection }
  | { kind: 'repl'; program: string };

const psqlPrograms = new Set(['psql', 'gitlab-psql', 'gitlab-geo-psql']);
export const redisPrograms = new Set(['redis-cli', 'gitlab-redis-cli', 'valkey-cli', 'keydb-cli']);
/** Programs that read lines typed at their prompt when started without a command. */
const otherRepls: Record<string, (argv: string[]) => boolean> = {
  'gitlab-rails': (a) => a[1] === 'console' || a[1] === 'c' || a[1] === 'dbconsole',
  rails: (a) => a[1] === 'console' || a[1] === 'c' || a[1] === 'dbconsole',
  irb: (a) => a.length === 1,
  mongo: (a) => !a.includes('--eval'),
  mongosh: (a) => !a.includes('--eval'),
  mysql: (a) => !a.some((w) => w === '-e' || w.startsWith('--execute')),
  sqlite3: (a) => a.filter((w) => !w.startsWith('-')).length <= 2,
  python: (a) => a.length === 1,
  python3: (a) => a.length === 1,
  node: (a) => a.length === 1,
  'consul-cli': () => false,
};

/** Reads the first simple command of a segment list as a client invocation, or null for plain shell. */
export function readClient(segment: ShellSegment, next?: ShellSegment): ClientCommand | null {
  const { argv, via } = unwrap(segment.words);
  const name = programName(argv);
  const base = (client: string): StepConnection => ({ client, ...(via ? { via } : {}), flags: {}, profileVariables: [] });
  if (psqlPrograms.has(name)) return readPsql(argv, segment, base(name));
  if (redisPrograms.has(name)) return readRedisCli(argv, segment, base(name));
  if (name === 'curl') return { kind: 'http', request: readCurl(argv) };
  const other = readOtherSql(name, argv, base(name));
  if (other) return other;
  if (otherRepls[name]?.(argv) && !next && !segment.heredoc && !segment.redirects.some((r) => r.op === '<')) return { kind: 'repl', program: argv.slice(0, 2).join(' ') };
  return null;
}

const psqlValueOptions: Record<string, string> = {
  '-h': 'host', '--host': 'host', '-p': 'port', '--port': 'port', '-U': 'user', '--username': 'user', '-d': 'dbname', '--dbname': 'dbname',
  '-c': 'command', '--command': 'command', '-f': 'file', '--file': 'file', '-v': 'set', '--set': 'set', '--variable': 'set', '-o': 'output',
  '--output': 'output', '-P': 'pset', '--pset': 'pset', '-F': 'fieldsep', '--field-separator': 'fieldsep', '-R': 'recordsep', '-T': 'tableattr', '-L': 'logfile',
};

/** psql [options] [dbname [user]]: -c/-f/heredoc/here-string give the SQL; none opens its prompt. */
function readPsql(argv: string[], segment: ShellSegment, connection: StepConnection): ClientCommand {
  const sql: string[] = [];
  const variables: Record<string, string> = {};
  const positionals: string[] = [];
  let file: string | undefined;
  for (let i = 1; i < argv.length; i++) {
    const word = argv[i]!;
    const eq = word.startsWith('--') ? word.indexOf('=') : -1;
    const flag = eq > 0 ? word.slice(0, eq) : word;
    let key = psqlValueOptions[flag];
    let value: string | undefined = eq > 0 ? word.slice(eq + 1) : undefined;
    // Bundled short flags: -Atc "SQL", -d db attached as -ddb.
    if (!key && /^-[A-Za-z]{2,}$/.test(word) && psqlValueOptions[`-${word.at(-1)}`]) key = psqlValueOptions[`-${word.at(-1)}`];
    else if (!key && /^-[hpUdcfvoP]./.test(word)) (key = psqlValueOptions[word.slice(0, 2)]), (value = word.slice(2));
    if (key) {
      value ??= argv[++i] ?? '';
      if (key === 'command') sql.push(value);
      else if (key === 'file') file = value;
      else if (key === 'set') {
        const [k, ...v] = value.split('=');
        if (k) variables[k] = v.join('=');
      } else if (['host', 'port', 'user', 'dbname'].includes(key)) connection.flags[key] = value;
    } else if (!word.startsWith('-')) positionals.push(word);
  }
  if (positionals[0]) connection.flags.dbname ??= positionals[0];
  if (positionals[1]) connection.flags.user ??= positionals[1];
  for (const value of Object.values(connection.flags)) {
    for (const m of value.matchAll(/\$\{?([A-Za-z_]\w*)/g)) connection.profileVariables.push(m[1]!);
  }
  // psql reads standard input only when no -c is given.
  if (sql.length === 0 && segment.heredoc !== undefined) sql.push(segment.heredoc);
  if (sql.length === 0 && segment.hereString !== undefined) sql.push(segment.hereString);
  if (sql.length > 0) return { kind: 'psql', sql, connection, variables };
  const stdin = segment.redirects.find((r) => r.op === '<')?.target;
  if (file || stdin || segment.joiner === '|') return { kind: 'psql-file', file: file ?? stdin ?? '-', connection };
  return { kind: 'psql-repl', connection };
}

const redisValueOptions = new Set(['-h', '-p', '-a', '-n', '-u', '-s', '-r', '-i', '--user', '--pass', '--askpass', '--cacert', '--cert', '--key', '--sni', '--pattern', '--count', '--eval', '-d', '--cluster']);

/**
 * redis-cli modes that run in the client (sampling, latency, dumps, mass insert): never a command
 * for the server, so they run in the terminal, judged here.
 */
export const redisClientModes: Record<string, { risk: Risk; reason: string }> = {
  '--scan': { risk: 'read', reason: 'iterates keys with SCAN' },
  '--bigkeys': { risk: 'read', reason: 'samples keys to find the biggest' },
  '--memkeys': { risk: 'read', reason: 'samples keys with MEMORY USAGE' },
  '--hotkeys': { risk: 'read', reason: 'samples keys with OBJECT FREQ' },
  '--keystats': { risk: 'read', reason: 'samples keys for statistics' },
  '--latency': { risk: 'read', reason: 'measures latency with PING' },
  '--latency-history': { risk: 'read', reason: 'measures latency with PING' },
  '--latency-dist': { risk: 'read', reason: 'measures latency with PING' },
  '--intrinsic-latency': { risk: 'read', reason: 'measures the latency of this machine, without the server' },
  '--stat': { risk: 'read', reason: 'prints INFO statistics' },
  '--replica': { risk: 'read', reason: 'shows the replication stream' },
  '--slave': { risk: 'read', reason: 'shows the replication stream' },
  '--rdb': { risk: 'write', reason: 'dumps the dataset into a local file' },
  '--functions-rdb': { risk: 'write', reason: 'dumps the functions into a local file' },
  '--pipe': { risk: 'dangerous', reason: 'sends every command read from stdin (mass insertion), which the console cannot inspect' },
  '--eval': { risk: 'dangerous', reason: 'runs a Lua script file on the server, which the console cannot inspect' },
  '--cluster': { risk: 'unknown', reason: 'a cluster manager subcommand' },
};

/** The client mode of a redis-cli argv, if it has one. */
export function redisClientMode(argv: string[]): { mode: string; risk: Risk; reason: string } | undefined {
  const mode = argv.find((w) => w in redisClientModes);
  if (!mode) return undefined;
  if (mode === '--cluster') {
    const sub = argv[argv.indexOf(mode) + 1] ?? '';
    const risk: Risk = ['check', 'info', 'help'].includes(sub) ? 'read' : ['fix', 'reshard', 'rebalance', 'del-node', 'call', 'import', 'set-timeout', 'backup'].includes(sub) ? 'dangerous' : ['create', 'add-node'].includes(sub) ? 'write' : 'unknown';
    return { mode: `--cluster ${sub}`.trim(), risk, reason: `redis-cli --cluster ${sub} ${risk === 'read' ? 'only reads the cluster state' : 'changes the cluster'}` };
  }
  return { mode, ...redisClientModes[mode]! };
}

/** redis-cli [options] [command [args]]: the command as an argument array; none opens its prompt. */
function readRedisCli(argv: string[], segment: ShellSegment, connection: StepConnection): ClientCommand {
  const notes: string[] = [];
  const commands: string[][] = [];
  let i = 1;
  for (; i < argv.length && argv[i]!.startsWith('-'); i++) {
    const word = argv[i]!;
    // Some runbooks write `redis-cli -c "SELECT 0" -c "LLEN q"` meaning two commands; -c is cluster mode.
    if (word === '-c' && /\s/.test(argv[i + 1] ?? '')) {
      commands.push(argv[++i]!.trim().split(/\s+/));
      const note = 'redis-cli -c turns on cluster mode; the quoted text after it is read as a command';
      if (!notes.includes(note)) notes.push(note);
      continue;
    }
    if (word in redisClientModes) {
      return { kind: 'redis', commands: [], connection, notes: [`redis-cli ${word} is a client mode: it runs in the terminal, not as a command to the server`] };
    }
    if (redisValueOptions.has(word)) {
      const value = argv[++i] ?? '';
      const key = { '-h': 'host', '-p': 'port', '-n': 'db', '-u': 'url', '--user': 'user' }[word as '-h'];
      if (key) connection.flags[key] = value;
      if (word === '-a' || word === '--pass') notes.push('a password on the command line: the profile supplies it instead');
    }
  }
  if (i < argv.length) commands.push(argv.slice(i));
  // redis-cli reads commands from stdin, one a line, when it is given none.
  const stdin = commands.length === 0 ? (segment.heredoc ?? segment.hereString) : undefined;
  for (const line of stdin?.split('\n') ?? []) if (line.trim() && !/^\s*#/.test(line)) commands.push(line.trim().split(/\s+/));
  for (const value of Object.values(connection.flags)) {
    for (const m of value.matchAll(/\$\{?([A-Za-z_]\w*)/g)) connection.profileVariables.push(m[1]!);
  }
  if (commands.length === 0 && !segment.redirects.some((r) => r.op === '<') && segment.joiner !== '|') return { kind: 'redis-repl', connection };
  return { kind: 'redis', commands, connection, notes };
}

/** curl [options] URL: method, URL, headers and body. */
export function readCurl(argv: string[]): HttpRequestSpec {
  const headers: { name: string; value: string }[] = [];
  let method: string | undefined;
  let url = '';
  const data: string[] = [];
  let head = false;
  for (let i = 1; i < argv.length; i++) {
    const word = argv[i]!;
    const next = () => argv[++i] ?? '';
    if (word === '-X' || word === '--request') method = next().toUpperCase();
    else if (word.startsWith('-X') && word.length > 2) method = word.slice(2).toUpperCase();
    else if (word === '-H' || word === '--header') {
      const header = next();
      const colon = header.indexOf(':');
      if (colon > 0) headers.push({ name: header.slice(0, colon).trim(), value: header.slice(colon + 1).trim() });
    } else if (['-d', '--data', '--data-raw', '--data-binary', '--data-urlencode', '--json'].includes(word)) {
      data.push(next());
      if (word === '--json') headers.push({ name: 'Content-Type', value: 'application/json' });
    } else if (word === '-u' || word === '--user') headers.push({ name: 'Authorization', value: `Basic ${next()}` });
    else if (word === '-I' || word === '--head') head = true;
    else if (['-o', '--output', '-w', '--write-out', '-A', '--user-agent', '-e', '--referer', '-b', '--cookie', '-m', '--max-time', '--connect-timeout', '-F', '--form', '--cacert', '--cert', '--key', '-x', '--proxy', '--retry', '--resolve', '-T', '--upload-file'].includes(word)) next();
    else if (word === '--url') url = next();
    else if (!word.startsWith('-') && !url) url = word;
  }
  const request: HttpRequestSpec = { method: method ?? (head ? 'HEAD' : data.length > 0 ? 'POST' : 'GET'), url, headers };
  if (data.length > 0) request.body = data.join('&');
  return request;
}

/** SQL for other engines: recognised and classified, never sent to the Postgres profile. */
function readOtherSql(name: string, argv: string[], connection: StepConnection): ClientCommand | null {
  const valueOf = (...flags: string[]) => {
    for (let i = 0; i < argv.length; i++) {
      for (const flag of flags) {
        if (argv[i] === flag) return argv[i + 1];
        if (flag.startsWith('--') && argv[i]!.startsWith(`${flag}=`)) return argv[i]!.slice(flag.length + 1);
      }
    }
    return undefined;
  };
  if ((name === 'wrangler' || (name === 'npx' && argv[1] === 'wrangler')) && argv.includes('d1') && argv.includes('execute')) {
    const sql = valueOf('--command');
    return sql ? { kind: 'other-sql', engine: 'd1', sql, connection: { ...connection, client: 'wrangler d1' } } : null;
  }
  if (name === 'mysql' || name === 'mariadb') {
    const sql = valueOf('-e', '--execute');
    return sql ? { kind: 'other-sql', engine: 'mysql', sql, connection } : null;
  }
  if (name === 'sqlite3') {
    const operands = argv.slice(1).filter((w) => !w.startsWith('-'));
    return operands.length >= 2 ? { kind: 'other-sql', engine: 'sqlite', sql: operands.slice(1).join('\n'), connection } : null;
  }
  if (name === 'clickhouse-client' || name === 'clickhouse') {
    const sql = valueOf('-q', '--query');
    return sql ? { kind: 'other-sql', engine: 'clickhouse', sql, connection } : null;
  }
  return null;
}
