import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultSqlClassifier } from '../../src/main/runbooks/classifier';
import { importRunbook } from '../../src/main/runbooks/importer';

// A value that stands for a command, a subcommand or an option's name decides what a step runs:
// the template is not a read unless the value is one of an enum of reviewed words.

async function step(command: string, parameters = '') {
  const frontmatter = parameters ? `---\nparameters:\n${parameters}---\n\n` : '';
  const plan = await importRunbook(`${frontmatter}# T\n\n\`\`\`sh\n${command}\n\`\`\`\n`, {
    classify: defaultSqlClassifier,
  });
  return plan.steps[0]!;
}

test('a value where an option, the command or a subcommand goes makes the step ask first, naming the value', async () => {
  const cases: [string, RegExp][] = [
    ['find /var/log -{{action}}', /the value of action stands for an option of find \(-\{\{action\}\}\).*enum/],
    ['ls -{{flags}} /tmp', /the value of flags stands for an option of ls/],
    ['grep --{{mode}} ERROR /var/log/app.log', /the value of mode stands for an option of grep/],
    ['git {{verb}}', /the value of verb stands for the subcommand of git/],
    ['kubectl -n prod {{verb}} pods', /the value of verb stands for the subcommand of kubectl/],
    ['sudo {{cmd}} /tmp', /the value of cmd stands for the command/],
    ['ssh bastion {{cmd}}', /the value of cmd stands for the command/],
  ];
  for (const [command, why] of cases) {
    const judged = await step(command);
    assert.equal(judged.risk, 'unknown', command);
    assert.ok(
      judged.statements[0]!.reasons.some((r) => why.test(r)),
      `${command}: ${judged.statements[0]!.reasons.join('; ')}`,
    );
  }
});

test('an enum of reviewed words is judged value by value; values that are only data stay reads', async () => {
  const action = (values: string) => `  - name: action\n    type: enum\n    enum: [${values}]\n`;
  assert.equal((await step('find /var/log -{{action}}', action('print, ls'))).risk, 'read');
  const deletes = await step('find /var/log -{{action}}', action('print, delete'));
  assert.equal(deletes.risk, 'dangerous');
  assert.match(deletes.statements[0]!.reasons.join(), /with action=delete: find \/var\/log -delete/);
  const verb = (values: string) => `  - name: verb\n    type: enum\n    enum: [${values}]\n`;
  assert.equal((await step('git {{verb}} --oneline -5', verb('log, show'))).risk, 'read');
  assert.equal((await step('git {{verb}} origin', verb('fetch, push'))).risk, 'write');
  // An enum the value is not checked against (type string) reviews nothing.
  assert.equal((await step('find /var/log -{{action}}', '  - name: action\n    enum: [print]\n')).risk, 'unknown');
  for (const command of [
    'ls {{dir}}',
    'find . {{expr}}',
    'kubectl -n {{ns}} get pods',
    'journalctl --since={{since}} -u app',
    'tail -{{lines}} /var/log/syslog',
  ])
    assert.equal(
      (await step(command, command.includes('lines') ? '  - name: lines\n    type: int\n' : '')).risk,
      'read',
      command,
    );
});

test('deciding enums are counted before any text is filled: past 64 combinations the step is unknown at once, saying why', async () => {
  const enums = (names: string[], count: number) =>
    names
      .map(
        (name) =>
          `  - name: ${name}\n    type: enum\n    enum: [${Array.from({ length: count }, (_, i) => `v${i}`).join(', ')}]\n`,
      )
      .join('');
  const three = await step('find /var/log -{{a}} -{{b}} -{{c}}', enums(['a', 'b', 'c'], 60));
  assert.equal(three.risk, 'unknown');
  assert.match(
    three.statements[0]!.reasons.join('; '),
    /a \(60 values\), b \(60 values\), c \(60 values\) allow 216000 combinations, more than the 64 the console judges one by one.*shorten the enums, or split the step/,
  );
  // Eight enums of 100 values: 10^16 texts were built one by one before the limit was checked (the import hung).
  const started = performance.now();
  const names = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
  const eight = await step(`find /var/log ${names.map((n) => `-{{${n}}}`).join(' ')}`, enums(names, 100));
  assert.equal(eight.risk, 'unknown');
  assert.match(eight.statements[0]!.reasons.join('; '), /allow more than a million combinations/);
  assert.ok(performance.now() - started < 10_000, 'judged without building the combinations');
  // At the limit, each combination is still judged.
  assert.equal((await step('find /var/log -{{a}} -{{b}} -{{c}}', enums(['a', 'b', 'c'], 4))).risk, 'read');
});

test('deciding values: an assignment is data, a program’s own value options are skipped, a - word holding a placeholder is an option', async () => {
  // Before: TOKEN=<X> was "the command", and redis-cli took the password for its subcommand.
  // A variable set before a command is another rule's (only a few names are known harmless): the
  // value is still never "the command".
  const prefixed = await step('TOKEN={{token}} ls /tmp');
  assert.doesNotMatch(prefixed.statements[0]!.reasons.join('; '), /stands for the command/);
  assert.match(prefixed.statements[0]!.reasons.join('; '), /TOKEN=… before ls/);
  for (const command of [
    'TOKEN={{token}}',
    'redis-cli -a {{password}} --scan --pattern "sess:*"',
    'redis-cli -h {{host}} -p 6380 -a {{password}} info replication',
  ]) {
    const judged = await step(command);
    assert.equal(judged.risk, 'read', `${command}: ${judged.statements[0]!.reasons.join('; ')}`);
  }
  // Before: a placeholder after other letters of an option (-de{{x}}, -l{{flags}}) was taken for data.
  for (const [command, why] of [
    ['find /var/log -de{{x}}', /the value of x stands for an option of find \(-de\{\{x\}\}\)/],
    ['ls -l{{flags}} /var/log', /the value of flags stands for an option of ls \(-l\{\{flags\}\}\)/],
  ] as const) {
    const judged = await step(command);
    assert.equal(judged.risk, 'unknown', command);
    assert.match(judged.statements[0]!.reasons.join('; '), why);
  }
  assert.equal((await step('tail -n{{lines}} /var/log/syslog', '  - name: lines\n    type: int\n')).risk, 'read');
  assert.equal((await step('journalctl --since={{since}} -u app')).risk, 'read');
});
