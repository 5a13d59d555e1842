import { operandsOf } from '../../shared/command-wrappers';
import type { Risk } from '../../shared/runbook';

/**
 * Verb tables of the CLIs on-call runbooks use most. A verb found here decides; a verb of these
 * CLIs that is not here is unknown (never read), so a new subcommand asks before it runs.
 */
type VerbTable = Partial<Record<Risk, string[]>>;

const tables: Record<string, VerbTable> = {
  kubectl: {
    read: ['get', 'describe', 'logs', 'top', 'explain', 'version', 'api-resources', 'api-versions', 'cluster-info', 'wait', 'auth can-i', 'auth whoami', 'events', 'diff', 'config view', 'config current-context', 'config get-contexts', 'config get-clusters', 'config get-users', 'port-forward', 'proxy', 'rollout status', 'rollout history', 'certificate', 'completion', 'kustomize', 'plugin'],
    write: ['apply', 'create', 'patch', 'edit', 'label', 'annotate', 'scale', 'autoscale', 'set', 'cordon', 'uncordon', 'taint', 'expose', 'run', 'cp', 'config', 'auth', 'rollout restart', 'rollout resume', 'rollout pause', 'debug', 'attach'],
    dangerous: ['delete', 'drain', 'replace', 'rollout undo'],
  },
  helm: {
    read: ['list', 'ls', 'status', 'get', 'history', 'show', 'template', 'search', 'lint', 'version', 'env', 'repo list', 'dependency list', 'diff', 'verify'],
    write: ['install', 'upgrade', 'repo add', 'repo update', 'dependency update', 'dependency build', 'test', 'package', 'pull', 'push'],
    dangerous: ['uninstall', 'delete', 'rollback', 'repo remove'],
  },
  docker: {
    read: ['ps', 'logs', 'inspect', 'stats', 'top', 'images', 'version', 'info', 'events', 'port', 'diff', 'history', 'search', 'image ls', 'image inspect', 'container ls', 'network ls', 'network inspect', 'volume ls', 'volume inspect', 'system df', 'system info', 'context ls', 'compose ps', 'compose logs', 'compose config', 'compose top', 'compose images', 'compose ls', 'compose version'],
    write: ['run', 'start', 'restart', 'pull', 'build', 'tag', 'push', 'create', 'cp', 'update', 'pause', 'unpause', 'login', 'network create', 'volume create', 'compose up', 'compose start', 'compose restart', 'compose build', 'compose pull', 'compose run', 'compose create', 'compose pause', 'compose unpause'],
    dangerous: ['stop', 'kill', 'rm', 'rmi', 'prune', 'system prune', 'image prune', 'container prune', 'volume rm', 'volume prune', 'network rm', 'network prune', 'compose down', 'compose stop', 'compose rm', 'compose kill'],
  },
  systemctl: {
    read: ['status', 'is-active', 'is-enabled', 'is-failed', 'is-system-running', 'list-units', 'list-unit-files', 'list-timers', 'list-sockets', 'list-dependencies', 'show', 'cat', 'help', 'get-default'],
    write: ['start', 'restart', 'reload', 'try-restart', 'reload-or-restart', 'enable', 'daemon-reload', 'reset-failed', 'unmask', 'edit', 'set-property'],
    dangerous: ['stop', 'disable', 'mask', 'kill', 'isolate', 'poweroff', 'reboot', 'halt', 'rescue', 'emergency'],
  },
  git: {
    read: ['status', 'log', 'diff', 'show', 'branch', 'fetch', 'remote', 'blame', 'grep', 'rev-parse', 'describe', 'ls-files', 'ls-remote', 'shortlog', 'reflog', 'config --get', 'tag -l', 'version', 'fsck', 'cat-file', 'count-objects', 'rev-list', 'verify-pack', 'show-ref', 'for-each-ref', 'ls-tree', 'merge-base', 'bisect log'],
    write: ['pull', 'checkout', 'switch', 'merge', 'commit', 'push', 'clone', 'stash', 'revert', 'rebase', 'tag', 'cherry-pick', 'add', 'mv', 'restore', 'init', 'am', 'apply', 'update-ref', 'pack-objects', 'repack', 'gc', 'update-index', 'config'],
    dangerous: ['reset --hard', 'clean', 'push --force', 'push -f', 'branch -D', 'rm', 'filter-branch', 'gc --prune=now', 'prune', 'update-ref -d'],
  },
  pg_ctl: { read: ['status'], write: ['start', 'restart', 'reload', 'logrotate', 'init', 'initdb'], dangerous: ['stop', 'promote', 'kill'] },
  pg_ctlcluster: { read: ['status'], write: ['start', 'restart', 'reload'], dangerous: ['stop', 'promote'] },
  patronictl: {
    read: ['list', 'history', 'show-config', 'topology', 'version', 'dsn', 'query'],
    write: ['restart', 'reload', 'pause', 'resume', 'edit-config', 'flush'],
    dangerous: ['failover', 'switchover', 'reinit', 'remove'],
  },
};

/** Read and delete verbs of the cloud CLIs: `aws ec2 describe-instances`, `gcloud … list`, `az … show`. */
const cloudPrefixes: Record<Risk, string[]> = {
  read: ['describe', 'list', 'get', 'show', 'ls', 'wait', 'head', 'lookup', 'search', 'query', 'print', 'version', 'info'],
  dangerous: ['delete', 'terminate', 'remove', 'rm', 'deregister', 'destroy', 'purge', 'revoke', 'detach', 'disable', 'stop', 'reboot', 'reset', 'deprovision'],
  write: ['create', 'update', 'put', 'modify', 'start', 'set', 'attach', 'add', 'tag', 'cp', 'mv', 'sync', 'run', 'invoke', 'enable', 'register', 'restore', 'import', 'deploy', 'resize', 'scale', 'restart', 'apply'],
  admin: [], ddl: [], unknown: [],
};
const clouds = new Set(['aws', 'gcloud', 'az', 'gsutil']);

/** Options that take a value, so the value is not read as a verb. */
const valueOptions = new Set(['-n', '--namespace', '--context', '--kubeconfig', '-c', '--container', '-l', '--selector', '-o', '--output', '-f', '--filename', '--project', '--zone', '--region', '--profile', '--resource-group', '-g', '--subscription', '-C', '--since', '--tail', '-p', '--type', '-H', '--host', '-D', '--pgdata', '-m', '--mode', '--query', '--format', '--cluster', '-u', '--user']);

/** The risk a verb table gives the command, or undefined when the program has no table. */
/** Whether a CLI's first operand is a subcommand the verb tables judge (kubectl get, git push). */
export function hasVerbTable(program: string): boolean {
  return Object.hasOwn(tables, program);
}

export function cliVerbRisk(lower: string[]): { risk: Risk; verb: string } | undefined {
  const name = lower[0] ?? '';
  const operands = operandsOf(lower.slice(1), valueOptions);
  if (clouds.has(name)) return cloudVerb(name, operands);
  if (name === 'pg_restore') return pgRestore(lower);
  if (name === 'tar') return tarMode(lower);
  const program = name === 'docker-compose' ? 'docker' : name;
  const table = tables[program];
  if (!table) return undefined;
  const words = name === 'docker-compose' ? ['compose', ...operands] : operands;
  const flags = lower.slice(1).filter((w) => w.startsWith('-'));
  for (const [risk, entry] of ordered(table)) {
    const [verb, extra] = entry.split(' ');
    const matches = extra === undefined ? words[0] === verb : words[0] === verb && (words[1] === extra || flags.includes(extra!));
    if (matches) return { risk, verb: `${name} ${entry}` };
  }
  return { risk: 'unknown', verb: `${name} ${words[0] ?? ''}`.trim() };
}

/** Two-word entries first (`git config --get` reads, `git config` writes), each pass worst first. */
function ordered(table: VerbTable): (readonly [Risk, string])[] {
  let entries = orderedTables.get(table);
  if (!entries) {
    const all = (['dangerous', 'write', 'read'] as const).flatMap((risk) => (table[risk] ?? []).map((entry) => [risk, entry] as const));
    entries = [...all.filter(([, e]) => e.includes(' ')), ...all.filter(([, e]) => !e.includes(' '))];
    orderedTables.set(table, entries);
  }
  return entries;
}
const orderedTables = new Map<VerbTable, (readonly [Risk, string])[]>();

function cloudVerb(name: string, operands: string[]): { risk: Risk; verb: string } {
  for (const [i, operand] of operands.slice(0, 4).entries()) {
    for (const risk of ['dangerous', 'write', 'read'] as const) {
      if (cloudPrefixes[risk].some((p) => operand === p || operand.startsWith(`${p}-`))) return { risk, verb: [name, ...operands.slice(0, i + 1)].join(' ') };
    }
  }
  return { risk: 'unknown', verb: [name, ...operands.slice(0, 2)].join(' ') };
}

/** tar -t lists an archive; -c and -x write files. */
function tarMode(lower: string[]): { risk: Risk; verb: string } {
  const mode = lower.slice(1).find((w) => /^-?[a-zA-Z]*[txcru][a-zA-Z]*$/.test(w) && !w.startsWith('--')) ?? '';
  if (/t/.test(mode) || lower.includes('--list')) return { risk: 'read', verb: 'tar --list' };
  if (/[xcru]/.test(mode) || lower.some((w) => ['--extract', '--create', '--append'].includes(w))) return { risk: 'write', verb: 'tar (writes files)' };
  return { risk: 'unknown', verb: 'tar' };
}

/** pg_restore lists an archive (read), restores into a database (write), or drops what it restores first (--clean). */
function pgRestore(lower: string[]): { risk: Risk; verb: string } {
  if (lower.includes('-l') || lower.includes('--list')) return { risk: 'read', verb: 'pg_restore --list' };
  if (lower.some((w) => w === '-c' || w === '--clean' || /^-[a-zA-Z]*c[a-zA-Z]*$/.test(w))) return { risk: 'dangerous', verb: 'pg_restore --clean (drops objects before restoring them)' };
  return { risk: 'write', verb: 'pg_restore' };
}
