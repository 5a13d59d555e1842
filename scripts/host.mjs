// `npm run host`: the loopback host (src/host/serve.ts) serving the built renderer over the real core.
// It runs the build in dist/cli (made at npm install and by npm run build:cli, like the CLI) when no
// source is newer: plain JavaScript, as the app's main process runs it, without tsx's transform
// and source maps held in memory. Otherwise the sources through tsx, after a one-line notice.
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { builtManifest } from '../bin/build-state.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
// OPSCONSOLE_CLI_DIST: another build folder two levels under the root, as for the bin (tests of the build).
const dist = process.env.OPSCONSOLE_CLI_DIST ? join(root, process.env.OPSCONSOLE_CLI_DIST) : join(root, 'dist', 'cli');
const { manifest, stale } = builtManifest(root, dist);
if (manifest) {
  await import(pathToFileURL(join(dist, 'host.js')).href);
} else {
  process.stderr.write(`host: running the sources through tsx (${stale}; npm run build:cli makes it lighter)\n`);
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(join(root, 'src', 'host', 'serve.ts')).href);
}
