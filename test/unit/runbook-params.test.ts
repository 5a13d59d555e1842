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

test("the app's terminal send fills every placeholder form a headless run fills ([X], REPLACE_ME, your_host, ${X:-100})", async () => {
  const { importRunbook } = await import('../../src/main/runbooks/importer');
  const { defaultSqlClassifier } = await import('../../src/main/runbooks/classifier');
  const { initialVariables, shellParams } = await import('../../src/main/runbooks/step-values');
  const { fillParameters } = await import('../../src/main/terminals/send-command');
  const { terminalsOperations } = await import('../../src/shared/contract/terminals');
  const { fillShellText } = await import('../../src/shared/shell-quote');
  const { shellParameters, terminalPreview } = await import('../../src/renderer/src/components/runbook/runbook-params');
  const fence = (text: string) => '```sh\n' + text + '\n```\n\n';
  const plan = await importRunbook(
    '# T\n\n' +
      fence('find /backups -mtime +[RETENTION_DAYS] -print') +
      fence('kill REPLACE_ME') +
      fence('tail -n ${LINES:-100} /var/log/syslog') +
      fence('ssh your_host uptime'),
    { classify: defaultSqlClassifier },
  );
  const typed = { RETENTION_DAYS: '7', replace_me: '4242', your_host: 'db1' };
  const expected = ['find /backups -mtime +7 -print', 'kill 4242', 'tail -n 100 /var/log/syslog', 'ssh db1 uptime'];
  assert.deepEqual(
    plan.steps.map((s) => s.text),
    [
      'find /backups -mtime +[RETENTION_DAYS] -print',
      'kill REPLACE_ME',
      'tail -n ${LINES:-100} /var/log/syslog',
      'ssh your_host uptime',
    ],
  );
  plan.steps.forEach((step, i) => {
    // The panel: no value is missing (LINES has the default the runbook wrote), the preview is filled.
    assert.deepEqual(
      stepParameters(plan, step, typed).filter((p) => p.error),
      [],
      step.text,
    );
    assert.equal(terminalPreview(plan, step, typed).text, expected[i]);
    // What terminals.send receives (through its schema) and pastes, and what a headless run executes.
    const input = terminalsOperations['terminals.send'].input.parse({
      terminalId: 't1',
      command: step.text,
      parameters: shellParameters(plan, step, typed),
    });
    assert.equal(fillParameters(input.command, input.parameters), expected[i], step.text);
    assert.equal(fillShellText(step.text, shellParams(plan, step, initialVariables(plan, typed))), expected[i]);
  });
});

test("the app's form refuses the values of a parameter whose frontmatter declaration has an error, and keeps the valid ones' rules", async () => {
  const { importRunbook } = await import('../../src/main/runbooks/importer');
  const { defaultSqlClassifier } = await import('../../src/main/runbooks/classifier');
  const { stepParameters } = await import('../../src/renderer/src/components/runbook/runbook-params');
  const plan = await importRunbook(
    '---\nparameters:\n  - name: svc\n    type: enum\n    enum: [api, worker]\n  - name: host\n    pattern: "^[a-z0-9-]+$"\n    label: Host name\n---\n\n# T\n\n```sh\necho restart {{svc}} {{host}}\n```\n',
    { classify: defaultSqlClassifier },
  );
  const errors = (values: Record<string, string>) =>
    Object.fromEntries(stepParameters(plan, plan.steps[0]!, values).map((p) => [p.parameter.name, p.error]));
  const outside = errors({ svc: 'postgresql', host: 'Evil_Host' });
  assert.match(outside.svc!, /svc must be one of api, worker/);
  assert.match(
    outside.host!,
    /host cannot be checked: .*parameters\.1 has unknown field\(s\) label: remove them.*Fix the frontmatter/,
  );
  assert.equal(errors({ svc: 'api', host: 'web-1' }).svc, undefined);
});
