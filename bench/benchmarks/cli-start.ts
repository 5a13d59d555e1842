import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, result, round, type BenchContext, type BenchResult, type Benchmark } from '../types';

// The CLI as scripts and runbooks call it: a whole cold process, `node bin/opsconsole.mjs …` started
// by the machine's own `node` (PATH without the project's node_modules/.bin, which npm run puts
// first), against `node -e 0` from the same Node, interleaved run by run. `npx opsconsole …` beside
// it in `also` (npx alone costs about half a second, so it cannot be the measure).

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'bin', 'opsconsole.mjs');

/** PATH as a shell outside npm sees it: without any node_modules/.bin folder. */
export function machinePath(): string {
  return (process.env.PATH ?? '')
    .split(delimiter)
    .filter((dir) => !dir.includes('node_modules'))
    .join(delimiter);
}

/** The first `command` on the machine's own PATH. */
export function onMachinePath(command: string): string {
  const found = machinePath()
    .split(delimiter)
    .map((dir) => join(dir, command))
    .find((path) => existsSync(path));
  if (!found) throw new Error(`no ${command} on PATH outside node_modules`);
  return found;
}

function timed(command: string, args: string[]): number {
  const env = { ...process.env, PATH: machinePath() };
  const started = performance.now();
  const run = spawnSync(command, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const elapsed = performance.now() - started;
  if (run.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${run.status}: ${run.stderr}`);
  return elapsed;
}

async function cliStartRun(context: BenchContext): Promise<BenchResult[]> {
  const node = onMachinePath('node');
  const npx = onMachinePath('npx');
  const nodeVersion = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
  const cases = [
    { id: 'cli.help_ms', args: ['--help'], limit: 2 },
    { id: 'cli.classify_ms', args: ['sql', 'classify', 'SELECT 1', '--json'], limit: 3 },
  ];
  const runs = Math.max(7, context.runs);
  // As installed: npm install builds dist/cli (prepare); rebuilt here so edited sources count.
  const build = spawnSync(process.execPath, [join(root, 'scripts', 'build-cli.mjs')], { cwd: root, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`building the CLI failed: ${build.stderr}`);
  const results: BenchResult[] = [];
  for (const { id, args, limit } of cases) {
    timed(node, [bin, ...args]); // warms the file cache, as an installed command's second call
    const values: number[] = [];
    const anchors: number[] = [];
    const viaNpx: number[] = [];
    for (let run = 0; run < runs; run++) {
      anchors.push(timed(node, ['-e', '0']));
      values.push(timed(node, [bin, ...args]));
      if (run < 3) viaNpx.push(timed(npx, ['--no-install', 'opsconsole', ...args]));
    }
    context.log(`  ${id}: ${round(median(values), 1)} ms, node -e 0 ${round(median(anchors), 1)} ms`);
    results.push(
      result({
        id,
        unit: 'ms',
        value: round(median(values), 1),
        anchor: { name: `node -e 0 (${nodeVersion})`, value: round(median(anchors), 1) },
        goal: { of: 'ratio', op: '<=', limit },
        also: [{ name: 'npx opsconsole (median of 3)', value: round(median(viaNpx), 1) }],
        note: `${runs} interleaved cold processes on ${nodeVersion}, built CLI (dist/cli)`,
      }),
    );
  }
  return results;
}

export const cliStartBenchmarks: Benchmark[] = [
  {
    id: 'cli.',
    description: 'opsconsole --help and sql classify as an installed command starts them, against node -e 0',
    run: cliStartRun,
  },
];
