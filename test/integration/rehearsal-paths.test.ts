import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { startPostgres, type PostgresServer } from '../harness/index';
import { runCliInProcess } from '../support/cli';
import { tempCore, type TempCore } from '../support/temp-core';

// Rehearsals through every way in: a template with typed parameters, the read role, and a
// sandbox that has to be rebuilt. The server is reached directly (the SSH route has its own file).
process.env.OPSCONSOLE_SANDBOX_CACHE ??= join(tmpdir(), 'opsconsole-sandbox-cache');

let server: PostgresServer;
let temp: TempCore;
let admin: pg.Client;
let profileId: string;

before(async () => {
  server = await startPostgres();
  admin = new pg.Client({
    host: server.host,
    port: server.port,
    user: server.superuser,
    password: server.superPassword,
    database: server.database,
  });
  await admin.connect();
  await admin.query(`
    CREATE TABLE customers (id int PRIMARY KEY, email text NOT NULL UNIQUE);
    CREATE TABLE orders (id int PRIMARY KEY, customer_id int NOT NULL REFERENCES customers(id), total_cents int NOT NULL);
    INSERT INTO customers SELECT g, 'c' || g || '@example.com' FROM generate_series(1, 200) g;
    INSERT INTO orders SELECT g, 1 + g % 200, g FROM generate_series(1, 3000) g;
    ANALYZE;
    ALTER TABLE customers OWNER TO ${server.user}; ALTER TABLE orders OWNER TO ${server.user};
    CREATE ROLE rehearsal_ro LOGIN PASSWORD 'ro-secret';
    GRANT SELECT ON ALL TABLES IN SCHEMA public TO rehearsal_ro;`);
  temp = tempCore();
  // The main user's password is wrong on purpose: only the read role can reach the server, so a
  // rehearsal that works proves every read went through the read role.
  const profile = await temp.core.invoke('profiles.save', {
    profile: {
      name: 'ro-only',
      environment: 'production',
      rehearsalSample: true,
      postgres: {
        host: '127.0.0.1',
        port: server.port,
        database: server.database,
        user: server.user,
        readUser: 'rehearsal_ro',
      },
      secrets: { pgPassword: { set: 'not-the-password' }, pgReadPassword: { set: 'ro-secret' } },
    },
    allowDowngrade: true, // sample rehearsals on a new production profile
  });
  profileId = profile.id;
  await temp.core.invoke('templates.save', {
    template: {
      name: 'orders-of-customer',
      sql: 'DELETE FROM orders WHERE customer_id = $1',
      params: [{ name: 'customer', type: 'int' }],
    },
  });
});

after(async () => {
  await admin?.end();
  await temp?.dispose();
  await server?.stop();
});

interface Report {
  mode: string;
  notices?: string[];
  statements: {
    sql: string;
    outcome: string;
    rowsAffected: number;
    estimated: boolean;
    error: string | null;
    sample: { before: Record<string, unknown>[]; after: Record<string, unknown>[] };
  }[];
}

/**
 * `opsconsole rehearse --profile ro-only … --json` through the CLI's main() in this process: the
 * command's arguments, output and exit status, with the embedded engine kept warm between commands
 * (rehearsal.test.ts runs one as a spawned process).
 */
const rehearseJson = (...args: string[]) =>
  runCliInProcess(temp.dataDir, ['rehearse', '--profile', 'ro-only', ...args, '--json']);

test("rehearse --template NAME --param: the typed value is bound as in a real run (sample mode: the server's exact count)", async () => {
  const run = await rehearseJson('--template', 'orders-of-customer', '--param', 'customer=7', '--mode', 'sample');
  assert.equal(run.code, 0, run.stderr + run.stdout);
  const report = run.json<Report>();
  const expected = (await admin.query<{ n: number }>('SELECT count(*)::int AS n FROM orders WHERE customer_id = 7'))
    .rows[0]!.n;
  assert.equal(report.statements[0]!.sql, 'DELETE FROM orders WHERE customer_id = $1');
  assert.deepEqual(
    [report.statements[0]!.outcome, report.statements[0]!.rowsAffected, report.statements[0]!.estimated],
    ['ok', expected, false],
  );
  const bad = await rehearseJson('--template', 'orders-of-customer', '--param', 'customer=seven');
  assert.notEqual(bad.code, 0);
  assert.match(bad.stdout + bad.stderr, /customer/);
});

test('the shape and the sample are read as the read role: the main user cannot even log in', async () => {
  const report = await temp.core.invoke('sandbox.rehearse', {
    profileId,
    sql: 'DELETE FROM orders WHERE total_cents < 100',
    mode: 'sample',
    refreshShape: true,
  });
  assert.equal(report.statements[0]!.outcome, 'ok', report.statements[0]!.error ?? '');
  assert.equal(report.statements[0]!.rowsAffected, 99);
  assert.ok(
    !(report.notices ?? []).some((n) => /could not be reached/.test(n)),
    `the shape was read, not taken from a cache: ${report.notices}`,
  );
});

test('a sandbox from another engine version, and a corrupt one, are rebuilt with a notice', async () => {
  const folder = join(temp.dataDir, 'sandboxes', `${profileId}.rehearsal`);
  // Each CLI run opens the sandbox and closes it when it ends: the test's core must not hold it.
  await temp.core.invoke('sandbox.drop', { profileId, kind: 'rehearsal' });
  const rehearse = async () => {
    const run = await rehearseJson('DELETE FROM orders WHERE id = 1');
    assert.equal(run.code, 0, run.stderr + run.stdout);
    const report = run.json<Report>();
    assert.equal(report.statements[0]!.outcome, 'ok');
    return report.notices?.join('\n') ?? '';
  };
  assert.equal(await rehearse(), '');
  const meta = JSON.parse(readFileSync(join(folder, 'meta.json'), 'utf8')) as { engineVersion: string };
  writeFileSync(join(folder, 'meta.json'), JSON.stringify({ ...meta, engineVersion: '0.0.1' }));
  assert.match(await rehearse(), /made by engine 0\.0\.1; rebuilt for /);
  // Garbage where the cluster's control file and catalogs were.
  const pgdata = join(folder, 'pgdata');
  writeFileSync(join(pgdata, 'global', 'pg_control'), 'not a control file');
  for (const name of readdirSync(join(pgdata, 'base')))
    rmSync(join(pgdata, 'base', name), { recursive: true, force: true });
  assert.match(await rehearse(), /could not be opened .*rebuilt from scratch/);
  assert.equal(await rehearse(), '', 'the rebuilt sandbox opens cleanly');
  const list = await temp.core.invoke('sandbox.list', { profileId });
  assert.deepEqual(
    list.map((s) => [s.kind, s.current]),
    [['rehearsal', true]],
  );
});

test('"Rehearse first" of a pending run with bound parameters rehearses it with the same values', async () => {
  const profile = await temp.core.invoke('profiles.save', {
    profile: {
      name: 'prod-direct',
      environment: 'production',
      rehearsalSample: true,
      postgres: { host: '127.0.0.1', port: server.port, database: server.database, user: server.user },
      secrets: { pgPassword: { set: server.password } },
    },
    allowDowngrade: true,
  });
  const pending = await temp.core.invoke('sql.run', {
    profileId: profile.id,
    template: { name: 'orders-of-customer' },
    params: { customer: '9' },
  });
  assert.equal(pending.outcome, 'pending');
  try {
    const report = await temp.core.invoke('sandbox.rehearse', {
      profileId: profile.id,
      runId: pending.runId,
      mode: 'sample',
    });
    const expected = (await admin.query<{ n: number }>('SELECT count(*)::int AS n FROM orders WHERE customer_id = 9'))
      .rows[0]!.n;
    assert.deepEqual(
      [report.statements[0]!.sql, report.statements[0]!.outcome, report.statements[0]!.rowsAffected],
      ['DELETE FROM orders WHERE customer_id = $1', 'ok', expected],
    );
  } finally {
    await temp.core.invoke('sql.confirm', { runId: pending.runId, decision: 'rollback' });
  }
  await assert.rejects(
    temp.core.invoke('sandbox.rehearse', { profileId: profile.id, runId: pending.runId }),
    /No run .* is waiting for a confirmation/,
  );
  assert.equal(
    (await admin.query<{ n: number }>('SELECT count(*)::int AS n FROM orders')).rows[0]!.n,
    3000,
    'nothing was kept on the server',
  );
});

test('rehearse --runbook names a path that is no file: missing or a folder, refused by name, nothing rehearsed', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'opsconsole-rehearse-notfile-'));
  try {
    for (const path of [join(dir, 'missing.md'), dir]) {
      const run = await rehearseJson('--runbook', path);
      assert.notEqual(run.code, 0);
      const error = run.json<{ error: { code: string; message: string } }>().error;
      assert.equal(error.code, 'invalid_input');
      assert.equal(error.message, `--runbook ${path} is not a file: give a markdown runbook.`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a runbook rehearsed end to end: the typed --param reaches every step, and each step sees the earlier ones' effects", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'opsconsole-rehearse-runbook-'));
  const runbook = join(dir, 'offboard.md');
  writeFileSync(
    runbook,
    [
      '---',
      'title: Offboard a customer',
      'parameters:',
      '  - name: customer',
      '    type: int',
      '---',
      '',
      '# Offboard a customer',
      '',
      '```sql {name=drop-orders confirm=true}',
      'DELETE FROM orders WHERE customer_id = {{customer}};',
      '```',
      '',
      // Fails on the server's foreign key unless the orders went first, in the same run.
      '```sql {name=drop-customer confirm=true}',
      'DELETE FROM customers WHERE id = {{customer}};',
      '```',
      '',
    ].join('\n'),
  );
  // The file is in no library folder: by path, the core opens only those; the CLI sends the text of the file it was given.
  await assert.rejects(temp.core.invoke('sandbox.rehearse', { profileId, runbook }), /is not in the runbook library/);
  await assert.rejects(
    temp.core.invoke('sandbox.rehearse', { profileId, sql: 'SELECT 1', runbookText: '# x' }),
    /runbookText needs runbook/,
  );
  try {
    const run = await rehearseJson('--runbook', runbook, '--param', 'customer=11', '--mode', 'sample');
    assert.equal(run.code, 0, run.stderr + run.stdout);
    const [orders, customer] = run.json<Report>().statements;
    const expected = (await admin.query<{ n: number }>('SELECT count(*)::int AS n FROM orders WHERE customer_id = 11'))
      .rows[0]!.n;
    assert.deepEqual([orders!.outcome, orders!.rowsAffected], ['ok', expected]);
    assert.deepEqual([customer!.outcome, customer!.rowsAffected, customer!.error], ['ok', 1, null]);
    const alone = await rehearseJson(
      '--runbook',
      runbook,
      '--step',
      'drop-customer',
      '--param',
      'customer=11',
      '--mode',
      'sample',
    );
    assert.equal(alone.code, 1, 'without the first step, the foreign key refuses it, as the server would');
    assert.match(alone.json<Report>().statements[0]!.error ?? '', /foreign key violation/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** A runbook of one parameter in a folder of its own (the CLI reads the file it is given); removed after. */
async function withRunbook(
  title: string,
  parameter: string,
  body: string[],
  use: (runbook: string) => Promise<void>,
): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'opsconsole-rehearse-capture-'));
  const runbook = join(dir, 'runbook.md');
  writeFileSync(
    runbook,
    [
      '---',
      `title: ${title}`,
      'parameters:',
      `  - name: ${parameter}`,
      '    type: int',
      '---',
      '',
      `# ${title}`,
      '',
      ...body,
    ].join('\n'),
  );
  try {
    await use(runbook);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('a runbook rehearsal passes a captured value on: the second step acts on the row the first one found in the sandbox', async () => {
  await withRunbook(
    'Rename the newest customer',
    'victim',
    [
      '```sql {name=find capture=victim:id}',
      'SELECT id, email FROM customers ORDER BY id DESC LIMIT 1;',
      '```',
      '',
      // Matches one row only when {{victim}} is the id the first step found (NULL matches none).
      '```sql {name=rename confirm=true}',
      "UPDATE customers SET email = 'gone-' || id WHERE id = {{victim}} AND id = (SELECT max(id) FROM customers);",
      '```',
      '',
    ],
    async (runbook) => {
      const run = await rehearseJson('--runbook', runbook, '--mode', 'shaped');
      assert.equal(run.code, 0, run.stderr + run.stdout);
      const [find, rename] = run.json<Report>().statements;
      assert.equal(find!.outcome, 'ok');
      assert.equal(rename!.outcome, 'ok', rename!.error ?? '');
      assert.equal(rename!.sample.before.length, 1, 'the UPDATE found the row through the captured id');
      assert.match(String(rename!.sample.after[0]!.email), /^gone-\d+$/);
      assert.equal(rename!.sample.after[0]!.email, `gone-${String(rename!.sample.before[0]!.id)}`);
      // Typed, the value wins over the captured one (as in a real run): id 0 is no row.
      const typed = await rehearseJson('--runbook', runbook, '--param', 'victim=0', '--mode', 'shaped');
      assert.equal(typed.code, 0, typed.stderr + typed.stdout);
      assert.equal(typed.json<Report>().statements[1]!.sample.before.length, 0);
      // Sample mode cannot copy by a value not captured yet: that step runs on shaped rows, said so,
      // and reports what it did in the sandbox (1 row), never the server's count for a stand-in value (0).
      const sampled = await rehearseJson('--runbook', runbook, '--mode', 'sample');
      assert.equal(sampled.code, 0, sampled.stderr + sampled.stdout);
      const report = sampled.json<Report>();
      const renamed = report.statements[1]!;
      assert.deepEqual([renamed.outcome, renamed.rowsAffected, renamed.sample.before.length], ['ok', 1, 1]);
      assert.ok(
        report.notices?.some((n) =>
          /Statement 2 runs on shaped rows instead of a sample: .*earlier step's capture/.test(n),
        ),
        JSON.stringify(report.notices),
      );
    },
  );
});

test('a runbook rehearsal whose earlier step captured nothing says so for the later step instead of running it with a stand-in', async () => {
  await withRunbook(
    'Rename a missing customer',
    'victim',
    [
      '```sql {name=find capture=victim:id}',
      'SELECT id FROM customers WHERE id < 0;',
      '```',
      '',
      '```sql {name=rename confirm=true}',
      "UPDATE customers SET email = 'gone' WHERE id = {{victim}} OR {{victim}} = 0;",
      '```',
      '',
    ],
    async (runbook) => {
      const run = await rehearseJson('--runbook', runbook, '--mode', 'shaped');
      const rename = run.json<Report>().statements[1]!;
      assert.deepEqual([rename.outcome, rename.rowsAffected], ['error', 0]);
      assert.match(rename.error ?? '', /cannot rehearse: .*no value captured for victim/);
    },
  );
});
