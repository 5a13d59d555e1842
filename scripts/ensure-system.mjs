// Makes sure the system packages the tests need are present. On Debian as root it installs the
// missing ones with apt-get; elsewhere it names them and stops.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';

const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

function hasPostgres() {
  const root = '/usr/lib/postgresql';
  return existsSync(root) && readdirSync(root).some((v) => existsSync(`${root}/${v}/bin/initdb`));
}

function onPath(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

const requirements = [
  { debian: 'postgresql', present: hasPostgres, what: 'PostgreSQL server (initdb, pg_ctl)' },
  { debian: 'postgresql-client', present: () => onPath('psql'), what: 'psql' },
  { debian: 'redis-server', present: () => onPath('redis-server'), what: 'redis-server' },
  { debian: 'openssh-server', present: () => existsSync('/usr/sbin/sshd'), what: 'OpenSSH sshd' },
  {
    debian: 'openssh-client',
    present: () => onPath('ssh-keygen') && onPath('ssh-agent') && onPath('ssh'),
    what: 'OpenSSH client (ssh, ssh-keygen, ssh-agent)',
  },
  {
    debian: 'chromium',
    present: () => existsSync(chromiumPath),
    what: `Chromium at ${chromiumPath} (set CHROMIUM_PATH to use another)`,
  },
  { debian: 'poppler-utils', present: () => onPath('pdftotext'), what: 'pdftotext (poppler-utils)' },
  {
    debian: 'faketime',
    present: () => onPath('faketime'),
    what: 'faketime (clock drills; those tests skip without it)',
  },
  { debian: 'procps', present: () => onPath('pgrep'), what: 'pgrep (procps)' },
];

export function ensureSystem() {
  let missing = requirements.filter((r) => !r.present());
  if (missing.length === 0) return;
  const isRoot = process.getuid?.() === 0;
  const isDebian = existsSync('/etc/debian_version');
  if (isRoot && isDebian) {
    const packages = missing.map((r) => r.debian);
    process.stderr.write(`Installing system packages for the tests: ${packages.join(' ')}\n`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const update = spawnSync('apt-get', ['update'], { stdio: ['ignore', 'ignore', 'inherit'], env });
    const install =
      update.status === 0 &&
      spawnSync('apt-get', ['install', '-y', '--no-install-recommends', ...packages], {
        stdio: ['ignore', 'ignore', 'inherit'],
        env,
      });
    missing = requirements.filter((r) => !r.present());
    if (install && install.status === 0 && missing.length === 0) return;
  }
  process.stderr.write(
    'The tests need these system programs, which are missing:\n' +
      missing.map((r) => `  - ${r.what} (Debian package: ${r.debian})`).join('\n') +
      `\n${isRoot && isDebian ? 'apt-get could not install them.' : 'Install them (e.g. sudo apt-get install ' + missing.map((r) => r.debian).join(' ') + ') and run npm test again.'}\n`,
  );
  process.exit(1);
}

if (import.meta.url === `file://${process.argv[1]}`) ensureSystem();
