import { readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { freePort, isRoot, makeTempDir, removeDir, run, spawnServer, stopChild, waitForPort } from './processes';

export interface SshdServer {
  host: '127.0.0.1';
  port: number;
  user: string;
  /** Unencrypted ed25519 client key accepted by this server. */
  clientKeyPath: string;
  hostKeyPath: string;
  /** As `ssh-keygen -l` prints it. */
  hostKeyFingerprint: string;
  /** A known_hosts line for this server ("[127.0.0.1]:port ssh-ed25519 AAAA…"). */
  knownHostsLine: string;
  logFile: string;
  dir: string;
  log(): string;
  /** Authorizes another public key (e.g. an encrypted or RSA key made by a test). */
  authorize(publicKey: string): void;
  /** Starts the daemon again on the same port and host key after stop(). */
  restart(): Promise<void>;
  /** Stops listening; existing sessions' processes are killed too. */
  stop(): Promise<void>;
  /** Pids of every per-connection sshd process (monitors and their unprivileged children). */
  sessionPids(): number[];
  /** Kills every open connection's sshd processes (the listener keeps accepting). */
  killSessions(signal?: NodeJS.Signals): number;
  /** Freezes (SIGSTOP) or thaws (SIGCONT) every open connection: a network gone silent, without a FIN. */
  freezeSessions(frozen: boolean): number;
  /** Stops and removes every file. */
  dispose(): Promise<void>;
}

/** Every descendant of a process, children first then theirs. */
export function descendantPids(pid: number): number[] {
  let children: number[] = [];
  try {
    children = run('pgrep', ['-P', String(pid)])
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    // pgrep exits 1 when there is none
  }
  return children.flatMap((child) => [child, ...descendantPids(child)]);
}

function signalAll(pids: number[], signal: NodeJS.Signals): number {
  let count = 0;
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
      count++;
    } catch {
      // already gone
    }
  }
  return count;
}

export interface SshdOptions {
  logLevel?: string;
  /** Extra sshd_config lines; they win over the defaults (e.g. "PasswordAuthentication no"). */
  config?: string[];
}

/**
 * A local account with a password, for password and keyboard-interactive tests (sshd checks
 * /etc/shadow): created once per machine, its password kept in a root-only file so parallel
 * test files agree on it. Needs root; returns undefined otherwise.
 */
export function passwordUser(): { user: string; password: string } | undefined {
  if (!isRoot) return undefined;
  const user = 'opsconsole-test';
  const file = join(tmpdir(), 'opsconsole-test-user.password');
  try {
    writeFileSync(file, 'pw-' + randomBytes(12).toString('hex'), { flag: 'wx', mode: 0o600 });
  } catch {
    // another test file made it first
  }
  const password = readFileSync(file, 'utf8').trim();
  try {
    run('id', ['-u', user]);
  } catch {
    try {
      run('useradd', ['--create-home', '--shell', '/bin/sh', user]);
    } catch (error) {
      if (!/already exists/.test((error as Error).message)) throw error;
    }
  }
  run('chpasswd', [], { input: `${user}:${password}\n` });
  return { user, password };
}

export function sshKeygen(path: string, type = 'ed25519', passphrase = '', extra: string[] = []): void {
  run('ssh-keygen', ['-q', '-t', type, '-N', passphrase, '-C', 'opsconsole-test', '-f', path, ...extra]);
}

export function keyFingerprint(publicKeyPath: string): string {
  return run('ssh-keygen', ['-l', '-f', publicKeyPath]).split(/\s+/)[1]!;
}

/** A throwaway OpenSSH sshd on a free loopback port with generated host and client keys. */
export async function startSshd(options: SshdOptions = {}): Promise<SshdServer> {
  const dir = makeTempDir('sshd');
  const port = await freePort();
  const hostKeyPath = join(dir, 'host_ed25519');
  const clientKeyPath = join(dir, 'client_ed25519');
  sshKeygen(hostKeyPath);
  sshKeygen(clientKeyPath);
  const authorizedKeys = join(dir, 'authorized_keys');
  writeFileSync(authorizedKeys, readFileSync(clientKeyPath + '.pub'), { mode: 0o600 });
  const logFile = join(dir, 'sshd.log');
  const user = userInfo().username;
  const config = join(dir, 'sshd_config');
  writeFileSync(
    config,
    [
      // sshd keeps the first value it reads for an option: the caller's lines come first.
      ...(options.config ?? []),
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${hostKeyPath}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${authorizedKeys}`,
      'StrictModes no',
      'UsePAM no',
      'PubkeyAuthentication yes',
      'PasswordAuthentication yes',
      'KbdInteractiveAuthentication no',
      `PermitRootLogin ${isRoot ? 'yes' : 'no'}`,
      'AllowTcpForwarding yes',
      'AllowAgentForwarding yes',
      'PermitTTY yes',
      'ClientAliveInterval 0',
      'MaxStartups 50:30:100',
      'MaxSessions 50',
      `LogLevel ${options.logLevel ?? 'VERBOSE'}`,
      'Subsystem sftp internal-sftp',
    ].join('\n') + '\n',
  );
  run('mkdir', ['-p', '/run/sshd']);
  run('/usr/sbin/sshd', ['-t', '-f', config]);
  const hostPublic = readFileSync(hostKeyPath + '.pub', 'utf8')
    .trim()
    .split(/\s+/);
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawnServer('/usr/sbin/sshd', ['-D', '-e', '-f', config]);
    child.stderr!.on('data', (chunk: Buffer) => {
      try {
        writeFileSync(logFile, chunk, { flag: 'a' });
      } catch {
        // the folder is gone: dispose() ran while the last lines were in flight
      }
    });
    await waitForPort(port, 10_000, 'SSH-');
  };
  const stop = async () => {
    if (!child) return;
    // Per-connection sshd processes outlive the listener: collect them first, end them after.
    const sessions = descendantPids(child.pid!);
    await stopChild(child);
    child = undefined;
    signalAll(sessions, 'SIGCONT');
    signalAll(sessions, 'SIGKILL');
  };
  const sessionPids = () => (child ? descendantPids(child.pid!) : []);
  writeFileSync(logFile, '');
  await start();
  return {
    host: '127.0.0.1',
    port,
    user,
    clientKeyPath,
    hostKeyPath,
    hostKeyFingerprint: keyFingerprint(hostKeyPath + '.pub'),
    knownHostsLine: `[127.0.0.1]:${port} ${hostPublic[0]} ${hostPublic[1]}`,
    logFile,
    dir,
    log: () => readFileSync(logFile, 'utf8'),
    authorize: (publicKey) => writeFileSync(authorizedKeys, publicKey.trim() + '\n', { flag: 'a' }),
    restart: start,
    stop,
    sessionPids,
    killSessions: (signal = 'SIGKILL') => {
      const pids = sessionPids();
      signalAll(pids, 'SIGCONT');
      return signalAll(pids, signal);
    },
    freezeSessions: (frozen) => signalAll(sessionPids(), frozen ? 'SIGSTOP' : 'SIGCONT'),
    async dispose() {
      await stop();
      removeDir(dir);
    },
  };
}

/**
 * OpenSSH's own client forwarding local ports to `remotePorts` on the server's side, as an operator
 * runs `ssh -N -L …` (the anchor the benchmarks compare our tunnel with). Resolves once every local
 * port listens; `ports[i]` forwards to `remotePorts[i]`.
 */
export async function startSshForward(
  sshd: SshdServer,
  remotePorts: number[],
  options: { cipher?: string } = {},
): Promise<{ child: ChildProcess; ports: number[] }> {
  const ports: number[] = [];
  for (const _ of remotePorts) ports.push(await freePort());
  const child = spawnServer('ssh', [
    '-N',
    ...['-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null'],
    ...['-o', 'ExitOnForwardFailure=yes', '-o', 'LogLevel=ERROR'],
    ...(options.cipher ? ['-c', options.cipher] : []),
    ...['-i', sshd.clientKeyPath, '-p', String(sshd.port)],
    ...remotePorts.flatMap((remote, i) => ['-L', `127.0.0.1:${ports[i]}:127.0.0.1:${remote}`]),
    `${sshd.user}@${sshd.host}`,
  ]);
  try {
    await Promise.all(ports.map((port) => waitForPort(port)));
  } catch (error) {
    await stopChild(child);
    throw error;
  }
  return { child, ports };
}
