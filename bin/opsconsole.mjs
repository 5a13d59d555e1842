#!/usr/bin/env node
// Entry of the `opsconsole` command. It runs the built CLI (dist/cli, made at npm install by
// `prepare` and by npm run build) when it is there and no source file is newer; otherwise the
// TypeScript sources through tsx, with a one-line notice. The project's native modules are built
// for its pinned Node 24: a command that needs them, started by another Node (a machine's own,
// first on PATH), is run again on that Node 24; light commands (--help, classify, runbook
// inspect/lint) run on whatever Node 18+ started them.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { builtManifest } from './build-state.mjs';

// A CLI process is short. V8 tiers hot WebAssembly up to its optimizing compiler in the background,
// and the libpg-query parser (1.7 MB of it) runs hot while it starts: on Node 20 that compilation
// is a third of `sql classify`'s CPU, on a machine whose cores are busy. Ten times the default
// budget (1.8 M) still tiers up a long job (a big file, an MCP session). Node 18's V8 lacks the flag.
if (Number(process.versions.node.split('.')[0]) >= 20) setFlagsFromString('--wasm-tiering-budget=18000000');

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// OPSCONSOLE_CLI_DIST: another build folder two levels under the root (tests of the build itself).
const dist = process.env.OPSCONSOLE_CLI_DIST ? join(root, process.env.OPSCONSOLE_CLI_DIST) : join(root, 'dist', 'cli');
const argv = process.argv.slice(2);

/** Runs this command again on the project's Node 24; returns its exit status. */
function reexec() {
  const binary = process.platform === 'win32' ? 'node.exe' : 'node';
  const node24 = [join(root, 'node_modules', 'node', 'bin', binary), join(root, 'node_modules', '.bin', binary)].find(
    (path) => existsSync(path),
  );
  if (!node24 || node24 === process.execPath) {
    process.stderr.write(`opsconsole needs Node 24 (found ${process.version}). Run npm install in ${root}.\n`);
    return 1;
  }
  const result = spawnSync(node24, [fileURLToPath(import.meta.url), ...argv], { stdio: 'inherit' });
  return result.status ?? 1;
}

const { manifest, stale } = builtManifest(root, dist);
if (manifest && argv[0] === 'mcp' && !argv.includes('--help') && !argv.includes('-h')) {
  // The MCP server starts on its own entry: it answers the assistant before the core is loaded
  // (it needs the native modules later, so a Node of another ABI hands it to Node 24 first).
  if (process.versions.modules !== manifest.nativeAbi) process.exit(reexec());
  const { mcpMain } = await import(pathToFileURL(join(dist, 'mcp-main.js')).href);
  process.exitCode = await mcpMain(argv);
} else if (manifest) {
  const { start } = await import(pathToFileURL(join(dist, 'opsconsole.js')).href);
  process.exitCode = await start(argv, manifest, pathToFileURL(dist + '/'), reexec);
} else if (Number(process.versions.node.split('.')[0]) < 24) {
  process.exit(reexec());
} else {
  process.stderr.write(
    `opsconsole: running the sources through tsx (${stale}; npm run build:cli makes it start faster)\n`,
  );
  const { register } = await import('tsx/esm/api');
  register();
  // The MCP server starts on its own entry: it answers the assistant before the core is loaded.
  if (argv[0] === 'mcp' && !argv.includes('--help') && !argv.includes('-h')) {
    const { mcpMain } = await import(join(root, 'src', 'cli', 'mcp-main.ts'));
    process.exitCode = await mcpMain(argv);
  } else {
    const { main } = await import(join(root, 'src', 'cli', 'main.ts'));
    process.exitCode = await main(argv);
  }
}
