import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fillShellText } from '../../src/shared/shell-quote';
import { fillParameters } from '../../src/main/terminals/send-command';

const dir = mkdtempSync(join(tmpdir(), 'shell-quote-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const marker = join(dir, 'owned');
/**
 * Runs a text in bash with HOME at the test's folder: bash reads ~/.bashrc when its stdin is a
 * socket (Node's pipes are socketpairs), and the machine's own could run anything there.
 */
const bash = (text: string) =>
  execFileSync('/bin/bash', ['-c', text], { encoding: 'utf8', env: { PATH: process.env.PATH, HOME: dir } });

/** Values an attacker would put in a runbook default, a typed field or a result cell. */
const hostile = [
  `$(touch ${marker})`,
  `\`touch ${marker}\``,
  `x' && touch ${marker} && clear && test -n '`,
  `"; touch ${marker}; echo "`,
  `a\ntouch ${marker}\n`,
  `\\'$(touch ${marker})\\`,
  `!! && touch ${marker} # \${HOME} $HOME * ?`,
  `‘’ “”   end`,
  '',
];
/** A placeholder in each spot a runbook puts one: bare, in '…', in "…", inside "$(…)", as $name. */
const commands: [string, (v: string) => string][] = [
  ['printf %s {{v}}', (v) => v],
  ["printf %s 'pre-{{v}}-post'", (v) => `pre-${v}-post`],
  ['printf %s "pre-{{v}}-post"', (v) => `pre-${v}-post`],
  ['printf %s "$(printf %s "<v>")"', (v) => v.replace(/\n+$/, '')],
  ['printf %s $v', (v) => v],
  ['printf %s "x${v}y" && printf %s {{ v }}', (v) => `x${v}y${v}`],
];

for (const shell of ['bash', 'sh'].filter((s) => existsSync(`/bin/${s}`))) {
  test(`${shell}: every value reads back exactly and none of it runs`, () => {
    for (const value of hostile) {
      for (const [command, expected] of commands) {
        const text = fillParameters(command, [{ name: 'v', value, secret: false }]);
        const out = execFileSync(`/bin/${shell}`, ['-c', text], {
          encoding: 'utf8',
          env: { PATH: process.env.PATH, HOME: dir },
        });
        assert.equal(existsSync(marker), false, `${command} with ${JSON.stringify(value)} ran code: ${text}`);
        if (value.length > 0 || !command.startsWith('printf %s $v'))
          assert.equal(out, expected(value), `${command} with ${JSON.stringify(value)} → ${text}`);
      }
    }
  });
}

test('plain values are pasted as they are; secrets show masked in the preview', () => {
  assert.equal(
    fillParameters('kill {{pid}}; echo <pid> ${pid} $pid $pidx', [{ name: 'pid', value: '42', secret: false }]),
    'kill 42; echo 42 42 42 $pidx',
  );
  const parameters = [
    { name: 'token', value: "s3cr'et", secret: true },
    { name: 'host', value: 'db 1', secret: false },
  ];
  assert.equal(
    fillShellText('curl -H "Authorization: {{token}}" {{host}}', parameters, 'posix', true),
    `curl -H "Authorization: [secret token]" 'db 1'`,
  );
  assert.equal(
    fillShellText('curl -H "Authorization: {{token}}" {{host}}', parameters),
    `curl -H "Authorization: "'s3cr'\\''et'"" 'db 1'`,
  );
});

test('a value that no quoting can make inert in a here-document is refused, a plain one passes', () => {
  const heredoc = 'psql <<SQL\nSELECT * FROM t WHERE id = {{id}};\nSQL\necho {{id}}';
  assert.equal(
    fillParameters(heredoc, [{ name: 'id', value: '42', secret: false }]),
    'psql <<SQL\nSELECT * FROM t WHERE id = 42;\nSQL\necho 42',
  );
  assert.throws(
    () => fillParameters(heredoc, [{ name: 'id', value: '1\nSQL\ntouch /tmp/x', secret: false }]),
    /Not sent: the value of id sits in a here-document/,
  );
  assert.equal(
    fillParameters("cat <<'EOF'\nok\nEOF\necho {{id}}", [{ name: 'id', value: 'a b', secret: false }]),
    "cat <<'EOF'\nok\nEOF\necho 'a b'",
    'after the body, plain context again',
  );
});

test('PowerShell: single quotes doubled, smart quotes too, backtick in double quotes', () => {
  const p = (command: string, value: string) =>
    fillShellText(command, [{ name: 'v', value, secret: false }], 'powershell');
  assert.equal(p('Write-Output {{v}}', "a'b; rm"), "Write-Output 'a''b; rm'");
  assert.equal(p("Write-Output 'x{{v}}'", 'a’b'), "Write-Output 'xa’’b'");
  assert.equal(p('Write-Output "x{{v}}"', '$(rm) `"'), 'Write-Output "x`$(rm) ```""');
});

test('a value with a code subscript is refused where the step evaluates numbers: bash runs a[$(…)] read as a number', () => {
  const value = `a[$(touch ${marker})]`;
  // The premise, on the real bash: quoting the value at its assignment does not keep it data.
  bash(`n='${value}'; echo $(( n + 1 ))`);
  assert.equal(existsSync(marker), true, 'bash ran the subscript of a quoted value read as a number');
  rmSync(marker);
  for (const command of [
    'n={{n}}; echo $(( n + 1 ))',
    'n="{{n}}"; (( n > 5 )) && echo big',
    'n={{n}}; [[ "$n" -gt 5 ]] && echo big',
    'n={{n}}; let "m = n + 1"',
    'declare -i m={{n}}',
    'n={{n}}; echo "${list[n]}"',
    'n={{n}}; s=abcdef; echo "${s:n}"',
    'for ((i = 0; i < {{n}}; i++)); do echo $i; done',
  ]) {
    assert.throws(
      () => fillParameters(command, [{ name: 'n', value, secret: false }]),
      /the value of n holds an array subscript with \$ or a backquote, and the step evaluates numbers/,
      command,
    );
  }
  // A number, a plain subscript, or the same value where nothing evaluates numbers, stay data.
  const arithmetic = 'n={{n}}; echo $(( n + 1 ))';
  assert.equal(fillParameters(arithmetic, [{ name: 'n', value: '41', secret: false }]), 'n=41; echo $(( n + 1 ))');
  assert.equal(
    fillParameters(arithmetic, [{ name: 'n', value: 'a[1]', secret: false }]),
    "n='a[1]'; echo $(( n + 1 ))",
  );
  for (const command of ['printf %s {{n}}', 'printf %s "${x:-default}" {{n}}']) {
    const text = fillParameters(command, [{ name: 'n', value, secret: false }]);
    assert.match(bash(text), /a\[\$\(touch .*\)\]$/, text);
    assert.equal(existsSync(marker), false, text);
  }
});

test('a value in the word of a ${…} inside double quotes is refused unless plain: a quote there does not close the string', () => {
  const value = `$(touch ${marker})`;
  // The premise, on the real bash: the quoting that is safe elsewhere in "…" runs the value here.
  bash(`printf %s "\${x:-"'${value}'"}"`);
  assert.equal(existsSync(marker), true, 'bash ran a $(…) given in the word of "${x:-…}"');
  rmSync(marker);
  for (const command of ['printf %s "${x:-{{v}}}"', 'echo "${NS:-{{v}}}/${x#{{v}}}"', 'echo "a ${x:+$v} b"']) {
    assert.throws(
      () => fillParameters(command, [{ name: 'v', value, secret: false }]),
      /the value of v sits in the word of a \$\{…\} inside double quotes/,
      command,
    );
    assert.equal(
      fillParameters(command, [{ name: 'v', value: 'payments-prod', secret: false }]),
      command.replace(/\{\{v\}\}|\$v/g, 'payments-prod'),
      'a plain value still fills',
    );
  }
  // A ${v} placeholder inside "…", and a ${…} outside double quotes, are quoted as before.
  for (const command of ['printf %s "x${v}y"', 'printf %s ${x:-{{v}}}']) {
    const text = fillParameters(command, [{ name: 'v', value, secret: false }]);
    bash(text);
    assert.equal(existsSync(marker), false, text);
  }
});
