import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Budget, defaultLimits } from '../../src/assistants/limits';
import { maskTable, textTable, toCallResult } from '../../src/assistants/reply';

test('Budget: calls per profile per minute, a sliding window, profiles apart', () => {
  let now = 0;
  const budget = new Budget({ ...defaultLimits, callsPerMinute: 2, rowsPerMinute: 100 }, () => now);
  budget.takeCall('a');
  budget.takeCall('a');
  assert.throws(() => budget.takeCall('a'), /Call budget spent: 2 calls a minute on "a"\. Wait 60 s/);
  budget.takeCall('b');
  now = 60_001;
  budget.takeCall('a');
  budget.takeRows('a', 100);
  assert.throws(() => budget.rowsLeft('a'), /Row budget spent: 100 rows a minute on "a".*aggregate in SQL/);
  assert.equal(budget.rowsLeft('b'), 100);
});

test('maskTable: columns matching a pattern (case-insensitive substring) masked, NULL kept, long cells cut', async () => {
  const table = await maskTable(
    ['id', 'Email_Address', 'api_token', 'note'],
    [[1, 'a@b.c', null, 'x'.repeat(30)]],
    ['email', 'token'],
    10,
  );
  assert.deepEqual(table.rows, [[1, '[masked]', null, `${'x'.repeat(10)}… [cut at 10 characters]`]]);
  assert.deepEqual(table.maskedColumns, ['Email_Address', 'api_token']);
  assert.equal(table.cutCells, 1);
});

test('textTable escapes control bytes so a cell cannot fake a row', () => {
  assert.equal(textTable(['a'], [['x\ny'], [null]]), 'a\nx\\x0ay\nNULL');
});

test('toCallResult: redacted everywhere, and never over the byte limit', () => {
  const redact = (t: string) => t.replaceAll('hunter2', '[redacted]');
  const small = toCallResult({ data: { rows: [['hunter2']], columns: ['p'] }, text: 'hunter2' }, redact, 10_000);
  assert.ok(!JSON.stringify(small).includes('hunter2'));
  const rows = Array.from({ length: 100 }, (_, i) => [i, 'y'.repeat(1000)]);
  const big = toCallResult({ data: { columns: ['i', 'y'], rows }, text: 'big' }, redact, 20_000);
  assert.ok(Buffer.byteLength(JSON.stringify(big)) <= 20_000);
  assert.match(String((big.structuredContent as { replyCut: string }).replyCut), /Reply cut to \d+ of 100 rows/);
  const hopeless = toCallResult({ data: { blob: 'z'.repeat(50_000) }, text: 'z' }, redact, 1000);
  assert.ok(Buffer.byteLength(JSON.stringify(hopeless)) <= 1000);
});
