// `npm run -s bench -- [--json] [--only PREFIX[,PREFIX…]] [--runs N] [--contend]`: runs the benchmarks against
// the harness's servers and prints DESIGN.md's bench document (JSON) or a table. Exit 0 even when
// a goal is missed: the pass fields say so.
import { parseArgs } from 'node:util';
import { benchmarks } from './benchmarks/index';
import { asContended, startCpuHog } from './contention';
import type { Benchmark, BenchResult } from './types';

const { values } = parseArgs({
  options: {
    json: { type: 'boolean' },
    only: { type: 'string' },
    runs: { type: 'string' },
    contend: { type: 'boolean' },
  },
  allowPositionals: false,
});
const prefixes = values.only
  ?.split(',')
  .map((p) => p.trim())
  .filter(Boolean);
const runs = values.runs ? Math.max(1, Number(values.runs)) : 3;
const log = (message: string) => process.stderr.write(message + '\n');
process.env.OPSCONSOLE_VAULT = 'file';

const selected = benchmarks.filter((b) => !prefixes || prefixes.some((p) => b.id.startsWith(p) || p.startsWith(b.id)));
const results: BenchResult[] = [];
for (const benchmark of selected) {
  log(`▶ ${benchmark.id}: ${benchmark.description}`);
  results.push(...(await runOne(benchmark)));
  if (!values.contend) continue;
  // The same benchmark again while a busy loop takes one of the cores (a video call, a build).
  log(`▶ ${benchmark.id}@contended: the same while a CPU hog takes one core`);
  const hog = await startCpuHog();
  try {
    results.push(...(await runOne(benchmark)).map(asContended));
  } finally {
    await hog.stop();
  }
}

async function runOne(benchmark: Benchmark): Promise<BenchResult[]> {
  try {
    return (await benchmark.run({ log, runs })).filter((r) => !prefixes || prefixes.some((p) => r.id.startsWith(p)));
  } catch (error) {
    log(`  ✖ ${benchmark.id} failed: ${(error as Error).stack ?? error}`);
    return [];
  }
}

if (values.json) {
  process.stdout.write(JSON.stringify({ schema: 1, results }) + '\n');
} else {
  const rows = results.map((r) => [
    r.id,
    `${r.value} ${r.unit}`,
    r.anchor ? `${r.anchor.name}: ${r.anchor.value}` : '—',
    r.ratio === null ? '—' : String(r.ratio),
    `${r.goal.of} ${r.goal.op} ${r.goal.limit}`,
    r.pass ? 'pass' : 'MISS',
  ]);
  const header = ['id', 'value', 'anchor', 'ratio', 'goal', ''];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  for (const row of [header, ...rows])
    process.stdout.write(row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ') + '\n');
}
process.exit(0);
