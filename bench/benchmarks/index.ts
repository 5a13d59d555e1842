import type { Benchmark } from '../types';
import { appFirstPaintBenchmarks } from './app-first-paint';
import { appFootprintBenchmarks } from './app-footprint';
import { cliStartBenchmarks } from './cli-start';
import { gridScrollBenchmarks } from './grid-scroll';
import { healthBenchmarks } from './health';
import { historyBenchmarks } from './history';
import { schemaBrowseBenchmarks } from './schema-browse';
import { incidentBenchmarks } from './incident';
import { rehearseBenchmarks } from './rehearse';
import { rehearseShapeBenchmarks } from './rehearse-shape';
import { mcpBenchmarks } from './mcp';
import { redisBrowseBenchmarks } from './redis-browse';
import { runbookBenchmarks } from './runbook';
import { sqlClassifyBenchmarks } from './sql-classify';
import { sqlClassifyCatalogBenchmarks } from './sql-classify-catalog';
import { sqlResultsBenchmarks } from './sql-results';
import { terminalBenchmarks } from './terminal';
import { tunnelBenchmarks } from './tunnel';
import { teamBenchmarks } from './team';

/** Every benchmark; a new one is a module in this folder plus one entry here. */
export const benchmarks: Benchmark[] = [
  ...cliStartBenchmarks,
  ...appFootprintBenchmarks,
  ...appFirstPaintBenchmarks,
  ...healthBenchmarks,
  ...incidentBenchmarks,
  ...mcpBenchmarks,
  ...runbookBenchmarks,
  ...sqlClassifyBenchmarks,
  ...sqlClassifyCatalogBenchmarks,
  ...sqlResultsBenchmarks,
  ...gridScrollBenchmarks,
  ...terminalBenchmarks,
  ...tunnelBenchmarks,
  ...rehearseBenchmarks,
  ...rehearseShapeBenchmarks,
  ...teamBenchmarks,
  ...redisBrowseBenchmarks,
  ...historyBenchmarks,
  ...schemaBrowseBenchmarks,
];
