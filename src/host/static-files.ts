import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { contentSecurityPolicy } from '../shared/csp';
import { decodedPath, isLoopbackHost } from './loopback-origin';

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

/**
 * Serves the built renderer. Every request is answered, whatever it holds: a path that cannot
 * be decoded gets 400, a foreign Host header (DNS rebinding) 421, and nothing a request carries
 * may throw past this function, so one bad URL never takes the host down.
 */
export function serveStatic(
  req: IncomingMessage,
  res: ServerResponse,
  staticDir: string | undefined,
  port: number,
): void {
  const headers = {
    'Content-Security-Policy': contentSecurityPolicy({ connect: [`ws://127.0.0.1:${port}`, `ws://localhost:${port}`] }),
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-store',
  };
  const answer = (status: number, body?: Buffer, type?: string): void => {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res
      .writeHead(status, type ? { ...headers, 'Content-Type': type } : headers)
      .end(req.method === 'HEAD' ? undefined : body);
  };
  const file = staticFile(req, staticDir, port);
  if (typeof file === 'number') {
    answer(file);
    return;
  }
  readFile(file).then(
    (body) => answer(200, body, mimeTypes[extname(file)] ?? 'application/octet-stream'),
    () => answer(404),
  );
}

/** The file a request names inside the static folder, or the status that refuses it. */
function staticFile(req: IncomingMessage, staticDir: string | undefined, port: number): string | number {
  if (hostHeaders(req) > 1) return 400;
  if (!isLoopbackHost(req.headers.host, port)) return 421;
  if (!staticDir || (req.method !== 'GET' && req.method !== 'HEAD')) return 404;
  const pathname = decodedPath(req.url);
  if (pathname === null) return 400;
  const relative = pathname === '/' ? 'index.html' : pathname.slice(1);
  const file = normalize(join(staticDir, relative));
  return file.startsWith(normalize(staticDir) + sep) ? file : 403;
}

/** Node keeps the first of several Host headers; a request that sends two is refused outright. */
function hostHeaders(req: IncomingMessage): number {
  return req.rawHeaders.filter((name, i) => i % 2 === 0 && name.toLowerCase() === 'host').length;
}
