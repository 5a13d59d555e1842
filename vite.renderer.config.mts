import react from '@vitejs/plugin-react';
import { resolve } from 'node:path';
import { defineConfig } from 'vite';

/** The renderer alone, for the loopback host (e2e tests, `npm start` without Electron). */
export default defineConfig({
  root: resolve(import.meta.dirname, 'src/renderer'),
  base: './',
  // The app icon (resources/) doubles as the page's favicon.
  publicDir: resolve(import.meta.dirname, 'resources'),
  plugins: [react()],
  // Never inline assets as data: URLs: the CSP allows fonts and images from the app itself only.
  build: { outDir: resolve(import.meta.dirname, 'out/renderer'), emptyOutDir: true, target: 'chrome130', assetsInlineLimit: 0 },
});
