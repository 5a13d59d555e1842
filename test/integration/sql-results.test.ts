import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import pg from 'pg';
import type { SqlResultStatus } from '../../src/shared/contract';
import { startPostgres, startSshd, type PostgresServer, type SshdServer } from '../harness/index';
import { harnessProfile } from '../support/profiles';
import { runCli } from '../support/cli';
import { tempCore, type TempCore } from '../support/temp-core';

let pgServer: PostgresServer;
let sshd: SshdServer;
let temp: TempCore;
let direct: pg.Client;
let profileId: string;
let outDir: string;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const tricky = `CREATE TABLE tricky (id int PRIMARY KEY, label text, n numeric, flag bool, at timestamptz);
INSERT INTO tricky VALUES
  (1, 'plain', 1.50, true, '2026-01-02 03:04:05+00'),
  (2, 'has "quotes"', NULL, false, NULL),
  (3, 'comma, inside', -2, NULL, '2026-06-01 00:00:00+02'),
  (4, E'line\\nbreak and \\r return', 0, true, NULL),
  (5, 'ünïcødé ✓ 日本語', 3e10, false, NULL),
  (6, NULL, NULL, NULL, NULL),
  (7, '', 7, true, NULL),
  (8, 'NULL', 8, true, NULL),
  (9, E'\\\\.', 9, true, NULL)`;

async function finished(resultId: string): Promise<SqlResultStatus> {
  for (;;) {
    const window = await temp.core.invoke('sql.readWindow', { resultId, offset: 0, limit: 1 });
    if (window.status.done) return window.status;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

before(async () => {
  [pgServer, sshd] = await Promise.all([startPostgres(), startSshd()]);
  temp = tempCore({ hostKeyPrompter: { ask: async () => true } });
  direct = new pg.Client({ connectionString: pgServer.connectionString() });
  await direct.connect();
  await direct.query(tricky);
  const saved = await temp.core.invoke('profiles.save', {
    profile: harnessProfile('staging', { sshd, pg: pgServer }, 'staging', { postgres: { rowCap: 5 } }),
  });
  profileId = saved.id;
  outDir = mkdtempSync(join(tmpdir(), 'opsconsole-export-'));
});
after(async () => {
  await direct?.end();
  await temp?.dispose();
  await Promise.all([pgServer?.stop(), sshd?.dispose()]);
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

describe('streamed results', () => {
  test('NULL comes back as null, distinct from the string NULL; types named', async () => {
    const info = await temp.core.invoke('sql.openResult', {
      profileId,
      sql: "SELECT NULL::text AS a, 'NULL'::text AS b, 1::int8 AS c",
    });
    assert.deepEqual(info.fields, [
      { name: 'a', type: 'text' },
      { name: 'b', type: 'text' },
      { name: 'c', type: 'int8' },
    ]);
    await finished(info.resultId);
    const window = await temp.core.invoke('sql.readWindow', { resultId: info.resultId, offset: 0, limit: 10 });
    assert.deepEqual(window.rows, [[null, 'NULL', '1']]);
    assert.deepEqual(await temp.core.invoke('sql.closeResult', { resultId: info.resultId }), { closed: true });
    await assert.rejects(temp.core.invoke('sql.readWindow', { resultId: info.resultId, offset: 0, limit: 1 }), {
      code: 'not_found',
    });
  });

  test('a million rows stream past the row cap and the memory bound; any window reads back; sort and filter over all of them', async () => {
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    const info = await temp.core.invoke('sql.openResult', {
      profileId,
      sql: "SELECT g AS id, 'row ' || g AS label, md5(g::text) AS hash FROM generate_series(1, 1000000) g",
    });
    assert.ok(info.status.rowCount > 0 && info.status.rowCount < 1_000_000, 'answers once the first batch is in');
    const status = await finished(info.resultId);
    assert.equal(status.rowCount, 1_000_000);
    assert.ok(status.firstRowMs > 0 && status.firstRowMs <= status.durationMs);
    gc();
    const heapGrowth = process.memoryUsage().heapUsed - heapBefore;
    console.error(
      `1M rows: first row ${status.firstRowMs} ms, all ${status.durationMs} ms, heap +${Math.round(heapGrowth / 1e6)} MB`,
    );
    assert.ok(
      heapGrowth < 64 * 1024 * 1024 + 100 * 1024 * 1024,
      `heap grew ${Math.round(heapGrowth / 1e6)} MB: the rest must spill`,
    );
    const last = await temp.core.invoke('sql.readWindow', { resultId: info.resultId, offset: 999_998, limit: 10 });
    assert.deepEqual(
      last.rows.map((r) => r[0]),
      ['999999', '1000000'],
    );
    const middle = await temp.core.invoke('sql.readWindow', { resultId: info.resultId, offset: 654_320, limit: 3 });
    assert.deepEqual(
      middle.rows.map((r) => r[1]),
      ['row 654321', 'row 654322', 'row 654323'],
    );
    const sorted = await temp.core.invoke('sql.readWindow', {
      resultId: info.resultId,
      offset: 0,
      limit: 2,
      sort: { column: 0, direction: 'desc' },
    });
    assert.deepEqual(
      sorted.rows.map((r) => r[0]),
      ['1000000', '999999'],
      'numbers sort as numbers',
    );
    const filtered = await temp.core.invoke('sql.readWindow', {
      resultId: info.resultId,
      offset: 0,
      limit: 20,
      filter: 'ROW 99999',
    });
    assert.equal(filtered.viewCount, 11, 'row 99999 and row 999990…999999');
    await temp.core.invoke('sql.closeResult', { resultId: info.resultId });
  });

  test('writes and several statements are refused; closing mid-stream stops it', async () => {
    await assert.rejects(temp.core.invoke('sql.openResult', { profileId, sql: 'DELETE FROM tricky' }), {
      code: 'invalid_input',
      message: /not a read/,
    });
    await assert.rejects(temp.core.invoke('sql.openResult', { profileId, sql: 'SELECT 1; SELECT 2' }), {
      code: 'invalid_input',
    });
    const info = await temp.core.invoke('sql.openResult', {
      profileId,
      sql: 'SELECT a, b FROM generate_series(1, 100000) a, generate_series(1, 100000) b',
    });
    const closing = temp.core.invoke('sql.closeResult', { resultId: info.resultId });
    assert.deepEqual(await closing, { closed: true });
    const after = await temp.core.invoke('sql.openResult', { profileId, sql: 'SELECT 42' });
    await finished(after.resultId);
    assert.deepEqual(
      (await temp.core.invoke('sql.readWindow', { resultId: after.resultId, offset: 0, limit: 1 })).rows,
      [['42']],
      'the connection is usable after the stop',
    );
  });
});

describe('exports', () => {
  const query = 'SELECT * FROM tricky ORDER BY id';
  /** The newest sql.export events of the active incident (every action is recorded in one). */
  const exportEvents = async () => {
    const active = await temp.core.invoke('incidents.active', {});
    assert.ok(active, 'the first action opened a session');
    return (await temp.core.invoke('incidents.events', { id: active.id, limit: 10_000 }))
      .filter((e) => e.kind === 'sql.export')
      .map((e) => e.payload);
  };

  test('raw CSV is byte for byte what psql \\copy writes (quotes, commas, newlines, unicode, NULL, empty)', async () => {
    const ours = join(outDir, 'ours.csv');
    const theirs = join(outDir, 'psql.csv');
    const result = await temp.core.invoke('sql.export', {
      profileId,
      sql: query,
      format: 'csv',
      path: ours,
      csvRaw: true,
    });
    assert.equal(result.outcome, 'ok');
    assert.equal(result.rows, 9);
    execFileSync('psql', [
      pgServer.connectionString(),
      '-v',
      'ON_ERROR_STOP=1',
      '-q',
      '-c',
      `\\copy (${query}) to '${theirs}' with (format csv, header)`,
    ]);
    assert.equal(readFileSync(ours).toString('hex'), readFileSync(theirs).toString('hex'));
    const recorded = (await exportEvents()).at(-1)!;
    assert.deepEqual(
      {
        sql: recorded.sql,
        format: recorded.format,
        path: recorded.path,
        rows: recorded.rows,
        bytes: recorded.bytes,
        outcome: recorded.outcome,
        risk: recorded.risk,
      },
      { sql: query, format: 'csv', path: ours, rows: 9, bytes: readFileSync(ours).length, outcome: 'ok', risk: 'read' },
      'the export is an event of its own on the timeline',
    );
    await assert.rejects(temp.core.invoke('sql.export', { profileId, sql: query, format: 'csv', path: ours }), {
      code: 'conflict',
    });
  });

  test('spreadsheet formula cells are neutralised in COPY and cursor CSV alike; --csv-raw keeps them', async () => {
    const formulas = `SELECT * FROM (VALUES (1, '=cmd|'' /C calc''!A0', '+1'), (2, '-2', '@SUM(A1)'), (3, E'\\tx', E'\\ry'), (4, '="quoted, "" one"', 'ok = fine')) AS t(id, a, b) ORDER BY id`;
    const viaCopy = join(outDir, 'formulas.csv');
    await temp.core.invoke('sql.export', { profileId, sql: formulas, format: 'csv', path: viaCopy });
    const expected = `id,a,b\n1,'=cmd|' /C calc'!A0,'+1\n2,'-2,'@SUM(A1)\n3,'\tx,"'\ry"\n4,"'=""quoted, """" one""",ok = fine\n`;
    assert.equal(readFileSync(viaCopy, 'utf8'), expected);
    await temp.core.invoke('templates.save', {
      template: {
        name: 'formulas',
        sql: formulas.replace('ORDER BY id', 'WHERE id >= $1 ORDER BY id'),
        params: [{ name: 'from', type: 'int' }],
      },
    });
    const viaCursor = join(outDir, 'formulas-cursor.csv');
    await temp.core.invoke('sql.export', {
      profileId,
      template: { name: 'formulas' },
      params: { from: '0' },
      format: 'csv',
      path: viaCursor,
    });
    assert.equal(readFileSync(viaCursor, 'utf8'), expected, 'the cursor path writes the same bytes');
    const raw = join(outDir, 'formulas-raw.csv');
    const cli = await runCli(temp.dataDir, [
      'sql',
      'export',
      '--profile',
      'staging',
      '--format',
      'csv',
      '--out',
      raw,
      '--csv-raw',
      formulas,
      '--json',
    ]);
    assert.equal(cli.code, 0, cli.stderr);
    assert.match(readFileSync(raw, 'utf8'), /^1,=cmd\|' \/C calc'!A0,\+1$/m);
  });

  test('a template with bound values exports the same CSV through the cursor', async () => {
    await temp.core.invoke('templates.save', {
      template: {
        name: 'tricky from',
        sql: 'SELECT * FROM tricky WHERE id >= $1 ORDER BY id',
        params: [{ name: 'from', type: 'int' }],
      },
    });
    const ours = join(outDir, 'template.csv');
    await temp.core.invoke('sql.export', {
      profileId,
      template: { name: 'tricky from' },
      params: { from: '0' },
      format: 'csv',
      path: ours,
      csvRaw: true,
    });
    const theirs = join(outDir, 'psql.csv');
    assert.equal(readFileSync(ours, 'utf8'), readFileSync(theirs, 'utf8'));
  });

  test('JSON Lines keep types and NULL', async () => {
    const path = join(outDir, 'rows.jsonl');
    const result = await temp.core.invoke('sql.export', { profileId, sql: query, format: 'jsonl', path });
    const lines = readFileSync(path, 'utf8')
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    assert.equal(result.rows, 9);
    assert.deepEqual(lines[0], { id: 1, label: 'plain', n: 1.5, flag: true, at: '2026-01-02T03:04:05+00:00' });
    assert.equal(lines[5].label, null);
    assert.equal(lines[7].label, 'NULL');
    assert.equal(lines[3].label, 'line\nbreak and \r return');
  });

  test('a cancelled export leaves no file, unless asked to keep the partial one', async () => {
    const progress: number[] = [];
    const unsubscribe = temp.core.subscribe((name, payload) => {
      if (name === 'onSqlExportProgress') progress.push((payload as { bytes: number }).bytes);
    });
    for (const keepPartial of [false, true]) {
      const path = join(outDir, `big-${keepPartial}.csv`);
      const exportId = `cancel-${keepPartial}`;
      const running = temp.core.invoke('sql.export', {
        profileId,
        sql: "SELECT a, b, repeat('x', 50) FROM generate_series(1, 100000) a, generate_series(1, 100000) b",
        format: 'csv',
        path,
        exportId,
        keepPartial,
      });
      while (!progress.some((bytes) => bytes > 0)) await new Promise((resolve) => setTimeout(resolve, 50));
      assert.deepEqual(await temp.core.invoke('sql.cancelExport', { exportId }), { cancelled: true });
      const result = await running;
      assert.equal(result.outcome, 'cancelled');
      assert.equal(existsSync(path), false);
      assert.equal(existsSync(`${path}.partial`), keepPartial);
      const recorded = (await exportEvents()).at(-1)!;
      assert.equal(recorded.outcome, 'cancelled');
      assert.equal(recorded.keptPartial, keepPartial);
      progress.length = 0;
    }
    unsubscribe();
  });
});

test('the catalog lists a table created in the test, refreshed on demand', async () => {
  const first = await temp.core.invoke('sql.catalog', { profileId });
  assert.ok(
    first.tables.some((t) => t.name === 'tricky' && t.columns.some((c) => c.name === 'label' && c.type === 'text')),
  );
  await direct.query('CREATE TABLE created_later (answer int)');
  assert.equal(
    (await temp.core.invoke('sql.catalog', { profileId })).tables.some((t) => t.name === 'created_later'),
    false,
    'cached',
  );
  assert.ok(
    (await temp.core.invoke('sql.catalog', { profileId, refresh: true })).tables.some(
      (t) => t.name === 'created_later',
    ),
  );
});

test('CLI: sql export of a million rows as CSV and JSON Lines, --json shape, bad input exits 2', async () => {
  const csv = join(outDir, 'cli-1m.csv');
  const sql = "SELECT g AS id, 'row ' || g AS label, g % 7 = 0 AS lucky FROM generate_series(1, 1000000) g";
  const run = await runCli(temp.dataDir, [
    'sql',
    'export',
    '--profile',
    'staging',
    '--format',
    'csv',
    '--out',
    csv,
    sql,
    '--json',
  ]);
  assert.equal(run.code, 0, run.stderr);
  const result = run.json<{ rows: number; path: string; format: string; outcome: string; bytes: number }>();
  assert.deepEqual(
    { rows: result.rows, path: result.path, format: result.format, outcome: result.outcome },
    { rows: 1_000_000, path: csv, format: 'csv', outcome: 'ok' },
  );
  const text = readFileSync(csv, 'utf8');
  assert.equal(result.bytes, Buffer.byteLength(text));
  assert.ok(text.startsWith('id,label,lucky\n1,row 1,f\n') && text.endsWith('1000000,row 1000000,f\n'));
  const jsonl = join(outDir, 'cli-tricky.jsonl');
  const template = await runCli(temp.dataDir, [
    'sql',
    'export',
    '--profile',
    'staging',
    '--format',
    'jsonl',
    '--out',
    jsonl,
    '--template',
    'tricky from',
    '--param',
    'from=8',
    '--json',
  ]);
  assert.equal(template.code, 0, template.stderr);
  assert.deepEqual(
    readFileSync(jsonl, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l).label),
    ['NULL', '\\.'],
  );
  const bad = await runCli(temp.dataDir, [
    'sql',
    'export',
    '--profile',
    'staging',
    '--format',
    'xlsx',
    '--out',
    csv,
    'SELECT 1',
    '--json',
  ]);
  assert.equal(bad.code, 2);
  assert.equal(bad.json<{ ok: boolean; error: { code: string } }>().error.code, 'invalid_input');
  const write = await runCli(temp.dataDir, [
    'sql',
    'export',
    '--profile',
    'staging',
    '--format',
    'csv',
    '--out',
    join(outDir, 'w.csv'),
    'DELETE FROM tricky',
    '--json',
  ]);
  assert.equal(write.code, 2);
  assert.match(write.json<{ error: { message: string } }>().error.message, /not a read/);
});
