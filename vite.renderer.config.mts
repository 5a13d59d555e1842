import react from '@vitejs/plugin-react';
import { resolve } from 'node:path';
import { defineConfig } from 'vite';

/**
 * The browser host's page talks to the core over a loopback WebSocket; the Electron build's page
 * (src/renderer/index.html as written) may open no socket at all, so only this build adds it.
 */
function loopbackWebSocketCsp() {
  return {
    name: 'opsconsole-host-csp',
    transformIndexHtml(html: string): string {
      const widened = html.replace("connect-src 'self';", "connect-src 'self' ws://127.0.0.1:* ws://localhost:*;");
      if (widened === html)
        throw new Error(
          'src/renderer/index.html: the CSP meta tag has no "connect-src \'self\';" to widen for the browser host.',
        );
      return widened;
    },
  };
}

/**
 * The renderer runs on Preact's React layer (preact/compat): the code is written, typed and
 * reviewed against React's API (@types/react), and the bundles alias React to Preact. React DOM
 * was 200 kB of the 307 kB the window ran before its first paint; Preact is about 12 kB.
 * The desktop build (electron.vite.config.ts) uses the same aliases.
 */
export const reactOnPreact = [
  { find: /^react-dom\/client$/, replacement: 'preact/compat/client' },
  { find: /^react\/jsx-runtime$/, replacement: 'preact/compat/jsx-runtime' },
  { find: /^react\/jsx-dev-runtime$/, replacement: 'preact/compat/jsx-dev-runtime' },
  { find: /^react-dom$/, replacement: 'preact/compat' },
  { find: /^react$/, replacement: 'preact/compat' },
];

/** The renderer alone, for the loopback host (e2e tests, `npm start` without Electron). */
export default defineConfig({
  root: resolve(import.meta.dirname, 'src/renderer'),
  base: './',
  // The app icon (resources/) doubles as the page's favicon.
  publicDir: resolve(import.meta.dirname, 'resources'),
  plugins: [react(), loopbackWebSocketCsp()],
  resolve: { alias: reactOnPreact },
  // Never inline assets as data: URLs: the CSP allows fonts and images from the app itself only.
  build: {
    outDir: resolve(import.meta.dirname, 'out/renderer'),
    emptyOutDir: true,
    target: 'chrome130',
    assetsInlineLimit: 0,
  },
});
