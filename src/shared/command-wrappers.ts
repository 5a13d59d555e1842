/*
 * Commands that run other commands, as one table for the quoting of runbook values
 * (shell-quote.ts: where a value is read again) and the runbook judge (main/runbooks/
 * shell-wrappers.ts: what a step runs). A wrapper runs its following words as a command (sudo,
 * env, nohup, timeout, docker exec C, kubectl exec P --, ssh HOST); a code reader reads code from
 * an option (sh -c, python -c, psql -c) or, given none, from its standard input (`… | sh`).
 */

/** POSIX shells: `-c STRING` runs the string; with no script file they read commands from stdin. */
export const posixShells = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'ash', 'mksh', 'yash']);

/** Options of sudo (and doas) that take a value: `sudo -u postgres cmd`. */
export const sudoValues = new Set(['-u', '-g', '-C', '-D', '-h', '-p', '-r', '-t', '-U', '--user', '--group']);
/** Prefixes that run the rest of their words as a command, after their own options. */
export const prefixCommands = new Set([
  'nohup',
  'time',
  'command',
  'builtin',
  'exec',
  'unbuffer',
  'setsid',
  'stdbuf',
  'nice',
  'ionice',
  'chrt',
  'caffeinate',
]);
/** Each prefix command's options that take a value (`exec -a NAME cmd`, `nice -n 10 cmd`, `time -o FILE cmd`). */
export const prefixValues: Record<string, Set<string>> = {
  nohup: new Set(),
  time: new Set(['-f', '--format', '-o', '--output']),
  command: new Set(),
  builtin: new Set(),
  exec: new Set(['-a']),
  unbuffer: new Set(),
  setsid: new Set(),
  stdbuf: new Set(['-i', '-o', '-e', '--input', '--output', '--error']),
  nice: new Set(['-n', '--adjustment']),
  ionice: new Set(['-c', '--class', '-n', '--classdata', '-p', '--pid', '-P', '--pgid', '-u', '--uid']),
  caffeinate: new Set(['-t', '-w']),
};
/** Options of `docker exec`, `kubectl exec`… that take a value. */
export const execValues = new Set([
  '-u',
  '--user',
  '-e',
  '--env',
  '-w',
  '--workdir',
  '--env-file',
  '--detach-keys',
  '--index',
  '-c',
  '--container',
  '-n',
  '--namespace',
  '--context',
  '-f',
  '--filename',
  '--pod-running-timeout',
]);
/** Options of ssh that take a value. */
export const sshValues = new Set([
  '-p',
  '-i',
  '-l',
  '-o',
  '-J',
  '-F',
  '-L',
  '-R',
  '-D',
  '-W',
  '-b',
  '-c',
  '-E',
  '-e',
  '-m',
  '-O',
  '-Q',
  '-S',
  '-w',
  '-B',
  '-I',
]);

/**
 * Wrappers that run their following words as a command: for each, the options that take a value
 * and how many operands come before the command (`timeout 5 cmd`, `nsenter -t 1 -m cmd`).
 */
const wrappers: Record<string, { values: Set<string>; operands?: number }> = {
  sudo: { values: sudoValues },
  doas: { values: new Set(['-u', '-C']) },
  env: { values: new Set(['-u', '-C', '-S', '--unset', '--chdir']) },
  timeout: { values: new Set(['-s', '-k', '--signal', '--kill-after']), operands: 1 },
  flock: { values: new Set(['-w', '-E', '--timeout']), operands: 1 },
  nsenter: { values: new Set(['-t', '--target', '-S', '--setuid', '-G', '--setgid']) },
  chroot: { values: new Set(['--userspec', '--groups']), operands: 1 },
  unshare: { values: new Set() },
  setpriv: { values: new Set(['--reuid', '--regid', '--groups']) },
  taskset: { values: new Set(), operands: 1 },
  numactl: { values: new Set(['-C', '-N', '-m', '-i', '-p']) },
  'systemd-run': { values: new Set(['-u', '--unit', '-p', '--property', '-M', '--machine', '--uid', '--gid']) },
  gosu: { values: new Set(), operands: 1 },
  // `chrt -f 1 cmd`: the priority comes before the command.
  chrt: { values: new Set(['-T', '--sched-runtime', '-P', '--sched-period', '-D', '--sched-deadline']), operands: 1 },
  'su-exec': { values: new Set(), operands: 1 },
  ...Object.fromEntries(
    [...prefixCommands]
      .filter((name) => name !== 'chrt')
      .map((name) => [name, { values: prefixValues[name] ?? new Set<string>() }]),
  ),
};

const base = (word: string) => word.slice(word.lastIndexOf('/') + 1);

/** Drops leading options (and the values of those that take one) up to the first operand. */
export function skipOptions(argv: string[], withValue: Set<string>): string[] {
  let i = 0;
  while (i < argv.length && argv[i]!.startsWith('-') && argv[i] !== '-') {
    if (argv[i] === '--') return argv.slice(i + 1);
    if (withValue.has(argv[i]!)) i++;
    i++;
  }
  return argv.slice(i);
}

/**
 * skipOptions, reading short options as getopt does: `sudo -iu deploy cmd` is -i and -u deploy, so
 * a combined word whose last letter takes a value (`-iu`) takes the next word too; `-upostgres`
 * holds its value.
 */
function skipCombinedOptions(argv: string[], withValue: Set<string>): string[] {
  let i = 0;
  while (i < argv.length && argv[i]!.startsWith('-') && argv[i] !== '-') {
    const word = argv[i]!;
    if (word === '--') return argv.slice(i + 1);
    if (withValue.has(word)) i++;
    else if (!word.startsWith('--'))
      for (let k = 1; k < word.length; k++)
        if (withValue.has(`-${word[k]}`)) {
          if (k === word.length - 1) i++;
          break;
        }
    i++;
  }
  return argv.slice(i);
}

/** One wrapper peeled off: the command it runs and how to name it; undefined when the first word does the work itself. */
export function unwrapOnce(argv: string[]): { argv: string[]; via: string } | undefined {
  const [head = '', ...rest] = argv;
  const name = base(head);
  if (/^[A-Za-z_]\w*=/.test(head)) return { argv: rest, via: '' };
  const wrapper = wrappers[name];
  if (wrapper) {
    // `env A=1 cmd`: the assignments are peeled on the next round.
    return { argv: skipCombinedOptions(rest, wrapper.values).slice(wrapper.operands ?? 0), via: name };
  }
  if (
    (name === 'docker' || name === 'podman') &&
    (rest[0] === 'exec' || (rest[0] === 'container' && rest[1] === 'exec'))
  ) {
    const operands = skipOptions(rest.slice(rest[0] === 'exec' ? 1 : 2), execValues);
    return { argv: operands.slice(1), via: `${name} exec ${operands[0] ?? ''}` };
  }
  if (name === 'kubectl' && rest.includes('exec') && rest.includes('--'))
    return { argv: rest.slice(rest.indexOf('--') + 1), via: 'kubectl exec' };
  return undefined;
}

/** The command a wrapped command runs, every wrapper peeled (at most 8), with the wrappers' names. */
export function innerCommand(argv: string[]): { argv: string[]; via: string[] } {
  const via: string[] = [];
  let words = argv;
  for (let guard = 0; guard < 8 && words.length > 0; guard++) {
    const peeled = unwrapOnce(words);
    if (!peeled) break;
    if (peeled.via) via.push(peeled.via);
    words = peeled.argv;
  }
  return { argv: words, via };
}

/**
 * Whether `sudo` (first among the words, after other wrappers) runs its command through a shell:
 * -s/--shell and -i/--login hand the command's words to `$SHELL -c`, which reads them again.
 */
export function sudoShellMode(argv: string[]): boolean {
  const at = argv.findIndex((w) => base(w) === 'sudo');
  if (at < 0) return false;
  for (let i = at + 1; i < argv.length; i++) {
    const word = argv[i]!;
    if (word === '--' || !word.startsWith('-') || word === '-') return false;
    if (word === '--shell' || word === '--login') return true;
    if (word.startsWith('--')) {
      if (sudoValues.has(word)) i++;
      continue;
    }
    for (let k = 1; k < word.length; k++) {
      const letter = word[k]!;
      if (letter === 's' || letter === 'i') return true;
      if (sudoValues.has(`-${letter}`)) {
        if (k === word.length - 1) i++;
        break;
      }
    }
  }
  return false;
}

/** Interpreters that run a program given as an option (-c, -e…) or a file, else the one on their stdin. */
const interpreters = /^(?:python[0-9.]*|node|nodejs|perl|ruby|php|lua|Rscript|tclsh|pwsh|powershell)$/;
const programOption =
  /^-[A-Za-z]*[ceEpr][A-Za-z]*$|^--(?:command|eval|execute|print)\b|^-(?:command|file|encodedcommand)$/i;
/** SQL clients: statements from an option (-c, -e, -f), else from stdin. */
const sqlClients = /^(?:psql|gitlab-psql|mysql|mariadb)$/;
const sqlOption = /^-[A-Za-z]*[cef][A-Za-z]*$|^--(?:command|execute|file)\b/;

/**
 * What reads this command's standard input as code (a shell, an interpreter, psql, redis-cli,
 * xargs, at, ssh's remote shell), named as the operator wrote it; undefined when stdin stays data.
 */
export function stdinCodeReader(argv: string[]): string | undefined {
  const { argv: inner, via } = innerCommand(argv);
  const name = base(inner[0] ?? '');
  const rest = inner.slice(1);
  const label = [...via, name].join(' → ');
  const operands = rest.filter((w) => !w.startsWith('-'));
  if (!name) return via.includes('sudo') && sudoShellMode(argv) ? 'sudo -s' : undefined;
  if (posixShells.has(name) || name === 'fish' || name === 'busybox') {
    // -s reads stdin whatever follows; -c runs its string; a first operand is a script file, unless
    // it is stdin itself (/dev/stdin, -); `-o pipefail`'s value is no operand.
    if (rest.some((w) => /^-[A-Za-z]*s[A-Za-z]*$/.test(w))) return label;
    if (rest.some((w) => /^-[A-Za-z]*c[A-Za-z]*$/.test(w))) return undefined;
    const script = shellOperands(rest)[0];
    return script === undefined || stdinFile.test(script) ? label : undefined;
  }
  if (name === 'su' || name === 'runuser') return rest.some((w) => /^(?:-c|--command)/.test(w)) ? undefined : label;
  if (name === 'ssh') {
    // ssh joins its words into one command line for the remote shell, which reads stdin when there is none.
    const [host = '', ...remote] = skipCombinedOptions(rest, sshValues);
    const reader = remote.length === 0 ? 'a login shell' : stdinCodeReader(remote.join(' ').split(/\s+/));
    return reader && [...via, `ssh ${host}`, reader].join(' → ');
  }
  if (interpreters.test(name))
    return rest.some((w) => programOption.test(w)) || operands.some((w) => !stdinFile.test(w)) ? undefined : label;
  if (sqlClients.test(name)) return rest.some((w) => sqlOption.test(w)) ? undefined : label;
  if (name === 'sqlite3') return operands.length >= 2 ? undefined : label;
  if (name === 'redis-cli')
    return rest.some((w) => /^-x$/.test(w)) || operandsOf(rest, redisValues).length > 0 ? undefined : label;
  if (name === 'xargs') return rest.some((w) => /^(?:-a|--arg-file)/.test(w)) ? undefined : label;
  if (name === 'at' || name === 'batch') return rest.includes('-f') ? undefined : label;
  if ((name === 'source' || name === '.') && /^(?:\/dev\/stdin|-)$/.test(rest[0] ?? '')) return label;
  return undefined;
}

/**
 * What runs the file given as the next word of this command as code: `source FILE`, `. FILE`, a
 * shell's or an interpreter's script (`bash FILE`) before any operand; undefined otherwise.
 */
export function scriptReader(argv: string[]): string | undefined {
  const { argv: inner, via } = innerCommand(argv);
  const name = base(inner[0] ?? '');
  const rest = inner.slice(1);
  const label = [...via, name].join(' → ');
  if (name === 'source' || name === '.') return rest.length === 0 ? label : undefined;
  if (posixShells.has(name) || name === 'fish')
    return rest.some((w) => /^-[A-Za-z]*c[A-Za-z]*$/.test(w)) || shellOperands(rest).length > 0 ? undefined : label;
  if (interpreters.test(name))
    return rest.some((w) => programOption.test(w)) || rest.some((w) => !w.startsWith('-')) ? undefined : label;
  return undefined;
}

/** A script file that is the reader's own stdin. */
const stdinFile = /^(?:-|\/dev\/stdin|\/dev\/fd\/0|\/proc\/self\/fd\/0)$/;

/** Options of a POSIX shell that take a value: `bash -o pipefail`, `+O extglob`, `--rcfile F`. */
const shellValues = /^[-+][A-Za-z]*[oO]$|^--(?:rcfile|init-file)$/;

/** A shell's operands (its script file first), the values of its options left out. */
function shellOperands(rest: string[]): string[] {
  const operands: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const word = rest[i]!;
    if (word === '--') return [...operands, ...rest.slice(i + 1)];
    if (shellValues.test(word)) i++;
    else if (!/^[-+]./.test(word)) operands.push(word);
  }
  return operands;
}

const redisValues = new Set([
  '-h',
  '-p',
  '-s',
  '-a',
  '-u',
  '-n',
  '-r',
  '-i',
  '-d',
  '--user',
  '--pass',
  '--sni',
  '--cacert',
  '--cert',
  '--key',
  '--tls-ciphers',
]);

/** Options that take a value, for the programs whose tables this file has (redis-cli, ssh, sudo…). */
export function valueOptionsOf(program: string): Set<string> {
  if (program === 'redis-cli') return redisValues;
  if (program === 'ssh') return sshValues;
  return wrappers[program]?.values ?? new Set();
}

/** The words of `rest` that are not options, skipping the value of each option in `values`. */
export function operandsOf(rest: readonly string[], values: ReadonlySet<string>): string[] {
  const operands: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    if (values.has(rest[i]!)) i++;
    else if (!rest[i]!.startsWith('-')) operands.push(rest[i]!);
  }
  return operands;
}
