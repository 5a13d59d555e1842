import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatRows } from '../../src/renderer/src/components/sql/copy-format';

const fields = [{ name: 'id', type: 'int4' }, { name: 'label', type: 'text' }];
const rows: (string | null)[][] = [['1', 'a, "b"'], ['2', null], ['3', 'NULL'], ['4', ''], ['5', 'x|y\nz']];

test('CSV: quotes what needs it; NULL empty, empty string quoted, the string NULL as is', () => {
  assert.equal(formatRows('csv', fields, rows), 'id,label\n1,"a, ""b"""\n2,\n3,NULL\n4,""\n5,"x|y\nz"\n');
});

test('Markdown: pipes escaped, newlines as <br>, NULL in italics unlike the string NULL', () => {
  assert.equal(formatRows('markdown', fields, rows), '| id | label |\n| --- | --- |\n| 1 | a, "b" |\n| 2 | *NULL* |\n| 3 | NULL |\n| 4 |  |\n| 5 | x\\|y<br>z |\n');
});

test('JSON: objects by column name, null for NULL, a repeated name made unique', () => {
  const parsed = JSON.parse(formatRows('json', [...fields, { name: 'id', type: 'int8' }], [['1', null, '9']]));
  assert.deepEqual(parsed, [{ id: '1', label: null, id_3: '9' }]);
});
