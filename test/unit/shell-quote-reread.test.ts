import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fillShellText, UnquotableValue, type ShellDialect } from '../../src/shared/shell-quote';

const dir = mkdtempSync(join(tmpdir(), 'shell-quote-reread-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const marker = join(dir, 'owned');

const fill = (command: string, value: string, dialect: ShellDialect = 'posix') =>
  fillShellText(command, [{ name: 'svc', value, secret: false }], dialect);
const refused = (command: string, value: string, why: RegExp, dialect: ShellDialect = 'posix') =>
  assert.throws(
    () => fill(command, value, dialect),
    (error: unknown) =>
      error instanceof UnquotableValue && /the value of svc/.test(error.message) && why.test(error.message),
    `${command} with ${JSON.stringify(value)} was not refused`,
  );

test('a quote inside a # comment does not change how later placeholders are quoted', () => {
  writeFileSync(join(dir, 'a.md'), 'x\n');
  const script = `for f in ${dir}/*.md; do  # each node's file\n  grep -c {{svc}} "$f"\ndone`;
  const text = fill(script, `api$(touch ${marker})`);
  execFileSync('/bin/sh', ['-c', `${text}; true`], { encoding: 'utf8' });
  assert.equal(existsSync(marker), false, text);
  assert.equal(
    fill("echo checking  # it's quick\ngrep -c ERROR /var/log/{{svc}}.log", 'a b'),
    "echo checking  # it's quick\ngrep -c ERROR /var/log/'a b'.log",
  );
  // `#` inside a word is not a comment: $# and a#b stay code.
  assert.equal(fill('echo $# a#b {{svc}}', 'a b'), "echo $# a#b 'a b'");
});

test('a value in a comment stays there: one with a line break is refused, others are kept as data', () => {
  refused('ls /tmp # for {{svc}}', `x\ntouch ${marker} #`, /comment and contains a line break/);
  refused('ls /tmp # for {{svc}}', `x\rtouch ${marker}`, /comment/);
  assert.equal(fill('ls /tmp # for {{svc}}', 'a b'), "ls /tmp # for 'a b'");
});

test('PowerShell: quotes in # and <# #> comments do not open strings; a line break cannot leave the comment', () => {
  assert.equal(
    fill("# don't touch prod\nGet-Content C:\\logs\\{{svc}}", 'a; Write-Output PWNED', 'powershell'),
    "# don't touch prod\nGet-Content C:\\logs\\'a; Write-Output PWNED'",
  );
  assert.equal(fill("<# it's #> Get-Content {{svc}}", 'a b', 'powershell'), "<# it's #> Get-Content 'a b'");
  refused('Get-Date # for {{svc}}', 'x\nWrite-Output PWNED', /line break/, 'powershell');
});

test('a value starting with - where it begins an argument is refused: it would be an option', () => {
  refused('find {{svc}} -name "*.log" -mtime +7', '-delete', /starts with "-".*option.*\.\/-delete/);
  refused('git log --oneline -5 {{svc}}', `--output=${marker}`, /option/);
  refused('grep "{{svc}}" f', '-v', /option/);
  assert.equal(fill('grep --regexp={{svc}} f', '-v'), 'grep --regexp=-v f', 'after = it is the option’s value');
  assert.equal(fill('grep "foo {{svc}}" f', '-v x'), `grep "foo "'-v x'"" f`, 'inside a word it is not an option');
  assert.equal(fill('find {{svc}} -name x', './-delete'), 'find ./-delete -name x');
});

test('inside a text another interpreter reads again, only plain words pass; each refusal says what reads it', () => {
  const hostile = `x$(touch ${marker}) '"; touch ${marker}`;
  const cases: [string, RegExp][] = [
    ["bash -c 'grep ERROR /tmp/{{svc}}.log'", /argument of `bash`/],
    ['sh -c "ls /tmp/{{svc}}"', /argument of `sh`/],
    ['ssh bastion "tail /var/log/{{svc}}.log"', /argument of `ssh`/],
    ['ssh bastion tail /var/log/{{svc}}.log', /argument of `ssh`/],
    [`awk '$1 == "{{svc}}" {print}' /etc/passwd`, /argument of `awk`/],
    [`psql -c "SELECT * FROM users WHERE email = '{{svc}}'"`, /argument of `psql -c`/],
    [`sudo -u postgres bash -c "psql -Atc 'select 1' {{svc}}"`, /argument of `bash`/],
    ['find /tmp -exec sh -c "ls {{svc}}" \\;', /argument of `sh`/],
    ['eval "ls {{svc}}"', /argument of `eval`/],
    ['cat /tmp/list | xargs grep {{svc}}', /argument of `xargs`/],
    ['echo "size: `du -sh /tmp/{{svc}}`"', /backticks/],
    ['echo `du -sh /tmp/{{svc}}`', /backticks/],
    ["printf $'{{svc}}\\n'", /\$'…'/],
    ['bash -c "echo $(ls {{svc}})"', /argument of `bash`/],
  ];
  for (const [command, why] of cases) {
    refused(command, hostile, why);
    refused(command, 'a b', /only plain words/);
    assert.doesNotThrow(() => fill(command, 'api-v2.internal'), command);
  }
  refused('Write-Output "size: $(Get-Item {{svc}})"', 'a; Write-Output PWNED', /subexpression/, 'powershell');
  assert.equal(fill('Write-Output "size: {{svc}}"', 'a; b', 'powershell'), 'Write-Output "size: a; b"');
});

test('ordinary commands around a re-reader are unaffected: a new command resets, substitutions nest', () => {
  assert.equal(fill('grep {{svc}} f | awk "{print}"', 'a b'), `grep 'a b' f | awk "{print}"`);
  assert.equal(fill('ssh bastion uptime; ls {{svc}}', 'a b'), "ssh bastion uptime; ls 'a b'");
  assert.equal(fill('echo "$(ls {{svc}})"', 'a b'), `echo "$(ls 'a b')"`);
});

test('recognised placeholder forms ([X], REPLACE_ME, your_host, ${X:-default}) are filled and quoted like {{x}}', () => {
  const p = (command: string, name: string, form: string, value: string) =>
    fillShellText(command, [{ name, value, secret: false, placeholders: [form] }]);
  assert.equal(
    p('find /backups -mtime +[RETENTION_DAYS] -print', 'RETENTION_DAYS', '[RETENTION_DAYS]', '7'),
    'find /backups -mtime +7 -print',
  );
  assert.equal(p('kill REPLACE_ME', 'replace_me', 'REPLACE_ME', '4242'), 'kill 4242');
  assert.equal(p('echo REPLACE_ME_TOO', 'replace_me', 'REPLACE_ME', '1'), 'echo REPLACE_ME_TOO', 'only a whole word');
  assert.equal(p('tail -n ${LINES:-100} f', 'LINES', '${LINES:-100}', '5'), 'tail -n 5 f');
  assert.equal(p('ls your_host', 'your_host', 'your_host', `a$(touch ${marker})`), `ls 'a$(touch ${marker})'`);
  assert.throws(() => p('kill REPLACE_ME', 'replace_me', 'REPLACE_ME', '-9 1'), /option/);
});

test('an interpreter reads code only from its code option: kubectl get node {{x}} is an ordinary argument', () => {
  assert.equal(fill('kubectl get node {{svc}} -o json', 'a b'), "kubectl get node 'a b' -o json");
  assert.equal(fill('python3 -m http.server {{svc}}', 'a b'), "python3 -m http.server 'a b'");
  refused(`python3 -c 'print("{{svc}}")'`, 'a b', /argument of `python3 -c`/);
  refused(`mysql -h db -e "SELECT '{{svc}}'"`, "x' OR 1", /argument of `mysql -e`/);
  refused(`perl -ne 'print if /{{svc}}/' f`, 'a b', /argument of `perl -ne`/);
});
