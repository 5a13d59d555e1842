import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseQueryFile } from '../../src/main/templates/query-file';
import { loadQueryFolder } from '../../src/main/templates/query-folder';

const parse = (text: string) => parseQueryFile('/q/orders-by-customer.sql', 'orders-by-customer.sql', text);

test('a good header: name, description lines, typed params with flags and defaults, the SQL below', () => {
  const view = parse(
    [
      '-- name: Orders of a customer',
      '-- description: Latest orders first.',
      '-- description: Read-only.',
      '-- a plain comment is fine',
      '-- param: customer_id bigint',
      '-- param: since timestamptz default=2026-01-01 00:00',
      '-- param: token text secret',
      '-- param: statuses text list optional',
      '',
      'SELECT * FROM orders',
      'WHERE customer_id = $1 AND created_at > $2 AND token = $3 AND status = ANY($4)',
    ].join('\n'),
  );
  assert.equal(view.error, undefined);
  assert.equal(view.name, 'Orders of a customer');
  assert.equal(view.description, 'Latest orders first.\nRead-only.');
  assert.equal(view.source, 'file');
  assert.equal(view.id, 'file:orders-by-customer.sql');
  assert.equal(
    view.sql,
    'SELECT * FROM orders\nWHERE customer_id = $1 AND created_at > $2 AND token = $3 AND status = ANY($4)',
  );
  assert.deepEqual(
    view.params.map((p) => [p.name, p.type, p.list, p.secret, p.required, p.default]),
    [
      ['customer_id', 'bigint', false, false, true, undefined],
      ['since', 'timestamptz', false, false, false, '2026-01-01 00:00'],
      ['token', 'text', false, true, true, undefined],
      ['statuses', 'text', true, false, false, undefined],
    ],
  );
});

test('without a name line the file name names it; CRLF and a BOM are read', () => {
  const view = parse('\uFEFF-- param: id int\r\nSELECT $1::int\r\n');
  assert.equal(view.error, undefined);
  assert.equal(view.name, 'orders-by-customer');
  assert.equal(view.sql, 'SELECT $1::int');
});

test('bad headers are reported with their line and the fix, never skipped', () => {
  const cases: [string, RegExp][] = [
    ['-- name: x\n-- param: id integer\nSELECT $1', /line 2: param id\.type must be one of text, int/],
    ['-- param: token text secret default=abc\nSELECT $1', /line 1: param token is secret and cannot have a default/],
    ['-- nmae: typo\nSELECT 1', /line 1: "nmae" is not a header field: use name, description or param/],
    ['-- param: id\nSELECT $1', /line 1: param needs a name and a type/],
    ['-- param: id int loud\nSELECT $1', /line 1: param id: "loud" is not a flag/],
    ['-- param: id int\nSELECT $1, $2', /line 2: the SQL uses \$2 but the header declares 1 param line/],
    ['-- param: id int\n-- param: id text\nSELECT $1, $2', /line 2: param id is declared twice/],
    ['-- name: only a header\n', /there is no SQL below the header/],
    ['-- param: 1abc int\nSELECT $1', /line 1: param 1abc\.name must be a name/],
  ];
  for (const [text, expected] of cases) {
    const view = parse(text);
    assert.match(view.error ?? '', expected, text);
    assert.match(view.error ?? '', /^orders-by-customer\.sql line \d+/, 'the error names the file');
  }
});

test('a folder: subfolders read, hidden ones and other files skipped, a taken name and a huge file listed with their error', () => {
  const dir = mkdtempSync(join(tmpdir(), 'opsconsole-queries-'));
  try {
    mkdirSync(join(dir, 'billing'));
    mkdirSync(join(dir, '.git'));
    writeFileSync(join(dir, 'a.sql'), '-- name: Same\nSELECT 1');
    writeFileSync(join(dir, 'billing', 'b.sql'), '-- name: same\nSELECT 2');
    writeFileSync(join(dir, '.git', 'c.sql'), 'SELECT 3');
    writeFileSync(join(dir, 'notes.txt'), 'not a query');
    writeFileSync(join(dir, 'huge.sql'), `SELECT '${'x'.repeat(1024 * 1024)}'`);
    const views = loadQueryFolder(dir);
    assert.deepEqual(
      views.map((v) => v.id),
      ['file:a.sql', 'file:billing/b.sql', 'file:huge.sql'],
    );
    assert.equal(views[0]!.error, undefined);
    assert.match(views[1]!.error ?? '', /the name "same" is already used by a\.sql/);
    assert.match(views[2]!.error ?? '', /at most 1 MB/);
    assert.deepEqual(loadQueryFolder(join(dir, 'missing')), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
