import { connect as netConnect } from 'node:net';
import type { Duplex } from 'node:stream';
import { connect as tlsConnect } from 'node:tls';
import type { Redis } from 'ioredis';
import type { RedisSettings } from '../../shared/profile';
import { redisDriver } from '../drivers';

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

function withTls(open: StreamOpener, settings: RedisSettings): StreamOpener {
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
function connectorOver(open: StreamOpener) {
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

/** Where and how one ioredis client connects: the profile's Redis settings over an opened stream. */
interface RedisClientTarget {
  settings: RedisSettings;
  password: string | undefined;
  open: StreamOpener;
  connectTimeoutMs: number;
  /** A command without an answer within this fails (the probe's); none by default. */
  commandTimeoutMs?: number;
  /** Connects straight into MONITOR (a dedicated connection). */
  monitor?: boolean;
}

/**
 * The one place ioredis clients are built: over the opened stream (TLS on top when the settings say
 * so), with the ACL user, password and db; connected by the caller, and never retried or resent.
 * `reason` turns the awaited call's "Connection is closed" into the server's own refusal
 * (WRONGPASS, NOPERM), which only arrives as an error event.
 */
export function createRedisClient(target: RedisClientTarget): { redis: Redis; reason: (error: Error) => Error } {
  const { settings } = target;
  const redis = new (redisDriver().Redis)({
    Connector: connectorOver(withTls(target.open, settings)) as never,
    username: settings.username,
    password: target.password,
    db: settings.db,
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    // Never resend a command after a lost connection: a write may already have been applied.
    autoResendUnfulfilledCommands: false,
    connectTimeout: target.connectTimeoutMs,
    ...(target.commandTimeoutMs === undefined ? {} : { commandTimeout: target.commandTimeoutMs }),
    noDelay: false,
    ...(target.monitor ? { monitor: true } : {}),
  });
  let refusal: Error | undefined;
  redis.on('error', (error: Error) => (refusal ??= error));
  return { redis, reason: (error) => refusal ?? error };
}

/** Connects once (no retries), authenticates, selects the db, PINGs and reads the server version. */
export async function probeRedis(
  settings: RedisSettings,
  password: string | undefined,
  open: StreamOpener,
  timeoutMs = 10_000,
): Promise<RedisProbeResult> {
  const { redis, reason } = createRedisClient({
    settings,
    password,
    open,
    connectTimeoutMs: timeoutMs,
    commandTimeoutMs: timeoutMs,
  });
  try {
    await redis.connect().catch((error: Error) => Promise.reject(reason(error)));
    const pong = await redis.ping().catch((error: Error) => Promise.reject(reason(error)));
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
