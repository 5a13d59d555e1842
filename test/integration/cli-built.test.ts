import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { runCliInProcess } from '../support/cli';

// The CLI as shipped: built by scripts/build-cli.mjs (here into a folder of its own beside
// dist/cli, so the build other tests use is left alone) and started by bin/opsconsole.mjs.

const root = fileURLToPath(new URL('../..', import.meta.url));
const node24 = join(root, 'node_modules', '.bin', 'node');
const build = `dist/cli-test-${process.pid}`;
const natives = /\/node_modules\/(better-sqlite3|ssh2|pg|ioredis|node-pty|@napi-rs\/keyring|cpu-features)\//;
let home: string;

/** The machine's own node (PATH without node_modules/.bin), when there is one. */
function machineNode(): string | undefined {
  return (process.env.PATH ?? '')
    .split(delimiter)
    .filter((dir) => !dir.includes('node_modules'))
    .map((dir) => join(dir, 'node'))
    .find((path) => existsSync(path));
}

function run(node: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const child = spawnSync(node, [join(root, 'bin', 'opsconsole.mjs'), ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, OPSCONSOLE_HOME: home, OPSCONSOLE_VAULT: 'file', OPSCONSOLE_CLI_DIST: build, ...env },
  });
  return { code: child.status, stdout: child.stdout, stderr: child.stderr };
}

before(() => {
  home = mkdtempSync(join(tmpdir(), 'opsconsole-cli-built-'));
  const built = spawnSync(node24, ['scripts/build-cli.mjs', '--outdir', build], { cwd: root, encoding: 'utf8' });
  assert.equal(built.status, 0, built.stderr);
});
after(() => {
  rmSync(home, { recursive: true, force: true });
  rmSync(join(root, build), { recursive: true, force: true });
});

const light: { args: string[]; expect: RegExp }[] = [
  { args: ['--help'], expect: /^opsconsole — the Ops Console core/ },
  { args: ['sql', 'classify', 'DELETE FROM users', '--json'], expect: /"risk":"dangerous".*"no_where"/ },
  { args: ['redis', 'classify', '--json', '--', 'FLUSHALL'], expect: /"risk":"dangerous"/ },
  { args: ['runbook', 'inspect', 'runbooks/incident-response.md', '--json'], expect: /"steps":\[/ },
  { args: ['runbook', 'lint', 'runbooks', '--json'], expect: /"errors":0/ },
];

/** Runs the built CLI with a module hook that notes every module resolved: the result and those URLs. */
function traced(args: string[]) {
  const hooks = join(home, 'trace.mjs');
  const list = join(home, 'loaded.txt');
  writeFileSync(
    hooks,
    `import { registerHooks } from 'node:module'; import { appendFileSync } from 'node:fs';
registerHooks({ resolve(s, c, next) { const r = next(s, c); appendFileSync(${JSON.stringify(list)}, r.url + '\\n'); return r; } });`,
  );
  rmSync(list, { force: true });
  const result = run(node24, args, { NODE_OPTIONS: `--import ${hooks}` });
  return { ...result, loaded: existsSync(list) ? readFileSync(list, 'utf8') : '' };
}

test('light commands run from the build and load no native module, driver or core', () => {
  for (const { args, expect } of light) {
    const result = traced(args);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, expect);
    assert.doesNotMatch(result.stderr, /through tsx/, 'the build is fresh: no fallback notice');
    assert.match(result.loaded, new RegExp(`${build}/opsconsole\\.js`), 'ran the built CLI');
    assert.doesNotMatch(result.loaded, natives, `${args.join(' ')} loaded a native module or driver`);
    assert.doesNotMatch(result.loaded, /\/src\//, 'no TypeScript source is loaded');
  }
  // The control: a command that needs the core does load them (the trace sees native modules).
  const control = traced(['app', 'info', '--json']);
  assert.equal(control.code, 0);
  assert.match(control.loaded, natives);
});

test('commands on the local store open it without loading a network driver or a document parser', () => {
  for (const args of [
    ['incident', 'list', '--json'],
    ['profiles', 'list', '--json'],
  ]) {
    const { code, stderr, loaded } = traced(args);
    assert.equal(code, 0, stderr);
    assert.match(loaded, /\/node_modules\/better-sqlite3\//, `${args.join(' ')} opened the store`);
    assert.doesNotMatch(
      loaded,
      /\/node_modules\/(ssh2|pg|ioredis|yaml|markdown-it|pg-copy-streams)\//,
      `${args.join(' ')} loaded a driver`,
    );
  }
});

test("the machine's own Node runs light commands itself and hands the others to the project's Node 24", (t) => {
  const node = machineNode();
  const version = node && spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
  if (!node || Number(version!.slice(1).split('.')[0]) < 18 || version === process.version)
    return t.skip(`no other Node 18+ on PATH (${version})`);
  // Every Node process started (the first, and a re-run on Node 24) notes its version.
  const versions = join(home, 'versions.txt');
  const note = join(home, 'note.cjs');
  writeFileSync(note, `require('node:fs').appendFileSync(${JSON.stringify(versions)}, process.version + '\\n');`);
  const started = (args: string[]) => {
    rmSync(versions, { force: true });
    const result = run(node, args, { NODE_OPTIONS: `--require ${note}` });
    assert.equal(result.code, 0, result.stderr);
    return readFileSync(versions, 'utf8').trim().split('\n');
  };
  assert.deepEqual(started(['sql', 'classify', 'SELECT 1', '--json']), [version]);
  assert.deepEqual(started(['--help']), [version]);
  assert.deepEqual(started(['app', 'info', '--json']), [version, process.version]);
});

test('--help from the build lists every command exactly as the sources do', async () => {
  const built = run(node24, ['--help']);
  const sources = await runCliInProcess(home, ['--help']);
  assert.equal(built.stdout, sources.stdout);
  for (const command of ['sql run', 'incident export', 'mcp', 'profiles add'])
    assert.ok(built.stdout.includes(`  ${command} `), command);
});

test('a source file newer than the build: the sources run through tsx, after a one-line notice', () => {
  const manifest = join(root, build, 'manifest.json');
  const fresh = readFileSync(manifest, 'utf8');
  writeFileSync(manifest, JSON.stringify({ ...JSON.parse(fresh), builtAt: 0 }));
  try {
    const result = run(node24, ['sql', 'classify', 'SELECT 1', '--json']);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout).risk, 'read');
    assert.match(
      result.stderr,
      /^opsconsole: running the sources through tsx \(src\/\S+ is newer than the build; npm run build:cli/,
    );
    assert.equal(result.stderr.trim().split('\n').length, 1);
  } finally {
    writeFileSync(manifest, fresh);
  }
});
