import { spawn } from 'node:child_process';
import { OpsError } from '../errors';

export interface GitResult {
  stdout: string;
  stderr: string;
}

export interface GitOptions {
  cwd?: string;
  /** Network operations get longer than local ones; a hung remote must not hang the console. */
  timeoutMs?: number;
  input?: string;
  env?: NodeJS.ProcessEnv;
}

/** The system git is used on purpose: the operator's SSH keys, agent and credential helpers work. */
const gitBinary = process.env.OPSCONSOLE_GIT ?? 'git';

/**
 * Runs git with an argument array (never a shell). No terminal prompt: a remote that wants a
 * password fails with git's own message instead of waiting for a tired hand that is not there.
 */
export function git(args: string[], options: GitOptions = {}): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(gitBinary, args, {
      cwd: options.cwd,
      env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_ASKPASS: '', SSH_ASKPASS: '', LC_ALL: 'C', ...options.env },
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 20_000);
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(
        error.code === 'ENOENT'
          ? new OpsError(
              'git_missing',
              'git is not installed (or not on PATH): install git (apt install git, brew install git, or Git for Windows), then try again.',
            )
          : new OpsError('git_failed', `git could not start: ${error.message}`),
      );
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL')
        return reject(
          new OpsError(
            'timeout',
            `git ${args[0]} took longer than ${Math.round((options.timeoutMs ?? 20_000) / 1000)} s and was stopped: check the network or the remote.`,
          ),
        );
      if (code !== 0)
        return reject(
          new OpsError('git_failed', `git ${args[0]} failed: ${lastLines(stderr || stdout)}${hint(stderr)}`),
        );
      resolve({ stdout, stderr });
    });
    if (child.stdin) {
      // git may exit before reading its input (a refusal): its own message says why, not EPIPE.
      child.stdin.on('error', () => undefined);
      child.stdin.end(options.input);
    }
  });
}

/** git's last few lines are the ones that say what went wrong (the rest is progress). */
function lastLines(text: string): string {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return lines.slice(-3).join(' ') || 'no message';
}

/** The fixes git does not spell out. */
function hint(stderr: string): string {
  if (/tell me who you are|empty ident/i.test(stderr))
    return ' — git has no author identity: run git config --global user.name "Your Name" and git config --global user.email you@example.com.';
  if (/Permission denied|Could not read from remote|Authentication failed/i.test(stderr))
    return ' — the remote refused: check that your SSH key is loaded (ssh-add -l) or your credential helper has access to the repository.';
  return '';
}

/** Network operations (clone, fetch, push). */
export const networkTimeoutMs = 120_000;
