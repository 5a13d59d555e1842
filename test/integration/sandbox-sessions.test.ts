import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { ensureTemplate, SandboxEngine } from '../../src/main/sandbox/sandbox-engine';
import { engineVersion } from '../../src/main/sandbox/sandbox-registry';

// The embedded engine is one Postgres session shared by every socket client: these prove the
// clients take turns (a transaction or an unsynced extended-protocol exchange is never split).
process.env.OPSCONSOLE_SANDBOX_CACHE ??= join(tmpdir(), 'opsconsole-sandbox-cache');
const dir = mkdtempSync(join(tmpdir(), 'opsconsole-sessions-'));
let engine: SandboxEngine;

before(async () => {
  const templatePath = await ensureTemplate(process.env.OPSCONSOLE_SANDBOX_CACHE!, engineVersion());
  engine = await SandboxEngine.open({
    dataDir: join(dir, 'pgdata'),
    templatePath,
    socketPath: join(dir, '.s.PGSQL.5432'),
  });
  await engine.exec('CREATE TABLE ledger (n int NOT NULL)');
});
after(async () => {
  await engine?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function client(): Promise<pg.Client> {
  const c = new pg.Client({ host: dir, database: 'postgres', user: 'postgres' });
  await c.connect();
  return c;
}

const settled = (promise: Promise<unknown>) =>
  Promise.race([
    promise.then(
      () => true,
      () => true,
    ),
    new Promise((r) => setTimeout(() => r(false), 300)),
  ]);

test('two clients sending bound queries at once each get their own answers (no Parse/Bind interleaving)', async () => {
  const [a, b] = await Promise.all([client(), client()]);
  try {
    // Each client asks one question at a time (as pg does), both at once.
    const asks = async (c: pg.Client, who: string, base: number) => {
      for (let v = base; v < base + 40; v++) {
        const row = (await c.query('SELECT $1::int AS v, $2::text AS who', [v, who])).rows[0];
        assert.deepEqual(row, { v, who });
      }
    };
    await Promise.all([asks(a, 'a', 0), asks(b, 'b', 1000)]);
  } finally {
    await Promise.all([a.end(), b.end()]);
  }
});

test("a client's open transaction holds the session: another client waits, then sees none of the rolled-back rows", async () => {
  const [a, b] = await Promise.all([client(), client()]);
  try {
    await a.query('BEGIN');
    await a.query('INSERT INTO ledger VALUES (1), (2)');
    const count = b.query('SELECT count(*)::int AS n FROM ledger');
    assert.equal(await settled(count), false, "b's query must wait while a's transaction is open");
    // The core's own requests wait their turn too.
    const core = engine.query<{ n: number }>('SELECT count(*)::int AS n FROM ledger');
    assert.equal(await settled(core), false);
    await a.query('ROLLBACK');
    assert.equal(((await count).rows[0] as { n: number }).n, 0);
    assert.equal((await core).rows[0]!.n, 0);
  } finally {
    await Promise.all([a.end(), b.end()]);
  }
});

test('a client that goes away inside a transaction is rolled back and the session is free again', async () => {
  const [a, b] = await Promise.all([client(), client()]);
  try {
    await a.query('BEGIN');
    await a.query('INSERT INTO ledger VALUES (3)');
    const waiting = b.query('INSERT INTO ledger VALUES (4)');
    assert.equal(await settled(waiting), false);
    // Gone without COMMIT (a crashed client, a closed window).
    a.on('error', () => undefined);
    (a as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
    await waiting;
    const rows = await b.query('SELECT n FROM ledger ORDER BY n');
    assert.deepEqual(
      rows.rows.map((r: { n: number }) => r.n),
      [4],
    );
  } finally {
    await b.end();
  }
});
