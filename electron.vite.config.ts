import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import { cpSync } from 'node:fs';
import { resolve } from 'node:path';
import { reactOnPreact } from './vite.renderer.config.mjs';

const root = import.meta.dirname;

/** Copies the numbered SQL migrations beside the main bundle (src/main/store/database.ts reads them). */
function copyMigrations() {
  return {
    name: 'opsconsole-copy-migrations',
    closeBundle() {
      cpSync(resolve(root, 'src/main/store/migrations'), resolve(root, 'out/main/migrations'), { recursive: true });
    },
  };
}

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      externalizeDeps: true,
      // The sandbox's worker thread is its own entry: src/main/sandbox/sandbox-engine.ts loads it beside the bundle.
      rollupOptions: {
        input: {
          index: resolve(root, 'src/main/index.ts'),
          'sandbox-worker': resolve(root, 'src/main/sandbox/engine-worker.ts'),
        },
      },
    },
    plugins: [copyMigrations()],
  },
  preload: {
    build: {
      outDir: 'out/preload',
      externalizeDeps: { exclude: ['zod'] },
      // Sandboxed preloads must be CommonJS with everything bundled in.
      rollupOptions: {
        input: { index: resolve(root, 'src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(root, 'src/renderer'),
    publicDir: resolve(root, 'resources'),
    plugins: [react()],
    resolve: { alias: reactOnPreact },
    build: {
      outDir: 'out/renderer',
      target: 'chrome130',
      // Never inline assets as data: URLs: the CSP allows fonts and images from the app itself only.
      assetsInlineLimit: 0,
      rollupOptions: { input: { index: resolve(root, 'src/renderer/index.html') } },
    },
  },
});
