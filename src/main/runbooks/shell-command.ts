import { skipOptions } from '../../shared/command-wrappers';
import { segmentsOf, tokenize, type ShellSegment } from './shell-lexer';

/** A simple command with its prefixes (env assignments, sudo) and exec wrappers peeled off. */
export interface UnwrappedCommand {
  /** The program and its arguments, after `sudo`, `docker exec C`, `kubectl exec P --`… */
  argv: string[];
  /** `docker exec spilttea-postgres` → { tool: 'docker exec', container: 'spilttea-postgres' }. */
  via?: { tool: string; container: string };
  /** `FOO=bar cmd`: the assignments before the command. */
  assignments: Record<string, string>;
  sudo: boolean;
}

const prefixPrograms = new Set(['time', 'nohup', 'exec', 'command', 'builtin', 'stdbuf', 'unbuffer', 'npx']);

/** Peels `FOO=1 sudo -u postgres docker exec -it db …` down to the program that does the work. */
export function unwrap(words: string[]): UnwrappedCommand {
  const assignments: Record<string, string> = {};
  let argv = [...words];
  let sudo = false;
  let via: UnwrappedCommand['via'];
  for (let guard = 0; guard < 8 && argv.length > 0; guard++) {
    const head = argv[0]!;
    const assignment = /^([A-Za-z_]\w*)=(.*)$/s.exec(head);
    if (assignment) {
      assignments[assignment[1]!] = assignment[2]!;
      argv = argv.slice(1);
    } else if (head === 'sudo' || head === 'doas') {
      sudo = true;
      argv = skipOptions(argv.slice(1), new Set(['-u', '-g', '-C', '-D', '-h', '-p', '-r', '-t', '-U']));
    } else if (head === 'env') {
      argv = skipOptions(argv.slice(1), new Set(['-u', '-C', '-S']));
    } else if (head === 'bundle' && argv[1] === 'exec') {
      argv = argv.slice(2);
    } else if (['do', 'then', 'else', 'if', 'while', 'until', '!', 'timeout'].includes(head)) {
      argv = head === 'timeout' ? skipOptions(argv.slice(1), new Set(['-s', '-k', '--signal'])).slice(1) : argv.slice(1);
    } else if (prefixPrograms.has(head)) {
      argv = skipOptions(argv.slice(1), new Set(['-o', '-e', '-i', '-p', '--package']));
    } else if ((head === 'docker' || head === 'podman') && (argv[1] === 'exec' || (argv[1] === 'container' && argv[2] === 'exec'))) {
      const rest = skipOptions(argv.slice(argv[1] === 'exec' ? 2 : 3), new Set(['-u', '--user', '-e', '--env', '-w', '--workdir', '--env-file', '--detach-keys']));
      via = { tool: `${head} exec`, container: rest[0] ?? '' };
      argv = rest.slice(1);
    } else if ((head === 'docker' && argv[1] === 'compose' && argv[2] === 'exec') || (head === 'docker-compose' && argv[1] === 'exec')) {
      const rest = skipOptions(argv.slice(head === 'docker' ? 3 : 2), new Set(['-u', '--user', '-e', '--env', '-w', '--workdir', '--index']));
      via = { tool: head === 'docker' ? 'docker compose exec' : 'docker-compose exec', container: rest[0] ?? '' };
      argv = rest.slice(1);
    } else if (head === 'kubectl' && argv.includes('exec')) {
      const dashDash = argv.indexOf('--');
      if (dashDash < 0) break;
      const before = argv.slice(argv.indexOf('exec') + 1, dashDash);
      const pod = skipOptions(before, new Set(['-n', '--namespace', '-c', '--container', '--context', '-f']))[0] ?? '';
      via = { tool: 'kubectl exec', container: pod };
      argv = argv.slice(dashDash + 1);
    } else if ((head === 'sh' || head === 'bash' || head === 'zsh') && argv[1] === '-c' && argv[2]) {
      const inner = segmentsOf(tokenize(argv[2]))[0];
      if (!inner) break;
      argv = inner.words;
    } else break;
  }
  return { argv, via, assignments, sudo };
}


/** The program name without its directory: /opt/gitlab/embedded/bin/redis-cli → redis-cli. */
export function programName(argv: string[]): string {
  const first = argv[0] ?? '';
  return first.slice(first.lastIndexOf('/') + 1);
}

/** Programs that only shape output: a DB step piped into them stays a DB step. */
export const outputFilters = new Set(['grep', 'egrep', 'fgrep', 'rg', 'head', 'tail', 'less', 'more', 'jq', 'yq', 'sort', 'uniq', 'wc', 'awk', 'sed', 'cut', 'column', 'tee', 'tr', 'cat', 'fmt', 'nl', 'pv', 'gzip', 'xxd']);

/** True when every segment after the first only filters the first one's output. */
export function onlyFiltered(segments: ShellSegment[]): boolean {
  return segments.slice(1).every((segment) => segment.joiner === '|' && outputFilters.has(programName(unwrap(segment.words).argv)) && !segment.words.includes('-i'));
}

/** Notes for the operator about what happens to a DB command's output. */
export function outputNotes(segments: ShellSegment[]): string[] {
  const notes: string[] = [];
  const first = segments[0];
  if (!first) return notes;
  const filters = segments.slice(1).map((s) => s.words.join(' '));
  if (filters.length > 0) notes.push(`output is piped through: ${filters.join(' | ')}`);
  for (const redirect of first.redirects.concat(segments.slice(1).flatMap((s) => s.redirects))) {
    if (redirect.op.includes('>') && redirect.target) notes.push(`output is redirected to ${redirect.target}`);
  }
  return notes;
}

/** Programs whose presence at the start of a line makes an unlabeled fence a list of commands. */
const knownPrograms = new Set(
  `psql gitlab-psql redis-cli gitlab-redis-cli curl wget sudo docker docker-compose kubectl helm systemctl service journalctl tail head grep cat less ls cd
  ps top df du free kill pkill git npm npx node yarn pm2 ssh scp rsync gitlab-ctl gitlab-rake gitlab-rails knife chef-client consul vault patronictl
  pg_dump pg_restore pg_basebackup pg_ctl pg_isready pgbouncer gcloud gsutil aws terraform tf wrangler mysql sqlite3 echo export find awk sed tar gzip
  openssl dig nslookup ping nc netstat ss lsof watch chmod chown mv cp rm mkdir touch env source bundle rake rails ruby python python3 pip make
  for while if mount umount iostat vmstat dmesg crontab redis-server redis-sentinel jq yq glab tsh teleport perf strace gdb bq crictl tctl sshuttle socat
  sv supervisorctl gpg mc stat file diff xargs nohup time timeout tmux screen htop iotop journalctl apt apt-get yum dnf brew`.split(/\s+/),
);

/** True when the line starts with something that runs: a known program, a path, or VAR=value. */
export function startsWithProgram(line: string): boolean {
  const trimmed = line.trim().replace(/^\$\s+/, '');
  if (!trimmed || trimmed.startsWith('#')) return false;
  const first = trimmed.split(/\s+/)[0]!;
  return knownPrograms.has(first.replace(/^.*\//, '')) && !/^-/.test(first) || /^\.{0,2}\/[\w./-]+$/.test(first) || /^[A-Z_][A-Z0-9_]*=\S*(\s+\S|$)/.test(trimmed);
}
