import { createHash } from 'node:crypto';
import { Socket, connect as netConnect } from 'node:net';
import { homedir } from 'node:os';
import type { Duplex } from 'node:stream';
import type { Client, ConnectConfig, ParsedKey, PublicKeyAuthMethod } from 'ssh2';
import { fileCaps, readBoundedFile } from '../bounded-file';
import { ssh2Driver } from '../drivers';
import { OpsError } from '../errors';
import type { HopConfig } from '../profiles/hops';
import { sshAlgorithms } from './algorithms';

export interface ChainOptions {
  /** Decides on each hop's host key; rejects to refuse. Runs before any credential is sent. */
  verifyHostKey(host: string, port: number, key: Buffer): Promise<void>;
  /** Key types on record for a hop (known_hosts, trust store): asked for first. */
  knownKeyTypes?(host: string, port: number): string[];
  keepaliveIntervalMs: number;
  readyTimeoutMs?: number;
  agentSocket?: string;
  /** Open the idle pty that makes sshd turn Nagle off (default true; the bench turns it off to measure it). */
  noDelayPty?: boolean;
}

/**
 * ssh2's own keepalive, kept only as a backstop: it counts ping replies and ignores every other
 * byte, so a big transfer on a slow link would look dead to it. The 10 s detection is the
 * session's liveness monitor (liveness.ts), which counts any byte like OpenSSH does.
 */
export function keepaliveSettings(intervalMs: number): { keepaliveInterval: number; keepaliveCountMax: number } {
  return { keepaliveInterval: Math.max(intervalMs, 10_000), keepaliveCountMax: 3 };
}

export function expandHome(path: string): string {
  return path === '~' || path.startsWith('~/') ? homedir() + path.slice(1) : path;
}

/** A keyboard-interactive prompt that asks for the account's password, not a code or a question. */
export function isPasswordPrompt(prompt: string): boolean {
  return (
    /\bpassword\b/i.test(prompt) &&
    !/\b(one[- ]time|otp|token|code|verification|pin|new password|retype|again)\b/i.test(prompt)
  );
}

/**
 * Answers a keyboard-interactive round with the stored password when every prompt asks for it;
 * a one-time code or any other question is not answered (the password must not leave as its
 * answer) and the refusal to report is returned.
 */
function answerPrompts(
  hop: HopConfig,
  prompts: { prompt: string }[],
  finish: (answers: string[]) => void,
): OpsError | undefined {
  const unanswerable = prompts.find((p) => !isPasswordPrompt(p.prompt));
  if (!unanswerable) {
    finish(prompts.map(() => hop.password ?? ''));
    return undefined;
  }
  const asked = unanswerable.prompt
    .replace(/[\x00-\x1f\x7f]+/g, ' ')
    .trim()
    .slice(0, 80);
  return new OpsError(
    'ssh_auth_failed',
    `${where(hop)} asked "${asked}" (keyboard-interactive), which is not a password prompt: the stored password was not sent. Use a terminal ssh for one-time codes, or a key or the agent for this host.`,
  );
}

function where(hop: HopConfig): string {
  return `${hop.user}@${hop.host}:${hop.port}`;
}

/**
 * Reads and decodes a private key file (OpenSSH or PEM; ed25519, ecdsa, rsa), decrypting it with
 * the passphrase. Returns the parsed key so ssh2 does not run the (slow, bcrypt) decryption again.
 */
/** A private key file: a regular file of at most 64 kB, read asynchronously. */
export function readKeyFile(keyPath: string): Promise<Buffer> {
  return readBoundedFile(expandHome(keyPath), {
    what: 'The SSH key file',
    maxBytes: fileCaps.privateKey,
    code: 'ssh_auth_failed',
  });
}

export function readPrivateKey(hop: HopConfig): ParsedKey {
  if (!hop.keyPath)
    throw new OpsError('invalid_input', `ssh.keyPath is empty for ${where(hop)}: choose the private key file.`);
  const privateKey = hop.keyBytes;
  if (!privateKey)
    throw new OpsError('internal', `The key file ${hop.keyPath} was not read before connecting to ${where(hop)}.`);
  // Decrypting an OpenSSH key runs bcrypt_pbkdf in JS (1-3 s at the default 16 rounds): keep the
  // result, like ssh-agent does, so a reconnect after sleep does not pay it again.
  const cacheKey = createHash('sha256')
    .update(privateKey)
    .update('\0')
    .update(hop.passphrase ?? '')
    .digest('hex');
  const cached = decryptedKeys.get(cacheKey);
  if (cached) return cached;
  const key = parsePrivateKey(hop, privateKey);
  if (decryptedKeys.size >= 32) decryptedKeys.delete(decryptedKeys.keys().next().value!);
  decryptedKeys.set(cacheKey, key);
  return key;
}

const decryptedKeys = new Map<string, ParsedKey>();

function parsePrivateKey(hop: HopConfig, privateKey: Buffer): ParsedKey {
  const parsed = ssh2Driver().utils.parseKey(privateKey, hop.passphrase);
  const error =
    parsed instanceof Error ? parsed : Array.isArray(parsed) && parsed[0] instanceof Error ? parsed[0] : undefined;
  if (error) {
    if (/encrypted|passphrase|decrypt|bad/i.test(error.message)) {
      const what = hop.passphrase
        ? 'The stored passphrase does not open it'
        : 'It is encrypted and no passphrase is stored';
      throw new OpsError(
        'ssh_auth_failed',
        `Cannot open the SSH key file ${hop.keyPath} for ${where(hop)}: ${what} (${error.message}). Set the key's passphrase (sshPassphrase) in the profile.`,
      );
    }
    throw new OpsError(
      'ssh_auth_failed',
      `The SSH key file ${hop.keyPath} is not a private key this app can read (${error.message}). Use an OpenSSH or PEM ed25519, ecdsa or rsa key.`,
    );
  }
  return (Array.isArray(parsed) ? parsed[0] : parsed) as ParsedKey;
}

function authConfig(hop: HopConfig, agentSocket: string | undefined): Partial<ConnectConfig> {
  switch (hop.auth) {
    case 'password':
    case 'keyboard-interactive':
      if (!hop.password)
        throw new OpsError(
          'ssh_auth_failed',
          `No SSH password is stored for ${where(hop)}: set it (sshPassword) in the profile editor.`,
        );
      return {
        password: hop.password,
        tryKeyboard: true,
        authHandler: hop.auth === 'password' ? ['password', 'keyboard-interactive'] : ['keyboard-interactive'],
      };
    case 'key': {
      // An auth method object carries the already decrypted key (ssh2 would otherwise decrypt it again).
      const method: PublicKeyAuthMethod = { type: 'publickey', username: hop.user, key: readPrivateKey(hop) };
      return { authHandler: [method] };
    }
    case 'agent':
      if (!agentSocket)
        throw new OpsError(
          'ssh_auth_failed',
          `No ssh-agent is running (SSH_AUTH_SOCK is not set) for ${where(hop)}: start one and add your key with ssh-add, or use a key file.`,
        );
      return { agent: agentSocket, authHandler: ['agent'] };
  }
}

function openTcp(host: string, port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = netConnect({ host, port });
    socket.setNoDelay(true);
    socket.once('connect', () => {
      socket.off('error', reject);
      // ssh2 reports a failing socket through the client's 'error'; this keeps a late reset from crashing us.
      socket.on('error', () => undefined);
      resolve(socket);
    });
    socket.once('error', (cause) =>
      reject(
        new OpsError(
          'ssh_connect_failed',
          `Cannot reach ${host}:${port}: ${cause.message}. Check the host, port and your network.`,
          { cause },
        ),
      ),
    );
  });
}

export function forwardOut(client: Client, host: string, port: number): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    client.forwardOut('127.0.0.1', 0, host, port, (error, channel) => {
      if (error)
        reject(
          new OpsError(
            'ssh_connect_failed',
            `The SSH server could not open a connection to ${host}:${port}: ${error.message}. Check that the host and port are right as seen from the last hop.`,
            { cause: error },
          ),
        );
      else resolve(channel);
    });
  });
}

/** The one wording for a listener that accepted TCP but never completed the SSH handshake. */
function stalledHandshake(hop: HopConfig, ms: number, cause: Error): OpsError {
  return new OpsError(
    'ssh_connect_failed',
    `${hop.host}:${hop.port} accepted the connection but did not complete the SSH handshake within ${ms / 1000} s: the SSH server is stalled or overloaded, or this port is not SSH. Check the host and port, then try again.`,
    { cause },
  );
}

function connectHop(sock: Duplex, hop: HopConfig, options: ChainOptions): Promise<Client> {
  const client = new (ssh2Driver().Client)();
  /** Why this side ended the handshake (a host key refused, a prompt it will not answer). */
  let refusal: unknown;
  const readyTimeoutMs = options.readyTimeoutMs ?? 20_000;
  return new Promise<Client>((resolve, reject) => {
    let settled = false;
    const fail = (error: Error & { level?: string }) => {
      // Every later 'error' (the socket reset after a handshake timeout, …) lands here too and is
      // dropped: an EventEmitter 'error' without a listener would crash the process.
      if (settled) return;
      settled = true;
      client.end();
      if (refusal) return reject(refusal);
      if (/Timed out while waiting for handshake/i.test(error.message))
        return reject(stalledHandshake(hop, readyTimeoutMs, error));
      if (error instanceof OpsError) return reject(error);
      if (error.level === 'client-authentication') {
        return reject(
          new OpsError(
            'ssh_auth_failed',
            `SSH authentication as ${hop.user}@${hop.host}:${hop.port} failed (${hop.auth}). Check the user and the ${hop.auth === 'agent' ? 'keys loaded in ssh-agent' : hop.auth === 'key' ? 'key file and its passphrase' : 'password'}.`,
            { cause: error },
          ),
        );
      }
      if (/passphrase/i.test(error.message)) {
        return reject(
          new OpsError(
            'ssh_auth_failed',
            `The key file for ${hop.user}@${hop.host} is encrypted: ${error.message}. Store its passphrase in the profile.`,
            { cause: error },
          ),
        );
      }
      reject(
        new OpsError('ssh_connect_failed', `SSH connection to ${hop.host}:${hop.port} failed: ${error.message}.`, {
          cause: error,
        }),
      );
    };
    client.once('ready', () => {
      settled = true;
      resolve(client);
    });
    client.on('error', fail);
    client.on('keyboard-interactive', (_name, _instructions, _lang, prompts, finish) => {
      refusal = answerPrompts(hop, prompts, finish);
      if (!refusal) return;
      client.end();
      reject(refusal);
    });
    try {
      client.connect({
        sock,
        host: hop.host,
        port: hop.port,
        username: hop.user,
        ...authConfig(hop, options.agentSocket),
        ...keepaliveSettings(options.keepaliveIntervalMs),
        algorithms: sshAlgorithms({
          legacy: hop.legacyAlgorithms ?? false,
          knownKeyTypes: options.knownKeyTypes?.(hop.host, hop.port) ?? [],
        }),
        readyTimeout: readyTimeoutMs,
        hostVerifier: (key: Buffer, verify: (ok: boolean) => void) => {
          options.verifyHostKey(hop.host, hop.port, key).then(
            () => verify(true),
            (error) => {
              refusal = error;
              verify(false);
            },
          );
        },
      } as ConnectConfig);
    } catch (error) {
      fail(error as Error);
    }
  });
}

/** A chain that is up: every hop's client, the target (last) one at the end, and the first hop's TCP socket. */
export interface Chain {
  clients: Client[];
  socket: Socket;
  /** What each hop's SSH bytes arrive on: the TCP socket, then each previous hop's forwardOut channel. */
  transports: Duplex[];
}

/**
 * Connects hop after hop (ProxyJump): the first over TCP with Nagle off, each next one through
 * the previous hop's forwardOut. Every hop's host key is verified before that hop sees a credential.
 */
export async function connectChain(hops: HopConfig[], options: ChainOptions): Promise<Chain> {
  const clients: Client[] = [];
  const transports: Duplex[] = [];
  let socket: Socket | undefined;
  try {
    // Key files first, each bounded (a shared profile can name /dev/zero or a FIFO): fail before any connection.
    const keys = await Promise.all(
      hops.map((hop) => (hop.auth === 'key' && hop.keyPath ? readKeyFile(hop.keyPath) : undefined)),
    );
    for (const [i, config] of hops.entries()) {
      const hop = { ...config, keyBytes: keys[i] };
      const previous = clients.at(-1);
      let sock: Duplex;
      if (previous) sock = await forwardOut(previous, hop.host, hop.port);
      else sock = socket = await openTcp(hop.host, hop.port);
      transports.push(sock);
      clients.push(await connectHop(sock, hop, options));
    }
    if (options.noDelayPty !== false) await Promise.all(clients.map((client) => openNoDelayPty(client)));
    return { clients, socket: socket!, transports };
  } catch (error) {
    for (const client of clients.reverse()) client.end();
    socket?.destroy();
    throw error;
  }
}

/**
 * sshd leaves Nagle on for a connection that only forwards; the first session with a pty makes
 * it set TCP_NODELAY (ssh_packet_set_interactive), which removes a ~40 ms delayed-ACK stall
 * per round trip. So each hop gets an idle `cat` on a pty, opened before anything else. A server
 * that refuses ptys still works, only slower.
 */
function openNoDelayPty(client: Client): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, 3000);
    try {
      client.exec('cat', { pty: { term: 'dumb', rows: 1, cols: 80 } }, (error, channel) => {
        clearTimeout(timer);
        if (!error) {
          channel.on('data', () => undefined);
          channel.stderr.on('data', () => undefined);
          channel.on('error', () => undefined);
        }
        resolve();
      });
    } catch {
      clearTimeout(timer);
      resolve();
    }
  });
}
