// Whether the build in dist/cli (scripts/build-cli.mjs: the CLI and the loopback host) is current.
// bin/opsconsole.mjs and scripts/host.mjs run it when it is, the TypeScript sources through tsx when not.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

// Folders the build never includes (the renderer is built by vite, the preload by electron-vite):
// not walking them halves the file checks every start pays for.
const notBuilt = new Set(['renderer', 'preload']);

/** The first source file under `folder` modified after `builtAt`, or undefined. */
function newerSource(folder, builtAt, depth = 0) {
  if (!existsSync(folder)) return undefined;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) {
      const found = depth === 0 && notBuilt.has(entry.name) ? undefined : newerSource(path, builtAt, depth + 1);
      if (found) return found;
    } else if (entry.isFile() && statSync(path).mtimeMs > builtAt) return path;
  }
  return undefined;
}

/**
 * The build's manifest, or why the sources run instead (no build, or a source file newer than it).
 * @param {string} root the project folder
 * @param {string} dist the build folder
 */
export function builtManifest(root, dist) {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(join(dist, 'manifest.json'), 'utf8'));
  } catch {
    return { stale: 'no build in dist/cli' };
  }
  const newer = newerSource(join(root, 'src'), manifest.builtAt);
  if (newer) return { stale: `${relative(root, newer).split('\\').join('/')} is newer than the build` };
  return { manifest };
}
