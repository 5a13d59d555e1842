import { execValues, posixShells as shells, prefixCommands as simplePrefixes, prefixValues, skipOptions, sshValues, sudoValues } from '../../shared/command-wrappers';
import { harmlessPrefixAssignment } from './code-settings';
import { sshLocalCode } from './read-forms';
import { parseShell, ShellSyntaxError, type ShellCall } from './shell-syntax';

/** A command that actually does work, found inside a call and its wrappers (sudo, xargs, sh -c…). */
export interface ShellLeaf {
  argv: string[];
  call: ShellCall;
  /** The wrappers it runs through, outermost first: `xargs`, `sh -c`, `kubectl exec db-0`. */
  via: string[];
  /** A string given to `sh -c`, `ssh host` or `watch` that does not parse. */
  unparsed?: string;
}

const maxDepth = 6;

type Peeled = { argv: string[]; via?: string } | { script: string; via: string; keep?: string[] } | { leaves: string[][]; via: string; keep: string[] } | null;

/** Every command a call runs, wrappers peeled off, in order. */
export function leavesOf(call: ShellCall, argv: string[] = call.argv, via: string[] = [], depth = 0): ShellLeaf[] {
  if (depth > maxDepth || argv.length === 0) return argv.length > 0 ? [{ argv, call, via }] : [];
  const peeled = peel(argv);
  if (!peeled) return [{ argv, call, via }];
  const nextVia = 'via' in peeled && peeled.via ? [...via, peeled.via] : via;
  if ('script' in peeled) return [...(peeled.keep ? [{ argv: peeled.keep, call, via }] : []), ...scriptLeaves(peeled.script, call, nextVia, depth)];
  if ('leaves' in peeled) {
    const own = peeled.keep.length > 0 ? [{ argv: peeled.keep, call, via }] : [];
    return [...own, ...peeled.leaves.flatMap((inner) => leavesOf(call, inner, nextVia, depth + 1))];
  }
  // A wrapper given no command does the work itself: `sudo -s` opens a shell.
  if (peeled.argv.length === 0) return [{ argv, call, via }];
  return leavesOf(call, peeled.argv, nextVia, depth + 1);
}

function scriptLeaves(script: string, call: ShellCall, via: string[], depth: number): ShellLeaf[] {
  try {
    const calls = parseShell(script).calls;
    // The wrapper's own redirections (`sudo sh -c 'x' > f`, `ssh web1 uptime > f`) apply to what it runs.
    return calls.flatMap((inner) =>
      leavesOf({ ...inner, piped: inner.piped || call.piped, redirects: [...call.redirects, ...inner.redirects] }, inner.argv, via, depth + 1),
    );
  } catch (error) {
    if (!(error instanceof ShellSyntaxError)) throw error;
    return [{ argv: [], call, via, unparsed: script }];
  }
}

const xargsValues = new Set(['-I', '-i', '-n', '-P', '-L', '-l', '-d', '-s', '-E', '-e', '-a', '--max-args', '--max-procs', '--delimiter', '--arg-file', '--replace']);

/** Removes one wrapper; null when the first word does the work itself. */
function peel(argv: string[]): Peeled {
  const [head = '', ...rest] = argv;
  const name = head.slice(head.lastIndexOf('/') + 1);
  // A variable that can make the command run other code stays on the command, which is judged with it.
  if (/^[A-Za-z_]\w*=/.test(head)) return rest.length === 0 || harmlessPrefixAssignment(head) ? { argv: rest } : null;
  if (name === 'sudo' || name === 'doas') return { argv: skipOptions(rest, sudoValues), via: 'sudo' };
  if (name === 'env') return { argv: skipOptions(rest, new Set(['-u', '-C', '-S', '--unset', '--chdir'])), via: undefined };
  if (simplePrefixes.has(name)) return prefixed(name, argv, rest);
  if (name === 'timeout') return { argv: skipOptions(rest, new Set(['-s', '-k', '--signal', '--kill-after'])).slice(1), via: 'timeout' };
  if (name === 'envdir' || name === 'chpst') return { argv: skipOptions(rest, new Set(['-u', '-U', '-e', '-/', '-n', '-l', '-L'])).slice(name === 'envdir' ? 1 : 0) };
  if (name === 'flock') return { argv: skipOptions(rest, new Set(['-w', '-E', '--timeout'])).slice(1), via: 'flock' };
  if (name === 'watch') return wrappedScript(skipOptions(rest, new Set(['-n', '--interval', '-d', '--differences', '-q'])), 'watch');
  if (name === 'xargs') return { argv: orEcho(skipOptions(rest, xargsValues)), via: 'xargs' };
  if (name === 'parallel') return { argv: skipOptions(rest.slice(0, indexOr(rest, ':::')), new Set(['-j', '--jobs', '-S', '--sshlogin'])), via: 'parallel' };
  if (shells.has(name)) return shellDashC(rest, name);
  if (name === 'su') return rest.includes('-c') ? { script: rest[rest.indexOf('-c') + 1] ?? '', via: 'su -c' } : null;
  if (name === 'trap') return trapAction(rest);
  if (name === 'find') return findExec(argv);
  if (name === 'ssh') return sshCommand(rest);
  return containerExec(name, rest);
}

function orEcho(argv: string[]): string[] {
  return argv.length > 0 ? argv : ['echo'];
}

function indexOr(argv: string[], word: string): number {
  const at = argv.indexOf(word);
  return at < 0 ? argv.length : at;
}

function wrappedScript(argv: string[], via: string): Peeled {
  if (argv.length === 0) return null;
  return argv.length === 1 ? { script: argv[0]!, via } : { argv, via };
}

/**
 * `trap 'cmd' EXIT INT`: the shell runs the action later (on a signal, or when the operator closes
 * the terminal), so it is judged now. `trap -p`, `trap - INT` (reset) and `trap '' INT` (ignore)
 * run nothing; a lone word is a signal being reset.
 */
function trapAction(rest: string[]): Peeled {
  const args = rest[0] === '--' ? rest.slice(1) : rest;
  const [action, ...signals] = args;
  // POSIX: a first operand that is a number is a signal too (`trap 1 2` resets both).
  if (action === undefined || action.startsWith('-') || action.trim() === '' || /^\d+$/.test(action) || signals.length === 0) return null;
  return { script: action, via: 'trap' };
}

/**
 * `nohup cmd`, `exec -a NAME cmd`, `nice -n 10 cmd`: the command after the prefix's own options.
 * `command -v NAME` runs nothing (it says what NAME is); `time -o FILE cmd` also writes FILE, so
 * time stays a leaf of its own beside the command.
 */
function prefixed(name: string, argv: string[], rest: string[]): Peeled {
  const values = prefixValues[name] ?? new Set<string>();
  const inner = skipOptions(rest, values);
  const options = rest.slice(0, rest.length - inner.length);
  if (name === 'command' && options.some((w) => w === '-v' || w === '-V')) return null;
  if (name === 'time' && options.some((w) => w === '-o' || w === '--output' || w.startsWith('--output=')))
    return { leaves: inner.length > 0 ? [inner] : [], keep: [argv[0]!, ...options], via: 'time' };
  return { argv: inner };
}

/** `sh -c 'cmd'`, `bash -lc 'cmd'`; `bash script.sh` runs a file the console cannot read. */
function shellDashC(rest: string[], name: string): Peeled {
  const flag = rest.findIndex((w) => /^-[a-z]*c[a-z]*$/.test(w));
  if (flag < 0 || rest[flag + 1] === undefined) return null;
  return { script: rest[flag + 1]!, via: `${name} -c` };
}

/** find … -exec cmd {} ; (also -execdir, -ok): find itself, then each command it runs. */
function findExec(argv: string[]): Peeled {
  const leaves: string[][] = [];
  const keep: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (['-exec', '-execdir', '-ok', '-okdir'].includes(argv[i]!)) {
      const end = argv.findIndex((w, j) => j > i && (w === ';' || w === '+' || w === '\\;'));
      const stop = end < 0 ? argv.length : end;
      leaves.push(argv.slice(i + 1, stop));
      i = stop;
    } else keep.push(argv[i]!);
  }
  return leaves.length > 0 ? { leaves, via: 'find -exec', keep } : null;
}


/** `ssh host cmd…`: ssh joins the words with spaces and the remote shell parses them. */
function sshCommand(rest: string[]): Peeled {
  const operands = skipOptions(rest, sshValues);
  if (operands.length < 2) return null;
  // Options that run something themselves keep ssh a leaf of its own, judged with them, beside the remote command.
  const keep = sshLocalCode(rest) ? ['ssh', ...rest] : undefined;
  return { script: operands.slice(1).join(' '), via: `ssh ${operands[0]}`, ...(keep ? { keep } : {}) };
}

/** `kubectl exec POD -- cmd`, `docker exec C cmd`, `docker compose exec SVC cmd`. */
function containerExec(name: string, rest: string[]): Peeled {
  if (name === 'kubectl' && rest.includes('exec')) {
    const dashDash = rest.indexOf('--');
    if (dashDash < 0) return null;
    const pod = skipOptions(rest.slice(rest.indexOf('exec') + 1, dashDash), execValues)[0] ?? '';
    return { argv: rest.slice(dashDash + 1), via: `kubectl exec ${pod}` };
  }
  const compose = (name === 'docker' && rest[0] === 'compose' && rest[1] === 'exec') || (name === 'docker-compose' && rest[0] === 'exec');
  const exec = (name === 'docker' || name === 'podman') && (rest[0] === 'exec' || (rest[0] === 'container' && rest[1] === 'exec'));
  if (!compose && !exec) return null;
  const from = compose ? (name === 'docker' ? 2 : 1) : rest[0] === 'exec' ? 1 : 2;
  const operands = skipOptions(rest.slice(from), execValues);
  if (operands.length < 2) return null;
  return { argv: operands.slice(1), via: `${compose ? 'docker compose' : name} exec ${operands[0]}` };
}

/** A command that opens an interactive shell (`bash`, `sudo -i`, `su - postgres`, `ssh host`): its label, else undefined. */
export function interactiveShell(argv: string[]): string | undefined {
  const name = (argv[0] ?? '').slice((argv[0] ?? '').lastIndexOf('/') + 1);
  const rest = argv.slice(1);
  if (shells.has(name) && rest.every((w) => /^-(l|i|il|li|-login)$/.test(w))) return name;
  if (name === 'sudo' && rest.length > 0 && rest.every((w) => /^-[is]$/.test(w) || w === '-u' || !w.startsWith('-'))) {
    if (rest.some((w) => /^-[is]$/.test(w))) return argv.join(' ');
    const inner = skipOptions(rest, sudoValues);
    return inner.length === 0 ? argv.join(' ') : interactiveShell(inner);
  }
  if (name === 'su' && !rest.includes('-c')) return argv.join(' ');
  if (name === 'ssh' && !sshLocalCode(rest)) {
    const operands = skipOptions(rest, sshValues);
    return operands.length === 1 ? `ssh ${operands[0]}` : undefined;
  }
  return undefined;
}
