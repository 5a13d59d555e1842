import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatRows } from '../../src/renderer/src/components/sql/copy-format';

const fields = [
  { name: 'id', type: 'int4' },
  { name: 'label', type: 'text' },
];
const rows: (string | null)[][] = [
  ['1', 'a, "b"'],
  ['2', null],
  ['3', 'NULL'],
  ['4', ''],
  ['5', 'x|y\nz'],
];

test('CSV: quotes what needs it; NULL empty, empty string quoted, the string NULL as is', () => {
  assert.equal(formatRows('csv', fields, rows), 'id,label\n1,"a, ""b"""\n2,\n3,NULL\n4,""\n5,"x|y\nz"\n');
});

test('Markdown: pipes escaped, newlines as <br>, NULL in italics unlike the string NULL', () => {
  assert.equal(
    formatRows('markdown', fields, rows),
    '| id | label |\n| --- | --- |\n| 1 | a, "b" |\n| 2 | *NULL* |\n| 3 | NULL |\n| 4 |  |\n| 5 | x\\|y<br>z |\n',
  );
});

test('JSON: objects by column name, null for NULL, a repeated name made unique', () => {
  const parsed = JSON.parse(formatRows('json', [...fields, { name: 'id', type: 'int8' }], [['1', null, '9']]));
  assert.deepEqual(parsed, [{ id: '1', label: null, id_3: '9' }]);
});

test('TSV: tabs, newlines and backslashes escaped; NULL empty; a formula neutralised', () => {
  const tsvRows: (string | null)[][] = [
    ['1', 'a\tb'],
    ['2', null],
    ['3', 'x\\y\nz'],
    ['4', '=HYPERLINK("http://x")'],
  ];
  const text = formatRows('tsv', fields, tsvRows);
  assert.equal(text.split('\n').slice(0, 4).join('\n'), 'id\tlabel\n1\ta\\tb\n2\t\n3\tx\\\\y\\nz');
  assert.doesNotMatch(text.split('\n')[4]!, /\t=/, 'the formula no longer starts the cell');
});

test('INSERT: one statement per row, names quoted, numbers and booleans bare, quotes doubled, NULL as NULL', () => {
  const typed = [
    { name: 'id', type: 'int8' },
    { name: 'Label', type: 'text' },
    { name: 'ok', type: 'bool' },
    { name: 'n', type: 'numeric' },
  ];
  assert.equal(
    formatRows('insert', typed, [
      ['1', "it's", 't', '1.50'],
      ['2', null, 'f', 'NaN'],
    ]),
    `INSERT INTO table_name ("id", "Label", "ok", "n") VALUES (1, 'it''s', true, 1.50);\nINSERT INTO table_name ("id", "Label", "ok", "n") VALUES (2, NULL, false, 'NaN');\n`,
  );
});
