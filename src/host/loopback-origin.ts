/**
 * The host answers only to its own loopback names. Origins and Host headers are compared as
 * parsed values, never as string prefixes: `http://127.0.0.1:5173.evil.example` is another origin.
 */
export function loopbackOrigins(port: number): Set<string> {
  return new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);
}

/** The origin a header names, normalised by the URL parser; null for `null`, junk or non-http(s). */
export function parsedOrigin(value: string | undefined): string | null {
  if (!value) return null;
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    return url.origin;
  } catch {
    return null;
  }
}

export function isLoopbackOrigin(value: string | undefined, port: number): boolean {
  const origin = parsedOrigin(value);
  return origin !== null && loopbackOrigins(port).has(origin);
}

/** A Host header naming this host (a DNS-rebinding page sends its own name instead). */
export function isLoopbackHost(value: string | undefined, port: number): boolean {
  return value !== undefined && isLoopbackOrigin(`http://${value}`, port);
}

/** The path of a request target, percent-decoded; null when it cannot be (`/%E0%A4%A`, NUL bytes). */
export function decodedPath(target: string | undefined): string | null {
  try {
    const pathname = decodeURIComponent(new URL(target ?? '/', 'http://127.0.0.1').pathname);
    return pathname.includes('\0') ? null : pathname;
  } catch {
    return null;
  }
}
