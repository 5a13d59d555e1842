import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { test } from 'node:test';
import { RowStore } from '../../src/main/postgres/row-store';
import { ResultView } from '../../src/main/postgres/result-view';

const batch = (from: number, count: number) =>
  Array.from({ length: count }, (_, i) => [String(from + i), (from + i) % 2 ? null : 'NULL', `row ${from + i}`]);
const spillDirs = () => readdirSync(tmpdir()).filter((name) => name.startsWith('opsconsole-result-')).length;

test('memory holds rows up to the bound and no more; the rest spill to a temp file and read back exactly', () => {
  const store = new RowStore(256 * 1024);
  const before = spillDirs();
  for (let i = 0; i < 50; i++) store.append(batch(i * 4000, 4000));
  assert.equal(store.count, 200_000);
  assert.equal(store.spilled, true);
  assert.equal(spillDirs(), before + 1);
  // Windows across the memory/file boundary, block edges, and the very end.
  for (const offset of [0, 255, 1000, 1500, 1777, 65_535, 199_990]) {
    const rows = store.read(offset, 20);
    assert.deepEqual(rows, batch(offset, Math.min(20, 200_000 - offset)), `window at ${offset}`);
  }
  assert.deepEqual(store.read(200_000, 10), []);
  store.dispose();
  assert.equal(spillDirs(), before, 'the temp file goes with the store');
});

test('what stays in memory does not grow with the row count past the bound', () => {
  const inMemoryAfter = (rows: number) => {
    const store = new RowStore(128 * 1024);
    for (let i = 0; i < rows; i += 5000) store.append(batch(i, 5000));
    const held = store.memoryRows;
    store.dispose();
    return held;
  };
  const small = inMemoryAfter(20_000);
  assert.ok(small > 0 && small < 20_000);
  assert.equal(inMemoryAfter(200_000), small);
});

test('a view sorts numbers as numbers (NULLs last) and filters case-insensitively over every row', () => {
  const store = new RowStore(64 * 1024);
  store.append([
    ['10', 'b'],
    ['9', null],
    ['100', 'A'],
    [null, 'a'],
  ]);
  store.append(batch(1000, 3000));
  const sorted = ResultView.build(store, { sort: { column: 0, direction: 'asc' } });
  assert.deepEqual(
    sorted.read(store, 0, 3).map((r) => r[0]),
    ['9', '10', '100'],
  );
  assert.equal(sorted.read(store, sorted.count - 1, 1)[0]![0], null);
  const filtered = ResultView.build(store, { filter: 'ROW 399' });
  assert.deepEqual(
    filtered.read(store, 0, 20).map((r) => r[2]),
    [
      'row 3990',
      'row 3991',
      'row 3992',
      'row 3993',
      'row 3994',
      'row 3995',
      'row 3996',
      'row 3997',
      'row 3998',
      'row 3999',
    ],
  );
  store.dispose();
});
