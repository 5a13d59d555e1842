import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { WebSocket } from 'ws';

// `npm run host` (scripts/host.mjs) as shipped: the build of scripts/build-cli.mjs (here into a folder
// of its own, so dist/cli is left alone), plain JavaScript; the sources through tsx only when stale.

const root = fileURLToPath(new URL('../..', import.meta.url));
const node24 = join(root, 'node_modules', '.bin', 'node');
const build = `dist/host-test-${process.pid}`;
let home: string;
/** Cold, through tsx on a loaded machine, the sources take seconds to load; minutes means a hang. */
const startLimitMs = 90_000;

before(() => {
  home = mkdtempSync(join(tmpdir(), 'opsconsole-host-built-'));
  const built = spawnSync(node24, ['scripts/build-cli.mjs', '--outdir', build], { cwd: root, encoding: 'utf8' });
  assert.equal(built.status, 0, built.stderr);
});
after(() => {
  rmSync(home, { recursive: true, force: true });
  rmSync(join(root, build), { recursive: true, force: true });
});

/** Starts scripts/host.mjs with a trace of every module it resolves; resolves with its URL and stderr. */
async function startHost(): Promise<{ url: URL; stderr: () => string; loaded: () => string; stop(): Promise<void> }> {
  const hooks = join(home, 'trace.mjs');
  const traced = join(home, `loaded-${Date.now()}.txt`);
  writeFileSync(
    hooks,
    // Asynchronous hooks, on the loader thread tsx's own hooks use: synchronous in-thread hooks
    // (registerHooks) in front of tsx's made the main thread wait on the loader thread, and a cold
    // start once hung there for good.
    `import { register } from 'node:module';
register('data:text/javascript,' + encodeURIComponent(\`import { appendFileSync } from 'node:fs';
export async function resolve(s, c, next) { const r = await next(s, c); appendFileSync(${JSON.stringify(traced)}, r.url + '\\\\n'); return r; }\`));`,
  );
  const child = spawn(node24, ['--import', hooks, 'scripts/host.mjs'], {
    cwd: root,
    env: { ...process.env, OPSCONSOLE_HOME: home, OPSCONSOLE_VAULT: 'file', OPSCONSOLE_CLI_DIST: build },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // A host that never prints its address fails the test, and is killed, instead of holding the run open.
  const url = await new Promise<URL>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the host printed no address within ${startLimitMs} ms: ${stderr}`));
    }, startLimitMs);
    child.stdout!.once('data', (chunk: Buffer) => (clearTimeout(timer), resolve(new URL(chunk.toString().trim()))));
    child.once('exit', (code) => (clearTimeout(timer), reject(new Error(`the host exited ${code}: ${stderr}`))));
  });
  return {
    url,
    stderr: () => stderr,
    loaded: () => readFileSync(traced, 'utf8'),
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}

/** One contract call over the host's WebSocket, as the renderer in a browser makes it. */
async function invoke(url: URL, op: string, input: unknown): Promise<{ ok: boolean; value?: unknown }> {
  const token = new URLSearchParams(url.hash.slice(1)).get('token')!;
  const ws = new WebSocket(`ws://${url.host}/ws?token=${token}`, { origin: url.origin });
  await new Promise((resolve, reject) => (ws.once('open', resolve), ws.once('error', reject)));
  try {
    ws.send(JSON.stringify({ id: 1, op, input }));
    const reply = await new Promise<string>((resolve) => ws.once('message', (data) => resolve(data.toString())));
    return (JSON.parse(reply) as { result: { ok: boolean; value?: unknown } }).result;
  } finally {
    ws.close();
  }
}

test('npm run host serves the contract from the build: no tsx, no TypeScript source', async () => {
  const host = await startHost();
  try {
    const reply = await invoke(host.url, 'sql.classify', { sql: 'DELETE FROM users' });
    assert.equal(reply.ok, true);
    assert.equal((reply.value as { risk: string }).risk, 'dangerous');
    assert.equal(host.stderr(), '', 'the build is fresh: no fallback notice');
    const loaded = host.loaded();
    assert.match(loaded, new RegExp(`${build}/host\\.js`), 'ran the built host');
    assert.doesNotMatch(loaded, /\/node_modules\/tsx\//, 'tsx is not loaded');
    assert.doesNotMatch(loaded, /\/src\/.*\.ts\n/, 'no TypeScript source is loaded');
  } finally {
    await host.stop();
  }
});

test('a source file newer than the build: the host runs the sources through tsx, after a one-line notice', async () => {
  const manifest = join(root, build, 'manifest.json');
  const fresh = readFileSync(manifest, 'utf8');
  writeFileSync(manifest, JSON.stringify({ ...JSON.parse(fresh), builtAt: 0 }));
  try {
    const host = await startHost();
    try {
      const reply = await invoke(host.url, 'sql.classify', { sql: 'SELECT 1' });
      assert.equal((reply.value as { risk: string }).risk, 'read');
      assert.match(host.stderr(), /^host: running the sources through tsx \(src\/\S+ is newer than the build/);
      assert.match(host.loaded(), /\/src\/host\/serve\.ts\n/);
    } finally {
      await host.stop();
    }
  } finally {
    writeFileSync(manifest, fresh);
  }
});
