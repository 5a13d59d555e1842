import { shell, type BrowserWindow, type Session } from 'electron';
import { contentSecurityPolicy } from '../../shared/csp';

/** Hosts whose https pages may be opened in the system browser (docs, issue tracker). */
const externalAllowlist = new Set(['github.com', 'www.postgresql.org', 'redis.io']);

export function isAllowedExternal(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' && externalAllowlist.has(parsed.hostname);
  } catch {
    return false;
  }
}

/** Electron checklist: CSP on every response, no permissions, no navigation, no new windows. */
export function hardenSession(session: Session): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [contentSecurityPolicy()] } });
  });
  // Only notifications (a long query finished in the background); nothing else is ever granted.
  session.setPermissionRequestHandler((_webContents, permission, callback) => callback(permission === 'notifications'));
  session.setPermissionCheckHandler((_webContents, permission) => permission === 'notifications');
}

export function hardenWindow(window: BrowserWindow, isAppUrl: (url: string) => boolean): void {
  const contents = window.webContents;
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    // electronegativity-justified: OPEN_EXTERNAL_JS_CHECK — only https URLs on the allowlist above reach the system browser.
    if (isAllowedExternal(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
}
