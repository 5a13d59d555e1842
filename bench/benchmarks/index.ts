import type { Benchmark } from '../types';
import { connectBenchmarks } from './connect';
import { sqlClassifyBenchmarks } from './sql-classify';

/** Every benchmark; a new one is a module in this folder plus one entry here. */
export const benchmarks: Benchmark[] = [...connectBenchmarks, ...sqlClassifyBenchmarks];
