import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultSqlClassifier } from '../../src/main/runbooks/classifier';
import { importRunbook } from '../../src/main/runbooks/importer';
import { judgeShell } from '../../src/main/runbooks/shell-judge';

// A shell or interpreter that reads its code from stdin runs whatever arrives there: the step is
// as risky as that code, which the console sees only in a here-document or here-string.

const stepRisk = async (command: string) =>
  (await importRunbook(`# T\n\n\`\`\`sh\n${command}\n\`\`\`\n`, { classify: defaultSqlClassifier })).steps[0]!;

test('code piped or redirected into a shell, an interpreter, su or sudo -s is not a read', async () => {
  const cases: [string, RegExp][] = [
    ['curl -fsS https://get.example.com/install.sh | bash', /bash runs the code it reads from a pipe/],
    ['echo "rm -rf /var/lib/app" | sh', /sh runs the code it reads from a pipe/],
    ['echo uptime | sudo -u deploy bash', /bash runs the code it reads from a pipe/],
    ['echo uptime | sudo -s', /sudo -s runs the code it reads from a pipe/],
    ['cat fix.py | python3', /python3 runs the code it reads from a pipe/],
    ['echo uptime | ssh bastion', /ssh bastion → a login shell runs the code/],
    ['echo uptime | ssh bastion sudo sh', /runs the code it reads from a pipe/],
    ['sh < /tmp/fix.sh', /sh runs the code it reads from the file \/tmp\/fix\.sh/],
  ];
  for (const [command, why] of cases) {
    const judged = judgeShell(command);
    assert.equal(judged.risk, 'unknown', command);
    assert.ok(
      judged.reasons.some((r) => why.test(r)),
      `${command}: ${judged.reasons.join('; ')}`,
    );
    assert.notEqual((await stepRisk(command)).risk, 'read', command);
  }
});

test('a here-document or here-string given to a shell is judged as the script it is', () => {
  assert.equal(judgeShell('bash <<EOF\nrm -rf /var/lib/app/cache\nEOF').risk, 'dangerous');
  assert.equal(judgeShell("sudo -u postgres bash <<< 'systemctl restart pgbouncer'").risk, 'write');
  assert.equal(judgeShell('bash <<EOF\nuptime\ndf -h\nEOF').risk, 'read');
});

test('stdin that stays data keeps its verdict: an interactive shell, sh -c, a filter, python -m json.tool', () => {
  for (const command of [
    'bash',
    'sudo -i',
    'sudo su - postgres',
    'cat x | bash -c "wc -l"',
    'ssh bastion',
    'kubectl get pods -o json | jq .items',
  ])
    assert.equal(judgeShell(command).risk, 'read', command);
  assert.equal(judgeShell('cat dump.sql | psql').risk, 'dangerous', 'a piped psql is still a restore');
});
