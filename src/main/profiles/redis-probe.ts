import { connect as netConnect } from 'node:net';
import type { Duplex } from 'node:stream';
import { connect as tlsConnect } from 'node:tls';
import { Redis } from 'ioredis';
import type { RedisSettings } from '../../shared/profile';

/** Opens a connected byte stream to the Redis server (a forwardOut channel, or TCP without SSH). */
export type StreamOpener = () => Promise<Duplex>;

export interface RedisProbeResult {
  version: string;
  role: string;
}

export function tcpOpener(host: string, port: number, timeoutMs = 10_000): StreamOpener {
  return () =>
    new Promise((resolve, reject) => {
      const socket = netConnect({ host, port });
      socket.setTimeout(timeoutMs, () =>
        socket.destroy(new Error(`no answer from ${host}:${port} within ${timeoutMs / 1000} s`)),
      );
      socket.once('connect', () => {
        socket.setTimeout(0);
        socket.off('error', reject);
        resolve(socket);
      });
      socket.once('error', reject);
    });
}

export function withTls(open: StreamOpener, settings: RedisSettings): StreamOpener {
  if (!settings.tls) return open;
  return async () => {
    const raw = await open();
    return new Promise((resolve, reject) => {
      const secure = tlsConnect({
        socket: raw,
        servername: settings.tlsServerName ?? settings.host,
        rejectUnauthorized: settings.tlsVerify,
      });
      secure.once('secureConnect', () => {
        secure.off('error', reject);
        resolve(secure);
      });
      secure.once('error', reject);
    });
  };
}

/**
 * An ioredis Connector over an already-connected stream: ioredis sees a stream that is not
 * `connecting` and starts at once (AUTH with the ACL user, SELECT db, then commands).
 */
export function connectorOver(open: StreamOpener) {
  return class StreamConnector {
    firstError?: Error;
    #stream?: Duplex;
    check(): boolean {
      return true;
    }
    async connect(): Promise<Duplex> {
      const stream = await open();
      // ioredis calls these socket methods; a channel or TLS-over-channel has no use for them.
      const socketLike = stream as Duplex & {
        setNoDelay?: () => unknown;
        setKeepAlive?: () => unknown;
        setTimeout?: () => unknown;
      };
      socketLike.setNoDelay ??= () => stream;
      socketLike.setKeepAlive ??= () => stream;
      socketLike.setTimeout ??= () => stream;
      this.#stream = stream;
      return stream;
    }
    disconnect(): void {
      this.#stream?.end();
    }
  };
}

/** Connects once (no retries), authenticates, selects the db, PINGs and reads the server version. */
export async function probeRedis(
  settings: RedisSettings,
  password: string | undefined,
  open: StreamOpener,
  timeoutMs = 10_000,
): Promise<RedisProbeResult> {
  const redis = new Redis({
    Connector: connectorOver(withTls(open, settings)) as never,
    username: settings.username,
    password,
    db: settings.db,
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    noDelay: false,
  });
  // The server's own refusal (WRONGPASS, NOPERM) arrives as an event; the awaited call then
  // only says "Connection is closed", so the event's reason is the one reported.
  let refusal: Error | undefined;
  redis.on('error', (error: Error) => (refusal ??= error));
  try {
    await redis.connect().catch((error: Error) => Promise.reject(refusal ?? error));
    const pong = await redis.ping().catch((error: Error) => Promise.reject(refusal ?? error));
    if (pong !== 'PONG') throw new Error(`PING answered ${pong}`);
    const info = await redis.info('server').catch(() => '');
    const replication = await redis.info('replication').catch(() => '');
    return {
      version: /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown',
      role: /role:(\S+)/.exec(replication)?.[1] ?? 'unknown',
    };
  } finally {
    redis.disconnect();
  }
}
