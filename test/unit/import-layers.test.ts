// The lint rules that encode the layers (issue 31) must actually fire: each case writes a tiny tree
// of TypeScript files into a temporary folder laid out like src/, cruises it with the project's own
// rule set (.dependency-cruiser.cjs) or lints it with the project's ESLint config, and reads what
// was reported.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { cruise, type IForbiddenRuleType, type IViolation } from 'dependency-cruiser';
import { ESLint } from 'eslint';

const root = join(import.meta.dirname, '..', '..');
const config = createRequire(import.meta.url)(join(root, '.dependency-cruiser.cjs')) as {
  forbidden: IForbiddenRuleType[];
};
const folders: string[] = [];
after(() => folders.forEach((folder) => rmSync(folder, { recursive: true, force: true })));

/** Writes the files (path → source) and returns the names of the rules their imports break. */
async function violationsOf(files: Record<string, string>): Promise<string[]> {
  const base = mkdtempSync(join(tmpdir(), 'layers-'));
  folders.push(base);
  for (const [path, source] of Object.entries(files)) {
    mkdirSync(dirname(join(base, path)), { recursive: true });
    writeFileSync(join(base, path), source);
  }
  const result = await cruise(
    ['src'],
    { baseDir: base, ruleSet: { forbidden: config.forbidden }, validate: true, tsPreCompilationDeps: true },
    { extensions: ['.ts', '.tsx'] },
  );
  const output = result.output as { summary: { violations: IViolation[] } };
  return [...new Set(output.summary.violations.map((v) => v.rule.name))].sort();
}

test('a folder of src/main importing one above it is refused, type-only imports included', async () => {
  assert.deepEqual(
    await violationsOf({
      'src/main/store/database.ts': 'export interface Db { name: string }\n',
      'src/main/vault/vault.ts': "import type { Db } from '../store/database';\nexport const db = (d: Db) => d;\n",
    }),
    ['layer-vault'],
  );
  assert.deepEqual(
    await violationsOf({
      'src/main/vault/vault.ts': 'export const secret = 1;\n',
      'src/main/store/database.ts': "import { secret } from '../vault/vault';\nexport const db = secret;\n",
    }),
    [],
    'downward imports are the point of the layers',
  );
});

test('folders of one tier do not import each other; a new folder needs a tier first', async () => {
  assert.deepEqual(
    await violationsOf({
      'src/main/postgres/run.ts': 'export const run = 1;\n',
      'src/main/redis/runner.ts': "import { run } from '../postgres/run';\nexport const runner = run;\n",
    }),
    ['layer-redis'],
  );
  assert.deepEqual(
    await violationsOf({
      'src/main/errors.ts': 'export const code = 1;\n',
      'src/main/brand-new/thing.ts': "import { code } from '../errors';\nexport const thing = code;\n",
    }),
    ['main-folder-has-a-tier'],
  );
});

test('renderer, preload and shared stay on their side; no import circle anywhere', async () => {
  assert.deepEqual(
    await violationsOf({
      'src/main/errors.ts': 'export const code = 1;\n',
      'src/renderer/src/app.ts': "import { code } from '../../main/errors';\nexport const app = code;\n",
      'src/preload/index.ts': "import { code } from '../main/errors';\nexport const api = code;\n",
    }),
    ['ui-not-to-main'],
  );
  assert.deepEqual(
    await violationsOf({
      'src/cli/main.ts': 'export const cli = 1;\n',
      'src/shared/risk.ts': "import { cli } from '../cli/main';\nexport const risk = cli;\n",
    }),
    ['shared-imports-only-shared'],
  );
  assert.deepEqual(
    await violationsOf({
      'src/shared/a.ts': "import { b } from './b';\nexport const a = () => b;\n",
      'src/shared/b.ts': "import { a } from './a';\nexport const b = () => a;\n",
    }),
    ['no-circular'],
  );
});

test('every folder and loose file of src/main has a tier in the real tree', async () => {
  const tiered = config.forbidden.filter((rule) => rule.name?.startsWith('layer-')).map((rule) => rule.name);
  for (const entry of readdirSync(join(root, 'src', 'main'))) {
    // The topmost tier (index.ts) has nothing above it to refuse, so it has no rule of its own.
    if (entry === 'index.ts') continue;
    assert.ok(tiered.includes(`layer-${entry}`), `src/main/${entry} has no tier in .dependency-cruiser.cjs`);
  }
});

test('ESLint refuses electron outside src/main/electron and any eslint-disable comment', async () => {
  const eslint = new ESLint({ cwd: root });
  const lint = async (path: string, text: string) =>
    (await eslint.lintText(text, { filePath: join(root, path) }))[0]!.messages.map((m) => m.ruleId ?? m.message);
  assert.deepEqual(await lint('src/main/postgres/x.ts', "import { app } from 'electron';\nexport const a = app;\n"), [
    'no-restricted-imports',
  ]);
  assert.deepEqual(
    await lint('src/main/electron/x.ts', "import { app } from 'electron';\nexport const a = app;\n"),
    [],
  );
  const disabled = await lint('src/shared/x.ts', '// eslint-disable-next-line no-console\nexport const a = 1;\n');
  assert.equal(disabled.length, 1, 'a disable comment is reported, never obeyed');
  assert.match(disabled[0]!, /noInlineConfig/);
});
