import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { startPostgres, startSshd, type PostgresServer, type SshdServer } from '../harness/index';
import { runCli, runCliInProcess } from '../support/cli';
import { harnessProfile } from '../support/profiles';
import { tempCore, type TempCore } from '../support/temp-core';

// One engine template for every test file (initdb once, not per data folder).
process.env.OPSCONSOLE_SANDBOX_CACHE ??= join(tmpdir(), 'opsconsole-sandbox-cache');

// The first rehearsal is a spawned `opsconsole` process, as a script runs it (exit status, stdout, the
// sandbox closed on exit); the others call the same CLI main() in this process, which keeps the
// embedded engine's compiled code warm between commands instead of paying a process start each time.
let pgServer: PostgresServer;
let sshd: SshdServer;
let temp: TempCore;
let direct: pg.Client;

const schema = `
CREATE TYPE order_status AS ENUM ('pending', 'paid', 'shipped', 'cancelled');
CREATE DOMAIN email_address AS text CHECK (VALUE LIKE '%@%');
CREATE TYPE money_amount AS (cents int, currency text);
CREATE TABLE customers (id int PRIMARY KEY, email email_address NOT NULL UNIQUE, name text NOT NULL);
CREATE TABLE orders (
  id int PRIMARY KEY, customer_id int NOT NULL REFERENCES customers(id), status order_status NOT NULL DEFAULT 'pending',
  total_cents int NOT NULL CHECK (total_cents >= 0), created_at timestamptz NOT NULL, updated_at timestamptz
);
CREATE INDEX orders_created_at_idx ON orders (created_at);
CREATE FUNCTION touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.updated_at := now(); RETURN NEW; END $$;
CREATE TRIGGER orders_touch BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
ALTER TABLE orders ENABLE ROW LEVEL SECURITY;
CREATE POLICY orders_visible ON orders FOR SELECT TO CURRENT_USER USING (status <> 'cancelled');
CREATE TABLE refunds (id int PRIMARY KEY, order_id int NOT NULL REFERENCES orders(id), amount money_amount);
CREATE TABLE events (id bigint, at timestamptz NOT NULL, order_id int REFERENCES orders(id) ON DELETE CASCADE) PARTITION BY RANGE (at);
CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
CREATE TABLE events_rest PARTITION OF events DEFAULT;
-- A foreign-key cycle: each warehouse has a head office, each office a warehouse.
CREATE TABLE warehouses (id int PRIMARY KEY, office_id int);
CREATE TABLE offices (id int PRIMARY KEY, warehouse_id int REFERENCES warehouses(id));
ALTER TABLE warehouses ADD FOREIGN KEY (office_id) REFERENCES offices(id);
ALTER TABLE orders ADD COLUMN warehouse_id int REFERENCES warehouses(id);
INSERT INTO customers SELECT g, 'c' || g || '@example.com', 'Customer ' || g FROM generate_series(1, 500) g;
INSERT INTO orders (id, customer_id, status, total_cents, created_at)
  SELECT g, 1 + g % 500, (ARRAY['pending','paid','shipped','cancelled']::order_status[])[1 + g % 4], g * 10, now() - (g % 100) * interval '1 day' - interval '1 hour'
  FROM generate_series(1, 4000) g;
INSERT INTO events SELECT g, now() - (g % 50) * interval '1 day', 1 + g % 4000 FROM generate_series(1, 1000) g;
ANALYZE;
`;

before(async () => {
  // No autovacuum at all: the "no write" check counts every transaction id the server hands out, and
  // an autoanalyze of the system catalogs the schema's DDL changed takes some (nextXid moved by 11
  // on a loaded machine with autovacuum off for the user tables only).
  [pgServer, sshd] = await Promise.all([startPostgres({ config: ['autovacuum = off'] }), startSshd()]);
  direct = new pg.Client({ connectionString: pgServer.connectionString() });
  await direct.connect();
  await direct.query(schema);
  temp = tempCore({ hostKeyPrompter: { ask: async () => true } });
  const profile = await temp.core.invoke('profiles.save', {
    profile: harnessProfile('prod-eu', { sshd, pg: pgServer }, 'production'),
  });
  // Trust the harness's host key once (the CLI runs below read the same trust store).
  await temp.core.invoke('sessions.connect', { profileId: profile.id });
  await temp.core.invoke('sessions.disconnect', { profileId: profile.id });
});

after(async () => {
  await direct?.end();
  await temp?.dispose();
  await Promise.all([pgServer?.stop(), sshd?.dispose()]);
});

/** What would show a write on the server: the next transaction id and every table's write counters. */
async function serverWriteState(): Promise<{ nextXid: string; writes: string }> {
  const xid = await direct.query<{ x: string }>('SELECT pg_snapshot_xmax(pg_current_snapshot())::text AS x');
  // This backend's own counters (the setup's inserts) reach the shared statistics at once.
  await direct.query('SELECT pg_stat_force_next_flush()');
  await direct.query('SELECT pg_stat_clear_snapshot()');
  const writes = await direct.query<{ w: string }>(
    'SELECT sum(n_tup_ins + n_tup_upd + n_tup_del)::text AS w FROM pg_stat_user_tables',
  );
  return { nextXid: xid.rows[0]!.x, writes: writes.rows[0]!.w };
}

interface Report {
  profile: string;
  mode: string;
  notices?: string[];
  shapeTakenAt: string;
  unreproduced: { object: string; reason: string }[];
  statements: {
    sql: string;
    risk: string;
    outcome: string;
    rowsAffected: number;
    estimated: boolean;
    locks: { relation: string; mode: string; blocks: string }[];
    rewritesTable: boolean;
    error: string | null;
    durationMs: number;
    sample: { columns: string[]; before: Record<string, unknown>[]; after: Record<string, unknown>[] };
  }[];
}

test('rehearse a bulk DELETE over SSH: the documented JSON, a realistic count, ROW EXCLUSIVE, a before sample; the server saw no write', async () => {
  const before = await serverWriteState();
  const sql = "DELETE FROM orders WHERE created_at < now() - interval '30 days'";
  const run = await runCli(temp.dataDir, ['rehearse', '--profile', 'prod-eu', sql, '--json']);
  assert.equal(run.code, 0, run.stderr + run.stdout);
  const report = run.json<Report>();
  assert.deepEqual(Object.keys(report), ['profile', 'mode', 'shapeTakenAt', 'unreproduced', 'statements']);
  assert.equal(report.mode, 'shaped');
  const [statement] = report.statements;
  assert.deepEqual(Object.keys(statement!), [
    'sql',
    'risk',
    'outcome',
    'rowsAffected',
    'estimated',
    'locks',
    'rewritesTable',
    'error',
    'durationMs',
    'sample',
  ]);
  assert.equal(statement!.risk, 'write');
  assert.equal(statement!.outcome, 'ok', statement!.error ?? '');
  const actual = Number(
    (
      await direct.query<{ n: string }>(
        `SELECT count(*)::text AS n FROM orders WHERE created_at < now() - interval '30 days'`,
      )
    ).rows[0]!.n,
  );
  // Shaped rows come from the histogram (100 buckets of 4,000 rows): within 5 % of the table of the real count.
  assert.ok(
    Math.abs(statement!.rowsAffected - actual) <= 0.05 * 4000,
    `rehearsed ${statement!.rowsAffected}, server would delete ${actual}`,
  );
  assert.deepEqual(
    statement!.locks.find((l) => l.relation === 'orders'),
    {
      relation: 'orders',
      mode: 'ROW EXCLUSIVE',
      blocks:
        'reads and other writes of orders go on (only the changed rows are locked); CREATE INDEX without CONCURRENTLY, ALTER TABLE and VACUUM FULL of orders wait until commit',
    },
  );
  assert.equal(statement!.rewritesTable, false);
  assert.equal(statement!.sample.before.length, 100);
  assert.ok(statement!.sample.columns.includes('created_at'));
  assert.equal(statement!.sample.after.length, 0);
  const afterState = await serverWriteState();
  assert.deepEqual(afterState, before, 'the server handed out no transaction id and counted no row written');
  assert.equal((await direct.query('SELECT count(*)::int AS n FROM orders')).rows[0].n, 4000);
});

test('the shape reports precisely what the sandbox could not reproduce, and reproduces the rest', async () => {
  const report = await temp.core.invoke('sandbox.rehearse', {
    profileId: (await temp.core.invoke('profiles.get', { name: 'prod-eu' })).id,
    sql: "UPDATE orders SET status = 'paid' WHERE id = 1",
    refreshShape: true,
  });
  const objects = report.unreproduced.map((u) => u.object).sort();
  assert.deepEqual(objects, [
    'roles of policy orders_visible on public.orders',
    'table public.refunds',
    'type public.money_amount',
  ]);
  assert.match(
    report.unreproduced.find((u) => u.object === 'type public.money_amount')!.reason,
    /composite type, not reproduced/,
  );
  assert.match(
    report.unreproduced.find((u) => u.object === 'table public.refunds')!.reason,
    /statements on this table cannot be rehearsed/,
  );
  const [update] = report.statements;
  assert.equal(update!.outcome, 'ok', update!.error ?? '');
  assert.equal(update!.rowsAffected, 1);
  // The trigger was reproduced: it stamped updated_at in the after row.
  assert.equal(update!.sample.before[0]!.updated_at, null);
  assert.notEqual(update!.sample.after[0]!.updated_at, null);
  const onRefunds = await temp.core.invoke('sandbox.rehearse', {
    profileId: (await temp.core.invoke('profiles.get', { name: 'prod-eu' })).id,
    sql: 'DELETE FROM refunds WHERE id = 1',
  });
  assert.match(onRefunds.statements[0]!.error ?? '', /^cannot rehearse: public\.refunds could not be made/);
});

test('ALTER TABLE … ADD COLUMN with a volatile default: ACCESS EXCLUSIVE and a rewrite; FK and unique violations surface as such (exit 1)', async () => {
  const sql = [
    'ALTER TABLE orders ADD COLUMN note text DEFAULT md5(random()::text)',
    'INSERT INTO orders (id, customer_id, total_cents, created_at) VALUES (999999, 123456, 1, now())',
    "INSERT INTO customers (id, email, name) VALUES (1, 'dup@example.com', 'dup')",
  ].join(';\n');
  const run = await runCliInProcess(temp.dataDir, ['rehearse', '--profile', 'prod-eu', sql, '--json']);
  assert.equal(run.code, 1, run.stderr);
  const [alter, fk, unique] = run.json<Report>().statements;
  assert.equal(alter!.outcome, 'ok', alter!.error ?? '');
  assert.equal(alter!.rewritesTable, true);
  assert.deepEqual(
    alter!.locks.find((l) => l.relation === 'orders'),
    { relation: 'orders', mode: 'ACCESS EXCLUSIVE', blocks: 'every read and write of orders waits until commit' },
  );
  assert.equal(fk!.outcome, 'error');
  assert.match(fk!.error!, /^foreign key violation \(orders_customer_id_fkey\)/);
  assert.equal(unique!.outcome, 'error');
  assert.match(unique!.error!, /^unique violation \(customers_pkey\)/);
  const text = await runCliInProcess(temp.dataDir, [
    'rehearse',
    '--profile',
    'prod-eu',
    'ALTER TABLE orders ADD COLUMN note text DEFAULT md5(random()::text)',
  ]);
  assert.match(text.stdout, /lock ACCESS EXCLUSIVE on orders: every read and write of orders waits until commit/);
  assert.match(text.stdout, /rewrites the table/);
});

test('the timeline records a rehearsal as a rehearsal, never as a run on the server', async () => {
  const events = [];
  for (const incident of await temp.core.invoke('incidents.list', {}))
    events.push(...(await temp.core.invoke('incidents.events', { id: incident.id })));
  const kinds = new Set(events.map((e) => e.kind));
  assert.ok(kinds.has('rehearsal'));
  assert.ok(!kinds.has('sql.run'), 'nothing ran on the server');
});

test('sample mode is refused until the profile allows it; bad input names the flag', async () => {
  const run = await runCliInProcess(temp.dataDir, [
    'rehearse',
    '--profile',
    'prod-eu',
    'DELETE FROM orders WHERE id = 1',
    '--mode',
    'sample',
    '--json',
  ]);
  assert.equal(run.code, 1);
  assert.match(run.json<{ error: { message: string } }>().error.message, /--rehearsal-sample true --allow-downgrade/);
  const bad = await runCliInProcess(temp.dataDir, ['rehearse', '--profile', 'prod-eu', 'SELECT 1', '--mode', 'copy']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--mode copy is not a mode/);
  const both = await runCliInProcess(temp.dataDir, ['rehearse', '--profile', 'prod-eu', 'SELECT 1', '--template', 'x']);
  assert.equal(both.code, 2);
});

test('sample mode, once allowed: the exact count the server would hit, masked sample rows, still no write', async () => {
  const edit = ['profiles', 'edit', 'prod-eu', '--rehearsal-sample', 'true', '--mask-columns', 'email,name', '--json'];
  const unconfirmed = await runCliInProcess(temp.dataDir, edit);
  assert.notEqual(unconfirmed.code, 0, 'an edit that lowers safety needs --allow-downgrade');
  assert.match(unconfirmed.stderr, /Nothing saved: this edit lowers the safety of "prod-eu"/);
  assert.match(unconfirmed.stderr, /rehearsalSample: .*→ true \(DOWNGRADE: rehearsals may copy rows from the server\)/);
  assert.match(unconfirmed.stderr, /maskPatterns: .*\(DOWNGRADE: masks fewer result columns\)/);
  const unchanged = await temp.core.invoke('profiles.get', { name: 'prod-eu' });
  assert.notEqual((unchanged as { rehearsalSample?: boolean }).rehearsalSample, true, 'nothing was saved');
  const confirmed = await runCliInProcess(temp.dataDir, [...edit, '--allow-downgrade']);
  assert.equal(confirmed.code, 0, confirmed.stderr);
  const before = await serverWriteState();
  const sql =
    "DELETE FROM orders WHERE created_at < now() - interval '30 days'; UPDATE customers SET name = 'x' WHERE id > 450";
  const run = await runCliInProcess(temp.dataDir, [
    'rehearse',
    '--profile',
    'prod-eu',
    sql,
    '--mode',
    'sample',
    '--json',
  ]);
  assert.equal(run.code, 0, run.stderr + run.stdout);
  const report = run.json<Report>();
  assert.equal(report.mode, 'sample');
  const [remove, update] = report.statements;
  const actual = Number(
    (
      await direct.query<{ n: string }>(
        `SELECT count(*)::text AS n FROM orders WHERE created_at < now() - interval '30 days'`,
      )
    ).rows[0]!.n,
  );
  assert.equal(remove!.rowsAffected, actual);
  assert.equal(remove!.estimated, false);
  assert.equal(update!.rowsAffected, 50);
  // The statements ran on the copied rows (masked before they left the read path): before and after are the sandbox's.
  const [first, firstAfter] = [update!.sample.before[0]!, update!.sample.after[0]!];
  assert.equal(first.id, 451);
  assert.match(String(first.email), /^masked\d+@example\.invalid$/);
  assert.match(String(first.name), /^•••• masked \d+$/);
  assert.deepEqual([firstAfter.id, firstAfter.name], [451, 'x']);
  assert.doesNotMatch(
    report.notices?.join('\n') ?? '',
    /copy matched|could not be loaded/,
    'the sandbox, on the copied rows, hit exactly what the server would',
  );
  assert.match(
    report.notices?.join('\n') ?? '',
    /Sample: .*row\(s\) of public\.orders.*row\(s\) of public\.customers.* copied from the server \(masked\)/,
  );
  assert.ok(!JSON.stringify(report).includes('c451@example.com'), 'no unmasked e-mail left the read path');
  assert.deepEqual(await serverWriteState(), before);
});

test('offline: the cached shape answers, marked stale with its age', async () => {
  const profile = await temp.core.invoke('profiles.get', { name: 'prod-eu' });
  await temp.core.invoke('sessions.disconnect', { profileId: profile.id });
  const port = pgServer.port;
  await temp.core.invoke('profiles.save', {
    id: profile.id,
    profile: {
      ...harnessProfile('prod-eu', { sshd, pg: pgServer }, 'production'),
      postgres: { host: '127.0.0.1', port: 1, database: pgServer.database, user: pgServer.user },
      secrets: {},
    },
    allowDowngrade: true, // the default masks again, without the test's "name"
  });
  try {
    const report = await temp.core.invoke('sandbox.rehearse', {
      profileId: profile.id,
      sql: 'DELETE FROM orders WHERE id = 1',
      refreshShape: true,
    });
    assert.match(report.notices?.[0] ?? '', /could not be reached .*using the shape taken \d+ minutes? ago \(stale\)/);
    assert.equal(report.statements[0]!.outcome, 'ok');
  } finally {
    await temp.core.invoke('profiles.save', {
      id: profile.id,
      profile: {
        ...harnessProfile('prod-eu', { sshd, pg: pgServer }, 'production'),
        postgres: { host: '127.0.0.1', port, database: pgServer.database, user: pgServer.user },
        rehearsalSample: true,
        secrets: {},
      },
      allowDowngrade: true,
    });
  }
});

test('sandbox list and drop', async () => {
  const list = await runCliInProcess(temp.dataDir, ['sandbox', 'list', '--json']);
  assert.equal(list.code, 0, list.stderr);
  const sandboxes = list.json<{ profileName: string; kind: string; sizeBytes: number }[]>();
  assert.deepEqual(
    sandboxes.map((s) => [s.profileName, s.kind]),
    [['prod-eu', 'rehearsal']],
  );
  assert.ok(sandboxes[0]!.sizeBytes > 0);
  const drop = await runCliInProcess(temp.dataDir, ['sandbox', 'drop', '--profile', 'prod-eu', '--json']);
  assert.equal(drop.code, 0, drop.stderr);
  assert.equal(drop.json<{ dropped: unknown[] }>().dropped.length, 1);
  assert.deepEqual((await runCliInProcess(temp.dataDir, ['sandbox', 'list', '--json'])).json(), []);
});
