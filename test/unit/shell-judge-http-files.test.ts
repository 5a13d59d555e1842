import assert from 'node:assert/strict';
import { test } from 'node:test';
import { judgeShell } from '../../src/main/runbooks/shell-judge';

// A GET is a read only when the response is printed: curl -o/-O/-D/-c and a plain wget save files.

const risk = (text: string) => judgeShell(text).risk;

test('curl and wget that save files are writes; a config file is unknown', () => {
  for (const [text, expected] of [
    ['curl -s -o /tmp/out https://example.com', 'write'],
    ['curl -fsSLo out.tgz https://example.com/x.tgz', 'write'],
    ['curl -O https://example.com/x.tgz', 'write'],
    ['curl -c jar.txt https://example.com', 'write'],
    ['curl --output=/tmp/out https://example.com', 'write'],
    ['curl -K curl.cfg https://example.com', 'unknown'],
    ['curl --out /tmp/out https://example.com', 'write'],
    ['wget --exec=x -O - https://example.com', 'unknown'],
    ['wget https://example.com/x.tgz', 'write'],
    ['wget -O x.html https://example.com', 'write'],
    ['curl -X DELETE -o out https://example.com/x', 'dangerous'],
  ] as const) {
    assert.equal(risk(text), expected, text);
  }
  for (const text of [
    'curl -sS https://example.com | jq .',
    'curl -I https://example.com',
    'wget -qO- https://example.com',
    'wget -O - https://example.com',
    'wget --spider https://example.com',
  ]) {
    assert.equal(risk(text), 'read', text);
  }
});
