import { pathToFileURL } from 'node:url';

/**
 * Whether a page URL is the app's own renderer: the dev server's exact origin (compared as a
 * parsed origin, so `http://localhost:5173.evil.example` is not it), or the packaged index.html
 * file itself (with any fragment, none of its siblings).
 */
export function isAppUrl(url: string, renderer: { devServerUrl?: string; file: string }): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (renderer.devServerUrl) {
    const dev = new URL(renderer.devServerUrl);
    return (dev.protocol === 'http:' || dev.protocol === 'https:') && parsed.origin === dev.origin;
  }
  const file = pathToFileURL(renderer.file);
  return parsed.protocol === 'file:' && parsed.host === '' && parsed.pathname === file.pathname && parsed.search === '';
}
