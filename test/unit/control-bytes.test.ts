import assert from 'node:assert/strict';
import { test } from 'node:test';
import { importRunbook } from '../../src/main/runbooks/importer';
import { refuseControlBytes } from '../../src/main/terminals/send-command';
import { firstForbiddenControl, parseControlBytes } from '../../src/shared/control-bytes';
import { fillShellText, UnquotableValue, type ShellDialect } from '../../src/shared/shell-quote';

test('a fence declares control bytes by name, caret or hex; anything else is refused with the fix', () => {
  assert.deepEqual(parseControlBytes('ESC, ^C 0x07 \\x7f cr'), { codes: [0x1b, 3, 7, 0x7f, 0x0d] });
  assert.deepEqual(parseControlBytes(undefined), { codes: [] });
  assert.match(
    (parseControlBytes('ESCAPE') as { error: string }).error,
    /"ESCAPE" is not a control byte: write names such as ESC/,
  );
  assert.match((parseControlBytes('0x41') as { error: string }).error, /"0x41" is not a control byte/);
  assert.equal(firstForbiddenControl('a\tb\nc', []), undefined);
  assert.deepEqual(firstForbiddenControl('ab\x1bc', []), { code: 0x1b, index: 2 });
  assert.equal(firstForbiddenControl('ab\x1bc', [0x1b]), undefined);
});

test('controlBytes is a known fence attribute: kept on the step, no lint error', async () => {
  const plan = await importRunbook(
    '# T\n\n## S\n\n```sh {name=quit-less controlBytes="ESC,^C" target=terminal}\nless /var/log/syslog\n```\n',
    { path: 'x.md' } as never,
  );
  assert.equal(plan.steps[0]!.attributes.controlBytes, 'ESC,^C');
  assert.deepEqual(
    plan.diagnostics.filter((d) => d.severity === 'error'),
    [],
  );
});

test('a value holding a control byte is refused wherever it goes, whatever the fence or the frontmatter allow', () => {
  const fill = (command: string, value: string, dialect: ShellDialect = 'posix') =>
    fillShellText(command, [{ name: 'msg', value, secret: false }], dialect);
  const bytes: [string, RegExp][] = [
    ['\x1b[201~; touch /tmp/owned', /ESC \(0x1b\) at character 1/],
    ['ding\x07', /BEL \(0x07\) at character 5/],
    ['a\rrm -rf ~', /CR \(0x0d\)/],
    ['a\r\nb', /CR \(0x0d\)/],
    ['nul\x00', /NUL \(0x00\)/],
    ['del\x7f', /DEL \(0x7f\)/],
    ['csi\u009b31m', /C1 \(0x9b\)/],
    ['nel\u0085', /C1 \(0x85\)/],
  ];
  for (const [value, byte] of bytes)
    for (const command of ['echo {{msg}}', "echo '{{msg}}'", 'echo "{{msg}}"', 'logger <msg>'])
      for (const dialect of ['posix', 'powershell'] as const)
        assert.throws(
          () => fill(command, value, dialect),
          (error: unknown) =>
            error instanceof UnquotableValue &&
            /^the value of msg holds the control byte /.test(error.message) &&
            byte.test(error.message) &&
            /Retype the value without it/.test(error.message),
          `${dialect} ${command} with ${JSON.stringify(value)}`,
        );
  assert.throws(() => fill('echo x # {{msg}}', 'a\x1b[2J'), /the value of msg holds the control byte ESC/);
  assert.throws(() => fill('echo x # {{msg}}', 'a\rb'), /the value of msg sits in a comment and contains a line break/);
  assert.equal(fill('echo {{msg}}', 'a\nb'), "echo 'a\nb'");
  // The fence allows ESC for the step as written (a key sequence it sends on purpose), not for a value.
  const step = { id: 'quit-less', controlBytes: 'ESC,CR' };
  assert.equal(refuseControlBytes({ command: 'less f\x1b:q', parameters: [], step }), 'less f\x1b:q');
  for (const value of ['x\x1by', 'x\ry', 'x\r\ny'])
    assert.throws(
      () => refuseControlBytes({ command: 'less {{f}}', parameters: [{ name: 'f', value, secret: false }], step }),
      /Step "quit-less" \(quit-less\): the value of f holds the control byte (ESC|CR)/,
    );
});

test('a headless shell step refuses such a value though its pattern and its fence let it through', async () => {
  const { invalidValue, shellParams } = await import('../../src/main/runbooks/step-values');
  const plan = await importRunbook(
    '---\nparameters:\n  - name: msg\n    pattern: "[\\\\s\\\\S]*"\n---\n\n# T\n\n```sh {controlBytes="ESC"}\nlogger {{msg}}\n```\n',
    { path: 'x.md' } as never,
  );
  const step = plan.steps[0]!;
  const variables = new Map([['msg', 'done\x1b]0;owned\x07']]);
  assert.equal(invalidValue(plan, step, variables), undefined, 'the pattern allows any text');
  assert.throws(
    () => fillShellText(step.text, shellParams(plan, step, variables)),
    /the value of msg holds the control byte ESC/,
  );
});

test('a tab in a value is refused in every spot and dialect, naming the parameter and the fix: readline completes at it when bracketed paste is off', () => {
  const fill = (command: string, value: string, dialect: ShellDialect = 'posix') =>
    fillShellText(command, [{ name: 'file', value, secret: false }], dialect);
  for (const command of [
    'tail -n 5 {{file}}',
    "tail '{{file}}'",
    'tail "{{file}}"',
    'cat <<EOF\n{{file}}\nEOF',
    'echo x # {{file}}',
  ])
    for (const dialect of ['posix', 'powershell'] as const)
      assert.throws(
        () => fill(command, 'access-20\t; touch PWN #', dialect),
        (error: unknown) =>
          error instanceof UnquotableValue &&
          /^the value of file holds a tab \(HT 0x09\) at character 10: a shell without bracketed paste reads it as the completion key/.test(
            error.message,
          ) &&
          /Retype the value with spaces instead of the tab/.test(error.message),
        `${dialect} ${command}`,
      );
  // The terminal send refuses it before filling, whatever the fence declares; the step's own tabs still pass.
  const step = { id: 'tail-log', controlBytes: 'HT,ESC' };
  assert.throws(
    () =>
      refuseControlBytes({
        command: 'tail -n 5 {{file}}',
        parameters: [{ name: 'file', value: 'access-20\t; touch PWN #', secret: false }],
        step,
      }),
    /Step "tail-log" \(tail-log\): not sent: the value of file holds a tab .* Retype the value with spaces/,
  );
  assert.equal(refuseControlBytes({ command: 'printf "a\tb"', parameters: [], step }), 'printf "a\tb"');
  assert.equal(fill('echo {{file}}', 'a b'), "echo 'a b'");
});
