import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { importRunbook } from '../../src/main/runbooks/importer';
import { markdownFiles } from '../../src/main/runbooks/runbook-service';
import { classifySql, initSqlClassifier } from '../../src/main/sql/classifier';
import { median, result, type Benchmark } from '../types';

/** The corpus of runbooks written by others, read in place beside the repository (never copied). */
const corpus = fileURLToPath(new URL('../../../shared/corpus/', import.meta.url));

export const runbookBenchmarks: Benchmark[] = [
  {
    id: 'runbook.corpus_parse',
    description: 'Import every markdown file of ../shared/corpus (read, markdown-it, steps, SQL and Redis classification, parameters): seconds for the whole corpus',
    async run({ runs, log }) {
      if (!existsSync(corpus)) {
        log(`runbook.corpus_parse skipped: the corpus folder ${corpus} is absent`);
        return [];
      }
      await initSqlClassifier();
      const files = await markdownFiles(corpus);
      let steps = 0;
      const samples: number[] = [];
      for (let i = 0; i < Math.max(runs, 3); i++) {
        steps = 0;
        const started = performance.now();
        for (const file of files) steps += (await importRunbook(await readFile(file, 'utf8'), { path: file, classify: classifySql })).steps.length;
        samples.push((performance.now() - started) / 1000);
      }
      log(`runbook.corpus_parse: ${samples.map((s) => s.toFixed(2)).join(' s, ')} s`);
      return [
        result({
          id: 'runbook.corpus_parse', unit: 's', value: median(samples), anchor: null, goal: { of: 'value', op: '<', limit: 2 },
          note: `${files.length} files, ${steps} steps; first (cold) run ${samples[0]!.toFixed(2)} s`,
        }),
      ];
    },
  },
];
