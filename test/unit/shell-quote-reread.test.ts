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

test('a value starting with - inside a text read again is refused though mid-string: the inner command splits it into a word of its own', () => {
  for (const command of [
    'bash -c "find /var/log {{svc}}"',
    'ssh host "find /var/log {{svc}} -name x"',
    "sh -c 'ls -l {{svc}}'",
    'echo "x {{svc}}" | sh',
  ])
    refused(command, '-delete', /starts with "-" and sits .*read as an option.*give it as \.\/-delete/);
  assert.equal(fill('bash -c "find /var/log {{svc}}"', './-delete'), 'bash -c "find /var/log ./-delete"');
  assert.equal(fill('bash -c "find /var/log {{svc}}"', 'a-b'), 'bash -c "find /var/log a-b"');
  // Outside a re-read, a - mid-word stays data.
  assert.equal(fill('grep "x {{svc}}" f', '-v'), 'grep "x -v" f');
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

test('a value in a pipeline whose later command reads its stdin as code (… | sh, | sudo bash, | python3) may only be a plain word', () => {
  const hostile = `x; touch ${marker}`;
  const piped: [string, RegExp][] = [
    ['echo {{svc}} | sh', /piped into `sh`/],
    ['echo {{svc}} | bash', /piped into `bash`/],
    ['printf "%s\\n" "{{svc}}" | sh -s -- -x', /piped into `sh`/],
    ['echo {{svc}} |& bash -', /piped into `bash`/],
    ['echo {{svc}} | sudo sh', /piped into `sudo → sh`/],
    ['echo {{svc}} | sudo -u deploy bash', /piped into `sudo → bash`/],
    ['echo {{svc}} | sudo -s', /piped into `sudo -s`/],
    ['echo {{svc}} | sudo su - postgres', /piped into `sudo → su`/],
    ['curl -fsS https://deploy.internal/{{svc}}.sh | bash', /piped into `bash`/],
    ['echo {{svc}} | tee /tmp/log | /bin/sh', /piped into `sh`/],
    ['echo {{svc}} | ssh bastion', /piped into `ssh bastion → a login shell`/],
    ['echo {{svc}} | ssh bastion sudo sh', /piped into `ssh bastion → sudo → sh`/],
    ['echo {{svc}} | docker exec -i db1 sh', /piped into `docker exec db1 → sh`/],
    ['echo {{svc}} | kubectl exec -i db-0 -- bash', /piped into `kubectl exec → bash`/],
    ['echo {{svc}} | env -i PATH=/bin nohup timeout 5 sh', /piped into `env → nohup → timeout → sh`/],
    ['echo {{svc}} | python3', /piped into `python3`/],
    ['echo "select {{svc}}" | psql -U postgres', /piped into `psql`/],
    ['echo "GET {{svc}}" | redis-cli -n 2', /piped into `redis-cli`/],
    ['echo {{svc}} | xargs kill', /piped into `xargs`/],
    ['echo {{svc}} | at now', /piped into `at`/],
    ['ls /tmp/{{svc}} 2>&1 | sh', /piped into `sh`/],
    ['(cd /tmp; echo {{svc}}) | sh', /piped into `sh`/],
    ['for h in a b; do echo "{{svc}} $h"; done | bash', /piped into `bash`/],
    ['{ echo {{svc}}; } | sh', /piped into `sh`/],
    ['echo "$(echo {{svc}} | sh)"', /piped into `sh`/],
  ];
  for (const [command, why] of piped) {
    refused(command, hostile, why);
    refused(command, 'a b', /only plain words/);
    assert.doesNotThrow(() => fill(command, 'api-v2.internal'), command);
  }
  // Stdin that stays data: a filter, a script file, a program given with -c, another statement.
  const data = [
    'echo {{svc}} | grep foo',
    'echo {{svc}} | sudo tee /etc/motd',
    'kubectl get pods -n {{svc}} -o json | python3 -m json.tool',
    `kubectl get pods -n {{svc}} -o json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))'`,
    'echo {{svc}} | bash /opt/scripts/ingest.sh',
    'echo {{svc}} | sh -c "cat > /tmp/x"',
    'echo {{svc}} | psql -c "\\copy t from stdin"',
    'echo {{svc}} | redis-cli -x set greeting',
    'echo {{svc}} | ssh bastion "cat > /tmp/x"',
    'grep {{svc}} /var/log/app.log; echo uptime | sh',
    'grep {{svc}} /var/log/app.log && echo uptime | sh',
    'grep {{svc}} /var/log/app.log || echo uptime | sh',
  ];
  for (const command of data) assert.doesNotThrow(() => fill(command, 'a b; c'), command);
});

test('sudo -s / -i hand the command to a shell: its values may only be plain words; other sudo options do not', () => {
  for (const command of [
    'sudo -s {{svc}}',
    'sudo -i ls {{svc}}',
    'sudo -u postgres -i psql {{svc}}',
    'sudo -Es tail {{svc}}',
    'sudo -iu postgres ls {{svc}}',
    'sudo --login ls {{svc}}',
  ])
    refused(command, 'a; b', /argument of `sudo -/);
  for (const command of [
    'sudo ls {{svc}}',
    'sudo -u s ls {{svc}}',
    'sudo -E ls {{svc}}',
    'sudo -- ls -s {{svc}}',
    'sudo -u postgres ls -i {{svc}}',
  ])
    assert.equal(fill(command, 'a; b'), command.replace('{{svc}}', "'a; b'"), command);
});

test('commands run through wrappers keep the re-read of their sh -c text; a redirect & does not end the command', () => {
  for (const command of [
    "sudo sh -c 'ls {{svc}}'",
    "docker exec db1 bash -c 'ls {{svc}}'",
    "kubectl exec db-0 -- sh -c 'ls {{svc}}'",
    "nsenter -t 1 -m -u sh -c 'ls {{svc}}'",
    "env A=1 bash -c 'ls {{svc}}'",
    "timeout 5 sh -c 'ls {{svc}}'",
    "nohup sh -c 'ls {{svc}}' &",
    'ssh bastion ls 2>&1 {{svc}}',
  ])
    refused(command, 'a; b', /argument of `(sh|bash|ssh)`/);
});

test('PowerShell: iex, Invoke-Expression, pwsh -Command, cmd /c, Start-Process and script blocks from strings read values again', () => {
  const cases: [string, RegExp][] = [
    ['iex "Get-Item {{svc}}"', /argument of `iex`/],
    ["Invoke-Expression 'Get-Item {{svc}}'", /argument of `invoke-expression`/],
    ['powershell -Command "Get-Item {{svc}}"', /argument of `powershell`/],
    ['pwsh -NoProfile -c Get-Item {{svc}}', /argument of `pwsh`/],
    ['C:\\Windows\\System32\\cmd.exe /c dir {{svc}}', /argument of `cmd.exe`/],
    ['Start-Process pwsh -ArgumentList "-c", "Get-Item {{svc}}"', /argument of `start-process`/],
    ['& ([scriptblock]::Create("Get-Item {{svc}}"))', /argument of `\[scriptblock\]::create`/],
    ['"Get-Item {{svc}}" | iex', /piped into `iex`/],
    ['Write-Output "Get-Item {{svc}}" | Invoke-Expression', /piped into `invoke-expression`/],
    ['Get-Content {{svc}} | powershell -Command -', /piped into `powershell`/],
  ];
  for (const [command, why] of cases) {
    refused(command, 'a; Write-Output PWNED', why, 'powershell');
    assert.doesNotThrow(() => fill(command, 'api-v2.internal', 'powershell'), command);
  }
  assert.equal(fill('Get-Item {{svc}}', 'a; b', 'powershell'), "Get-Item 'a; b'");
  assert.equal(
    fill('Get-Content {{svc}} | Select-String ERROR', 'a; b', 'powershell'),
    "Get-Content 'a; b' | Select-String ERROR",
  );
  assert.equal(fill('iex "Get-Date"; Get-Item {{svc}}', 'a; b', 'powershell'), `iex "Get-Date"; Get-Item 'a; b'`);
});

test('more texts read again: combined sudo flags, shell options and /dev/stdin, chrt, source <(…), here-strings, php -r, node -p, script -c, env -S', () => {
  const hostile = `x; touch ${marker}`;
  const cases: [string, RegExp][] = [
    ['echo {{svc}} | sudo -iu deploy', /piped into `sudo -s`/],
    ['echo {{svc}} | bash -o pipefail', /piped into `bash`/],
    ['echo {{svc}} | bash -eo pipefail', /piped into `bash`/],
    ['echo {{svc}} | sh /dev/stdin', /piped into `sh`/],
    ['echo {{svc}} | python3 /dev/stdin', /piped into `python3`/],
    ['echo {{svc}} | chrt -f 1 sh', /piped into `chrt → sh`/],
    ['echo {{svc}} | ssh -Tp 22 bastion', /piped into `ssh bastion → a login shell`/],
    ['source <(echo {{svc}})', /output of <\(…\) that `source` runs/],
    ['. <(echo {{svc}})', /output of <\(…\) that `\.` runs/],
    ['sudo -u deploy bash < <(echo {{svc}})', /output of <\(…\) that `sudo → bash` runs/],
    ['redis-cli <<< "get {{svc}}"', /here-string \(<<<\) given to `redis-cli`/],
    ['redis-cli -n 2 <<< "get {{svc}}"', /here-string \(<<<\) given to `redis-cli`/],
    [`psql -d app <<< "select * from users where email = '{{svc}}'"`, /here-string \(<<<\) given to `psql`/],
    [`php -r 'echo "{{svc}}";'`, /argument of `php -r`/],
    [`node -p '"{{svc}}"'`, /argument of `node -p`/],
    ['script -q -c "ls {{svc}}" /dev/null', /argument of `script -c`/],
    ['env -S "ls {{svc}}"', /argument of `env -S`/],
  ];
  for (const [command, why] of cases) {
    refused(command, hostile, why);
    assert.doesNotThrow(() => fill(command, 'api-v2.internal'), command);
  }
  // Where the text stays data, any value is quoted as before.
  for (const command of [
    'echo {{svc}} | sudo -iu deploy cat',
    'echo {{svc}} | bash -o pipefail /srv/check.sh',
    'echo {{svc}} | chrt -f 1 cat',
    'diff <(echo {{svc}}) /etc/hostname',
    'grep -c x <<< "{{svc}}"',
    `kubectl patch node n1 -p '{"metadata":{"labels":{"x":"{{svc}}"}}}'`,
    'env FOO=1 ls {{svc}}',
  ])
    assert.doesNotThrow(() => fill(command, 'a b; c'), command);
});
