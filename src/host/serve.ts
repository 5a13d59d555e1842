// Development and e2e entry: the real core plus the loopback host serving the built renderer.
// `npm run host` prints the URL (with its one-time token) to open in a browser.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCore } from '../main/core';
import { resolveDataDir } from '../main/data-dir';
import { releaseMemoryWhenIdle } from '../main/idle-memory';
import { startHost } from './host';

const root = fileURLToPath(new URL('../..', import.meta.url));
const core = createCore({
  dataDir: resolveDataDir(),
  version: '0.1.0',
  runbookSyncIntervalMs: 15 * 60_000,
  teamLive: true,
});
const host = await startHost({
  core,
  staticDir: join(root, 'out', 'renderer'),
  port: Number(process.env.OPSCONSOLE_HOST_PORT ?? 0),
});
process.stdout.write(`${host.url}\n`);
releaseMemoryWhenIdle();
const stop = async () => {
  await host.close();
  await core.dispose();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
