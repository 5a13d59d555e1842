import type { RunbookStatement } from '../../shared/runbook';
import { sshValues } from '../../shared/command-wrappers';
import { gitValueOptions, harmlessPagers } from './code-settings';

type Verdict = Pick<RunbookStatement, 'risk' | 'reasons'>;

/**
 * Programs the read table lists whose other forms write or run things: `hostname x` renames the
 * host, `date -s` sets the clock, `ip link set … down`, `dmesg -C`, `journalctl --vacuum-size`,
 * `find -fprint FILE`, `tcpdump -z cmd`. Where the read forms are few they are allowlisted; the
 * verdict for a form that is not a read, else undefined (the tables decide). Options are
 * case-sensitive: `git branch -D` is not `-d`.
 */
export function readFormRisk(name: string, argv: string[]): Verdict | undefined {
  const args = argv.slice(1);
  switch (name) {
    case 'hostname':
      return hostname(args);
    case 'date':
      return date(args);
    case 'ip':
      return ip(args);
    case 'dmesg':
      return args.some((w) => longOption(w, ['--clear', '--read-clear', '--console-off', '--console-on', '--console-level']) || /^-[a-zA-Z]*[CcDEn]/.test(w))
        ? write('dmesg -C/-c/-D/-E/-n clears the kernel ring buffer or changes console logging')
        : undefined;
    case 'journalctl':
      return args.some((w) => longOption(w, ['--vacuum-size', '--vacuum-time', '--vacuum-files', '--rotate', '--flush', '--sync', '--relinquish-var', '--smart-relinquish-var', '--setup-keys', '--update-catalog']))
        ? write('journalctl --vacuum/--rotate/--flush/--sync/--setup-keys changes the journal')
        : undefined;
    case 'find':
      return args.some((w) => ['-fprint', '-fprint0', '-fprintf', '-fls'].includes(w)) ? write('find -fprint/-fprintf/-fls writes to a file') : undefined;
    case 'ssh-keygen':
      return sshKeygen(args);
    case 'openssl':
      if (args.some((w) => ['-engine', '-provider', '-provider-path', '-config'].includes(w))) return unknown('openssl -engine/-provider/-config loads code or settings the console cannot see');
      return args.some((w) => ['-out', '-keyout', '-signkey'].includes(w) || w.startsWith('-out=')) ? write('openssl -out writes a file') : undefined;
    case 'tcpdump':
      if (args.some((w) => /^-[a-zA-Z]*z/.test(w) && !w.startsWith('--'))) return unknown('tcpdump -z runs a command on each capture file');
      return args.some((w) => /^-[a-zA-Z]*w/.test(w) && !w.startsWith('--')) ? write('tcpdump -w writes a capture file') : undefined;
    case 'git':
      return git(args);
    case 'mount':
      return mountRisk(args);
    case 'sort':
      if (args.some((w) => longOption(w, ['--compress-program']))) return unknown('sort --compress-program runs a program');
      return args.some((w) => longOption(w, ['--output']) || /^-[a-zA-Z]*o/.test(w)) ? write('sort -o writes its output to a file') : undefined;
    case 'yq':
      return args.some((w) => longOption(w, ['--inplace', '--split-exp']) || /^-[a-zA-Z]*[is]/.test(w)) ? write('yq -i edits the file in place, and -s writes a file per document') : undefined;
    case 'less':
      if (args.some((w) => /^\+\+?:?[!|]/.test(w) || longOption(w, ['--lesskey-file', '--lesskey-src', '--lesskey-content']) || /^-[a-zA-Z]*k/.test(w)))
        return unknown('less +!cmd, +|cmd and -k run shell commands or load key bindings the console cannot see');
      return args.some((w) => longOption(w, ['--log-file', '--LOG-FILE']) || /^-[a-zA-Z]*[oO]/.test(w)) ? write('less -o copies its input to a file') : undefined;
    case 'man':
      return manRisk(args);
    case 'ssh': {
      const code = sshLocalCode(args);
      return code ? unknown(code) : undefined;
    }
    case 'perf':
      return perf(args);
    case 'rbspy':
      if (args[0] === 'snapshot') return undefined;
      return args[0] === 'record' && !args.includes('--') && args.some((w) => w === '-p' || w === '--pid')
        ? write('rbspy record writes a profile file')
        : unknown(`rbspy ${args[0] ?? ''} runs or records a program`.replace('  ', ' '));
    default:
      return undefined;
  }
}

/**
 * Forms of prefixes and builtins the tables never see (they look past the prefix, and builtins
 * are reads): `command -v NAME` only says what NAME is; `time -o FILE` writes its report to FILE;
 * `mapfile -C CMD` runs CMD as it reads.
 */
export function prefixFormRisk(argv: string[]): Verdict | undefined {
  const [name, ...args] = argv;
  if (name === 'command' && (args[0] === '-v' || args[0] === '-V')) return { risk: 'read', reasons: [] };
  if (name === 'time' && args.some((w) => w === '-o' || longOption(w, ['--output']))) return write('time -o writes its report to a file');
  if ((name === 'mapfile' || name === 'readarray') && args.some((w) => /^-[a-zA-Z]*C/.test(w))) return unknown(`${name} -C runs the callback it is given`);
  return undefined;
}

/**
 * Whether a word is one of these long options, as getopt_long reads it: any prefix of the name
 * (`--rot` is `--rotate`), with or without `=value`. An ambiguous prefix counts too: it is refused there.
 */
export function longOption(word: string, names: string[]): boolean {
  if (!word.startsWith('--') || word.length < 3) return false;
  const given = word.includes('=') ? word.slice(0, word.indexOf('=')) : word;
  return names.some((name) => name.startsWith(given));
}

function write(reason: string): Verdict {
  return { risk: 'write', reasons: [reason] };
}
function unknown(reason: string): Verdict {
  return { risk: 'unknown', reasons: [reason] };
}

/** `hostname`, `hostname -f`: prints; `hostname NAME`, `hostname -F FILE` sets the name. */
function hostname(args: string[]): Verdict | undefined {
  const printing = /^(-[aAbdfiIsy]+|--(alias|all-fqdns|domain|fqdn|long|ip-address|all-ip-addresses|short|yp|nis|boot))$/;
  return args.every((w) => printing.test(w)) ? undefined : write('hostname with a name or -F sets the host name');
}

/** `date`, `date -u +%s`, `date -d …`: prints; `date -s …` or `date MMDDhhmm` sets the clock. */
function date(args: string[]): Verdict | undefined {
  for (let i = 0; i < args.length; i++) {
    const w = args[i]!;
    if (w.startsWith('+')) continue;
    if (['-d', '--date', '-r', '--reference', '-f', '--file'].includes(w)) {
      i++;
      continue;
    }
    if (/^(-[uRI]+|-I\w*|--(utc|universal|rfc-2822|rfc-email|debug|iso-8601|rfc-3339|date|reference|file|resolution)(=.*)?|-[dr].+)$/.test(w)) continue;
    return write('date -s or a time operand sets the system clock');
  }
  return undefined;
}

const ipShow = new Set(['show', 'list', 'ls', 'lst', 'sh', 's', 'l', 'get', 'help']);

/** `ip addr`, `ip -br link show`, `ip route get 1.1.1.1`: read; `ip link set lo down`: write. */
function ip(args: string[]): Verdict | undefined {
  let i = 0;
  while (i < args.length && args[i]!.startsWith('-')) {
    if (['-n', '-netns', '-f', '-family', '-b', '-batch', '-rc', '-rcvbuf', '-l', '-loops'].includes(args[i]!)) i++;
    i++;
  }
  const object = args[i];
  const verb = args[i + 1];
  if (args.some((w) => w === '-b' || w === '-batch' || w === '-force')) return unknown('ip -batch runs commands from a file');
  if (object === undefined || verb === undefined || ipShow.has(verb) || verb.startsWith('-') || object === 'monitor' || object === 'help') return undefined;
  // `ip addr show dev eth0` is covered above; `ip route 10.0.0.0/8` lists too but is rare: ask.
  return write(`ip ${object} ${verb} changes the network configuration`);
}

/** `ssh-keygen -l/-F/-L/-y/-e/-B/-D/-r` print; `-R` removes a known host, no mode generates a key. */
function sshKeygen(args: string[]): Verdict | undefined {
  const clusters = args.filter((w) => /^-[a-zA-Z]+$/.test(w)).map((w) => w.slice(1));
  const letters = clusters.join('');
  if (/[RpcAtuksNYMQOIVnzwa]/.test(letters) || !/[lFLByeDr]/.test(letters)) return write('ssh-keygen generates, changes or removes keys or known hosts in this form');
  return undefined;
}

/**
 * `perf top`/`report`/`list` read; `perf record|stat … -- sleep N` samples for N seconds (record
 * writes perf.data); any other command after `--`, or one the console cannot find, is unknown.
 */
function perf(args: string[]): Verdict | undefined {
  const sub = args[0] ?? '';
  if (['top', 'report', 'list', 'annotate', 'script', 'version', 'help', '--version'].includes(sub)) return undefined;
  const dashDash = args.indexOf('--');
  const command = dashDash < 0 ? [] : args.slice(dashDash + 1);
  const sleeps = command.length === 2 && command[0] === 'sleep' && /^\d+(\.\d+)?[smh]?$/.test(command[1]!);
  if ((sub === 'record' || sub === 'stat') && sleeps) {
    const output = args.slice(0, dashDash).some((w) => w === '-o' || w.startsWith('--output'));
    return sub === 'record' || output ? write(`perf ${sub} writes its samples to a file`) : undefined;
  }
  return unknown(`perf ${sub} runs or records a command the console cannot judge`.replace('  ', ' '));
}

/** `mount` alone, or with -l and -t TYPE, lists; with a device, a mount point, -a or -o remount it changes what is mounted. */
function mountRisk(args: string[]): Verdict | undefined {
  for (let i = 0; i < args.length; i++) {
    const w = args[i]!;
    if (w === '-t' || w === '--types') i++;
    else if (!['-l', '--show-labels', '-v', '--verbose', '-h', '--help', '-V', '--version'].includes(w) && !w.startsWith('--types=') && !/^-t./.test(w))
      return write('mount with a device, a mount point, -a or -o changes what is mounted');
  }
  return undefined;
}

/** ssh options that run a command on this side, load code, or run one on the server outside the judged command. */
const sshCodeOptions = /^(proxycommand|localcommand|permitlocalcommand|knownhostscommand|remotecommand|pkcs11provider|securitykeyprovider|xauthlocation|include|setenv)$/i;

/**
 * `ssh -o ProxyCommand=… host`, `-o LocalCommand=…`, `-o RemoteCommand=…`, `-F file`, `-I lib`: the
 * options that make ssh run or load something besides the command it is given. The reason, else undefined.
 */
export function sshLocalCode(args: string[]): string | undefined {
  // ssh reads options before the host and again right after it; from the next word on, the words
  // are the remote command's (`ssh web1 tail -F log`).
  let hostSeen = false;
  for (let i = 0; i < args.length && args[i] !== '--'; i++) {
    const word = args[i]!;
    if (!word.startsWith('-') || word === '-') {
      if (hostSeen) return undefined;
      hostSeen = true;
      continue;
    }
    const flags = word.slice(1);
    const at = flags.search(/[FIoE]/);
    if (at < 0) {
      if (sshValues.has(word)) i++;
      continue;
    }
    const value = flags.slice(at + 1) || args[++i] || '';
    if (flags[at] === 'E') return 'ssh -E writes its log to a file';
    if (flags[at] !== 'o') return `ssh -${flags[at]} loads a configuration or a library the console cannot see`;
    const key = value.split(/[=\s]/, 1)[0]!;
    if (sshCodeOptions.test(key)) return `ssh -o ${key} runs or loads something besides the command it is given`;
  }
  return undefined;
}

/** man -P/--pager and -H/--html run the program given (a pager that only prints is fine); -C and -p load settings or preprocessors. */
function manRisk(args: string[]): Verdict | undefined {
  for (let i = 0; i < args.length; i++) {
    const w = args[i]!;
    const pager = w === '-P' ? args[i + 1] : w.startsWith('-P') ? w.slice(2) : longOption(w, ['--pager']) ? (w.includes('=') ? w.slice(w.indexOf('=') + 1) : args[i + 1]) : undefined;
    if (pager !== undefined) {
      if (!harmlessPagers.has(pager.trim())) return unknown('man -P runs the pager it is given');
      continue;
    }
    if (longOption(w, ['--html', '--config-file', '--preprocessor']) || /^-[a-zA-Z]*[HCp]/.test(w)) return unknown('man -H/-C/-p runs the browser or preprocessor it is given, or loads settings');
  }
  return undefined;
}

/**
 * git's forms that write or destroy, for subcommands the read table lists: --output (diff, log,
 * show), reflog expire/delete, branch and remote.
 */
function git(args: string[]): Verdict | undefined {
  let i = 0;
  while (i < args.length && args[i]!.startsWith('-')) {
    if (gitValueOptions.has(args[i]!)) i++;
    i++;
  }
  const sub = args[i];
  const rest = args.slice(i + 1);
  if (rest.some((w) => longOption(w, ['--output']))) return write(`git ${sub ?? ''} --output writes a file`);
  if (sub === 'reflog' && (rest[0] === 'expire' || rest[0] === 'delete'))
    return { risk: 'dangerous', reasons: [`git reflog ${rest[0]} drops reflog entries: commits only they reach can then be lost`] };
  if (sub === 'branch') return gitBranch(rest);
  if (sub === 'remote') return gitRemote(rest);
  return undefined;
}

function gitBranch(rest: string[]): Verdict | undefined {
  const flags = rest.filter((w) => w.startsWith('-'));
  if (flags.some((w) => w === '-D' || (w === '--force' && rest.some((x) => x === '-d' || x === '--delete')) || /^-[a-zA-Z]*D/.test(w)))
    return { risk: 'dangerous', reasons: ['git branch -D deletes a branch even when it is not merged'] };
  const listing = rest.some((w) => w === '-l' || w === '--list' || w === '-a' || w === '--all' || w === '-r' || w === '--remotes');
  const changing = flags.some(
    (w) => /^-[a-zA-Z]*[dmMcCuf]/.test(w) || /^--(delete|move|copy|set-upstream|set-upstream-to|unset-upstream|edit-description|track|no-track|force|create-reflog|recurse-submodules)/.test(w),
  );
  if (changing) return write('git branch with -d/-m/-c/-u changes branches');
  const operands = rest.filter((w, j) => !w.startsWith('-') && !['--sort', '--format', '--contains', '--no-contains', '--merged', '--no-merged', '--points-at', '--column'].includes(rest[j - 1] ?? ''));
  if (operands.length > 0 && !listing) return write('git branch NAME creates a branch');
  return undefined;
}

function gitRemote(rest: string[]): Verdict | undefined {
  const operands = rest.filter((w) => !w.startsWith('-'));
  const verb = operands[0];
  if (verb === undefined || verb === 'show' || verb === 'get-url') return undefined;
  if (verb === 'remove' || verb === 'rm') return { risk: 'dangerous', reasons: [`git remote ${verb} removes a remote and its tracking branches`] };
  return write(`git remote ${verb} changes the repository's remotes`);
}
