import { compareRisk } from '../../shared/risk';
import type { Risk, RunbookStatement } from '../../shared/runbook';
import { cliVerbRisk, hasVerbTable } from './cli-verbs';
import { redisClientMode, redisPrograms } from './clients';
import { clientSettingRisk, gitSettingRisk } from './code-settings';
import { readFormRisk } from './read-forms';
import { scriptProgramRisk } from './script-programs';
import { programName, unwrap } from './shell-command';
import type { ShellSegment } from './shell-lexer';

/**
 * Risk of a shell command from tables, as the runbook issue specifies: common diagnostics are
 * read, state changes write, destructive commands dangerous, anything else unknown. The tables
 * match "program subcommand" first, then "program".
 */
const readCommands = new Set([
  'tail', 'head', 'grep', 'read', 'perf', 'rbspy', 'pidstat', 'jstack', 'sv status', 'supervisorctl status', 'for', 'done', 'fi', 'esac', 'then', 'else', 'in', 'case', 'gzip', 'gunzip', 'zstd', 'xz', 'base64', 'tr', 'sed', 'xargs', 'tee', 'egrep', 'zgrep', 'rg', 'cat', 'zcat', 'less', 'more', 'ps', 'pgrep', 'top', 'htop', 'free', 'df', 'du', 'uptime', 'w', 'who',
  'ls', 'll', 'stat', 'file', 'find', 'wc', 'sort', 'uniq', 'awk', 'cut', 'jq', 'yq', 'echo', 'printf', 'date', 'hostname', 'whoami', 'id', 'pwd', 'env',
  'printenv', 'uname', 'lsof', 'netstat', 'ss', 'ip', 'ifconfig', 'ping', 'traceroute', 'mtr', 'dig', 'nslookup', 'host', 'nc', 'telnet', 'iostat', 'vmstat',
  'mpstat', 'sar', 'pidstat', 'dmesg', 'lsblk', 'mount', 'findmnt', 'openssl', 'ssh-keygen', 'ssh-keyscan', 'which', 'type', 'man', 'watch', 'sleep',
  'journalctl', 'column', 'diff', 'md5sum', 'sha256sum', 'tree', 'history', 'getent', 'nproc', 'lscpu', 'tcpdump', 'iotop', 'ncdu', 'cd',
  'curl', 'wget', 'pg_isready', 'pg_controldata', 'pg_lsclusters', 'pg_dump', 'pg_dumpall', 'pg_basebackup', 'redis-benchmark', 'true', 'test', '[',
  'docker ps', 'docker logs', 'docker stats', 'docker inspect', 'docker top', 'docker images', 'docker system', 'docker info', 'docker version',
  'docker-compose ps', 'docker-compose logs', 'docker-compose config', 'docker-compose top', 'docker compose ps', 'docker compose logs', 'docker compose config',
  'systemctl status', 'systemctl is-active', 'systemctl list-units', 'systemctl show', 'service status', 'pm2 list', 'pm2 ls', 'pm2 logs', 'pm2 status',
  'pm2 show', 'pm2 describe', 'pm2 monit', 'kubectl get', 'kubectl describe', 'kubectl logs', 'kubectl top', 'kubectl explain', 'kubectl version',
  'kubectl config', 'kubectl auth', 'git status', 'git log', 'git diff', 'git show', 'git branch', 'git fetch', 'git remote', 'npm ls', 'npm list',
  'npm view', 'npm outdated', 'node --version', 'gitlab-ctl status', 'gitlab-ctl tail', 'gitlab-rake gitlab:check', 'consul members', 'consul info',
  'patronictl list', 'patronictl history', 'patronictl show-config', 'gcloud compute', 'aws s3 ls', 'knife node', 'knife search', 'helm list', 'helm status',
  'helm get', 'vault status', 'vault read', 'terraform plan', 'terraform show', 'wrangler tail', 'chef-client --why-run', 'crontab -l', 'nginx -t',
  'prisma migrate status', 'redis-cli --bigkeys', 'redis-cli --memkeys', 'redis-cli --hotkeys', 'redis-cli --scan', 'redis-cli --latency', 'redis-cli --latency-history', 'redis-cli --stat', 'redis-cli ping', 'redis-cli info', 'docker images', 'docker image ls', 'docker network ls', 'docker volume ls', 'docker compose images',
]);

const writeCommands = new Set([
  'systemctl restart', 'systemctl start', 'systemctl reload', 'service restart', 'service start', 'service reload', 'pm2 restart', 'pm2 reload', 'pm2 start',
  'docker restart', 'docker start', 'docker run', 'docker pull', 'docker build', 'docker-compose up', 'docker-compose restart', 'docker-compose start',
  'docker-compose build', 'docker-compose pull', 'docker compose up', 'docker compose restart', 'docker compose start', 'docker compose build',
  'docker compose pull', 'git pull', 'git checkout', 'git merge', 'git commit', 'git push', 'git clone', 'git stash', 'npm install', 'npm ci', 'npm run',
  'npm start', 'npm update', 'yarn', 'pnpm install', 'npx', 'node', 'kubectl apply', 'kubectl rollout', 'kubectl scale', 'kubectl annotate', 'kubectl label',
  'kubectl cordon', 'kubectl uncordon', 'kubectl create', 'kubectl patch', 'kubectl edit', 'kubectl set', 'helm upgrade', 'helm install', 'terraform apply',
  'wrangler deploy', 'wrangler publish', 'cp', 'mv', 'mkdir', 'touch', 'ln', 'chmod', 'chown', 'tee', 'sed -i', 'vim', 'vi', 'nano', 'export', 'source',
  'ssh', 'scp', 'rsync', 'gitlab-ctl restart', 'gitlab-ctl reconfigure', 'gitlab-ctl hup', 'gitlab-ctl start', 'chef-client', 'knife ssh', 'consul kv',
  'patronictl restart', 'patronictl reload', 'patronictl pause', 'patronictl resume', 'vault write', 'apt-get install', 'apt install', 'pg_restore', 'createdb',
  'prisma migrate', 'prisma generate', 'git revert', 'git rebase', 'git tag', 'docker tag', 'docker push', 'crontab -e', 'nginx -s', 'openssl req',
]);

const dangerousCommands = new Set([
  'dropdb', 'dropuser', 'rm', 'shred', 'mkfs', 'dd', 'kill', 'pkill', 'killall', 'reboot', 'shutdown', 'halt', 'poweroff', 'truncate', 'wipefs', 'fdisk',
  'systemctl stop', 'systemctl disable', 'systemctl kill', 'service stop', 'pm2 stop', 'pm2 delete', 'pm2 kill', 'docker stop', 'docker kill', 'docker rm',
  'docker rmi', 'docker system prune', 'docker volume rm', 'docker volume prune', 'docker-compose down', 'docker-compose stop', 'docker-compose rm',
  'docker-compose kill', 'docker compose down', 'docker compose stop', 'docker compose rm', 'docker compose kill', 'git push --force', 'git push -f',
  'git reset --hard', 'git clean', 'wrangler rollback', 'kubectl delete', 'kubectl drain', 'kubectl replace --force', 'helm uninstall', 'helm delete',
  'helm rollback', 'terraform destroy', 'gitlab-ctl stop', 'gitlab-ctl kill', 'patronictl failover', 'patronictl switchover', 'patronictl reinit',
  'patronictl remove', 'pg_ctl stop', 'pg_ctl promote', 'pg_resetwal', 'iptables', 'consul leave', 'vault delete', 'prisma migrate reset', 'npm unpublish',
  'redis-cli flushall', 'redis-cli flushdb', 'redis-cli shutdown', 'npm stop', 'docker compose stop',
]);

/** Risk and reasons of one simple command. */
export function segmentRisk(segment: ShellSegment): Pick<RunbookStatement, 'risk' | 'reasons'> {
  const { argv, sudo, assignments } = unwrap(segment.words);
  const name = programName(argv);
  const words = [name, ...argv.slice(1)];
  // Options are case-sensitive (`git branch -D` is not `-d`); subcommands are compared lowercased.
  const lower = words.map((w) => (w.startsWith('-') ? w : w.toLowerCase()));
  const clientMode = redisPrograms.has(name) ? redisClientMode(words.map((w) => w.toLowerCase())) : undefined;
  if (clientMode) return { risk: clientMode.risk, reasons: [`redis-cli ${clientMode.mode} runs in the client: ${clientMode.reason}`] };
  // `N=300` only sets a shell variable.
  const program = scriptProgramRisk(name, argv) ?? readFormRisk(name, argv);
  let risk = argv.length === 0 && Object.keys(assignments).length > 0 ? 'read' : (program?.risk ?? specialRisk(name, lower, segment) ?? tableRisk(lower));
  const reasons: string[] = [...(program?.reasons ?? [])];
  const label = cliVerbRisk(lower)?.verb ?? describe(words);
  if (program) {
    // sed and awk are judged by their program: its reasons say why.
  } else if (risk === 'dangerous') reasons.push(isStdinRestore(name, segment) ? `${name} replays SQL from a file the console cannot inspect (a restore)` : name === 'find' && lower.includes('-delete') ? 'find -delete removes every file it matches' : `${label} is destructive`);
  else if (risk === 'write') reasons.push(`${label} changes state`);
  else if (risk === 'unknown') reasons.push(`${label.split(' ').length > 1 && knownPrograms.has(name) ? label : name || 'this command'} is not in the console's tables`);
  const written = segment.redirects.find(writesFile);
  if (risk === 'read' && written) {
    risk = 'write';
    reasons.push(`writes to ${written.target}`);
  }
  // `git -c core.fsmonitor=cmd status` runs cmd whatever the subcommand does; so may a kubeconfig.
  const setting = name === 'git' ? gitSettingRisk(argv) : clientSettingRisk(name, argv);
  if (setting && compareRisk(setting.risk, risk) > 0) {
    risk = setting.risk;
    reasons.unshift(...setting.reasons);
  }
  if (sudo && risk === 'read') reasons.push('runs with sudo');
  return { risk, reasons };
}

/** Targets that are the terminal or a descriptor, not a file. */
const streamTargets = /^\/dev\/(null|stdout|stderr|tty|fd\/\d+)$/;

/**
 * A redirection that opens a file for writing: `>`, `>>`, `>|`, `<>`, `&>`, `&>>`, each also with a
 * descriptor (`2> file`), and `>& file`; `/dev/null`, the terminal and a descriptor (`2>&1`, `>&2`) write no file.
 */
export function writesFile(redirect: { op: string; target: string }): boolean {
  const { op, target } = redirect;
  if (!target || streamTargets.test(target)) return false;
  if (/^\d*>&$/.test(op)) return !/^(\d+|-)$/.test(target);
  return /^\d*(>|>>|>\||<>)$|^&>>?$/.test(op);
}

function specialRisk(name: string, lower: string[], segment: ShellSegment): Risk | undefined {
  if (isForcePush(lower) || isStdinRestore(name, segment) || (name === 'find' && (lower.includes('-delete') || lower.includes('rm')))) return 'dangerous';
  // redis-cli's options come before the command: FLUSHALL may be any word.
  if (name === 'redis-cli' && lower.some((w) => dangerousCommands.has(`redis-cli ${w.toLowerCase()}`))) return 'dangerous';
  return undefined;
}

/** Global flags of multi-level CLIs whose value is not a subcommand (kubectl -n ns get …). */
export const flagsWithValue = new Set(['-n', '--namespace', '--context', '--project', '--zone', '--region', '-c', '-C', '--cluster', '--profile', '-H', '--host', '-u', '--config', '--format', '-o', '--output']);
const readVerbs = new Set(['list', 'ls', 'get', 'describe', 'show', 'status', 'info', 'top', 'logs', 'log', 'search', 'read', 'view', 'inspect', 'history', 'diff', 'plan', 'explain', 'version', 'whoami', 'help', 'check', 'members', 'record', 'script', 'report', 'stat', 'stats', 'query', 'ping', 'print']);
const writeVerbs = new Set(['create', 'update', 'set', 'apply', 'patch', 'edit', 'restart', 'start', 'reload', 'scale', 'upgrade', 'deploy', 'rollout', 'put', 'write', 'add', 'import', 'login', 'run', 'exec', 'cordon', 'uncordon', 'resize', 'enable', 'sync', 'tag', 'label', 'annotate', 'install', 'bootstrap', 'promote', 'resume', 'pause', 'reconfigure', 'hup', 'push', 'upload', 'copy', 'cp', 'mv', 'move', 'rename', 'attach', 'unseal', 'seal', 'rotate', 'renew', 'approve', 'merge', 'checkout', 'commit', 'pull', 'clone', 'fetch', 'backup', 'export']);
const dangerousVerbs = new Set(['delete', 'destroy', 'drop', 'remove', 'rm', 'purge', 'terminate', 'kill', 'uninstall', 'reset', 'wipe', 'flush', 'failover', 'switchover', 'evict', 'drain', 'stop', 'disable', 'detach', 'revoke', 'shutdown', 'reinit', 'truncate', 'prune', 'force-delete', 'rollback', 'restore']);

/** Programs with entries in the tables: only their read verbs are trusted. */
const knownPrograms = new Set([...readCommands, ...writeCommands, ...dangerousCommands].map((entry) => entry.split(' ')[0]!));
/** Programs whose first operand is a subcommand in the tables (systemctl restart, pm2 stop). */
const subcommandPrograms = new Set([...readCommands, ...writeCommands, ...dangerousCommands].filter((entry) => /^\S+ [a-z]/.test(entry)).map((entry) => entry.split(' ')[0]!));

/** Whether the tables judge this program by its subcommand, so a value there decides the risk. */
export function takesSubcommand(program: string): boolean {
  return subcommandPrograms.has(program) || hasVerbTable(program);
}

/** The longest "program subcommand…" entry found in any table decides; else the verb does. */
function tableRisk(lower: string[]): Risk {
  const cli = cliVerbRisk(lower);
  if (cli) return cli.risk;
  const operands: string[] = [];
  for (let i = 1; i < lower.length; i++) {
    if (flagsWithValue.has(lower[i]!)) i++;
    else if (!lower[i]!.startsWith('-')) operands.push(lower[i]!);
  }
  for (const n of [3, 2, 1]) {
    const keys = [lower.slice(0, n).join(' '), [lower[0], ...operands.slice(0, n - 1)].join(' ')];
    for (const key of keys) {
      if (dangerousCommands.has(key)) return 'dangerous';
      if (writeCommands.has(key)) return 'write';
      if (readCommands.has(key)) return 'read';
    }
  }
  const verbs = operands.slice(0, 3);
  if (verbs.some((v) => dangerousVerbs.has(v))) return 'dangerous';
  if (verbs.some((v) => writeVerbs.has(v))) return 'write';
  // A read-looking verb of a program the tables do not know proves nothing: `foo status` may write.
  if (verbs.some((v) => readVerbs.has(v)) && knownPrograms.has(lower[0]!)) return 'read';
  return 'unknown';
}

function isForcePush(lower: string[]): boolean {
  return lower[0] === 'git' && lower[1] === 'push' && lower.some((w) => w === '--force' || w === '-f' || w.startsWith('--force-with-lease') || /^\+/.test(w));
}

/** `psql … < dump.sql` and `cat dump.sql | psql` replay a file the console cannot inspect. */
function isStdinRestore(name: string, segment: ShellSegment): boolean {
  const sqlClients = new Set(['psql', 'gitlab-psql', 'mysql', 'sqlite3', 'redis-cli', 'pg_restore']);
  if (!sqlClients.has(name)) return false;
  const fromFile = (name === 'psql' || name === 'gitlab-psql') && segment.words.some((w) => w === '-f' || w.startsWith('--file') || /^-[a-zA-Z]*f$/.test(w));
  return fromFile || segment.redirects.some((r) => r.op === '<') || (segment.joiner === '|' && name !== 'redis-cli');
}

function describe(words: string[]): string {
  return words.slice(0, 3).filter((w) => !w.includes('\n')).join(' ').slice(0, 60);
}
