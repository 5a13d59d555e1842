// `npm start`: builds and opens the desktop app. Where the Electron binary could not be
// downloaded (CI, locked-down networks) it says so and serves the same renderer and core through
// the loopback host instead, printing the URL to open in a browser.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const node = process.execPath;
const bin = (pkg, file) => join('node_modules', pkg, file);

function electronBinary() {
  try {
    const pathFile = join(require.resolve('electron/package.json'), '..', 'path.txt');
    const dist = join(require.resolve('electron/package.json'), '..', 'dist');
    if (!existsSync(pathFile)) return undefined;
    const executable = join(dist, readFileSync(pathFile, 'utf8').trim());
    return existsSync(executable) ? executable : undefined;
  } catch {
    return undefined;
  }
}

function run(args) {
  const result = spawnSync(node, args, { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

if (electronBinary()) {
  run([bin('electron-vite', 'bin/electron-vite.js'), 'build']);
  const child = spawn(node, [bin('electron-vite', 'bin/electron-vite.js'), 'preview', '--skipBuild'], {
    stdio: 'inherit',
  });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  process.stderr.write(
    'The Electron binary is not installed (its download host was unreachable during npm install),\n' +
      'so Ops Console starts in your browser instead: the same screens over the same core, served on 127.0.0.1 only.\n' +
      'To get the desktop app, run `npx install-electron` (or reinstall electron) where its host is reachable, then npm start.\n\n',
  );
  run([bin('vite', 'bin/vite.js'), 'build', '--config', 'vite.renderer.config.mts', '--logLevel', 'warn']);
  const child = spawn(node, ['scripts/host.mjs'], { stdio: ['inherit', 'pipe', 'inherit'] });
  child.stdout.on('data', (chunk) => {
    const url = String(chunk).trim();
    process.stdout.write(`Open ${url}\n(Ctrl+C to stop)\n`);
    spawn('xdg-open', [url], { stdio: 'ignore', detached: true })
      .on('error', () => undefined)
      .unref();
  });
  child.on('exit', (code) => process.exit(code ?? 0));
}
