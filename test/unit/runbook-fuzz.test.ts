import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { classifySql, initSqlClassifier } from '../../src/main/sql/classifier';
import { importRunbook } from '../../src/main/runbooks/importer';

const bases = ['real-world-patterns.md', 'authoring.md'].map((name) =>
  readFileSync(new URL(`../fixtures/runbooks/${name}`, import.meta.url), 'utf8'),
);

/** Fragments that stress the importer: unbalanced quotes and fences, heredocs, REPLs, placeholders. */
const fragments = [
  '```',
  '```bash',
  '```sql {name=x confirm=true}',
  '```{',
  '~~~',
  '"',
  "'",
  '`',
  '\\',
  '$(',
  '${',
  '<<EOF',
  "<<-'X'",
  'EOF',
  ';',
  '|',
  '&&',
  '>',
  'psql -c "',
  'psql',
  'redis-cli',
  'redis-cli -c',
  'curl -H',
  'docker exec c psql -c',
  '\\q',
  '\\dt',
  'SELECT',
  'UPDATE t SET a = 1',
  'DELETE FROM x',
  '- [ ] ',
  '- [x] ',
  '| a | b |\n| --- | --- |',
  '> [!WARNING]',
  '---\ntitle: [\n---',
  '# ',
  '## ',
  '<admin_token>',
  '[id]',
  ':name',
  '::int',
  '{{x}}',
  '$DATABASE_URL',
  'your_id',
  'for i in 1 2; do',
  'done',
  'if true; then',
  'fi',
  '\n',
  '\n\n',
  '\t',
  '😀',
  '\u0000',
  'wrangler d1 execute db --command "',
];

/** Mulberry32: a small seeded PRNG so a failure names its seed and replays. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A window of the base (a few sections) with a handful of edits: small inputs keep 10,000 runs fast. */
function mutate(text: string, random: () => number): string {
  const start = Math.floor(random() * text.length * 0.8);
  let out = text.slice(start, start + 600 + Math.floor(random() * 1400));
  const edits = 1 + Math.floor(random() * 6);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(random() * (out.length + 1));
    const op = random();
    if (op < 0.4) out = out.slice(0, at) + fragments[Math.floor(random() * fragments.length)] + out.slice(at);
    else if (op < 0.65) out = out.slice(0, at) + out.slice(at + Math.floor(random() * 200));
    else if (op < 0.85) {
      const from = Math.floor(random() * out.length);
      out = out.slice(0, at) + out.slice(from, from + Math.floor(random() * 300)) + out.slice(at);
    } else out = out.slice(0, at) + String.fromCharCode(Math.floor(random() * 0x3000)) + out.slice(at);
  }
  return out;
}

/** Imports one mutation; fails naming the seed when the importer throws. Returns the time it took (ms). */
async function importSeed(seed: number, text: string): Promise<number> {
  const started = performance.now();
  try {
    const plan = await importRunbook(text, { classify: classifySql });
    assert.ok(Array.isArray(plan.steps));
  } catch (error) {
    assert.fail(`seed ${seed} threw: ${(error as Error).stack}`);
  }
  return performance.now() - started;
}

/**
 * The fastest of up to three imports of the same text. The work is the same each time, so an input
 * that makes the importer slow is slow on every try; a pause of the machine's (a GC, a busy core
 * under a parallel test run) is not, and does not fail the seed.
 */
async function bestOf3(seed: number, text: string, budgetMs: number): Promise<number> {
  let best = await importSeed(seed, text);
  for (let retry = 0; retry < 2 && best >= budgetMs; retry++) best = Math.min(best, await importSeed(seed, text));
  return best;
}

describe('runbook importer fuzz', () => {
  it('imports 10,000 seeded mutations, each in under 1 s, without throwing', async () => {
    await initSqlClassifier();
    let slowest = 0;
    for (let seed = 1; seed <= 10_000; seed++) {
      const random = prng(seed);
      const text = mutate(bases[seed % bases.length]!, random);
      const ms = await bestOf3(seed, text, 1000);
      slowest = Math.max(slowest, ms);
      assert.ok(ms < 1000, `seed ${seed} took ${ms.toFixed(0)} ms on each of three tries`);
    }
    assert.ok(slowest < 1000);
  });
});
