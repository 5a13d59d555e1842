import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

// Issue 31: the renderer's store had one import circle (every slice took AppState from the file
// that imports them all). Type-only imports count: a circle of types is still a circle to read.

const root = fileURLToPath(new URL('../..', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.tsx?$/.test(name) ? [path] : [];
  });
}

/** Relative imports of a file, `import type`, re-exports and import() included. */
function imports(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  const specs = [
    ...source.matchAll(/^(?:import|export)\s[^;]*?\sfrom\s+'([^']+)'/gms),
    ...source.matchAll(/import\(\s*'([^']+)'\s*\)/g),
  ].map((m) => m[1]!);
  return specs
    .filter((spec) => spec.startsWith('.'))
    .map((spec) => resolve(dirname(file), spec))
    .map((base) =>
      [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts')].find((c) => existsSync(c) && statSync(c).isFile()),
    )
    .filter((path): path is string => !!path);
}

/** Each circle found by a depth-first walk, as the chain of files that closes it. */
function circles(dir: string): string[] {
  const graph = new Map(sources(dir).map((file) => [file, imports(file)]));
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const found: string[] = [];
  const walk = (file: string) => {
    state.set(file, 'open');
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'open')
        found.push([...stack.slice(stack.indexOf(next)), next].map((f) => relative(dir, f)).join(' > '));
      else if (!state.has(next)) walk(next);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of graph.keys()) if (!state.has(file)) walk(file);
  return found;
}

test('the renderer has no import circle, type-only imports counted', () => {
  assert.deepEqual(circles(join(root, 'src/renderer/src')), []);
});

test('the walker sees a circle made only of type imports', () => {
  const dir = mkdtempSync(join(tmpdir(), 'import-circle-'));
  try {
    writeFileSync(join(dir, 'state.ts'), "import type { Slice } from './slice';\nexport type State = Slice;\n");
    writeFileSync(join(dir, 'slice.ts'), "import type { State } from './state';\nexport type Slice = { s?: State };\n");
    assert.equal(circles(dir).length, 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
