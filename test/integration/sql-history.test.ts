import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { HistoryRepository } from '../../src/main/sql/history/history-repository';
import { openDatabase } from '../../src/main/store/database';
import { startPostgres, type PostgresServer } from '../harness/index';
import { runCliInProcess } from '../support/cli';
import { tempCore, type TempCore } from '../support/temp-core';

let pgServer: PostgresServer;
let temp: TempCore;
let direct: pg.Client;
const ids: Record<string, string> = {};

const cli = (args: string[]) => runCliInProcess(temp.dataDir, args);
type Doc = { entries: Record<string, unknown>[] };

before(async () => {
  pgServer = await startPostgres();
  temp = tempCore();
  direct = new pg.Client({ connectionString: pgServer.connectionString() });
  await direct.connect();
  await direct.query('CREATE TABLE accounts (id int PRIMARY KEY, email text, token text)');
  await direct.query(
    "INSERT INTO accounts VALUES (1, 'a@example.com', 't1'), (2, 'b@example.com', 't2'), (3, 'c@example.com', 't3')",
  );
  for (const [name, environment, safety] of [
    ['staging', 'staging', 'standard'],
    ['prod-ro', 'production', 'read-only'],
  ] as const) {
    const saved = await temp.core.invoke('profiles.save', {
      profile: {
        name,
        environment,
        safety,
        postgres: { host: '127.0.0.1', port: pgServer.port, database: pgServer.database, user: pgServer.user },
        secrets: { pgPassword: { set: pgServer.password } },
      },
    });
    ids[name] = saved.id;
  }
  await temp.core.invoke('templates.save', {
    template: {
      name: 'by token',
      sql: 'SELECT id FROM accounts WHERE token = $1',
      params: [{ name: 'token', type: 'text', secret: true }],
    },
  });
});
after(async () => {
  await direct?.end();
  await temp?.dispose();
  await pgServer?.stop();
});

test('a CLI run and an app run land in the history, newest first, in exactly the documented JSON shape', async () => {
  const ran = await cli(['sql', 'run', '--profile', 'staging', 'SELECT id, email FROM accounts ORDER BY id', '--json']);
  assert.equal(ran.code, 0, ran.stderr);
  await temp.core.invoke('sql.run', { profileId: ids.staging!, sql: 'SELECT count(*) FROM accounts' });
  const listed = await cli(['sql', 'history', '--profile', 'staging', '--json']);
  assert.equal(listed.code, 0, listed.stderr);
  const { entries } = listed.json<Doc>();
  assert.deepEqual(Object.keys(listed.json<Record<string, unknown>>()), ['entries']);
  assert.deepEqual(
    Object.keys(entries[0]!).sort(),
    ['at', 'durationMs', 'id', 'incidentId', 'outcome', 'params', 'profile', 'risk', 'rowCount', 'sql'].sort(),
  );
  assert.equal(entries[0]!.sql, 'SELECT count(*) FROM accounts');
  assert.equal(entries[1]!.sql, 'SELECT id, email FROM accounts ORDER BY id');
  assert.equal(entries[1]!.rowCount, 3);
  assert.equal(entries[1]!.outcome, 'ok');
  assert.equal(entries[1]!.risk, 'read');
  assert.equal(entries[1]!.profile, 'staging');
  assert.ok(typeof entries[1]!.durationMs === 'number');
  assert.ok(
    typeof entries[1]!.incidentId === 'string' && entries[1]!.incidentId.length > 0,
    'the run belongs to the incident (or session) it was recorded in',
  );
  assert.ok(Date.parse(String(entries[0]!.at)) >= Date.parse(String(entries[1]!.at)));
});

test('secret template parameters and passwords in SQL are kept redacted', async () => {
  await temp.core.invoke('sql.run', {
    profileId: ids.staging!,
    template: { name: 'by token' },
    params: { token: 'hunter2-secret-token' },
  });
  await temp.core
    .invoke('sql.run', {
      profileId: ids.staging!,
      sql: "SELECT 1 WHERE 'x' = 'y'; ALTER ROLE nobody PASSWORD 'pw-in-sql-123'",
    })
    .catch(() => undefined);
  const { entries } = (await cli(['sql', 'history', '--limit', '5', '--json'])).json<Doc>();
  const text = JSON.stringify(entries);
  assert.doesNotMatch(text, /hunter2-secret-token/);
  assert.doesNotMatch(text, /pw-in-sql-123/);
  const template = entries.find((e) => String(e.sql).includes('token = $1'))!;
  assert.deepEqual(template.params, [{ name: 'token', value: '[redacted]', secret: true }]);
});

test('a refused write on a read-only profile is in the history as refused', async () => {
  const result = await temp.core.invoke('sql.run', { profileId: ids['prod-ro']!, sql: 'DELETE FROM accounts' });
  assert.equal(result.outcome, 'refused');
  const { entries } = await temp.core.invoke('sqlHistory.search', { profileId: ids['prod-ro']! });
  assert.equal(entries.length, 1);
  assert.equal(entries[0]!.outcome, 'refused');
  assert.equal(entries[0]!.risk, result.risk);
  assert.equal(entries[0]!.operator, 'tester');
  assert.equal((await direct.query('SELECT count(*)::int AS n FROM accounts')).rows[0].n, 3);
});

test('search by text (any case, wildcards literal), outcome, date and limit', async () => {
  await temp.core.invoke('sql.run', {
    profileId: ids.staging!,
    sql: "SELECT email FROM accounts WHERE email LIKE '%_x%'",
  });
  const byText = await temp.core.invoke('sqlHistory.search', { grep: 'from ACCOUNTS where email' });
  assert.equal(byText.entries.length, 1);
  assert.equal((await temp.core.invoke('sqlHistory.search', { grep: "'%_x%'" })).entries.length, 1);
  assert.equal(
    (await temp.core.invoke('sqlHistory.search', { grep: '%' })).entries.length,
    1,
    'a short text is matched literally too',
  );
  assert.equal((await temp.core.invoke('sqlHistory.search', { grep: 'no such text anywhere' })).entries.length, 0);
  assert.ok(
    (await temp.core.invoke('sqlHistory.search', { outcome: 'refused' })).entries.every((e) => e.outcome === 'refused'),
  );
  assert.equal((await temp.core.invoke('sqlHistory.search', { since: '2999-01-01' })).entries.length, 0);
  assert.ok((await temp.core.invoke('sqlHistory.search', { since: '2000-01-01T00:00:00Z' })).entries.length >= 4);
  assert.equal((await cli(['sql', 'history', '--limit', '2', '--json'])).json<Doc>().entries.length, 2);
  const grep = (await cli(['sql', 'history', '--grep', 'count(*)', '--json'])).json<Doc>().entries;
  assert.deepEqual(
    grep.map((e) => e.sql),
    ['SELECT count(*) FROM accounts'],
  );
});

test('bad flags exit 2 naming the flag and the fix', async () => {
  const since = await cli(['sql', 'history', '--since', 'yesterday', '--json']);
  assert.equal(since.code, 2);
  assert.match(since.stdout, /since/);
  assert.match(since.stdout, /ISO 8601/);
  const limit = await cli(['sql', 'history', '--limit', 'lots', '--json']);
  assert.equal(limit.code, 2);
  assert.match(limit.stdout, /--limit/);
});

test('retention prunes old entries and --clear clears one profile or all', async () => {
  // A second connection to the same store, as a CLI process beside the app would have.
  const db = openDatabase(join(temp.dataDir, 'opsconsole.db'));
  const history = new HistoryRepository(db, () => 90);
  history.append({
    at: '2001-01-01T00:00:00.000Z',
    profile: 'staging',
    profileId: ids.staging!,
    operator: 'old',
    sql: 'SELECT ancient',
    params: [],
    risk: 'read',
    outcome: 'ok',
    rowCount: 1,
    durationMs: 1,
    incidentId: null,
  });
  assert.equal((await temp.core.invoke('sqlHistory.search', { grep: 'ancient' })).entries.length, 1);
  assert.equal(history.prune(), 1, 'older than 90 days: pruned');
  assert.equal((await temp.core.invoke('sqlHistory.search', { grep: 'ancient' })).entries.length, 0);
  db.close();

  const cleared = await cli(['sql', 'history', '--clear', '--profile', 'prod-ro', '--json']);
  assert.equal(cleared.code, 0, cleared.stderr);
  assert.deepEqual(cleared.json(), { cleared: 1 });
  assert.equal((await temp.core.invoke('sqlHistory.search', { profileId: ids['prod-ro']! })).entries.length, 0);
  assert.ok((await temp.core.invoke('sqlHistory.search', { profileId: ids.staging! })).entries.length > 0);
  assert.equal((await cli(['sql', 'history', '--clear', '--json'])).code, 0);
  assert.equal((await temp.core.invoke('sqlHistory.search', {})).entries.length, 0);
});
