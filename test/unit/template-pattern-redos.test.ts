import assert from 'node:assert/strict';
import { test } from 'node:test';
import { coerceParam } from '../../src/main/templates/param-values';
import { validateValue } from '../../src/renderer/src/components/runbook/runbook-params';
import { templateParamSchema, type TemplateParam } from '../../src/shared/template';

const evil = '^(a+)+$';
const attack = 'a'.repeat(40) + 'b';

test('a catastrophic-backtracking pattern is answered in under 100 ms, in the main process and in the window', () => {
  // As a runbook declares it (the importer passes the pattern through): no schema in between.
  const param = { name: 'tenant', type: 'text', list: false, required: true, secret: false, pattern: evil } as TemplateParam;
  let started = performance.now();
  assert.throws(() => coerceParam(param, attack), /params\.tenant does not match the pattern \^\(a\+\)\+\$/);
  assert.ok(performance.now() - started < 100, `main process took ${performance.now() - started} ms`);
  assert.equal(coerceParam(param, 'aaaa').value, 'aaaa');

  started = performance.now();
  assert.equal(validateValue({ name: 'tenant', type: 'string', secret: false, source: 'frontmatter', typed: true, placeholders: [], pattern: evil }, attack), `tenant must match ${evil}`);
  assert.ok(performance.now() - started < 100, `window check took ${performance.now() - started} ms`);
});

test('patterns match the whole value; lookaround and backreferences are refused with the reason', () => {
  const param = (pattern: string) => templateParamSchema.safeParse({ name: 'p', type: 'text', pattern });
  assert.equal(param('[a-z_][a-z0-9_]*|public\\.\\w+').success, true);
  for (const pattern of ['(a)\\1', 'a(?=b)', '(?<!x)y']) {
    const parsed = param(pattern);
    assert.equal(parsed.success, false, pattern);
    assert.match(parsed.error!.issues[0]!.message, /linear-time engine \(RE2\).*no lookahead, lookbehind or backreferences/);
  }
  const stored = { name: 'p', type: 'text', list: false, required: true, secret: false, pattern: '(a)\\1' } as TemplateParam;
  assert.throws(() => coerceParam(stored, 'aa'), /params\.p has a pattern that is not a regular expression the linear-time engine \(RE2\) accepts/);
  const alternatives = { ...stored, pattern: 'ab|cd' };
  assert.throws(() => coerceParam(alternatives, 'abcd'), /does not match/, 'the alternation is anchored as a whole');
  assert.equal(coerceParam(alternatives, 'cd').value, 'cd');
});
