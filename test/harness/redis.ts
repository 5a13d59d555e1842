import { join } from 'node:path';
import { freePort, makeTempDir, removeDir, spawnServer, stopChild, waitForPort } from './processes';

export interface RedisServer {
  host: '127.0.0.1';
  port: number;
  pid: number;
  stop(): Promise<void>;
}

/** A throwaway redis-server on a free loopback port, no persistence. */
export async function startRedis(extraArgs: string[] = []): Promise<RedisServer> {
  const dir = makeTempDir('redis');
  const port = await freePort();
  const child = spawnServer('redis-server', [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--dir',
    dir,
    '--logfile',
    join(dir, 'redis.log'),
    ...extraArgs,
  ]);
  await waitForPort(port);
  return {
    host: '127.0.0.1',
    port,
    pid: child.pid!,
    async stop() {
      await stopChild(child);
      removeDir(dir);
    },
  };
}
