import assert from 'node:assert/strict';
import { test } from 'node:test';
import { terminalPreview } from '../../src/renderer/src/components/runbook/runbook-params';
import { fillShellText } from '../../src/shared/shell-quote';
import type { RunbookParameter, RunbookPlan, RunbookStep } from '../../src/shared/runbook';

const singleQuotes = "'‘’‚‛";
const doubleQuotes = '"“”„';

/**
 * Reads one PowerShell string token as the shell does: '…' is verbatim (a doubled quote is one
 * quote), "…" expands `$name`, `${…}` and `$(…)` and takes a backtick as escape; a bare word ends
 * at whitespace. Returns the value and the rest of the text, or throws where PowerShell would
 * expand or run something of the value.
 */
function readPowershellToken(text: string): { value: string; rest: string } {
  const open = text[0]!;
  if (singleQuotes.includes(open)) {
    let value = '';
    for (let i = 1; i < text.length; i++) {
      if (singleQuotes.includes(text[i]!)) {
        if (i + 1 < text.length && singleQuotes.includes(text[i + 1]!)) ((value += text[i + 1]), i++);
        else return { value, rest: text.slice(i + 1) };
      } else value += text[i];
    }
    throw new Error('unterminated single-quoted string');
  }
  if (doubleQuotes.includes(open)) {
    let value = '';
    for (let i = 1; i < text.length; i++) {
      const c = text[i]!;
      if (c === '`') ((value += text[i + 1]), i++);
      else if (c === '$' && /[({A-Za-z_:?^$]/.test(text[i + 1] ?? ''))
        throw new Error(`expansion at ${JSON.stringify(text.slice(i, i + 12))}`);
      else if (doubleQuotes.includes(c)) return { value, rest: text.slice(i + 1) };
      else value += c;
    }
    throw new Error('unterminated double-quoted string');
  }
  const end = text.search(/\s/);
  const word = end < 0 ? text : text.slice(0, end);
  if (/[$`'"‘’‚‛“”„;&|(){}@<>]/.test(word)) throw new Error(`bare word with special characters: ${word}`);
  return { value: word, rest: end < 0 ? '' : text.slice(end) };
}

/** Values an attacker would plant in a runbook default, a typed field or a result cell. */
const hostile = [
  '$(Remove-Item -Recurse C:\\Users)',
  '${env:USERPROFILE}',
  '$HOME',
  "x'; Remove-Item C:\\x; '",
  '"; Start-Process calc; "',
  '`$(calc)` and ``',
  'line one\nRemove-Item C:\\x\n',
  '‘smart’ and “double” and „low”',
  '& calc.exe | Out-Null; @(1,2)',
  'trailing backtick `',
  '',
];

test('PowerShell: a value with $(…), quotes, backticks and newlines reads back exactly, in a bare word, in \'…\' and in "…"', () => {
  for (const value of hostile) {
    const fill = (command: string) => fillShellText(command, [{ name: 'v', value, secret: false }], 'powershell');
    const bare = readPowershellToken(fill('{{v}}'));
    assert.equal(value === '' ? '' : bare.value, value === '' ? '' : value, `bare: ${JSON.stringify(value)}`);
    assert.equal(bare.rest, '');
    for (const [command, quote] of [
      ["'pre-{{v}}-post'", "'"],
      ['"pre-{{v}}-post"', '"'],
      ['“pre-{{v}}-post”', '“'],
    ] as const) {
      const filled = fill(command);
      assert.ok(filled.startsWith(quote), filled);
      const token = readPowershellToken(filled);
      assert.equal(token.value, `pre-${value}-post`, `${command} with ${JSON.stringify(value)} → ${filled}`);
      assert.equal(token.rest, '', `nothing after the string: ${filled}`);
    }
  }
});

test('PowerShell quoting is not POSIX quoting: the POSIX form of a quote would end the string early in PowerShell', () => {
  const value = "it's $(calc)";
  const posix = fillShellText('{{v}}', [{ name: 'v', value, secret: false }], 'posix');
  assert.equal(posix, "'it'\\''s $(calc)'");
  assert.notEqual(
    readPowershellToken(posix).rest,
    '',
    "PowerShell reads 'it' and then more: the POSIX form is unsafe there",
  );
  assert.equal(fillShellText('{{v}}', [{ name: 'v', value, secret: false }], 'powershell'), "'it''s $(calc)'");
});

const param = (p: Partial<RunbookParameter> & { name: string }): RunbookParameter => ({
  type: 'string',
  secret: false,
  source: 'frontmatter',
  typed: true,
  placeholders: [],
  ...p,
});

test("the step card's preview quotes for the target shell, masks secrets, and judges risk on the filled text", () => {
  const step = {
    id: 's',
    text: 'Get-Content {{path}} -Token {{token}}',
    parameters: [
      { name: 'path', type: 'string', secret: false },
      { name: 'token', type: 'string', secret: true },
    ],
  } as unknown as RunbookStep;
  const plan = {
    parameters: [param({ name: 'path' }), param({ name: 'token', secret: true })],
  } as unknown as RunbookPlan;
  const values = { path: "C:\\logs\\it's here.log", token: "s3'cr$(et)" };
  const powershell = terminalPreview(plan, step, values, 'powershell');
  assert.equal(powershell.text, "Get-Content 'C:\\logs\\it''s here.log' -Token [secret token]");
  const posix = terminalPreview(plan, step, values);
  assert.equal(posix.text, "Get-Content 'C:\\logs\\it'\\''s here.log' -Token [secret token]");

  // Risk is computed on the filled text, not on the template: a harmless template with a value that reads as a deletion is flagged.
  const echoStep = {
    id: 'r',
    text: 'Write-Output {{what}}',
    parameters: [{ name: 'what', type: 'string', secret: false }],
  } as unknown as RunbookStep;
  const echoPlan = { parameters: [param({ name: 'what' })] } as unknown as RunbookPlan;
  assert.equal(terminalPreview(echoPlan, echoStep, { what: 'hello' }, 'powershell').flag.dangerous, false);
  const filled = terminalPreview(echoPlan, echoStep, { what: 'rm -rf /' }, 'powershell');
  assert.equal(filled.text, "Write-Output 'rm -rf /'");
  assert.equal(filled.flag.dangerous, true, 'judged on what will be pasted (conservatively, quoted or not)');
  // A value no quoting can place is refused in the preview with the reason, as the core would refuse it.
  const heredoc = terminalPreview(
    echoPlan,
    { ...echoStep, text: 'psql <<SQL\n{{what}}\nSQL' } as RunbookStep,
    { what: 'a;b' },
    'posix',
  );
  assert.match(heredoc.error ?? '', /sits in a here-document/);
});
