import { spawn } from 'node:child_process';
import { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as the one JSON document --json promises. */
  json<T = unknown>(): T;
}

/** Runs `opsconsole ARGS` as the operator would, over OPSCONSOLE_HOME=home, feeding stdin. */
export function runCli(
  home: string,
  args: string[],
  options: { input?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(`${root}node_modules/.bin/node`, [`${root}bin/opsconsole.mjs`, ...args], {
      cwd: root,
      env: { ...process.env, OPSCONSOLE_HOME: home, OPSCONSOLE_VAULT: 'file', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code) =>
      resolve({
        code: code ?? -1,
        stdout,
        stderr,
        json<T>() {
          return JSON.parse(stdout) as T;
        },
      }),
    );
    child.stdin.end(options.input ?? '');
  });
}

/**
 * The same CLI in this process (src/cli/main.ts with its streams injected): every code path but
 * the process start, at a fraction of the cost. Use runCli where the process boundary matters.
 */
export async function runCliInProcess(
  home: string,
  args: string[],
  options: { input?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<CliRun> {
  const { main } = await import('../../src/cli/main');
  let stdout = '';
  let stderr = '';
  const sink = (append: (text: string) => void) =>
    new Writable({ write: (chunk, _encoding, done) => (append(String(chunk)), done()) });
  const code = await main(args, {
    stdout: sink((t) => (stdout += t)),
    stderr: sink((t) => (stderr += t)),
    stdin: Readable.from([Buffer.from(options.input ?? '')]),
    env: { ...process.env, OPSCONSOLE_HOME: home, OPSCONSOLE_VAULT: 'file', ...options.env },
  });
  return { code, stdout, stderr, json: <T>() => JSON.parse(stdout) as T };
}
