/** One entry of DESIGN.md's bench document. */
export interface BenchResult {
  id: string;
  unit: string;
  value: number;
  anchor: { name: string; value: number } | null;
  ratio: number | null;
  /** contendedLimit: the limit under --contend when the issue names a looser one (else `limit` holds there too). */
  goal: { of: 'value' | 'ratio'; op: '<' | '<=' | '>' | '>='; limit: number; contendedLimit?: number };
  pass: boolean;
  also?: { name: string; value: number }[];
  /** Free-form context (row counts, settings) shown in the table. */
  note?: string;
}

export interface BenchContext {
  /** Progress for the operator: stderr only. */
  log(message: string): void;
  /** How many repetitions to take the median of (3 by default; --runs N). */
  runs: number;
}

/** A benchmark: produces one or more results (ids share its prefix). */
export interface Benchmark {
  /** Prefix of the ids it produces, used by --only. */
  id: string;
  /** What it measures, for bench/README.md and the table. */
  description: string;
  run(context: BenchContext): Promise<BenchResult[]>;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Builds a result, computing ratio and pass from the goal. */
export function result(fields: Omit<BenchResult, 'ratio' | 'pass'> & { ratio?: number | null }): BenchResult {
  const ratio = fields.ratio ?? (fields.anchor ? round(fields.value / fields.anchor.value) : null);
  const subject = fields.goal.of === 'ratio' ? ratio : fields.value;
  const { op, limit } = fields.goal;
  const pass =
    subject !== null &&
    (op === '<' ? subject < limit : op === '<=' ? subject <= limit : op === '>' ? subject > limit : subject >= limit);
  return { ...fields, value: round(fields.value), ratio, pass };
}

export function round(value: number, digits = 4): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Times one call, in seconds. */
export async function timeOnce(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return (performance.now() - started) / 1000;
}

/** Runs fn `runs` times and returns the median duration in seconds. */
export async function timeMedian(runs: number, fn: () => Promise<void>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await timeOnce(fn));
  return median(times);
}

/**
 * Runs each variant once per round, rounds `runs` times, and returns each one's seconds, round by
 * round: interleaved, so a busy spell on a shared machine hits every variant alike and the ratios hold.
 */
export async function interleavedSamples<K extends string>(
  runs: number,
  variants: Record<K, () => Promise<unknown>>,
): Promise<Record<K, number[]>> {
  const samples = Object.fromEntries(Object.keys(variants).map((k) => [k, [] as number[]])) as Record<K, number[]>;
  for (let round = 0; round < runs; round++) {
    for (const [name, run] of Object.entries(variants) as [K, () => Promise<unknown>][]) {
      samples[name].push(await timeOnce(run));
    }
  }
  return samples;
}

/** The same, each variant's median seconds. */
export async function interleaved<K extends string>(
  runs: number,
  variants: Record<K, () => Promise<unknown>>,
): Promise<Record<K, number>> {
  const samples = await interleavedSamples(runs, variants);
  return Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v as number[])])) as Record<K, number>;
}

/** For a note: how value ÷ anchor spread over interleaved rounds, "lo–hi (median m)". */
export function ratioSpread(values: number[], anchors: number[]): string {
  const ratios = values.map((value, i) => value / anchors[i]!).sort((a, b) => a - b);
  return `${round(ratios[0]!, 2)}–${round(ratios.at(-1)!, 2)} (median ${round(median(ratios), 2)})`;
}
