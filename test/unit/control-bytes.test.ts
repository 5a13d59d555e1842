import assert from 'node:assert/strict';
import { test } from 'node:test';
import { importRunbook } from '../../src/main/runbooks/importer';
import { firstForbiddenControl, parseControlBytes } from '../../src/shared/control-bytes';

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
