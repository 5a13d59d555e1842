import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runCli, runCliInProcess } from '../support/cli';

// One engine template for every test file (initdb once, not per data folder).
process.env.OPSCONSOLE_SANDBOX_CACHE ??= join(tmpdir(), 'opsconsole-sandbox-cache');

// The first `opsconsole demo` is a spawned process, as the operator runs it; the other commands call the
// same CLI main() in this process (no process start and no cold embedded engine per command).
const home = mkdtempSync(join(tmpdir(), 'opsconsole-demo-'));

/** How many rows the demo's sessions table holds, read through the CLI as a script would. */
async function demoSessions(): Promise<string | undefined> {
  const count = await runCliInProcess(home, [
    'sql',
    'run',
    '--profile',
    'Demo shop',
    'SELECT count(*) FROM sessions',
    '--json',
  ]);
  return count.json<{ statements: { rows: string[][] }[] }>().statements[0]?.rows[0]?.[0];
}
after(() => rmSync(home, { recursive: true, force: true }));

test('opsconsole demo --json on an empty data folder: a demo profile on an embedded Postgres, no server; idempotent', async () => {
  const run = await runCli(home, ['demo', '--json']);
  assert.equal(run.code, 0, run.stderr);
  const demo = run.json<{
    profile: { id: string; name: string; demo: boolean };
    runbookPath: string;
    created: boolean;
  }>();
  assert.equal(demo.profile.name, 'Demo shop');
  assert.equal(demo.profile.demo, true);
  assert.equal(demo.created, true);
  assert.ok(demo.runbookPath.endsWith(join('runbooks', 'demo-shop.md')) && existsSync(demo.runbookPath));
  const again = await runCliInProcess(home, ['demo', '--json']);
  assert.equal(again.json<{ created: boolean }>().created, false);
  assert.equal(again.json<{ profile: { id: string } }>().profile.id, demo.profile.id);
  // The data folder stays private.
  assert.equal(statSync(join(home, 'sandboxes')).mode & 0o077, 0);
});

test('the SQL path works against it: classification, rows, EXPLAIN, a refused write without confirmation', async () => {
  const read = await runCliInProcess(home, [
    'sql',
    'run',
    '--profile',
    'Demo shop',
    'SELECT status, count(*) FROM orders GROUP BY status ORDER BY status',
    '--json',
  ]);
  assert.equal(read.code, 0, read.stderr);
  const doc = read.json<{ risk: string; statements: { rows: string[][] }[] }>();
  assert.equal(doc.risk, 'read');
  assert.equal(
    doc.statements[0]!.rows.reduce((sum, row) => sum + Number(row[1]), 0),
    20000,
  );
  const explain = await runCliInProcess(home, [
    'sql',
    'run',
    '--profile',
    'Demo shop',
    "EXPLAIN SELECT * FROM orders o JOIN customers c ON c.id = o.customer_id WHERE c.email = 'customer42@example.com'",
    '--json',
  ]);
  assert.equal(explain.code, 0, explain.stderr);
  assert.match(JSON.stringify(explain.json()), /Seq Scan on orders/);
  const write = await runCliInProcess(home, ['sql', 'run', '--profile', 'Demo shop', 'DELETE FROM sessions', '--json']);
  assert.equal(write.code, 1);
  assert.equal(await demoSessions(), '5000', 'the demo database is untouched');
});

test("rehearse --runbook --step: the demo runbook's gated write rehearsed, the demo database untouched", async () => {
  const runbook = join(import.meta.dirname, '..', '..', 'runbooks', 'demo-shop.md');
  const rehearseStep = (step: string, ...more: string[]) =>
    runCliInProcess(home, ['rehearse', '--profile', 'Demo shop', '--runbook', runbook, '--step', step, ...more]);
  const run = await rehearseStep('demo-delete-stale-sessions', '--json');
  assert.equal(run.code, 0, run.stderr);
  const [statement] = run.json<{
    statements: { outcome: string; rowsAffected: number; locks: { relation: string; mode: string }[] }[];
  }>().statements;
  assert.equal(statement!.outcome, 'ok');
  assert.ok(
    statement!.rowsAffected > 2500 && statement!.rowsAffected < 4200,
    `about two thirds of 5,000 sessions, got ${statement!.rowsAffected}`,
  );
  assert.deepEqual(
    statement!.locks.map((l) => `${l.mode} ${l.relation}`),
    ['ROW EXCLUSIVE sessions'],
  );
  const unknown = await rehearseStep('nope');
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /steps nope are not in/);
  assert.equal(await demoSessions(), '5000', 'the demo database is untouched');
});

test('sandbox list shows the demo database; removing the demo profile drops it', async () => {
  const list = await runCliInProcess(home, ['sandbox', 'list', '--json']);
  const kinds = list
    .json<{ kind: string; profileName: string }[]>()
    .map((s) => `${s.profileName}:${s.kind}`)
    .sort();
  assert.deepEqual(kinds, ['Demo shop:demo', 'Demo shop:rehearsal']);
  const removed = await runCliInProcess(home, ['profiles', 'remove', 'Demo shop', '--json']);
  assert.equal(removed.code, 0, removed.stderr);
  assert.deepEqual((await runCliInProcess(home, ['sandbox', 'list', '--json'])).json(), []);
});
