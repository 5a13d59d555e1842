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
