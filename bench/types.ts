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

/** Runs fn `runs` times and returns the median duration in seconds. */
export async function timeMedian(runs: number, fn: () => Promise<void>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await fn();
    times.push((performance.now() - started) / 1000);
  }
  return median(times);
}
