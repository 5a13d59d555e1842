import assert from 'node:assert/strict';
import { test } from 'node:test';
import { coerceParam } from '../../src/main/templates/param-values';
import { validateValue } from '../../src/renderer/src/components/runbook/runbook-params';
import type { RunbookParameter } from '../../src/shared/runbook';
import { templateParamSchema, type TemplateParam } from '../../src/shared/template';

const evil = '^(a+)+$';
const attack = 'a'.repeat(40) + 'b';

/** The fastest of three timed calls after a warm-up: a loaded CI machine adds noise, never backtracking. */
function bestOfThree(call: () => void): number {
  call();
  let best = Infinity;
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    call();
    best = Math.min(best, performance.now() - started);
  }
  return best;
}

test('a catastrophic-backtracking pattern is answered in under 100 ms, in the main process and in the window', () => {
  // As a runbook declares it (the importer passes the pattern through): no schema in between.
  // A backtracking engine needs about 2^40 steps for this input: it would not answer for hours.
  const param = {
    name: 'tenant',
    type: 'text',
    list: false,
    required: true,
    secret: false,
    pattern: evil,
  } as TemplateParam;
  assert.throws(() => coerceParam(param, attack), /params\.tenant does not match the pattern \^\(a\+\)\+\$/);
  const main = bestOfThree(() => assert.throws(() => coerceParam(param, attack)));
  assert.ok(main < 100, `main process took ${main} ms`);
  assert.equal(coerceParam(param, 'aaaa').value, 'aaaa');

  const windowParam: RunbookParameter = {
    name: 'tenant',
    type: 'string',
    secret: false,
    source: 'frontmatter',
    typed: true,
    placeholders: [],
    pattern: evil,
  };
  assert.equal(validateValue(windowParam, attack), `tenant must match ${evil}`);
  const window = bestOfThree(() => validateValue(windowParam, attack));
  assert.ok(window < 100, `window check took ${window} ms`);
});

test('patterns match the whole value; lookaround and backreferences are refused with the reason', () => {
  const param = (pattern: string) => templateParamSchema.safeParse({ name: 'p', type: 'text', pattern });
  assert.equal(param('[a-z_][a-z0-9_]*|public\\.\\w+').success, true);
  for (const pattern of ['(a)\\1', 'a(?=b)', '(?<!x)y']) {
    const parsed = param(pattern);
    assert.equal(parsed.success, false, pattern);
    assert.match(
      parsed.error!.issues[0]!.message,
      /linear-time engine \(RE2\).*no lookahead, lookbehind or backreferences/,
    );
  }
  const stored = {
    name: 'p',
    type: 'text',
    list: false,
    required: true,
    secret: false,
    pattern: '(a)\\1',
  } as TemplateParam;
  assert.throws(
    () => coerceParam(stored, 'aa'),
    /params\.p has a pattern that is not a regular expression the linear-time engine \(RE2\) accepts/,
  );
  const alternatives = { ...stored, pattern: 'ab|cd' };
  assert.throws(() => coerceParam(alternatives, 'abcd'), /does not match/, 'the alternation is anchored as a whole');
  assert.equal(coerceParam(alternatives, 'cd').value, 'cd');
});
