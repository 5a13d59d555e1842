import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultSqlClassifier } from '../../src/main/runbooks/classifier';
import { importRunbook } from '../../src/main/runbooks/importer';
import { captureValues, parseCaptures, resolvedParams, resolveStepValues } from '../../src/shared/runbook-variables';
import { fillShellText } from '../../src/shared/shell-quote';

const load = (text: string) => importRunbook(text, { path: 'flow.md', classify: defaultSqlClassifier });

const runbook = `---
title: Locks
variables:
  - pid
  - { name: relation, default: orders, description: the table under contention }
---
# Locks

\`\`\`sql {name=find-blocker addresses=pg.blocking-locks capture=pid:blocker_pid,relation}
SELECT 42 AS blocker_pid, 'public.orders' AS relation;
\`\`\`

\`\`\`sql {name=terminate addresses=pg.blocking-locks,pg.long-transactions confirm=true}
SELECT pg_terminate_backend({{pid}});
\`\`\`

\`\`\`bash {name=look}
ps -p {{pid}} -o args=
\`\`\`
`;

test('fences declare what they address and capture; frontmatter declares variables', async () => {
  const plan = await load(runbook);
  assert.deepEqual(plan.diagnostics, []);
  assert.deepEqual(plan.variables, [
    { name: 'pid' },
    { name: 'relation', default: 'orders', description: 'the table under contention' },
  ]);
  const [find, terminate] = plan.steps;
  assert.deepEqual(find!.addresses, ['pg.blocking-locks']);
  assert.deepEqual(find!.captures, [
    { name: 'pid', column: 'blocker_pid' },
    { name: 'relation', column: 'relation' },
  ]);
  assert.deepEqual(terminate!.addresses, ['pg.blocking-locks', 'pg.long-transactions']);
  assert.equal(terminate!.attributes.confirm, 'true', 'the other attributes of the fence are still read');
  assert.equal(terminate!.captures, undefined);
});

test('a malformed capture or addresses list is an error naming the fix, and a bad variable name is refused', async () => {
  const plan = await load('# T\n\n```sql {capture=1pid:x addresses=Blocking}\nSELECT 1;\n```\n');
  const messages = plan.diagnostics.map((d) => `${d.code}: ${d.message}`);
  assert.ok(
    messages.some((m) => /bad-fence-attribute: capture=1pid:x: "1pid:x" is not NAME or NAME:COLUMN/.test(m)),
    messages.join('\n'),
  );
  assert.ok(
    messages.some((m) => /addresses=Blocking: "Blocking" is not a health check id/.test(m)),
    messages.join('\n'),
  );
  const bad = await load('---\nvariables:\n  - "pid; rm -rf /"\n---\n# T\n');
  assert.match(bad.diagnostics[0]!.message, /variables.*must be a name/);
  assert.match(parseCaptures('').problem!, /capture= is empty/);
});

test('captureValues takes the first row of the named columns; NULL, a missing column or no row sets nothing', () => {
  const step = {
    captures: [
      { name: 'pid', column: 'blocker_pid' },
      { name: 'relation', column: 'relation' },
      { name: 'gone', column: 'absent' },
    ],
  };
  assert.deepEqual(
    captureValues(step, {
      fields: ['blocker_pid', 'relation'],
      rows: [
        [4242, 'public.orders'],
        [1, 'x'],
      ],
    }),
    { pid: '4242', relation: 'public.orders' },
  );
  assert.deepEqual(captureValues(step, { fields: ['blocker_pid', 'relation'], rows: [[null, { a: 1 }]] }), {
    relation: '{"a":1}',
  });
  assert.deepEqual(captureValues(step, { fields: ['blocker_pid'], rows: [] }), {});
  assert.deepEqual(captureValues({}, { fields: ['x'], rows: [[1]] }), {});
});

test('a step takes a typed value first, then a variable, then the default; values stay data on the shell route', async () => {
  const plan = await load(runbook);
  const terminate = plan.steps.find((s) => s.id === 'terminate')!;
  const look = plan.steps.find((s) => s.id === 'look')!;
  assert.deepEqual(resolveStepValues(plan, terminate, {}, {}), [
    { name: 'pid', value: '', source: 'empty', secret: false },
  ]);
  assert.deepEqual(resolveStepValues(plan, terminate, {}, { pid: '4242' }), [
    { name: 'pid', value: '4242', source: 'variable', secret: false },
  ]);
  assert.deepEqual(resolveStepValues(plan, terminate, { pid: ' 7 ' }, { pid: '4242' }), [
    { name: 'pid', value: '7', source: 'typed', secret: false },
  ]);
  assert.deepEqual(resolvedParams(resolveStepValues(plan, terminate, { pid: '' }, { pid: '4242' })), { pid: '4242' });
  // A captured cell is text from the server: on the shell route it is quoted, never run.
  const hostile = resolveStepValues(plan, look, {}, { pid: '1; rm -rf /' });
  assert.equal(
    fillShellText(
      look.text,
      hostile.map(({ name, value, secret }) => ({ name, value, secret })),
    ),
    "ps -p '1; rm -rf /' -o args=",
  );
});

test('a frontmatter variable default fills a step when nothing was captured or typed', () => {
  const plan = { parameters: [], variables: [{ name: 'relation', default: 'orders' }] };
  const step = { parameters: [{ name: 'relation', type: 'string' as const, secret: false }] };
  assert.deepEqual(resolveStepValues(plan, step, {}, {}), [
    { name: 'relation', value: 'orders', source: 'variable', secret: false },
  ]);
  assert.deepEqual(resolveStepValues(plan, step, {}, { relation: 'users' })[0]!.value, 'users');
});
