import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RedisKeyEntry } from '../../src/shared/contract';
import { buildTree, formatTtl } from '../../src/renderer/src/components/redis-browser/key-tree';

const entry = (text: string): RedisKeyEntry => ({
  key: { b64: Buffer.from(text).toString('base64'), text, binary: false, size: text.length },
  type: 'string',
  ttlMs: -1,
});

test('keys group into folders by the delimiter, with counts; a key equal to a folder name stays a key', () => {
  const tree = buildTree(['user:1:name', 'user:1:email', 'user:2:name', 'user', 'orders'].map(entry), ':');
  assert.equal(tree.count, 5);
  assert.deepEqual([...tree.folders.keys()], ['user']);
  assert.deepEqual(tree.keys.map((k) => k.key.text).sort(), ['orders', 'user']);
  const user = tree.folders.get('user')!;
  assert.equal(user.count, 3);
  assert.equal(user.folders.get('1')!.path, 'user:1');
  assert.deepEqual(
    user.folders.get('1')!.keys.map((k) => k.key.text),
    ['user:1:name', 'user:1:email'],
  );
});

test('another delimiter, or none, changes the tree', () => {
  assert.deepEqual([...buildTree(['a/b', 'a/c'].map(entry), '/').folders.keys()], ['a']);
  assert.equal(buildTree(['a:b', 'a:c'].map(entry), '').keys.length, 2);
});

test('TTLs read as people say them', () => {
  assert.equal(formatTtl(-1), 'no expiry');
  assert.equal(formatTtl(-2), 'gone');
  assert.equal(formatTtl(42_000), '42 s');
  assert.equal(formatTtl(600_000), '10 min');
  assert.equal(formatTtl(3 * 3_600_000 + 5 * 60_000), '3 h 5 min');
  assert.equal(formatTtl(9 * 86_400_000), '9 d');
});
