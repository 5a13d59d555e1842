/**
 * The renderer's Content-Security-Policy: only the app's own scripts (plus WebAssembly for the
 * SQL parser), no inline script, no remote anything. The browser host adds its WebSocket origin.
 */
export function contentSecurityPolicy(options: { connect?: string[] } = {}): string {
  return [
    "default-src 'none'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self' ${(options.connect ?? []).join(' ')}`.trim(),
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}
