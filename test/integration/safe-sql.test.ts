import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import type { SqlRunResult } from '../../src/shared/contract';
import type { EnvironmentKind } from '../../src/shared/profile';
import { defaultConfirmationTimeoutMs } from '../../src/main/postgres/safe-executor';
import { startPostgres, startSshd, type PostgresServer, type SshdServer } from '../harness/index';
import { harnessProfile } from '../support/profiles';
import { tempCore, type TempCore } from '../support/temp-core';

let pgServer: PostgresServer;
let sshd: SshdServer;
let temp: TempCore;
let direct: pg.Client;
const ids: Record<string, string> = {};

async function saveProfile(
  name: string,
  environment: EnvironmentKind,
  safety?: 'standard' | 'production' | 'read-only',
  statementTimeoutMs = 20_000,
) {
  const saved = await temp.core.invoke('profiles.save', {
    profile: harnessProfile(name, { sshd, pg: pgServer }, environment, {
      safety,
      postgres: { rowCap: 5, statementTimeoutMs },
    }),
  });
  ids[name] = saved.id;
}

const run = (profile: string, sql: string) => temp.core.invoke('sql.run', { profileId: ids[profile]!, sql });
const count = async (table: string) => Number((await direct.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);

before(async () => {
  [pgServer, sshd] = await Promise.all([startPostgres(), startSshd()]);
  temp = tempCore({ hostKeyPrompter: { ask: async () => true }, confirmationTimeoutMs: 400 });
  direct = new pg.Client({ connectionString: pgServer.connectionString() });
  await direct.connect();
  await direct.query('CREATE TABLE items (id int PRIMARY KEY, name text)');
  await direct.query("INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 10) g");
  await saveProfile('staging', 'staging');
  await saveProfile('prod-eu', 'production');
  await saveProfile('locked', 'staging', 'read-only');
  await saveProfile('impatient', 'staging', 'standard', 1000);
});
after(async () => {
  await direct?.end();
  await temp?.dispose();
  await Promise.all([pgServer?.stop(), sshd?.dispose()]);
});

describe('reads', () => {
  test('run inside BEGIN READ ONLY with the row cap, one result per statement', async () => {
    const result = await run('staging', 'SELECT id FROM items ORDER BY id; SELECT 1::int8 AS one');
    assert.equal(result.outcome, 'read');
    assert.equal(result.risk, 'read');
    assert.equal(result.statements.length, 2);
    assert.equal(result.statements[0]!.rows.length, 5, 'the profile row cap');
    assert.equal(result.statements[0]!.truncated, true);
    assert.deepEqual(result.statements[1]!.rows, [['1']], 'bigint as a string');
    const readOnly = await run('staging', 'SHOW transaction_read_only');
    assert.deepEqual(readOnly.statements[0]!.rows, [['on']]);
  });

  test('30 writes hidden in user functions are unknown through the catalog: never run before a confirmation, nothing changes', async () => {
    const writes = [
      "INSERT INTO items VALUES (1000 + (random() * 1000)::int, 'x')",
      "UPDATE items SET name = 'changed' WHERE id = 1",
      'DELETE FROM items WHERE id = 2',
      'CREATE TABLE sneaky_t (a int)',
      'ALTER TABLE items ADD COLUMN sneaky int',
      'TRUNCATE items',
      'CREATE INDEX sneaky_i ON items (name)',
      "COMMENT ON TABLE items IS 'sneaky'",
      'CREATE VIEW sneaky_v AS SELECT 1',
      'CREATE SEQUENCE sneaky_s',
    ];
    for (const [i, statement] of writes.entries()) {
      await direct.query(
        `CREATE FUNCTION report_${i}() RETURNS int LANGUAGE plpgsql AS $f$ BEGIN EXECUTE ${pg.escapeLiteral(statement)}; RETURN 1; END $f$`,
      );
    }
    const digest = "SELECT md5(string_agg(id || name, ',' ORDER BY id)) AS h FROM items";
    const before = await direct.query(digest);
    let refused = 0;
    for (let i = 0; i < writes.length; i++) {
      for (const form of [
        `SELECT report_${i}()`,
        `SELECT * FROM report_${i}() AS r`,
        `SELECT count(*) FROM items WHERE report_${i}() > 0`,
      ]) {
        const result = await run('staging', form);
        assert.equal(
          result.risk,
          'unknown',
          `${form}: the catalog says report_${i} is plpgsql, which could do anything`,
        );
        assert.deepEqual(
          [result.outcome, result.confirmation?.previewed, result.statements[0]!.ran],
          ['pending', false, false],
          `${form} waits for a confirmation, unrun`,
        );
        assert.match(result.confirmation?.note ?? '', /cannot be previewed or undone.*unknown_function:report_/);
        await temp.core.invoke('sql.confirm', { runId: result.runId, decision: 'rollback' });
        refused++;
      }
    }
    assert.equal(refused, 30);
    const afterRuns = await direct.query(digest);
    assert.equal(afterRuns.rows[0].h, before.rows[0].h);
    const created = await direct.query("SELECT count(*)::int AS n FROM pg_class WHERE relname LIKE 'sneaky%'");
    assert.equal(created.rows[0].n, 0);
  });

  test('the statement timeout stops a long read and says which limit to raise', async () => {
    await assert.rejects(
      run('impatient', 'SELECT pg_sleep(2)'),
      (e: Error & { code?: string }) => e.code === 'timeout' && /statement timeout \(1000 ms\)/.test(e.message),
    );
    const huge = await run(
      'impatient',
      'SELECT a.x * b.y FROM generate_series(1, 3000) a(x), generate_series(1, 3000) b(y)',
    );
    assert.equal(
      huge.statements[0]!.rows.length,
      5,
      'read through a cursor: only the capped rows are fetched, within the timeout',
    );
    assert.equal(huge.statements[0]!.truncated, true);
  });

  test('a long read is cancelled within 1 s of the cancel, shown as cancelled', async () => {
    const ended: unknown[] = [];
    const off = temp.core.subscribe((name, payload) => name === 'onSqlRunEnded' && ended.push(payload));
    const running = run('staging', 'SELECT pg_sleep(20)');
    await new Promise((r) => setTimeout(r, 500));
    // What a window that reloaded meanwhile is told: the run, still running, with its text.
    const inFlight = await temp.core.invoke('sql.running', {});
    assert.equal(inFlight.length, 1);
    assert.equal(inFlight[0]!.profileId, ids.staging);
    assert.equal(inFlight[0]!.profileName, 'staging');
    assert.equal(inFlight[0]!.risk, 'read');
    assert.equal(inFlight[0]!.phase, 'running');
    assert.deepEqual(inFlight[0]!.statements, ['SELECT pg_sleep(20)']);
    assert.ok(Date.now() - Date.parse(inFlight[0]!.startedAt) < 5000, inFlight[0]!.startedAt);
    const clicked = performance.now();
    const { cancelled } = await temp.core.invoke('sql.cancel', { profileId: ids.staging! });
    const result = await running;
    const elapsed = performance.now() - clicked;
    off();
    assert.equal(cancelled, true);
    assert.equal(result.outcome, 'cancelled');
    assert.ok(elapsed < 1000, `cancelled after ${Math.round(elapsed)} ms`);
    assert.equal(ended.length, 1);
    assert.deepEqual(ended[0], {
      runId: result.runId,
      profileId: ids.staging,
      outcome: 'cancelled',
      phase: 'running',
      message: result.message,
    });
    assert.equal(result.runId, inFlight[0]!.runId);
    assert.deepEqual(await temp.core.invoke('sql.running', {}), [], 'an ended run is no longer listed');
    const next = await run('staging', 'SELECT 2');
    assert.equal(next.outcome, 'read', 'the connection is usable after a cancel');
  });
});

describe('break-glass writes', () => {
  test('preview inside an open transaction, then commit', async () => {
    const pending = await run(
      'staging',
      "INSERT INTO items VALUES (100, 'a'), (101, 'b'); UPDATE items SET name = 'renamed' WHERE id = 3",
    );
    assert.equal(pending.outcome, 'pending');
    assert.equal(pending.risk, 'write');
    assert.deepEqual(
      pending.statements.map((s) => s.rowCount),
      [2, 1],
    );
    assert.match(pending.statements[0]!.plan ?? '', /Insert on items/);
    assert.match(pending.statements[1]!.plan ?? '', /Update on items/);
    assert.equal(pending.confirmation?.policy, 'confirm');
    assert.equal(pending.confirmation?.previewed, true);
    assert.equal(await count('items WHERE id >= 100'), 0, 'nothing visible before the commit');
    assert.deepEqual(
      await temp.core.invoke('sql.pending', {}),
      [pending],
      'a reloaded window is told of the run as it was shown',
    );
    const ended: unknown[] = [];
    const off = temp.core.subscribe((name, payload) => name === 'onSqlRunEnded' && ended.push(payload));
    const done = await temp.core.invoke('sql.confirm', { runId: pending.runId, decision: 'commit' });
    off();
    assert.equal(done.outcome, 'committed');
    assert.equal(await count('items WHERE id >= 100'), 2);
    assert.deepEqual(await temp.core.invoke('sql.pending', {}), [], 'a settled run is no longer waiting');
    assert.equal(ended.length, 1, 'a confirmed change is in flight until committed, then said to have ended');
    assert.deepEqual(
      { ...(ended[0] as object), message: undefined },
      {
        runId: pending.runId,
        profileId: ids.staging,
        outcome: 'committed',
        phase: 'confirmed',
        serverOutcome: done.serverOutcome,
        xid: done.xid,
        message: undefined,
      },
    );
  });

  test('rollback keeps nothing (and is the answer to a second run meanwhile: conflict)', async () => {
    const pending = await run('staging', 'DELETE FROM items WHERE id = 100');
    assert.equal(pending.statements[0]!.rowCount, 1);
    await assert.rejects(run('staging', 'SELECT 1'), (e: Error & { code?: string }) => e.code === 'conflict');
    const done = await temp.core.invoke('sql.confirm', { runId: pending.runId, decision: 'rollback' });
    assert.equal(done.outcome, 'rolled_back');
    assert.equal(await count('items WHERE id = 100'), 1);
  });

  test('two changes sent together (a double click): one preview, the other refused unsent', async () => {
    const [first, second] = await Promise.allSettled([
      run('staging', "UPDATE items SET name = name || '!' WHERE id = 1"),
      run('staging', "UPDATE items SET name = name || '!' WHERE id = 1"),
    ]);
    const held = [first, second].filter((r) => r.status === 'fulfilled');
    const refused = [first, second].filter((r) => r.status === 'rejected');
    assert.equal(held.length, 1, 'exactly one preview waits for its confirmation');
    assert.equal(refused.length, 1);
    const error = (refused[0] as PromiseRejectedResult).reason as Error & { code?: string };
    assert.equal(error.code, 'conflict');
    assert.match(error.message, /being previewed or waits for its confirmation.*not sent/);
    const pending = (held[0] as PromiseFulfilledResult<SqlRunResult>).value;
    const done = await temp.core.invoke('sql.confirm', { runId: pending.runId, decision: 'commit' });
    assert.equal(done.outcome, 'committed');
    const name = (await direct.query('SELECT name FROM items WHERE id = 1')).rows[0].name as string;
    assert.equal(name.match(/!/g)?.length, 1, 'the change was applied once');
    await direct.query("UPDATE items SET name = 'item 1' WHERE id = 1");
  });

  test('an unanswered confirmation rolls back after the timeout and says so', async () => {
    const settled = new Promise<SqlRunResult>((resolve) => {
      const off = temp.core.subscribe((name, payload) => {
        if (name === 'onSqlRunSettled') (off(), resolve(payload as SqlRunResult));
      });
    });
    const pending = await run('staging', 'DELETE FROM items WHERE id = 101');
    assert.equal(pending.confirmation?.timeoutMs, 400);
    const final = await settled;
    assert.equal(final.runId, pending.runId);
    assert.equal(final.outcome, 'rolled_back');
    assert.match(final.message ?? '', /No confirmation within/);
    assert.equal(await count('items WHERE id = 101'), 1);
    await assert.rejects(
      temp.core.invoke('sql.confirm', { runId: pending.runId, decision: 'commit' }),
      /already committed, rolled back, or timed out/,
    );
  });

  test('the default confirmation timeout is 60 s', async () => {
    const plain = tempCore({ hostKeyPrompter: { ask: async () => true } });
    try {
      assert.equal(defaultConfirmationTimeoutMs, 60_000);
      // A core built without a timeout offers its pending writes for that long.
      const { id } = await plain.core.invoke('profiles.save', {
        profile: harnessProfile('staging', { sshd, pg: pgServer }, 'staging'),
      });
      const before = await count('items');
      const pending = await plain.core.invoke('sql.run', { profileId: id, sql: 'DELETE FROM items' });
      assert.equal(pending.confirmation?.timeoutMs, 60_000);
      await plain.core.invoke('sql.confirm', { runId: pending.runId, decision: 'rollback' });
      assert.equal(await count('items'), before);
    } finally {
      await plain.dispose();
    }
  });

  test('production: a wrong or missing typed name is refused and rolls back; the right name commits', async () => {
    const wrong = await run('prod-eu', "UPDATE items SET name = 'p' WHERE id = 4");
    assert.equal(wrong.confirmation?.policy, 'type-profile-name');
    const refused = await temp.core.invoke('sql.confirm', {
      runId: wrong.runId,
      decision: 'commit',
      typedName: 'prod-us',
    });
    assert.equal(refused.outcome, 'refused');
    assert.match(refused.message ?? '', /not the profile's name "prod-eu"/);
    const missing = await run('prod-eu', "UPDATE items SET name = 'p' WHERE id = 4");
    assert.equal(
      (await temp.core.invoke('sql.confirm', { runId: missing.runId, decision: 'commit' })).outcome,
      'refused',
    );
    assert.equal((await direct.query('SELECT name FROM items WHERE id = 4')).rows[0].name, 'item 4');
    const right = await run('prod-eu', "UPDATE items SET name = 'p' WHERE id = 4");
    assert.equal(
      (await temp.core.invoke('sql.confirm', { runId: right.runId, decision: 'commit', typedName: 'prod-eu' })).outcome,
      'committed',
    );
    assert.equal((await direct.query('SELECT name FROM items WHERE id = 4')).rows[0].name, 'p');
  });

  test('a dangerous statement carries its reasons; a read-only profile refuses writes with that reason', async () => {
    const dangerous = await run('prod-eu', 'DELETE FROM items');
    assert.equal(dangerous.risk, 'dangerous');
    assert.ok(dangerous.statements[0]!.reasons.includes('no_where'));
    assert.equal(dangerous.statements[0]!.rowCount, await count('items'));
    assert.equal(
      (await temp.core.invoke('sql.confirm', { runId: dangerous.runId, decision: 'commit', typedName: '' })).outcome,
      'refused',
    );
    assert.ok((await count('items')) > 0);
    const locked = await run('locked', "INSERT INTO items VALUES (500, 'x')");
    assert.equal(locked.outcome, 'refused');
    assert.match(locked.message ?? '', /read-only: its safety level forbids writes/);
  });

  test('statements that cannot run in a transaction are confirmed without a preview, then run', async () => {
    const pending = await run('staging', 'CREATE INDEX CONCURRENTLY items_name ON items (name)');
    assert.equal(pending.outcome, 'pending');
    assert.equal(pending.confirmation?.previewed, false);
    assert.match(pending.confirmation?.note ?? '', /cannot run inside a transaction/);
    assert.equal(pending.statements[0]!.ran, false);
    const done = await temp.core.invoke('sql.confirm', { runId: pending.runId, decision: 'commit' });
    assert.equal(done.outcome, 'committed');
    assert.equal(await count("pg_class WHERE relname = 'items_name'"), 1);
    const grant = await run('staging', 'GRANT SELECT ON items TO PUBLIC');
    assert.equal(grant.risk, 'admin');
    assert.equal(
      grant.confirmation?.previewed,
      true,
      'GRANT cannot run read-only, but it can inside the break-glass transaction',
    );
    assert.equal(
      (await temp.core.invoke('sql.confirm', { runId: grant.runId, decision: 'commit' })).outcome,
      'committed',
    );
    assert.equal(
      (await direct.query("SELECT has_table_privilege('public', 'items', 'SELECT') AS ok")).rows[0].ok,
      true,
    );
    const vacuum = await run('staging', 'VACUUM items');
    assert.equal(vacuum.confirmation?.previewed, false);
    assert.equal(
      (await temp.core.invoke('sql.confirm', { runId: vacuum.runId, decision: 'commit' })).outcome,
      'committed',
    );
  });

  test('a write in preview is cancelled (rolled back) by sql.cancel', async () => {
    const pending = await run('staging', "UPDATE items SET name = 'z' WHERE id = 5");
    assert.equal((await temp.core.invoke('sql.cancel', { profileId: ids.staging! })).cancelled, true);
    assert.equal((await direct.query('SELECT name FROM items WHERE id = 5')).rows[0].name, 'item 5');
    await assert.rejects(
      temp.core.invoke('sql.confirm', { runId: pending.runId, decision: 'commit' }),
      /not_found|already/,
    );
  });

  test('every preview, confirmation, refusal and cancel is in the timeline', async () => {
    const active = await temp.core.invoke('incidents.active', {});
    const events = await temp.core.invoke('incidents.events', { id: active!.id, limit: 10_000 });
    const kinds = new Set(events.map((e) => e.kind));
    for (const kind of ['sql.run', 'preview', 'confirmation', 'refusal', 'cancel'] as const)
      assert.ok(kinds.has(kind), `${kind} recorded`);
    const typed = events.find((e) => e.kind === 'confirmation' && e.payload.method === 'typed-name');
    assert.equal(typed?.payload.profileName, 'prod-eu');
    assert.ok(
      events.some((e) => e.kind === 'sql.run' && e.payload.outcome === 'timeout' && e.payload.readOnly === false),
      'the unconfirmed write that timed out',
    );
    assert.ok(
      events.some((e) => e.kind === 'sql.run' && e.payload.outcome === 'timeout' && e.payload.readOnly === true),
      'the read stopped by the statement timeout',
    );
  });
});
