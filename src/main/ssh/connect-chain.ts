import { readFileSync } from 'node:fs';
import { Socket, connect as netConnect } from 'node:net';
import { homedir } from 'node:os';
import type { Duplex } from 'node:stream';
import { Client, type ConnectConfig } from 'ssh2';
import { OpsError } from '../errors';

/** One hop of a chain, with its credentials already opened from the vault. */
export interface HopConfig {
  host: string;
  port: number;
  user: string;
  auth: 'agent' | 'key' | 'password';
  keyPath?: string;
  password?: string;
  passphrase?: string;
}

export interface ChainOptions {
  /** Decides on each hop's host key; rejects to refuse. Runs before any credential is sent. */
  verifyHostKey(host: string, port: number, key: Buffer): Promise<void>;
  keepaliveIntervalMs: number;
  readyTimeoutMs?: number;
  agentSocket?: string;
}

export function expandHome(path: string): string {
  return path === '~' || path.startsWith('~/') ? homedir() + path.slice(1) : path;
}

function authConfig(hop: HopConfig, agentSocket: string | undefined): Partial<ConnectConfig> {
  switch (hop.auth) {
    case 'password':
      if (!hop.password) throw new OpsError('ssh_auth_failed', `No SSH password is stored for ${hop.user}@${hop.host}: set it in the profile editor.`);
      return { password: hop.password, tryKeyboard: true };
    case 'key': {
      if (!hop.keyPath) throw new OpsError('invalid_input', `ssh.keyPath is empty for ${hop.user}@${hop.host}: choose the private key file.`);
      let privateKey: Buffer;
      try {
        privateKey = readFileSync(expandHome(hop.keyPath));
      } catch (cause) {
        throw new OpsError('ssh_auth_failed', `Cannot read the SSH key file ${hop.keyPath}: ${(cause as Error).message}. Check the path in the profile.`, { cause });
      }
      return { privateKey, passphrase: hop.passphrase };
    }
    case 'agent':
      if (!agentSocket) throw new OpsError('ssh_auth_failed', `No ssh-agent is running (SSH_AUTH_SOCK is not set) for ${hop.user}@${hop.host}: start one with ssh-add, or use a key file.`);
      return { agent: agentSocket };
  }
}

function openTcp(host: string, port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = netConnect({ host, port });
    socket.setNoDelay(true);
    socket.once('connect', () => {
      socket.off('error', reject);
      resolve(socket);
    });
    socket.once('error', (cause) => reject(new OpsError('ssh_connect_failed', `Cannot reach ${host}:${port}: ${cause.message}. Check the host, port and your network.`, { cause })));
  });
}

export function forwardOut(client: Client, host: string, port: number): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    client.forwardOut('127.0.0.1', 0, host, port, (error, channel) => {
      if (error) reject(new OpsError('ssh_connect_failed', `The SSH server could not open a connection to ${host}:${port}: ${error.message}. Check that the host and port are right as seen from the last hop.`, { cause: error }));
      else resolve(channel);
    });
  });
}

function connectHop(sock: Duplex, hop: HopConfig, options: ChainOptions): Promise<Client> {
  const client = new Client();
  let hostKeyError: unknown;
  return new Promise<Client>((resolve, reject) => {
    const fail = (error: Error & { level?: string }) => {
      client.end();
      if (hostKeyError) return reject(hostKeyError);
      if (error instanceof OpsError) return reject(error);
      if (error.level === 'client-authentication') {
        return reject(new OpsError('ssh_auth_failed', `SSH authentication as ${hop.user}@${hop.host}:${hop.port} failed (${hop.auth}). Check the user and the ${hop.auth === 'agent' ? 'keys loaded in ssh-agent' : hop.auth === 'key' ? 'key file and its passphrase' : 'password'}.`, { cause: error }));
      }
      if (/passphrase/i.test(error.message)) {
        return reject(new OpsError('ssh_auth_failed', `The key file for ${hop.user}@${hop.host} is encrypted: ${error.message}. Store its passphrase in the profile.`, { cause: error }));
      }
      reject(new OpsError('ssh_connect_failed', `SSH connection to ${hop.host}:${hop.port} failed: ${error.message}.`, { cause: error }));
    };
    client.once('ready', () => {
      client.off('error', fail);
      resolve(client);
    });
    client.once('error', fail);
    try {
      client.connect({
        sock,
        host: hop.host,
        port: hop.port,
        username: hop.user,
        ...authConfig(hop, options.agentSocket),
        keepaliveInterval: options.keepaliveIntervalMs,
        keepaliveCountMax: 2,
        readyTimeout: options.readyTimeoutMs ?? 20_000,
        hostVerifier: (key: Buffer, verify: (ok: boolean) => void) => {
          options.verifyHostKey(hop.host, hop.port, key).then(
            () => verify(true),
            (error) => {
              hostKeyError = error;
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

/**
 * Connects hop after hop (ProxyJump): the first over TCP with Nagle off, each next one through
 * the previous hop's forwardOut. Returns every client, the target (last) one at the end.
 */
export async function connectChain(hops: HopConfig[], options: ChainOptions): Promise<Client[]> {
  const clients: Client[] = [];
  try {
    for (const hop of hops) {
      const previous = clients.at(-1);
      const sock = previous ? await forwardOut(previous, hop.host, hop.port) : await openTcp(hop.host, hop.port);
      clients.push(await connectHop(sock, hop, options));
    }
    return clients;
  } catch (error) {
    for (const client of clients.reverse()) client.end();
    throw error;
  }
}
