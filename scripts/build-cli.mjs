// Builds the CLI into dist/cli (npm run build:cli; run by `prepare` after npm install): one ES module
// per command plus shared chunks, with the npm packages left external, and a manifest of every
// command's help so `opsconsole --help` loads no command at all. bin/opsconsole.mjs runs it.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
// --outdir DIR (tests build a copy beside dist/cli): two levels under the root, as the URLs below assume.
const outdirFlag = process.argv.indexOf('--outdir');
const outdir = outdirFlag > 0 ? join(root, process.argv[outdirFlag + 1]) : join(root, 'dist', 'cli');
const commandsDir = join(root, 'src', 'cli', 'commands');
const binary = process.platform === 'win32' ? 'node.exe' : 'node';
const node24 =
  [join(root, 'node_modules', '.bin', binary), join(root, 'node_modules', 'node', 'bin', binary)].find((p) =>
    existsSync(p),
  ) ?? process.execPath;
// Files that find their siblings in the build itself (the sandbox's worker bundle) keep the bundle's
// own import.meta.url; every other file sees its source file's URL, so paths it builds relative to
// itself (runbooks/, migrations/, package.json) resolve as they do from the sources.
const ownUrl = new Set(['src/main/sandbox/sandbox-engine.ts']);

/** esbuild plugin: import.meta.url → the source file's URL, computed from the output's place (dist/cli is two levels deep, like src/x). */
const sourceUrls = {
  name: 'source-import-meta-url',
  setup(build) {
    build.onLoad({ filter: /\/src\/.*\.ts$/ }, (args) => {
      const path = relative(root, args.path).split('\\').join('/');
      const text = readFileSync(args.path, 'utf8');
      if (ownUrl.has(path) || !text.includes('import.meta.url')) return undefined;
      return {
        contents: text.replaceAll(
          'import.meta.url',
          `new URL(${JSON.stringify('../../' + path)}, import.meta.url).href`,
        ),
        loader: 'ts',
      };
    });
  },
};

async function bundle() {
  const { build } = await import('esbuild');
  const commandFiles = readdirSync(commandsDir).filter((f) => f.endsWith('.ts'));
  rmSync(outdir, { recursive: true, force: true });
  await build({
    entryPoints: {
      opsconsole: join(root, 'src', 'cli', 'built.ts'),
      'mcp-main': join(root, 'src', 'cli', 'mcp-main.ts'),
      'sandbox-worker': join(root, 'src', 'main', 'sandbox', 'engine-worker.ts'),
      // `npm run host` (scripts/host.mjs): the loopback host runs built, like the app's main process.
      host: join(root, 'src', 'host', 'serve.ts'),
      ...Object.fromEntries(commandFiles.map((f) => [`command-${f.slice(0, -3)}`, join(commandsDir, f)])),
    },
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node18',
    packages: 'external',
    chunkNames: 'chunk-[hash]',
    logLevel: 'warning',
    plugins: [sourceUrls],
  });
}

/** Loads the built command modules on the project's Node and writes what --help and dispatch need. */
function writeManifest() {
  const script = `
    const dir = ${JSON.stringify(outdir)};
    const { commands } = await import(dir + '/command-index.js');
    const modules = [];
    for (const f of (await import('node:fs')).readdirSync(dir).filter((f) => f.startsWith('command-') && f !== 'command-index.js')) {
      modules.push([f.slice(0, -3), await import(dir + '/' + f)]);
    }
    const where = (command) => {
      for (const [module, exports] of modules) for (const [exportName, value] of Object.entries(exports)) {
        if (value === command) return { module, exportName };
        if (Array.isArray(value) && value.includes(command)) return { module, exportName, index: value.indexOf(command) };
      }
      throw new Error('no module exports the command ' + command.path.join(' '));
    };
    const list = commands.map((command) => { const { run, ...info } = command; return { ...info, ...where(command) }; });
    process.stdout.write(JSON.stringify({ builtAt: Date.now(), nativeAbi: process.versions.modules, commands: list }));
  `;
  const run = spawnSync(node24, ['--input-type=module', '-e', script], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, OPSCONSOLE_VAULT: 'file' },
  });
  if (run.status !== 0) throw new Error(`reading the built commands failed: ${run.stderr.trim()}`);
  writeFileSync(join(outdir, 'manifest.json'), run.stdout);
}

try {
  await bundle();
  writeManifest();
  process.stderr.write(`[opsconsole] CLI built into ${relative(root, outdir)}\n`);
} catch (error) {
  rmSync(outdir, { recursive: true, force: true });
  process.stderr.write(`[opsconsole] building the CLI failed: ${error.message ?? error}\n`);
  // At install a failed build must not fail npm install: the bin then runs the sources through tsx.
  process.exit(process.env.npm_lifecycle_event === 'prepare' ? 0 : 1);
}
