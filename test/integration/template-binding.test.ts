import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { startPostgres, type PostgresServer } from '../harness/index';
import { tempCore, type TempCore } from '../support/temp-core';
import { catalogLookupText } from '../../src/main/sql/catalog-lookup';
import { readOnlySetupText } from '../../src/main/postgres/read-only-transaction';

let pgServer: PostgresServer;
let temp: TempCore;
let direct: pg.Client;
let profileId: string;

const template = 'SELECT $1::text AS echoed, length($1::text) AS chars, (SELECT count(*) FROM items) AS items';

before(async () => {
  pgServer = await startPostgres({ config: ["log_statement = 'all'"] });
  temp = tempCore();
  direct = new pg.Client({ connectionString: pgServer.connectionString() });
  await direct.connect();
  await direct.query('CREATE TABLE items (id int PRIMARY KEY, name text)');
  await direct.query("INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 3) g");
  await direct.query(`CREATE TABLE "we""ird; DROP TABLE items;--" (a int)`);
  const profile = await temp.core.invoke('profiles.save', {
    profile: {
      name: 'local',
      environment: 'development',
      postgres: { host: '127.0.0.1', port: pgServer.port, database: pgServer.database, user: pgServer.user },
      secrets: { pgPassword: { set: pgServer.password } },
    },
  });
  profileId = profile.id;
  await temp.core.invoke('templates.save', {
    template: { name: 'echo', sql: template, params: [{ name: 'value', type: 'text' }] },
  });
  await temp.core.invoke('templates.save', {
    template: {
      name: 'count rows',
      sql: 'SELECT count(*) AS n FROM $1 WHERE $2::int > 0',
      params: [
        { name: 'table', type: 'identifier' },
        { name: 'min', type: 'int', default: '1' },
      ],
    },
  });
});
after(async () => {
  await direct?.end();
  await temp?.dispose();
  await pgServer?.stop();
});

function hostileValues(): string[] {
  const bases = [
    "'",
    "''",
    "'; DROP TABLE items; --",
    "'); DELETE FROM items; --",
    "' OR '1'='1",
    '"',
    '""; DROP TABLE items',
    '\\',
    "\\'",
    "E'\\''",
    '--',
    '/*',
    '*/',
    '/* */ DROP TABLE items',
    '$$',
    '$$; DROP TABLE items; $$',
    '$tag$',
    '$tag$ DROP TABLE items $tag$',
    '$1',
    '$2; DROP TABLE items',
    ';',
    'COMMIT; DROP TABLE items',
    'ROLLBACK; TRUNCATE items',
    '\n; DROP TABLE items',
    '\r\n--',
    '\t',
    '%s%s%s',
    '{}',
    '{"a":1}',
    '\\x00',
    'ʼ; DROP TABLE items',
    '＇; DROP TABLE items',
    '\u2028',
    '\u200b',
    'e\u0301',
    '😀💥',
    'שלום',
    'Ω≈ç√',
    'NULL',
  ];
  const suffixes = ['', ' ', "'", '--', ';'];
  const values = new Set<string>();
  for (const base of bases) for (const suffix of suffixes) values.add(base + suffix);
  values.add('x'.repeat(1024 * 1024));
  values.add("'".repeat(1024 * 1024));
  return [...values];
}

/** Log entries (statement texts) written since `offset`, in order. */
function statementsLogged(offset: number): string[] {
  const text = readFileSync(pgServer.logFile, 'utf8').slice(offset);
  const entries = text.split(/\n(?=\d{4}-\d{2}-\d{2} )/);
  return entries.flatMap((entry) => {
    const m = /LOG:\s+(?:statement|execute [^:]*): ([\s\S]*)$/.exec(entry);
    return m ? [m[1]!.replace(/\n$/, '')] : [];
  });
}

test('at least 100 hostile parameter values never change the statement: only the template ran, with binds', async () => {
  const values = hostileValues();
  assert.ok(values.length >= 100, `${values.length} values`);
  const offset = statSync(pgServer.logFile).size;
  let ran = 0;
  for (const value of values) {
    const result = await temp.core.invoke('sql.run', { profileId, template: { name: 'echo' }, params: { value } });
    assert.equal(result.outcome, 'read');
    assert.equal(result.statements[0]!.rows[0]![0], value, 'the value comes back unchanged');
    assert.equal(result.statements[0]!.rows[0]![2], '3', 'items untouched');
    ran++;
  }
  await assert.rejects(
    temp.core.invoke('sql.run', {
      profileId,
      template: { name: 'echo' },
      params: { value: "a\u0000'; DROP TABLE items" },
    }),
    /params\.value contains a NUL/,
  );
  await assert.rejects(
    temp.core.invoke('sql.run', {
      profileId,
      template: { name: 'echo' },
      params: { value: "\ud83d'; DROP TABLE items" },
    }),
    /params\.value contains a broken/,
  );
  await new Promise((r) => setTimeout(r, 300)); // the logger flushes asynchronously
  const logged = statementsLogged(offset);
  const declared = `DECLARE opsconsole_rows NO SCROLL CURSOR FOR ${template}`;
  const templates = logged.filter((s) => s === declared);
  assert.equal(templates.length, ran, 'the template ran once per value (read through a capped cursor)');
  const flat = (text: string) => text.replace(/\s+/g, ' ').trim();
  const wrapper = new Set([readOnlySetupText, catalogLookupText].map(flat));
  const others = logged.filter(
    (s) =>
      s !== declared &&
      !wrapper.has(flat(s)) &&
      !/^(BEGIN READ ONLY|FETCH FORWARD \d+ FROM opsconsole_rows|CLOSE opsconsole_rows|ROLLBACK)$/.test(s),
  );
  assert.deepEqual(
    others,
    [],
    'nothing but the template, the read-only wrapper and the catalog lookup reached the server',
  );
  const log = readFileSync(pgServer.logFile, 'utf8').slice(offset);
  assert.match(log, /DETAIL:\s+Parameters: \$1 = '''; DROP TABLE items; --'/i, 'the value travelled as a bind');
  assert.equal(Number((await direct.query('SELECT count(*) AS n FROM items')).rows[0].n), 3);
});

test('identifiers are checked against the catalog and quoted; unknown ones are refused before anything runs', async () => {
  const offset = statSync(pgServer.logFile).size;
  const result = await temp.core.invoke('sql.run', {
    profileId,
    template: { name: 'count rows' },
    params: { table: 'we"ird; DROP TABLE items;--' },
  });
  assert.equal(result.outcome, 'read');
  assert.deepEqual(result.statements[0]!.rows, [['0']]);
  assert.equal(
    result.statements[0]!.text,
    'SELECT count(*) AS n FROM "we""ird; DROP TABLE items;--" WHERE $1::int > 0',
  );
  await assert.rejects(
    temp.core.invoke('sql.run', {
      profileId,
      template: { name: 'count rows' },
      params: { table: 'items; DROP TABLE items' },
    }),
    /names no table/,
  );
  await assert.rejects(
    temp.core.invoke('sql.run', {
      profileId,
      template: { name: 'count rows' },
      params: { table: 'items', min: '1; DROP' },
    }),
    /params\.min must be a whole number/,
  );
  await new Promise((r) => setTimeout(r, 300));
  assert.ok(
    statementsLogged(offset).every((s) => !/DROP TABLE items'?$/.test(s) || s.includes('"we""ird')),
    'no spliced text',
  );
  assert.equal(Number((await direct.query('SELECT count(*) AS n FROM items')).rows[0].n), 3);
});

test('enum from a read-only query and lists bound as arrays', async () => {
  await temp.core.invoke('templates.save', {
    template: {
      name: 'by names',
      sql: 'SELECT id FROM items WHERE name = ANY($1::text[]) AND $2::text IS NOT NULL ORDER BY id',
      params: [
        { name: 'names', type: 'text', list: true },
        { name: 'pick', type: 'enum', enumQuery: 'SELECT name FROM items ORDER BY id' },
      ],
    },
  });
  const values = await temp.core.invoke('templates.enumValues', {
    profileId,
    template: { name: 'by names' },
    param: 'pick',
  });
  assert.deepEqual(values, ['item 1', 'item 2', 'item 3']);
  const result = await temp.core.invoke('sql.run', {
    profileId,
    template: { name: 'by names' },
    params: { names: 'item 1, item 3', pick: 'item 2' },
  });
  assert.deepEqual(
    result.statements[0]!.rows,
    [[1], [3]].map((r) => r.map(String)),
  );
  await assert.rejects(
    temp.core.invoke('sql.run', { profileId, template: { name: 'by names' }, params: { names: 'x', pick: 'nope' } }),
    /params\.pick must be one of item 1, item 2, item 3/,
  );
});

test('secret parameters are bound but recorded as [redacted]', async () => {
  await temp.core.invoke('templates.save', {
    template: {
      name: 'check token',
      sql: 'SELECT length($1::text) AS chars',
      params: [{ name: 'token', type: 'text', secret: true }],
    },
  });
  const result = await temp.core.invoke('sql.run', {
    profileId,
    template: { name: 'check token' },
    params: { token: 'hunter2-xyz' },
  });
  assert.deepEqual(result.statements[0]!.rows, [['11']], 'the real value was bound');
  assert.deepEqual(result.parameters, [{ name: 'token', value: '[redacted]', secret: true }]);
  const active = await temp.core.invoke('incidents.active', {});
  const events = await temp.core.invoke('incidents.events', { id: active!.id, limit: 10_000 });
  const recorded = events.filter(
    (e) => e.kind === 'sql.run' && (e.payload.parameters as { name: string }[] | undefined)?.[0]?.name === 'token',
  );
  assert.equal(recorded.length, 1);
  assert.deepEqual(recorded[0]!.payload.parameters, [{ name: 'token', value: '[redacted]', secret: true }]);
  assert.equal(JSON.stringify(events).includes('hunter2-xyz'), false, 'the secret is nowhere in the timeline');
});
