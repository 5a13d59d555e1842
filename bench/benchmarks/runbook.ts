import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { importRunbook } from '../../src/main/runbooks/importer';
import { markdownFiles } from '../../src/main/runbooks/runbook-service';
import { classifySql, initSqlClassifier } from '../../src/main/sql/classifier';
import { median, result, type Benchmark } from '../types';
import { syntheticRunbook } from './runbook-synthetic';

/** The corpus of runbooks written by others, read in place beside the repository (never copied). */
const corpus = fileURLToPath(new URL('../../../shared/corpus/', import.meta.url));

export const runbookBenchmarks: Benchmark[] = [
  {
    id: 'runbook.corpus_parse',
    description:
      'Import every markdown file of ../shared/corpus (read, markdown-it, steps, SQL and Redis classification, parameters): seconds for the whole corpus',
    async run({ runs, log }) {
      if (!existsSync(corpus)) {
        log(`runbook.corpus_parse skipped: the corpus folder ${corpus} is absent`);
        return [];
      }
      await initSqlClassifier();
      const files = await markdownFiles(corpus);
      let steps = 0;
      const samples: number[] = [];
      let perFile: number[] = [];
      for (let i = 0; i < Math.max(runs, 3); i++) {
        steps = 0;
        perFile = [];
        const started = performance.now();
        for (const file of files) {
          const fileStarted = performance.now();
          steps += (await importRunbook(await readFile(file, 'utf8'), { path: file, classify: classifySql })).steps
            .length;
          perFile.push(performance.now() - fileStarted);
        }
        samples.push((performance.now() - started) / 1000);
      }
      const p95 = perFile.sort((a, b) => a - b)[Math.floor(perFile.length * 0.95)] ?? 0;
      log(`runbook.corpus_parse: ${samples.map((s) => s.toFixed(2)).join(' s, ')} s`);
      return [
        result({
          id: 'runbook.corpus_parse',
          unit: 's',
          value: median(samples),
          anchor: null,
          goal: { of: 'value', op: '<', limit: 2 },
          note: `${files.length} files, ${steps} steps; first (cold) run ${samples[0]!.toFixed(2)} s; per-file p95 of the last run ${p95.toFixed(1)} ms`,
          also: [{ name: 'per-file p95 (ms)', value: Math.round(p95 * 10) / 10 }],
        }),
      ];
    },
  },
  {
    id: 'runbook.import_1mb_ms',
    description:
      "Import one 1 MB runbook written in others' habits (sessions with output, psql tables, scripts, python, inline commands): milliseconds, median",
    async run({ runs, log }) {
      await initSqlClassifier();
      const text = syntheticRunbook(1024 * 1024);
      const samples: number[] = [];
      let steps = 0;
      for (let i = 0; i < Math.max(runs, 5); i++) {
        const started = performance.now();
        steps = (await importRunbook(text, { path: 'synthetic-1mb.md', classify: classifySql })).steps.length;
        samples.push(performance.now() - started);
      }
      log(`runbook.import_1mb_ms: ${samples.map((s) => s.toFixed(0)).join(' ms, ')} ms`);
      return [
        result({
          id: 'runbook.import_1mb_ms',
          unit: 'ms',
          value: Math.round(median(samples)),
          anchor: null,
          goal: { of: 'value', op: '<', limit: 500 },
          note: `${(text.length / 1024 / 1024).toFixed(2)} MB, ${steps} steps; first run ${samples[0]!.toFixed(0)} ms`,
        }),
      ];
    },
  },
];
