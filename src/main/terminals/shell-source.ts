import { StringDecoder } from 'node:string_decoder';
import { homedir, platform } from 'node:os';
import type { Client, ClientChannel } from 'ssh2';
import { OpsError } from '../errors';

export interface ShellExit {
  exitCode: number | null;
  signal: string | null;
  reason: string;
}

/** One running shell, remote or local, as the registry drives it. */
export interface ShellSource {
  write(data: string): void;
  resize(cols: number, rows: number): void;
  pause(): void;
  resume(): void;
  /** Ends the shell; onExit still fires once. */
  close(): void;
  onData(listener: (text: string) => void): void;
  onExit(listener: (exit: ShellExit) => void): void;
  /** Bytes buffered inside the transport (ssh2's channel), for the flow-control proof. */
  buffered(): number;
}

/**
 * Terminal modes sent with the pty request, encoded as RFC 4254 §8 says (opcode, uint32 value,
 * TTY_OP_END). IUTF8 (opcode 42, RFC 8160) is beyond ssh2's table of names, so the bytes go as
 * they are: with it the remote line discipline erases a whole UTF-8 character on backspace, as
 * the OpenSSH client asks from a UTF-8 terminal. Every other mode keeps the server's default.
 */
const ptyModes = Buffer.from([42, 0, 0, 0, 1, 0]);

/** A shell channel with a pty on an open SSH client: TERM xterm-256color, window follows resize. */
export function openRemoteShell(client: Client, cols: number, rows: number): Promise<ShellSource> {
  return new Promise((resolve, reject) => {
    // ssh2 passes a Buffer of modes through untouched (its typings only name the object form).
    const modes = ptyModes as unknown as Record<string, number>;
    client.shell(
      { term: 'xterm-256color', cols, rows, width: 0, height: 0, modes },
      { env: { LANG: process.env.LANG ?? 'C.UTF-8' } },
      (error, channel) => {
        if (error)
          reject(
            new OpsError(
              'ssh_connect_failed',
              `The server refused a shell: ${error.message}. Check that the account may open a session with a pty (PermitTTY).`,
            ),
          );
        else resolve(remoteSource(channel));
      },
    );
  });
}

function remoteSource(channel: ClientChannel): ShellSource {
  const decoder = new StringDecoder('utf8');
  let exit: ShellExit = { exitCode: null, signal: null, reason: 'The remote shell closed' };
  let exitListener: ((exit: ShellExit) => void) | undefined;
  let ended = false;
  channel.on('exit', (code: number | null, signal?: string) => {
    exit = {
      exitCode: code ?? null,
      signal: signal ?? null,
      reason: signal ? `The remote shell was killed by ${signal}` : `The remote shell exited with status ${code}`,
    };
  });
  const finish = () => {
    if (ended) return;
    ended = true;
    exitListener?.(exit);
  };
  channel.on('close', finish);
  channel.on('error', (error: Error) => (exit = { ...exit, reason: `The shell channel failed: ${error.message}` }));
  return {
    write: (data) => void channel.write(data),
    resize: (cols, rows) => channel.setWindow(rows, cols, 0, 0),
    pause: () => channel.pause(),
    resume: () => channel.resume(),
    close: () => {
      if (!ended) channel.close();
    },
    onData: (listener) => {
      channel.on('data', (chunk: Buffer) => listener(decoder.write(chunk)));
      channel.stderr.on('data', (chunk: Buffer) => listener(chunk.toString('utf8')));
    },
    onExit: (listener) => (exitListener = listener),
    buffered: () => channel.readableLength,
  };
}

/** The operator's login shell on this computer, through node-pty (loaded on first use). */
export async function openLocalShell(cols: number, rows: number): Promise<ShellSource> {
  let pty: typeof import('node-pty');
  try {
    pty = await import('node-pty');
  } catch (error) {
    throw new OpsError(
      'internal',
      `Local terminals are unavailable: node-pty did not load (${(error as Error).message}). Run "npm rebuild node-pty" (see DEVELOPERS.md).`,
    );
  }
  const shell = platform() === 'win32' ? 'powershell.exe' : (process.env.SHELL ?? '/bin/bash');
  const env = { ...process.env, TERM: 'xterm-256color', COLORTERM: 'truecolor' } as Record<string, string>;
  const child = pty.spawn(shell, [], { name: 'xterm-256color', cols, rows, cwd: homedir(), env });
  let ended = false;
  return {
    write: (data) => child.write(data),
    resize: (c, r) => {
      if (!ended) child.resize(c, r);
    },
    pause: () => child.pause(),
    resume: () => child.resume(),
    close: () => {
      if (!ended) child.kill();
    },
    onData: (listener) => void child.onData(listener),
    onExit: (listener) =>
      void child.onExit(({ exitCode, signal }) => {
        ended = true;
        listener({
          exitCode,
          signal: signal ? String(signal) : null,
          reason: signal
            ? `The local shell was killed by signal ${signal}`
            : `The local shell exited with status ${exitCode}`,
        });
      }),
    buffered: () => 0,
  };
}
