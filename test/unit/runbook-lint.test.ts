import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, describe, it } from 'node:test';
import { main } from '../../src/cli/main';
import { defaultSqlClassifier } from '../../src/main/runbooks/classifier';
import { importRunbook } from '../../src/main/runbooks/importer';
import { lintPlan } from '../../src/main/runbooks/lint';

const bundled = new URL('../../runbooks/', import.meta.url).pathname;
const fixtures = new URL('../fixtures/runbooks/', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'opsconsole-runbook-lint-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: string[] = [];
  const err: string[] = [];
  stdout.on('data', (c) => out.push(String(c)));
  stderr.on('data', (c) => err.push(String(c)));
  const code = await main(argv, {
    stdout,
    stderr,
    stdin: new PassThrough(),
    env: { ...process.env, OPSCONSOLE_HOME: dir },
  });
  return { code, stdout: out.join(''), stderr: err.join('') };
}

const lint = async (text: string) => lintPlan(await importRunbook(text, { classify: defaultSqlClassifier }));

describe('runbook lint', () => {
  it('warns about a dangerous step with nothing near it that warns', async () => {
    const findings = await lint('# T\n## Cleanup\n```sql\nTRUNCATE sessions;\n```\n');
    assert.deepEqual(
      findings.map((f) => [f.line, f.severity, f.code]),
      [[4, 'warning', 'dangerous-without-warning']],
    );
  });

  it('accepts the dangerous step when a warning callout, a comment or confirm=true is there', async () => {
    assert.deepEqual(
      await lint('# T\n## Cleanup\n> **Warning:** this empties the table.\n\n```sql\nTRUNCATE sessions;\n```\n'),
      [],
    );
    assert.deepEqual(
      await lint('# T\n## Cleanup\n```bash\n# Destructive: removes every export\nrm -rf /srv/exports\n```\n'),
      [],
    );
    assert.deepEqual(await lint('# T\n## Cleanup\n```sql {confirm=true}\nTRUNCATE sessions;\n```\n'), []);
  });

  it('warns about an untyped parameter, not about a typed one', async () => {
    const findings = await lint('# T\n```bash\ngit checkout <commit-hash>\nkill <pid>\n```\n');
    assert.deepEqual(
      findings.filter((f) => f.code === 'untyped-parameter').map((f) => f.line),
      [3],
    );
  });

  it('passes every bundled runbook with no error and no warning', async () => {
    const result = await cli('runbook', 'lint', bundled, '--json');
    assert.equal(result.code, 0, result.stdout);
    const report = JSON.parse(result.stdout);
    assert.ok(report.files.length >= 4);
    assert.deepEqual(
      report.files.flatMap((f: { findings: unknown[] }) => f.findings),
      [],
    );
  });

  it('prints path:line: severity: code: message and exits 1 only on errors', async () => {
    const bad = join(dir, 'bad.md');
    writeFileSync(bad, '# Bad\n\n```sql {colour=red}\nSELECT FROM WHERE;\n```\n\n```bash\nrm -rf /data\n```\n');
    const result = await cli('runbook', 'lint', bad);
    assert.equal(result.code, 1);
    const lines = result.stdout.trim().split('\n');
    assert.match(lines[0]!, new RegExp(`^${bad}:3: error: unknown-fence-attribute: `));
    assert.match(lines[1]!, new RegExp(`^${bad}:4: error: sql-parse: `));
    assert.match(lines[2]!, new RegExp(`^${bad}:8: warning: dangerous-without-warning: `));
    const warningsOnly = join(dir, 'warn.md');
    writeFileSync(warningsOnly, '# W\n```bash\nrm -rf /data\n```\n');
    assert.equal((await cli('runbook', 'lint', warningsOnly)).code, 0);
  });

  it('exits 2 with a JSON error for a missing path', async () => {
    const result = await cli('runbook', 'lint', join(dir, 'nope.md'), '--json');
    assert.equal(result.code, 2);
    assert.equal(JSON.parse(result.stdout).error.code, 'invalid_input');
  });
});

describe('runbook inspect', () => {
  it('prints the promised document with --json', async () => {
    const result = await cli('runbook', 'inspect', join(fixtures, 'real-world-patterns.md'), '--json');
    assert.equal(result.code, 0, result.stderr);
    const doc = JSON.parse(result.stdout);
    assert.equal(doc.title, 'Billing API runbook');
    const step = doc.steps.find((s: { line: number }) => s.line === 52);
    assert.deepEqual(
      {
        id: step.id,
        line: step.line,
        section: step.section,
        kind: step.kind,
        target: step.target,
        text: step.text,
        risk: step.risk,
        parameters: step.parameters,
      },
      {
        id: 'heredoc-1',
        line: 52,
        section: ['Heredoc'],
        kind: 'sql',
        target: 'postgres',
        text: "UPDATE invoices SET status = 'void' WHERE id = <invoice_id>;",
        risk: 'write',
        parameters: [{ name: 'invoice_id', type: 'int', secret: false }],
      },
    );
    assert.deepEqual(step.statements, [
      { text: "UPDATE invoices SET status = 'void' WHERE id = <invoice_id>", risk: 'write', reasons: ['update'] },
    ]);
    for (const s of doc.steps) {
      assert.deepEqual(Object.keys(s).slice(0, 9), [
        'id',
        'line',
        'section',
        'kind',
        'target',
        'text',
        'statements',
        'risk',
        'parameters',
      ]);
    }
  });

  it('exits 2 without a FILE', async () => {
    assert.equal((await cli('runbook', 'inspect')).code, 2);
  });
});
