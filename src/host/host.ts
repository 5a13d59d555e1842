import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { z } from 'zod';
import { operationNames, type OperationName } from '../shared/contract';
import type { Result } from '../shared/errors';
import { answer } from '../main/boundary';
import type { Core } from '../main/core';
import { toErrorPayload } from '../main/errors';
import { isLoopbackOrigin } from './loopback-origin';
import { serveStatic } from './static-files';

export interface HostOptions {
  core: Core;
  /** Built renderer (index.html and assets) served at /. */
  staticDir?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Tokens are random per start; tests may fix one. */
  token?: string;
}

export interface RunningHost {
  port: number;
  token: string;
  /** The URL to open in a browser: the token travels in the fragment, never to a server log. */
  url: string;
  close(): Promise<void>;
}

const requestSchema = z.object({
  id: z.number().int().nonnegative(),
  op: z.enum(operationNames as [OperationName, ...OperationName[]]),
  input: z.unknown(),
});

/** Larger messages close the socket (1009); the contract's inputs are far smaller. */
const maxMessageBytes = 8 * 1024 * 1024;

function mayUpgrade(req: IncomingMessage, token: string, port: number): boolean {
  let url: URL;
  try {
    url = new URL(req.url ?? '/', 'http://127.0.0.1');
  } catch {
    return false;
  }
  return (
    url.pathname === '/ws' &&
    sameToken(url.searchParams.get('token'), token) &&
    isLoopbackOrigin(req.headers.origin, port)
  );
}

function sameToken(given: string | null, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Serves the contract over a WebSocket on 127.0.0.1 only, to the unchanged renderer in a browser
 * (e2e tests, development). Every connection must present the per-start token and come from the
 * host's own Origin. The packaged desktop app never starts this.
 */
export async function startHost(options: HostOptions): Promise<RunningHost> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const server: Server = createServer((req, res) => serveStatic(req, res, options.staticDir, port()));
  const sockets = new WebSocketServer({ noServer: true, maxPayload: maxMessageBytes });
  const port = () => (server.address() as AddressInfo).port;

  server.on('upgrade', (req, socket, head) => {
    // A peer that resets mid-handshake must not become an unhandled 'error' event.
    socket.on('error', () => socket.destroy());
    if (!mayUpgrade(req, token, port())) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(req, socket as Duplex, head, (ws) => serveClient(ws, options.core));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  return {
    port: port(),
    token,
    url: `http://127.0.0.1:${port()}/#token=${token}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of sockets.clients) client.terminate();
        sockets.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function serveClient(ws: WebSocket, core: Core): void {
  const unsubscribe = core.subscribe((event, payload) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ event, payload }));
  });
  ws.on('close', unsubscribe);
  // Malformed frames (bad opcode, unmasked, invalid UTF-8, oversize) end this client, not the host.
  ws.on('error', () => ws.terminate());
  ws.on('message', async (data) => {
    let request: z.infer<typeof requestSchema>;
    try {
      request = requestSchema.parse(JSON.parse(data.toString()));
    } catch (error) {
      // Not a request: the same coded answer as a bad input, without an id to answer to.
      return reply(ws, -1, { ok: false, error: toErrorPayload(error, core.redact) }, core.redact);
    }
    reply(ws, request.id, await answer(core, request.op, request.input), core.redact);
  });
}

/** Sends one answer; a value JSON cannot carry becomes a coded error, never an unhandled rejection. */
function reply(ws: WebSocket, id: number, result: Result<unknown>, redact: (text: string) => string): void {
  let text: string;
  try {
    text = JSON.stringify({ id, result });
  } catch (error) {
    text = JSON.stringify({ id, result: { ok: false, error: toErrorPayload(error, redact) } });
  }
  ws.send(text);
}
