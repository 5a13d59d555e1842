import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  fillPlaceholders,
  stepParameters,
  validateValue,
} from '../../src/renderer/src/components/runbook/runbook-params';
import type { RunbookParameter, RunbookPlan, RunbookStep } from '../../src/shared/runbook';

const param = (p: Partial<RunbookParameter> & { name: string }): RunbookParameter => ({
  type: 'string',
  secret: false,
  source: 'frontmatter',
  typed: true,
  placeholders: [],
  ...p,
});

test('values are checked against their type, enum and pattern; the message names the parameter', () => {
  assert.match(validateValue(param({ name: 'pid', type: 'int' }), 'abc')!, /^pid must be a whole number/);
  assert.equal(validateValue(param({ name: 'pid', type: 'int' }), ' 42 '), undefined);
  assert.match(validateValue(param({ name: 'pid', type: 'int' }), '')!, /pid is empty/);
  assert.equal(
    validateValue(param({ name: 'limit', type: 'int', default: 20 }), ''),
    undefined,
    'an empty value with a default is fine',
  );
  assert.match(
    validateValue(param({ name: 'table', type: 'identifier' }), 'orders; DROP TABLE x')!,
    /table must be a name/,
  );
  assert.equal(validateValue(param({ name: 'table', type: 'identifier' }), 'public.orders'), undefined);
  assert.equal(validateValue(param({ name: 'age', type: 'interval' }), '5 minutes'), undefined);
  assert.match(validateValue(param({ name: 'age', type: 'interval' }), 'soon')!, /age must be an interval/);
  assert.match(validateValue(param({ name: 'env', type: 'enum', enum: ['a', 'b'] }), 'c')!, /env must be one of a, b/);
  assert.match(validateValue(param({ name: 'queue', pattern: '[a-z]+' }), 'Q1')!, /queue must match \[a-z\]\+/);
  assert.match(validateValue(param({ name: 'at', type: 'timestamp' }), 'yesterday-ish')!, /at must be a date/);
  assert.match(validateValue(param({ name: 'x', type: 'number' }), '1.5e')!, /x must be a number/);
});

const step = {
  id: 's',
  parameters: [
    { name: 'admin_token', type: 'string', secret: true },
    { name: 'id', type: 'int', secret: false },
  ],
} as unknown as RunbookStep;
const plan = {
  parameters: [
    param({ name: 'admin_token', secret: true, placeholders: ['<admin_token>'] }),
    param({ name: 'id', type: 'int', placeholders: ['[id]'] }),
  ],
} as unknown as RunbookPlan;

test('placeholders are filled, secrets only when asked', () => {
  const text = 'curl -H "Authorization: Bearer <admin_token>" https://x/items/[id]';
  assert.equal(
    fillPlaceholders(plan, step, text, { admin_token: 's3cret', id: '7' }, false),
    'curl -H "Authorization: Bearer <admin_token>" https://x/items/7',
  );
  assert.equal(
    fillPlaceholders(plan, step, text, { admin_token: 's3cret', id: '7' }, true),
    'curl -H "Authorization: Bearer s3cret" https://x/items/7',
  );
  assert.deepEqual(
    stepParameters(plan, step, { id: 'x' }).map((p) => [p.parameter.name, p.error !== undefined]),
    [
      ['admin_token', true],
      ['id', true],
    ],
  );
});

test('a headless run checks every value by the same rules: typed, default and captured alike', async () => {
  const { invalidValue } = await import('../../src/main/runbooks/step-values');
  const { importRunbook } = await import('../../src/main/runbooks/importer');
  const { defaultSqlClassifier } = await import('../../src/main/runbooks/classifier');
  const plan = await importRunbook(
    '---\nparameters:\n  - name: svc\n    pattern: "^[a-z]+$"\n---\n\n# T\n\n```sh\ngrep {{svc}} /var/log/app.log\n```\n',
    { classify: defaultSqlClassifier },
  );
  const step = plan.steps[0]!;
  assert.equal(invalidValue(plan, step, new Map([['svc', 'api']])), undefined);
  // A value captured from an earlier step's rows lands in the same map.
  assert.match(
    invalidValue(plan, step, new Map([['svc', ['api', 'x;y']]]))!,
    /svc must match \^\[a-z\]\+\$ \(got "x;y"\)/,
  );
});

test('a parameter declared with a pattern RE2 cannot run is an import error naming it, and no value passes it', async () => {
  const { invalidValue } = await import('../../src/main/runbooks/step-values');
  const { importRunbook } = await import('../../src/main/runbooks/importer');
  const { defaultSqlClassifier } = await import('../../src/main/runbooks/classifier');
  const { lintPlan } = await import('../../src/main/runbooks/lint');
  const plan = await importRunbook(
    '---\ntitle: Grep\nparameters:\n  - name: svc\n    pattern: "^[a-z]+($"\n---\n\n# T\n\n```sh\ngrep {{svc}} /var/log/app.log\n```\n',
    { classify: defaultSqlClassifier },
  );
  const errors = lintPlan(plan).filter((f) => f.severity === 'error');
  assert.equal(errors.length, 1, JSON.stringify(errors));
  assert.match(
    errors[0]!.message,
    /parameters\.0\.pattern \(parameter svc\) is not a regular expression.*fix the pattern/,
  );
  const step = plan.steps[0]!;
  for (const value of ['api', 'x;y $(touch /tmp/p)'])
    assert.match(
      invalidValue(plan, step, new Map([['svc', value]]))!,
      /^svc cannot be checked: its pattern "\^\[a-z\]\+\(\$" is not a regular expression.*Fix the pattern/,
    );
  // Lookaround, which RE2 does not have, is refused the same way, in the app's form too.
  assert.match(validateValue(param({ name: 'q', pattern: '(?!x).*' }), 'x')!, /q cannot be checked.*lookahead/);
});
