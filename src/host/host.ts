import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { z } from 'zod';
import { operationNames, type OperationName } from '../shared/contract';
import type { Core } from '../main/core';
import { toErrorPayload } from '../main/errors';
import { contentSecurityPolicy } from '../shared/csp';

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

const mimeTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

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
  const server: Server = createServer((req, res) => void serveStatic(req, res, options.staticDir, port()));
  const sockets = new WebSocketServer({ noServer: true, maxPayload: 8 * 1024 * 1024 });
  const port = () => (server.address() as AddressInfo).port;

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const origin = req.headers.origin;
    const allowedOrigins = [`http://127.0.0.1:${port()}`, `http://localhost:${port()}`];
    if (url.pathname !== '/ws' || !sameToken(url.searchParams.get('token'), token) || !origin || !allowedOrigins.includes(origin)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(req, socket, head, (ws) => serveClient(ws, options.core));
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
  ws.on('message', async (data) => {
    let id = -1;
    try {
      const request = requestSchema.parse(JSON.parse(data.toString()));
      id = request.id;
      const value = await core.invoke(request.op, request.input as never);
      ws.send(JSON.stringify({ id, result: { ok: true, value: value ?? null } }));
    } catch (error) {
      ws.send(JSON.stringify({ id, result: { ok: false, error: toErrorPayload(error, core.redact) } }));
    }
  });
}

async function serveStatic(req: IncomingMessage, res: ServerResponse, staticDir: string | undefined, port: number): Promise<void> {
  const headers = {
    'Content-Security-Policy': contentSecurityPolicy({ connect: [`ws://127.0.0.1:${port}`, `ws://localhost:${port}`] }),
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-store',
  };
  if (!staticDir || (req.method !== 'GET' && req.method !== 'HEAD')) {
    res.writeHead(404, headers).end();
    return;
  }
  const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
  const relative = pathname === '/' ? 'index.html' : pathname.slice(1);
  const file = normalize(join(staticDir, relative));
  if (!file.startsWith(normalize(staticDir) + sep)) {
    res.writeHead(403, headers).end();
    return;
  }
  try {
    const body = await readFile(file);
    res.writeHead(200, { ...headers, 'Content-Type': mimeTypes[extname(file)] ?? 'application/octet-stream' }).end(body);
  } catch {
    res.writeHead(404, headers).end();
  }
}
