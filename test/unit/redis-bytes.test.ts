import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseRedisCommandLineBytes } from '../../src/main/redis/command-line';
import {
  bytesOfB64,
  escapeRedisBytes,
  keyLabel,
  plainText,
  quoteRedisBytes,
  quoteRedisText,
} from '../../src/shared/redis-bytes';

test('every byte value, and random byte strings, quote to a line the console parses back to the same bytes', () => {
  const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
  assert.deepEqual(parseRedisCommandLineBytes(`SET k ${quoteRedisBytes(all)}`)[2], all);
  let seed = 7;
  for (let n = 0; n < 300; n++) {
    const bytes = Buffer.from(
      Array.from({ length: n % 40 }, () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) & 0xff),
    );
    assert.deepEqual(
      parseRedisCommandLineBytes(quoteRedisBytes(bytes))[0] ?? Buffer.alloc(0),
      bytes,
      bytes.toString('hex'),
    );
  }
});

test('text stays readable: UTF-8 kept, quotes and backslashes escaped, controls escaped by name or \\xHH', () => {
  assert.equal(escapeRedisBytes(Buffer.from('café "x" \\ ✓')), 'café \\"x\\" \\\\ ✓');
  assert.equal(escapeRedisBytes(Buffer.from('a\nb\x01\x7f')), 'a\\nb\\x01\\x7f');
  assert.equal(escapeRedisBytes(Buffer.from([0xc3, 0x28])), '\\xc3(', 'invalid UTF-8 byte by byte');
  assert.equal(escapeRedisBytes(Buffer.from('\u0085', 'utf8')), '\\xc2\\x85', 'a C1 control is escaped');
  assert.deepEqual(
    parseRedisCommandLineBytes(quoteRedisText('naïve "quote" \n end'))[0],
    Buffer.from('naïve "quote" \n end'),
  );
});

test('plain text, binary detection and key labels', () => {
  assert.equal(plainText(Buffer.from('{"a": 1}\n')), '{"a": 1}\n');
  assert.equal(plainText(Buffer.from([0xff])), undefined);
  assert.equal(plainText(Buffer.from([0xed, 0xa0, 0x80])), undefined, 'a surrogate is not UTF-8');
  assert.equal(plainText(Buffer.from([0xc0, 0x80])), undefined, 'an overlong form is not UTF-8');
  assert.equal(plainText(Buffer.from('a\x00b')), undefined);
  assert.equal(keyLabel(Buffer.from('user:1')), 'user:1');
  assert.equal(keyLabel(Buffer.from('line\nbreak')), 'line\\nbreak', 'a key is always one line');
});

test('base64 decoding without Buffer matches Buffer', () => {
  for (const length of [0, 1, 2, 3, 4, 255, 256, 1000]) {
    const bytes = Buffer.from(Array.from({ length }, (_, i) => (i * 37) & 0xff));
    assert.deepEqual(Buffer.from(bytesOfB64(bytes.toString('base64'))), bytes);
  }
});
