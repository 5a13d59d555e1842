import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runCli } from '../support/cli';

// One engine template for every test file (initdb once, not per data folder).
process.env.OPSCONSOLE_SANDBOX_CACHE ??= join(tmpdir(), 'opsconsole-sandbox-cache');

const home = mkdtempSync(join(tmpdir(), 'opsconsole-demo-'));
after(() => rmSync(home, { recursive: true, force: true }));

test('opsconsole demo --json on an empty data folder: a demo profile on an embedded Postgres, no server; idempotent', async () => {
  const run = await runCli(home, ['demo', '--json']);
  assert.equal(run.code, 0, run.stderr);
  const demo = run.json<{ profile: { id: string; name: string; demo: boolean }; runbookPath: string; created: boolean }>();
  assert.equal(demo.profile.name, 'Demo shop');
  assert.equal(demo.profile.demo, true);
  assert.equal(demo.created, true);
  assert.ok(demo.runbookPath.endsWith(join('runbooks', 'demo-shop.md')) && existsSync(demo.runbookPath));
  const again = await runCli(home, ['demo', '--json']);
  assert.equal(again.json<{ created: boolean }>().created, false);
  assert.equal(again.json<{ profile: { id: string } }>().profile.id, demo.profile.id);
  // The data folder stays private.
  assert.equal(statSync(join(home, 'sandboxes')).mode & 0o077, 0);
});

test('the SQL path works against it: classification, rows, EXPLAIN, a refused write without confirmation', async () => {
  const read = await runCli(home, ['sql', 'run', '--profile', 'Demo shop', 'SELECT status, count(*) FROM orders GROUP BY status ORDER BY status', '--json']);
  assert.equal(read.code, 0, read.stderr);
  const doc = read.json<{ risk: string; statements: { rows: string[][] }[] }>();
  assert.equal(doc.risk, 'read');
  assert.equal(doc.statements[0]!.rows.reduce((sum, row) => sum + Number(row[1]), 0), 20000);
  const explain = await runCli(home, ['sql', 'run', '--profile', 'Demo shop', "EXPLAIN SELECT * FROM orders o JOIN customers c ON c.id = o.customer_id WHERE c.email = 'customer42@example.com'", '--json']);
  assert.equal(explain.code, 0, explain.stderr);
  assert.match(JSON.stringify(explain.json()), /Seq Scan on orders/);
  const write = await runCli(home, ['sql', 'run', '--profile', 'Demo shop', 'DELETE FROM sessions', '--json']);
  assert.equal(write.code, 1);
  const count = await runCli(home, ['sql', 'run', '--profile', 'Demo shop', 'SELECT count(*) FROM sessions', '--json']);
  assert.equal(count.json<{ statements: { rows: string[][] }[] }>().statements[0]!.rows[0]![0], '5000');
});

test('sandbox list shows the demo database; removing the demo profile drops it', async () => {
  const list = await runCli(home, ['sandbox', 'list', '--json']);
  const kinds = list.json<{ kind: string; profileName: string }[]>().map((s) => `${s.profileName}:${s.kind}`).sort();
  assert.deepEqual(kinds, ['Demo shop:demo']);
  const removed = await runCli(home, ['profiles', 'remove', 'Demo shop', '--json']);
  assert.equal(removed.code, 0, removed.stderr);
  assert.deepEqual((await runCli(home, ['sandbox', 'list', '--json'])).json(), []);
});
