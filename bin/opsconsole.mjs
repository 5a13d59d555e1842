#!/usr/bin/env node
// Entry of the `opsconsole` command. The project runs on Node 24 (the Node Electron 45 embeds);
// when started by an older Node (a machine's own, first on PATH) it re-runs itself on the Node 24
// installed as a devDependency, then loads the TypeScript CLI through tsx: no build step needed.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const major = Number(process.versions.node.split('.')[0]);

if (major < 24) {
  const candidates = [join(root, 'node_modules', 'node', 'bin', 'node'), join(root, 'node_modules', '.bin', 'node')];
  const node24 = candidates.find((path) => existsSync(path));
  if (!node24) {
    process.stderr.write(`opsconsole needs Node 24 (found ${process.version}). Run npm install in ${root}.\n`);
    process.exit(1);
  }
  const result = spawnSync(node24, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(result.status ?? 1);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  const args = process.argv.slice(2);
  // The MCP server starts on its own entry: it answers the assistant before the core is loaded.
  if (args[0] === 'mcp' && !args.includes('--help') && !args.includes('-h')) {
    const { mcpMain } = await import(join(root, 'src', 'cli', 'mcp-main.ts'));
    process.exitCode = await mcpMain(args);
  } else {
    const { main } = await import(join(root, 'src', 'cli', 'main.ts'));
    process.exitCode = await main(args);
  }
}
