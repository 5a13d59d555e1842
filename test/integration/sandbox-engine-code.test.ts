import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { engineCode } from '../../src/main/sandbox/engine-code';
import { ensureTemplate, SandboxEngine } from '../../src/main/sandbox/sandbox-engine';
import { engineVersion } from '../../src/main/sandbox/sandbox-registry';

// Postgres is compiled once per process and shared by every sandbox's thread, so the code V8
// made while one sandbox ran is still there for the next (the first DDL of a sandbox was ~1 s
// slower when each thread compiled its own copy).
process.env.OPSCONSOLE_SANDBOX_CACHE ??= join(tmpdir(), 'opsconsole-sandbox-cache');
const dir = mkdtempSync(join(tmpdir(), 'opsconsole-engine-code-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const template = () => ensureTemplate(process.env.OPSCONSOLE_SANDBOX_CACHE!, engineVersion());
const fiftyTables = Array.from(
  { length: 50 },
  (_, i) =>
    `CREATE TABLE t${i} (id int PRIMARY KEY, name text NOT NULL, at timestamptz DEFAULT now()${i ? `, parent int REFERENCES t${i - 1}(id)` : ''}); CREATE INDEX ON t${i} (at);`,
).join('\n');

/** Minor page faults of the whole process (the sandbox's thread included) while `work` runs. */
async function pageFaults(work: () => Promise<unknown>): Promise<number> {
  const before = process.resourceUsage().minorPageFault;
  await work();
  return process.resourceUsage().minorPageFault - before;
}

test('a later sandbox runs on the code the first one warmed, and sandboxes sharing it keep their own data', async () => {
  const templatePath = await template();
  const first = await SandboxEngine.open({ dataDir: join(dir, 'first'), templatePath });
  const cold = await pageFaults(() => first.exec(fiftyTables));
  await first.close();
  const [second, third] = await Promise.all([
    SandboxEngine.open({ dataDir: join(dir, 'second'), templatePath }),
    SandboxEngine.open({ dataDir: join(dir, 'third'), templatePath }),
  ]);
  try {
    const warm = await pageFaults(() => second.exec(fiftyTables));
    // Measured: ~140,000 faults with a copy compiled per thread, under 5,000 on the shared one.
    assert.ok(warm < cold / 3, `the second sandbox's DDL faulted ${warm} pages, the first's ${cold}`);
    const tables = (engine: SandboxEngine) =>
      engine.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'`);
    assert.equal((await tables(second)).rows[0]!.n, 50);
    assert.equal((await tables(third)).rows[0]!.n, 0, 'a sandbox open at the same time has none of them');
  } finally {
    await Promise.all([second.close(), third.close()]);
  }
});

test('the engine is compiled once per process: every call gives the same module', async () => {
  const code = await engineCode();
  assert.ok(code instanceof WebAssembly.Module);
  assert.equal(await engineCode(), code);
});
