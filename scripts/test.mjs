// `npm test`: system packages, lint, type-check, renderer build, then every test (unit, integration
// against real servers, e2e in Chromium) in one node:test run. `npm test -- unit` runs one layer.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ensureSystem } from './ensure-system.mjs';

const layers = ['unit', 'integration', 'e2e'];
const asked = process.argv.slice(2).filter((a) => layers.includes(a));
const chosen = asked.length ? asked : layers;
const node = process.execPath;
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  process.stderr.write(
    `npm test runs on Node 24 (found ${process.version}): run it through npm so node_modules/.bin/node comes first.\n`,
  );
  process.exit(1);
}

function step(title, command, args) {
  process.stderr.write(`\n▶ ${title}\n`);
  const started = Date.now();
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, OPSCONSOLE_VAULT: 'file' } });
  process.stderr.write(`  (${title}: ${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
  if (result.status !== 0) process.exit(result.status ?? 1);
}

function testFiles(dir) {
  const out = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...testFiles(path));
    else if (entry.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

if (chosen.some((l) => l !== 'unit')) ensureSystem();
step('lint (ESLint, format, Electronegativity, import graph, dead code)', node, ['scripts/lint.mjs']);
step('type-check (shared: no Node, no DOM)', node, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.shared.json']);
step('type-check (node side)', node, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.node.json']);
step('type-check (web side)', node, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.web.json']);
step('type-check (tests, benchmarks, scripts)', node, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.test.json']);
if (chosen.includes('e2e'))
  step('build the renderer', node, [
    'node_modules/vite/bin/vite.js',
    'build',
    '--config',
    'vite.renderer.config.mts',
    '--logLevel',
    'warn',
  ]);
// The CLI tests spawn bin/opsconsole.mjs, which runs dist/cli when it is newer than every source and
// otherwise transpiles the sources through tsx on every start (about a second more per command).
step('build the CLI (dist/cli, the `opsconsole` the tests spawn)', node, ['scripts/build-cli.mjs']);
// The layers with the longest files first: with two files at a time, the many short unit files fill
// the end instead of one long e2e file running alone on one core while the other idles.
const files = ['e2e', 'integration', 'unit']
  .filter((layer) => chosen.includes(layer))
  .flatMap((layer) => testFiles(join('test', layer)));
// --liftoff-only: V8 keeps WebAssembly on its baseline compiler. By default every test process
// that parses a few thousand SQL statements (libpg-query) then spends about 2 s of CPU optimising
// that WebAssembly in the background, which no test process lives long enough to win back
// (measured: runbook-fuzz 31 → 26 s of CPU, rehearsal-paths 34 → 27 s). It changes how fast the
// code runs, never what it returns; the test runner passes the flag on to every test file. The
// files below measure the code V8 optimises for the sandbox engine, so they run as the app does.
const defaultTiering = new Set([join('test', 'integration', 'sandbox-engine-code.test.ts')]);
const testArgs = ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-timeout=180000', '--test-reporter=spec'];
const onBaselineCompiler = files.filter((file) => !defaultTiering.has(file));
const onDefaultTiering = files.filter((file) => defaultTiering.has(file));
step(`tests (${chosen.join(', ')}: ${onBaselineCompiler.length} files)`, node, [
  '--liftoff-only',
  ...testArgs,
  ...onBaselineCompiler,
]);
if (onDefaultTiering.length)
  step(`tests with V8's default tiering (${onDefaultTiering.length} file)`, node, [...testArgs, ...onDefaultTiering]);
