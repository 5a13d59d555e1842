import assert from 'node:assert/strict';
import { test } from 'node:test';
import { outputExcerpt, stepResult, stripAnsi, withSentinel } from '../../src/shared/terminal-step-result';

const token = 'a1b2c3';

test('the sentinel prints the marker in two pieces, so the echo of the typed line never matches it', () => {
  const sent = withSentinel('df -h /var  \n', token);
  // A brace group: the shell reads the whole step, sentinel included, before running it.
  assert.equal(sent, `{ df -h /var\n}; printf '\\n%s%s:%d\\n' __opsconsole_ done_${token} "$?"`);
  assert.equal(stepResult(`$ ${sent.replace('\n', '\r\n')}\r\n`, token), undefined, 'only the echo so far: not done');
});

test('output between the echoed sentinel and the marker, with the exit status; escapes removed', () => {
  const echo = `$ false\r\n$ printf '\\n%s%s:%d\\n' __opsconsole_ done_${token} "$?"\r\n`;
  const out = `\x1b[1mFilesystem\x1b[0m  Size\r\nnope: No such file\r\n\r\n__opsconsole_done_${token}:2\r\n$ `;
  assert.deepEqual(stepResult(echo + out, token), {
    exitStatus: 2,
    output: 'Filesystem  Size\nnope: No such file',
    via: 'sentinel',
  });
});

test('an OSC 133 end mark confirms the status where the shell emits it', () => {
  const text = `\x1b]133;C\x07hello\r\n\x1b]133;D;0\x07\r\n__opsconsole_done_${token}:0\r\n`;
  const result = stepResult(text, token)!;
  assert.equal(result.via, 'osc133');
  assert.equal(result.exitStatus, 0);
  assert.match(result.output, /hello/);
});

test('an end mark printed by the command itself never decides the status', () => {
  // No shell integration: the command prints a mark claiming success, then fails.
  const spoofed = `$ printf '\\e]133;D;0\\a'; exit 1\r\n\x1b]133;D;0\x07\r\n__opsconsole_done_${token}:1\r\n$ `;
  assert.deepEqual(
    { ...stepResult(spoofed, token)!, output: undefined },
    { exitStatus: 1, via: 'sentinel', output: undefined },
  );
  // With shell integration: the shell's own mark (the last one before the marker) agrees with the sentinel.
  const integrated = `\x1b]133;C\x07\x1b]133;D;0\x07oops\r\n\x1b]133;D;3\x07\x1b]133;A\x07$ \r\n__opsconsole_done_${token}:3\r\n\x1b]133;D;0\x07`;
  const result = stepResult(integrated, token)!;
  assert.equal(result.exitStatus, 3);
  assert.equal(result.via, 'osc133');
  // A multi-line step: the status is the last line's, as the sentinel's $? says.
  const lines = `\x1b]133;D;1\x07\x1b]133;D;0\x07\r\n__opsconsole_done_${token}:0\r\n`;
  assert.deepEqual([stepResult(lines, token)!.exitStatus, stepResult(lines, token)!.via], [0, 'osc133']);
});

test('stripAnsi keeps text and newlines; the excerpt keeps the last whole lines', () => {
  assert.equal(stripAnsi('a\x1b[31mb\x1b[0m\x1b]0;title\x07c\x07\n'), 'abc\n');
  const long = Array.from({ length: 500 }, (_, i) => `line ${i}`).join('\n');
  const excerpt = outputExcerpt(long, 100);
  assert.ok(excerpt.length <= 101);
  assert.match(excerpt, /^…line \d+\n/);
  assert.match(excerpt, /line 499$/);
});
