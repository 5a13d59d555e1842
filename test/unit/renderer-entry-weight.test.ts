import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { settingsSchema } from '../../src/shared/settings';
import { defaultSettings } from '../../src/shared/settings-defaults';

// Issue 28: the window paints with ≤ 500 kB of JavaScript. zod, re2js and markdown-it (≈ 330 kB
// minified) load with the views that use them; a static import from the entry's graph undoes it.

const root = fileURLToPath(new URL('../..', import.meta.url));
const heavy = ['zod', 're2js', 'markdown-it'];

function resolveLocal(from: string, spec: string): string | undefined {
  const base = resolve(dirname(from), spec);
  return [base, `${base}.ts`, `${base}.tsx`, `${base}/index.ts`].find((c) => /\.tsx?$/.test(c) && existsSync(c));
}

/** Value imports only: `import type` and all-`type` brace lists are erased; import() is a separate chunk. */
function staticImports(file: string): string[] {
  const source = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
  const specs: string[] = [];
  for (const m of source.matchAll(/^(?:import|export)\s+(type\s+)?([^;]*?)\s+from\s+'([^']+)'/gms)) {
    if (m[1] || /^\{[\s,]*(type\s+\w+(\s+as\s+\w+)?[\s,]*)*\}$/.test(m[2]!.trim())) continue;
    specs.push(m[3]!);
  }
  return specs;
}

/** Each heavy package reached from the entry, with the chain of files that reaches it. */
function heavyChains(entry: string): string[] {
  const parent = new Map<string, string | undefined>([[entry, undefined]]);
  const queue = [entry];
  const found: string[] = [];
  for (let file = queue.shift(); file; file = queue.shift()) {
    for (const spec of staticImports(file)) {
      if (!spec.startsWith('.')) {
        if (heavy.some((h) => spec === h || spec.startsWith(`${h}/`)))
          found.push(`${spec} via ${chain(parent, file).join(' > ')}`);
        continue;
      }
      const next = resolveLocal(file, spec);
      if (next && !parent.has(next)) (parent.set(next, file), queue.push(next));
    }
  }
  return found;
}

function chain(parent: Map<string, string | undefined>, file: string): string[] {
  const files: string[] = [];
  for (let f: string | undefined = file; f; f = parent.get(f)) files.unshift(relative(root, f));
  return files;
}

test('the renderer entry reaches no zod, re2js or markdown-it by static import', () => {
  assert.deepEqual(heavyChains(resolve(root, 'src/renderer/src/main.tsx')), []);
});

test('the walker sees a heavy import (the profile editor reaches zod)', () => {
  assert.ok(
    heavyChains(resolve(root, 'src/renderer/src/components/ProfileEditor.tsx')).some((c) => c.startsWith('zod via')),
  );
});

test('the zod-free settings defaults are the schema defaults', () => {
  assert.deepEqual(defaultSettings, settingsSchema.parse({}));
});
