import assert from 'node:assert/strict';
import { createServer, type Socket } from 'node:net';
import { test } from 'node:test';
import { connectChain } from '../../src/main/ssh/connect-chain';
import { OpsError } from '../../src/main/errors';

test(
  'a stalled SSH listener (accepts TCP, never greets): a clear error after the ready timeout, no crash from later socket errors',
  { timeout: 20_000 },
  async () => {
    const sockets: Socket[] = [];
    const server = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', onUncaught);
    try {
      const started = performance.now();
      const error = await connectChain([{ host: '127.0.0.1', port, user: 'ops', auth: 'password', password: 'x' }], {
        verifyHostKey: async () => undefined,
        keepaliveIntervalMs: 10_000,
        readyTimeoutMs: 1500,
        noDelayPty: false,
      }).then(
        () => assert.fail('connected to a listener that never speaks SSH'),
        (e: unknown) => e,
      );
      const elapsed = performance.now() - started;
      assert.ok(error instanceof OpsError);
      assert.equal(error.code, 'ssh_connect_failed');
      assert.match(
        error.message,
        new RegExp(
          `127\\.0\\.0\\.1:${port} accepted the connection but did not complete the SSH handshake within 1\\.5 s`,
        ),
      );
      assert.ok(elapsed >= 1400 && elapsed < 5000, `gave up after ${Math.round(elapsed)} ms`);
      // The stalled server now resets its side: nothing may surface as an unhandled 'error'.
      for (const socket of sockets) socket.resetAndDestroy();
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.deepEqual(uncaught, []);
    } finally {
      process.off('uncaughtException', onUncaught);
      for (const socket of sockets) socket.destroy();
      server.close();
    }
  },
);
