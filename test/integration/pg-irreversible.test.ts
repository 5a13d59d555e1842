import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { commitWithOutcome } from '../../src/main/postgres/commit-outcome';
import { withReadOnlyTransaction } from '../../src/main/postgres/read-only-transaction';
import { runStatement } from '../../src/main/postgres/statement-runner';
import type { SqlRunResult } from '../../src/shared/contract';
import { startPostgres, startSshd, type PostgresServer, type SshdServer } from '../harness/index';
import { harnessProfile } from '../support/profiles';
import { runCliInProcess } from '../support/cli';
import { tempCore, type TempCore } from '../support/temp-core';
import { untilFound } from '../support/until';

/**
 * Irreversible statements against the harness's real Postgres: each victim (a backend, a session
 * setting, an advisory lock, a file, a notification listener, a running query) is untouched after
 * the unconfirmed run and changed after the confirmed one.
 */
let pgServer: PostgresServer;
let sshd: SshdServer;
let temp: TempCore;
let admin: pg.Client;
let dir: string;
const ids: Record<string, string> = {};
const victims: pg.Client[] = [];

const cli = (args: string[]) => runCliInProcess(temp.dataDir, args);
const run = (sql: string): Promise<SqlRunResult> => temp.core.invoke('sql.run', { profileId: ids.staging!, sql });
const confirm = (result: SqlRunResult, decision: 'commit' | 'rollback') =>
  temp.core.invoke('sql.confirm', { runId: result.runId, decision });

async function victim(applicationName: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: pgServer.connectionString(), application_name: applicationName });
  client.on('error', () => undefined);
  await client.connect();
  victims.push(client);
  return client;
}

const backendAlive = async (pid: number) =>
  (await admin.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [pid])).rowCount === 1;

/** Runs the text unconfirmed: it must wait, unrun and without a preview, saying it cannot be undone; then drops it. */
async function unconfirmed(sql: string): Promise<SqlRunResult> {
  const pending = await run(sql);
  assert.equal(pending.outcome, 'pending', `${sql} waits for a confirmation`);
  assert.equal(pending.confirmation?.previewed, false, `${sql} gets no preview`);
  assert.match(pending.confirmation?.note ?? '', /cannot be previewed or undone/);
  assert.ok(
    pending.statements.every((s) => !s.ran),
    'nothing ran',
  );
  const dropped = await confirm(pending, 'rollback');
  assert.equal(dropped.outcome, 'rolled_back');
  assert.match(dropped.message ?? '', /nothing was run/);
  return pending;
}

async function confirmed(sql: string): Promise<SqlRunResult> {
  const pending = await run(sql);
  assert.equal(pending.outcome, 'pending');
  const done = await confirm(pending, 'commit');
  assert.equal(done.outcome, 'committed', done.message);
  return done;
}

before(async () => {
  [pgServer, sshd] = await Promise.all([startPostgres(), startSshd()]);
  dir = mkdtempSync(join(tmpdir(), 'opsconsole-irreversible-'));
  chmodSync(dir, 0o777); // the server's own OS user writes the COPY file here
  admin = new pg.Client({
    host: pgServer.host,
    port: pgServer.port,
    user: pgServer.superuser,
    password: pgServer.superPassword,
    database: pgServer.database,
  });
  await admin.connect();
  await admin.query(`
    GRANT pg_write_server_files TO ${pgServer.user};
    CREATE TABLE items (id int PRIMARY KEY, name text);
    INSERT INTO items VALUES (1, 'one');
    CREATE VIEW cancel_view AS SELECT pg_cancel_backend(pid) AS cancelled FROM pg_stat_activity WHERE application_name = 'sleeper';
    CREATE VIEW outer_view AS SELECT * FROM cancel_view;
    CREATE VIEW plain_view AS SELECT id, upper(name) AS name FROM items;
    CREATE FUNCTION cancel_plpgsql() RETURNS bool LANGUAGE plpgsql AS $$ BEGIN RETURN pg_cancel_backend(0); END $$;
    CREATE FUNCTION cancel_sql() RETURNS bool LANGUAGE sql AS 'SELECT pg_cancel_backend(0)';
    CREATE FUNCTION add_one(int) RETURNS int LANGUAGE sql AS 'SELECT $1 + 1';
    CREATE FUNCTION cancel_op(int, int) RETURNS bool LANGUAGE sql AS 'SELECT pg_cancel_backend($1)';
    CREATE OPERATOR ### (LEFTARG = int, RIGHTARG = int, FUNCTION = cancel_op);
    GRANT SELECT, UPDATE ON ALL TABLES IN SCHEMA public TO ${pgServer.user};
  `);
  temp = tempCore({ hostKeyPrompter: { ask: async () => true } });
  for (const [name, environment] of [
    ['staging', 'staging'],
    ['prod-eu', 'production'],
  ] as const) {
    ids[name] = (
      await temp.core.invoke('profiles.save', {
        profile: harnessProfile(name, { pg: pgServer }, environment),
      })
    ).id;
  }
  ids['prod-ssh'] = (
    await temp.core.invoke('profiles.save', {
      profile: harnessProfile('prod-ssh', { sshd, pg: pgServer }, 'production'),
    })
  ).id;
  // Trusts the harness's host key in the shared data folder, as an operator answering the prompt would.
  await temp.core.invoke('sessions.connect', { profileId: ids['prod-ssh']! });
});
after(async () => {
  for (const client of victims) await client.end().catch(() => undefined);
  await admin?.end();
  await temp?.dispose();
  await Promise.all([pgServer?.stop(), sshd?.dispose()]);
  rmSync(dir, { recursive: true, force: true });
});

describe('the CLI over SSH on a production profile', () => {
  test('pg_terminate_backend without --confirm never runs: the backend lives, the error says it cannot be undone; confirmed, it runs', async () => {
    const target = await victim('terminate-me');
    const pid = (target as unknown as { processID: number }).processID;
    const sql = `SELECT pg_terminate_backend(${pid})`;
    const dry = await cli(['sql', 'run', '--profile', 'prod-ssh', sql, '--json']);
    assert.equal(dry.code, 1, dry.stderr);
    assert.match(dry.stderr, /cannot be previewed or undone/);
    assert.notEqual(dry.json<{ outcome: string }>().outcome, 'committed');
    assert.equal(await backendAlive(pid), true, 'the backend is still there');
    assert.deepEqual((await target.query('SELECT 1 AS alive')).rows, [{ alive: 1 }]);

    const done = await cli(['sql', 'run', '--profile', 'prod-ssh', sql, '--confirm', 'prod-ssh', '--json']);
    assert.equal(done.code, 0, done.stderr);
    assert.equal(done.json<{ outcome: string }>().outcome, 'committed');
    for (let i = 0; i < 50 && (await backendAlive(pid)); i++) await new Promise((r) => setTimeout(r, 50));
    assert.equal(await backendAlive(pid), false, 'terminated once confirmed');
  });

  test('a plain SELECT count(*) FROM pg_stat_activity still runs unconfirmed, exit 0', async () => {
    const read = await cli(['sql', 'run', '--profile', 'prod-ssh', 'SELECT count(*) FROM pg_stat_activity', '--json']);
    assert.equal(read.code, 0, read.stderr);
    const doc = read.json<{ risk: string; outcome: string; statements: { rows: string[][] }[] }>();
    assert.deepEqual([doc.risk, doc.outcome], ['read', 'read']);
    assert.ok(Number(doc.statements[0]!.rows[0]![0]) >= 1);
  });

  test('sql classify --profile resolves views, user functions and operators through the catalog', async () => {
    const classify = async (sql: string) => {
      const out = await cli(['sql', 'classify', '--profile', 'prod-eu', sql, '--json']);
      assert.equal(out.code, 0, out.stderr);
      return out.json<{ risk: string; statements: { reasons: string[] }[] }>();
    };
    assert.deepEqual(await classify('SELECT * FROM cancel_view'), {
      risk: 'dangerous',
      statements: [
        {
          ...(await classify('SELECT * FROM cancel_view')).statements[0]!,
          reasons: ['side_effect_function:pg_cancel_backend'],
        },
      ],
    });
    assert.equal((await classify('SELECT * FROM outer_view')).risk, 'dangerous', 'a view over the view');
    assert.equal((await classify('SELECT cancel_plpgsql()')).risk, 'unknown', 'plpgsql could do anything');
    assert.equal((await classify('SELECT cancel_sql()')).risk, 'dangerous', 'a SQL function is as risky as its body');
    assert.equal((await classify('SELECT 1 ### 2')).risk, 'dangerous', 'an operator is as risky as its function');
    assert.equal(
      (await classify('SELECT add_one(id) FROM plain_view')).risk,
      'read',
      'a harmless SQL function over a harmless view',
    );
    const offline = await cli(['sql', 'classify', 'SELECT add_one(1)', '--json']);
    assert.equal(offline.json<{ risk: string }>().risk, 'unknown', 'without a profile a user function is unknown');
  });
});

describe('each irreversible kind: untouched before the confirmation, changed after', () => {
  test('a view that calls pg_cancel_backend is not run as a read', async () => {
    const sleeper = await victim('sleeper');
    const pid = (sleeper as unknown as { processID: number }).processID;
    const sleeping = sleeper.query('SELECT pg_sleep(30)').then(
      () => 'finished',
      (error: Error & { code?: string }) => error.code,
    );
    await new Promise((r) => setTimeout(r, 200));
    const pending = await unconfirmed('SELECT * FROM cancel_view');
    assert.equal(pending.risk, 'dangerous');
    assert.equal(
      (await admin.query('SELECT state FROM pg_stat_activity WHERE pid = $1', [pid])).rows[0]?.state,
      'active',
      'the sleeper still sleeps',
    );
    await confirmed('SELECT * FROM outer_view');
    assert.equal(await sleeping, '57014', 'cancelled once confirmed');
  });

  test('a session setting (set_config): in effect for the rest of its own run, never for the next one', async () => {
    const show = async () => (await run('SHOW work_mem')).statements[0]!.rows[0]![0];
    const before = await show();
    await unconfirmed("SELECT set_config('work_mem', '77MB', false)");
    assert.equal(await show(), before);
    const done = await confirmed("SELECT set_config('work_mem', '77MB', false); SHOW work_mem");
    assert.equal(done.statements[1]!.rows[0]![0], '77MB', 'the statements after it in the same run see it');
    assert.equal(await show(), before, "the next run starts from the profile's own settings");
  });

  test('a confirmed SET ROLE never outlives its run: the next confirmed write runs as the profile user the timeline names', async () => {
    await admin.query(`
      CREATE ROLE console_other NOLOGIN; GRANT console_other TO ${pgServer.user};
      CREATE TABLE whoami (who text); GRANT INSERT ON whoami TO ${pgServer.user}, console_other;
    `);
    const done = await confirmed('SET ROLE console_other; INSERT INTO whoami SELECT current_user');
    assert.equal(done.outcome, 'committed');
    await confirmed('INSERT INTO whoami SELECT current_user');
    assert.deepEqual(
      (await admin.query('SELECT who FROM whoami ORDER BY ctid')).rows.map((r) => r.who),
      ['console_other', pgServer.user],
    );
  });

  test('a session advisory lock, and its unlock', async () => {
    const held = async () =>
      (await admin.query("SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND objid = 4242"))
        .rows[0].n;
    await unconfirmed('SELECT pg_advisory_lock(4242)');
    assert.equal(await held(), 0);
    await confirmed('SELECT pg_advisory_lock(4242)');
    assert.equal(await held(), 1);
    await unconfirmed('SELECT pg_advisory_unlock(4242)');
    assert.equal(await held(), 1, 'the unconfirmed unlock did not release it');
    await confirmed('SELECT pg_advisory_unlock(4242)');
    assert.equal(await held(), 0);
  });

  test('a file on the server (COPY TO)', async () => {
    const file = join(dir, 'copied.csv');
    await unconfirmed(`COPY (SELECT 1) TO '${file}'`);
    assert.equal(existsSync(file), false);
    await confirmed(`COPY (SELECT 1) TO '${file}'`);
    assert.equal(existsSync(file), true);
  });

  test('a notification listener (NOTIFY, pg_notify)', async () => {
    const listener = await victim('listener');
    const heard: string[] = [];
    listener.on('notification', (n) => heard.push(n.payload ?? ''));
    await listener.query('LISTEN opsconsole_chan');
    await unconfirmed("NOTIFY opsconsole_chan, 'one'");
    await unconfirmed("SELECT pg_notify('opsconsole_chan', 'two')");
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(heard, []);
    await confirmed("SELECT pg_notify('opsconsole_chan', 'three')");
    for (let i = 0; i < 40 && heard.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(heard, ['three']);
  });

  test('a transactional write still gets its preview', async () => {
    const pending = await run("UPDATE items SET name = 'uno' WHERE id = 1");
    assert.equal(pending.confirmation?.previewed, true);
    await confirm(pending, 'rollback');
    assert.equal((await admin.query('SELECT name FROM items WHERE id = 1')).rows[0].name, 'one');
  });

  test('a view created by a confirmed run is looked up afresh: the cache never vouches for a name it saw before', async () => {
    const missing = await temp.core.invoke('sql.classify', {
      sql: 'SELECT * FROM later_view',
      profileId: ids.staging!,
    });
    assert.equal(missing.risk, 'read', 'no such view yet');
    await confirmed('CREATE VIEW later_view AS SELECT pg_cancel_backend(0) AS c');
    const pending = await unconfirmed('SELECT * FROM later_view');
    assert.equal(pending.risk, 'dangerous');
  });

  test('what will run is shown with its plan where planning runs nothing; an irreversible statement beside it keeps the whole text unrun', async () => {
    const held = async () =>
      (await admin.query("SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND objid = 77")).rows[0]
        .n;
    const pending = await unconfirmed("UPDATE items SET name = 'uno' WHERE id = 1; SELECT pg_advisory_lock(77)");
    assert.match(pending.statements[0]!.plan ?? '', /Update on items/);
    assert.equal(pending.statements[1]!.plan, undefined, 'planning a call nobody vetted could run it: no plan');
    assert.equal(await held(), 0);
    assert.equal((await admin.query('SELECT name FROM items WHERE id = 1')).rows[0].name, 'one');
  });

  test('a statement that changes a pinned setting is refused outright', async () => {
    const result = await run('SET standard_conforming_strings = off');
    assert.equal(result.outcome, 'refused');
    assert.match(result.message ?? '', /standard_conforming_strings/);
  });
});

describe('what the server did, told as it did it', () => {
  test('COMMIT of a transaction that had already failed is told as rolled back: Postgres answers it with ROLLBACK', async () => {
    const client = new pg.Client({ connectionString: pgServer.connectionString() });
    await client.connect();
    try {
      await client.query('BEGIN');
      await client.query("UPDATE items SET name = 'never' WHERE id = 1");
      await assert.rejects(client.query('SELECT 1 / 0'), /division by zero/);
      const outcome = await commitWithOutcome(client, () => Promise.reject(new Error('the server is not asked')));
      assert.equal(outcome.serverOutcome, 'rolled_back');
      assert.match(outcome.message ?? '', /answered the COMMIT with ROLLBACK/);
      assert.equal((await admin.query('SELECT name FROM items WHERE id = 1')).rows[0].name, 'one');
    } finally {
      await client.end();
    }
  });

  test('a preview waits for a lock 5 s at most, and the server keeps it open no longer than the confirmation window', async () => {
    const pending = await run(
      "UPDATE items SET name = current_setting('lock_timeout') || '/' || current_setting('idle_in_transaction_session_timeout') WHERE id = 1 RETURNING name",
    );
    assert.equal(pending.outcome, 'pending');
    const [lock, idle] = String(pending.statements[0]!.rows[0]![0]).split('/');
    assert.equal(lock, '5s');
    assert.notEqual(idle, '0', 'a held preview is never kept open forever by a server whose client vanished');
    await confirm(pending, 'rollback');

    const holder = new pg.Client({ connectionString: pgServer.connectionString() });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE items IN ACCESS EXCLUSIVE MODE');
      const started = Date.now();
      await assert.rejects(
        run("UPDATE items SET name = 'queued' WHERE id = 1"),
        /lock timeout.*rolled back, nothing was kept/,
      );
      assert.ok(Date.now() - started < 9_000, `gave up after ${Date.now() - started} ms`);
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
    }
    assert.equal((await admin.query('SELECT name FROM items WHERE id = 1')).rows[0].name, 'one');
  });

  test('a confirmed run of statements one by one whose connection is lost midway: outcome unknown, the finished ones named as kept', async () => {
    const held = async () =>
      (await admin.query("SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND objid = 5150"))
        .rows[0].n;
    const pending = await run('SELECT pg_advisory_lock(5150); SELECT pg_sleep(20)');
    assert.equal(pending.confirmation?.previewed, false);
    assert.match(pending.confirmation?.note ?? '', /Its 2 statements run one by one, each kept as it finishes/);
    const done = confirm(pending, 'commit');
    const pid = await untilFound<number>(
      'the second statement to run',
      async () =>
        (await admin.query("SELECT pid FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(20)'")).rows[0]?.pid,
    );
    assert.ok(pid, 'the second statement runs');
    assert.equal(await held(), 1, 'the first one took effect');
    await admin.query('SELECT pg_terminate_backend($1)', [pid]);
    const result = await done;
    assert.equal(result.outcome, 'unknown');
    assert.equal(result.serverOutcome, 'unknown');
    assert.match(
      result.message ?? '',
      /the 1 that finished before it were kept, and whether "SELECT pg_sleep\(20\)" took effect is unknown/,
    );
    assert.equal((await run('SELECT 1 AS after')).outcome, 'read', 'the next run opens a fresh connection');
  });
});

describe('the read path', () => {
  test('withReadOnlyTransaction: the snapshot comes first, so SET TRANSACTION READ WRITE is refused', async () => {
    await assert.rejects(
      withReadOnlyTransaction(admin, { statementTimeoutMs: 5000 }, () => admin.query('SET TRANSACTION READ WRITE')),
      /must be set before any query/,
    );
    // A session whose encoding was changed (SJIS lets a multibyte character swallow the backslash
    // after it) still reads its text as UTF-8, as the classifier parsed it.
    await admin.query("SET client_encoding = 'SJIS'");
    const limits = await withReadOnlyTransaction(
      admin,
      { statementTimeoutMs: 1234, lockTimeoutMs: 567 },
      async () =>
        (
          await admin.query(
            "SELECT current_setting('statement_timeout') AS st, current_setting('lock_timeout') AS lt, current_setting('transaction_read_only') AS ro, current_setting('standard_conforming_strings') AS scs, current_setting('client_encoding') AS ce",
          )
        ).rows[0],
    ).finally(() => admin.query('RESET client_encoding'));
    assert.deepEqual(limits, { st: '1234ms', lt: '567ms', ro: 'on', scs: 'on', ce: 'UTF8' });
  });

  test('user statements go by the extended protocol: a text can never carry a second statement', async () => {
    await assert.rejects(
      withReadOnlyTransaction(admin, { statementTimeoutMs: 5000 }, () =>
        runStatement(admin, { text: 'SELECT 1; DELETE FROM items', risk: 'read', reasons: [] }, undefined, 10),
      ),
      /cannot insert multiple commands into a prepared statement/,
    );
    assert.equal((await admin.query('SELECT count(*)::int AS n FROM items')).rows[0].n, 1);
  });

  test('malformed text is refused with exit 2 before anything is sent; pathological text answers unknown', async () => {
    const file = (name: string, content: string | Buffer) => (writeFileSync(join(dir, name), content), join(dir, name));
    for (const [name, content, why] of [
      ['nul.sql', 'SELECT 1;\u0000 DELETE FROM items', /NUL/],
      ['latin1.sql', Buffer.from([0x53, 0x45, 0x4c, 0x45, 0x43, 0x54, 0x20, 0xe9]), /not valid UTF-8/],
      ['huge.sql', `SELECT '${'x'.repeat(10 * 1024 * 1024)}'`, /longer than 10 MB/],
      ['empty.sql', '  \n\t', /empty/],
    ] as const) {
      const out = await cli(['sql', 'classify', '--file', file(name, content), '--json']);
      assert.equal(out.code, 2, `${name}: ${out.stdout}`);
      assert.match(out.json<{ error: { message: string } }>().error.message, why);
    }
    const huge = await cli([
      'sql',
      'run',
      '--profile',
      'staging',
      `SELECT '${'x'.repeat(10 * 1024 * 1024)}'`,
      '--json',
    ]);
    assert.equal(huge.code, 2);
    await assert.rejects(run('SELECT 1;\u0000 DELETE FROM items'), /NUL/);
    const deep = await cli([
      'sql',
      'classify',
      '--file',
      file('deep.sql', `SELECT ${'('.repeat(50_000)}1${')'.repeat(50_000)}`),
      '--json',
    ]);
    assert.equal(deep.code, 0);
    assert.equal(deep.json<{ risk: string }>().risk, 'unknown');
    const wide = `SELECT ${Array.from({ length: 3000 }, (_, i) => `id + ${i} AS c${i}`).join(', ')} FROM items`;
    assert.ok(wide.length > 27_000);
    const answered = await cli(['sql', 'classify', '--file', file('wide.sql', wide), '--json']);
    assert.equal(answered.code, 0);
    assert.equal(answered.json<{ risk: string }>().risk, 'read');
    assert.equal((await admin.query('SELECT count(*)::int AS n FROM items')).rows[0].n, 1, 'nothing was sent');
  });
});

describe('a read role per profile', () => {
  test('profiles add --pg-read-user/--pg-read-password-stdin: reads run as the read user, confirmed writes as the main one, the timeline says which', async () => {
    await admin.query(
      `CREATE ROLE ops_ro LOGIN PASSWORD 'ro-secret'; ALTER ROLE ops_ro SET default_transaction_read_only = on; GRANT SELECT ON ALL TABLES IN SCHEMA public TO ops_ro`,
    );
    const saved = await runCliInProcess(
      temp.dataDir,
      [
        'profiles',
        'add',
        '--name',
        'split2',
        '--environment',
        'staging',
        '--pg-host',
        '127.0.0.1',
        '--pg-port',
        String(pgServer.port),
        '--pg-database',
        pgServer.database,
        '--pg-user',
        pgServer.user,
        '--pg-read-user',
        'ops_ro',
        '--pg-read-password-stdin',
        '--json',
      ],
      { input: 'ro-secret\n', env: { OPSCONSOLE_PG_PASSWORD: pgServer.password } },
    );
    assert.equal(saved.code, 0, saved.stderr);
    const profile = await temp.core.invoke('profiles.get', { name: 'split2' });
    assert.equal(profile.postgres?.readUser, 'ops_ro');
    assert.equal(profile.secrets.pgReadPassword, true);
    const incident = await temp.core.invoke('incidents.start', { title: 'roles', severity: 'P3' });
    const read = await temp.core.invoke('sql.run', {
      profileId: profile.id,
      sql: 'SELECT current_user AS who',
      incidentId: incident.id,
    });
    assert.deepEqual([read.outcome, read.role, read.statements[0]!.rows], ['read', 'ops_ro', [['ops_ro']]]);
    const write = await temp.core.invoke('sql.run', {
      profileId: profile.id,
      sql: 'UPDATE items SET name = current_user WHERE id = 1',
      incidentId: incident.id,
    });
    assert.equal(write.role, pgServer.user);
    assert.equal(
      (await temp.core.invoke('sql.confirm', { runId: write.runId, decision: 'commit' })).outcome,
      'committed',
    );
    assert.equal(
      (await admin.query('SELECT name FROM items WHERE id = 1')).rows[0].name,
      pgServer.user,
      'the write ran as the main user',
    );
    await admin.query("UPDATE items SET name = 'one' WHERE id = 1");
    const events = await temp.core.invoke('incidents.events', { id: incident.id });
    const runs = events
      .filter((e) => e.kind === 'sql.run')
      .map((e) => [e.payload.risk, e.payload.role, e.payload.readOnly]);
    assert.deepEqual(runs, [
      ['read', 'ops_ro', true],
      ['write', pgServer.user, false],
    ]);
    const cleared = await runCliInProcess(temp.dataDir, [
      'profiles',
      'edit',
      'split2',
      '--clear-pg-read-password',
      '--json',
    ]);
    assert.equal(cleared.code, 0, cleared.stderr);
    assert.notEqual((await temp.core.invoke('profiles.get', { name: 'split2' })).secrets.pgReadPassword, true);
  });
});
