import assert from 'node:assert/strict';
import { test } from 'node:test';
import { judgeShell } from '../../src/main/runbooks/shell-judge';

// Variables and settings that programs run as code (BASH_ENV, LESSOPEN, PAGER, GIT_*, LD_PRELOAD,
// PATH, git -c core.fsmonitor…) make the command they prefix something other than a read. Only a
// short list of harmless variables and display settings keeps a read a read.

const risk = (text: string) => judgeShell(text).risk;

test('a code-bearing variable before a command makes it ask first', () => {
  const notReads = [
    "LESSOPEN='|touch /tmp/PWN %s' less /etc/hostname",
    'BASH_ENV=<(echo touch /tmp/PWN) bash -c true',
    'env BASH_ENV=/dev/stdin bash -c true <<< x',
    'GIT_PAGER=x git log -1',
    'PAGER=x git log -1',
    'MANPAGER=x man ls',
    'GIT_SSH_COMMAND=x git fetch',
    'LD_PRELOAD=/tmp/x.so ls',
    'PATH=/tmp/x ls',
    'PYTHONSTARTUP=x python3 -V',
    'NODE_OPTIONS=--require=/tmp/x node --version',
    'IFS=x ls',
    "PS4='$(touch x)' bash -xc true",
    'env LD_PRELOAD=/tmp/x.so ls',
    'sudo PATH=/tmp/x ls',
    "sh -c 'LD_PRELOAD=x ls'",
    'FOO=1 ls',
    'AWS_CONFIG_FILE=/tmp/x aws s3 ls',
    'CLOUDSDK_CONFIG=/tmp/x gcloud compute instances list',
    'PATH=/tmp/x',
    'declare -x PATH=/tmp/x',
  ];
  for (const text of notReads) assert.notEqual(risk(text), 'read', text);
  assert.equal(risk('PATH=/tmp/x rm -rf /srv'), 'dangerous');
  assert.equal(risk('AWS_PROFILE=prod aws s3 rm s3://shop/k'), 'dangerous', 'the selector leaves a write a write');
  assert.match(judgeShell('LD_PRELOAD=x ls').reasons[0]!, /LD_PRELOAD=… before ls/);
  for (const text of [
    'TZ=UTC date',
    'LC_ALL=C sort f',
    'LANG=C grep x f',
    'PAGER=cat git log -1',
    'env TZ=UTC ls',
    'REDISCLI_AUTH=x redis-cli ping',
    'N=300',
    'POD=$(kubectl get pods -o name | head -1)',
    'AWS_PROFILE=prod aws s3 ls',
    'AWS_REGION=eu-west-1 AWS_PROFILE=prod aws ec2 describe-instances',
    'CLOUDSDK_CORE_PROJECT=shop gcloud compute instances list',
  ]) {
    assert.equal(risk(text), 'read', text);
  }
});

test('setting a variable that points a program at code or settings is not a read, whatever the program', () => {
  for (const text of [
    'AWS_CONFIG_FILE=/tmp/x',
    'export AWS_SHARED_CREDENTIALS_FILE=/tmp/x',
    'export GOOGLE_APPLICATION_CREDENTIALS=/tmp/key.json',
    'CLOUDSDK_CONFIG=/tmp/x',
    'export DOCKER_CONFIG=/tmp/x',
    'GNUPGHOME=/tmp/x',
    'PSQLRC=/tmp/x',
    'SHELL=/tmp/x',
    'JAVA_OPTS=-javaagent:/tmp/x.jar',
    'declare -x CARGO_HOME=/tmp/x',
    'export MANPATH=/tmp/x',
    'SSLKEYLOGFILE=/tmp/keys',
    'GLIBC_TUNABLES=x',
    'declare -x FOO_COMMAND=x',
    'export N=1 ACME_CONFIG=/tmp/x',
    'declare -x PATH+=:/tmp/x',
    'local LD_PRELOAD+=/tmp/x.so',
    'declare PATH[0]=/tmp/x',
    'declare -n ref=PROMPT_COMMAND',
    'declare "$name=x"',
  ]) {
    assert.equal(risk(text), 'unknown', text);
  }
  assert.match(judgeShell('export GNUPGHOME=/tmp/x').reasons[0]!, /setting GNUPGHOME changes what later commands run/);
  // A runbook's own values stay reads, and so do the known-harmless selectors.
  for (const text of [
    'TARGET_PID=4242',
    'NAMESPACE=prod',
    // A shell variable reaches no program: its name's shape alone does not make it ask.
    'DUMP_PATH=/tmp/db.sql',
    "EXTRA_ARGS='--since=1h'; journalctl -u api $EXTRA_ARGS",
    'local FOO_COMMAND=x',
    'for LOG_PATH in /var/log/*.log; do tail -n1 "$LOG_PATH"; done',
    'local pod_name=web-1',
    'AWS_PROFILE=prod',
    'PGHOST=db1 PGDATABASE=shop',
    'TZ=UTC',
  ]) {
    assert.equal(risk(text), 'read', text);
  }
});

test('a loop or a builtin that sets a code-bearing variable is not a read', () => {
  for (const text of [
    'for PATH in /tmp/x; do ls; done',
    'select PAGER in x; do git log; done',
    'read PATH',
    'read -r LD_PRELOAD < /tmp/x',
    'read -ra PATH',
    'read -a PATH',
    'printf -v PATH %s /tmp/x',
    'mapfile -t NODE_OPTIONS < /tmp/x',
    'getopts ab PATH',
  ]) {
    assert.equal(risk(text), 'unknown', text);
  }
  assert.match(judgeShell('for GIT_PAGER in x; do git log; done').reasons.join('\n'), /the loop sets GIT_PAGER/);
  for (const text of [
    'for host in a b; do ping -c1 "$host"; done',
    'read -r answer',
    'read -p "PATH? " answer',
    'printf -v stamp %s "$(date)"',
    'IFS= read -r line',
    'while IFS= read -r line; do echo "$line"; done < /etc/hosts',
    'mapfile -t lines < /etc/hosts',
  ]) {
    assert.equal(risk(text), 'read', text);
  }
  assert.equal(risk('IFS=x ls'), 'unknown', 'IFS before anything but read still asks');
});

test('git -c and --config-env are reads only for display settings', () => {
  for (const text of [
    "git -c core.fsmonitor='touch /tmp/PWN' status",
    'git -C /srv/app -c core.pager=x log -1',
    'git -c core.sshCommand=x fetch',
    'git -ccore.fsmonitor=x status',
    'git --config-env=core.pager=EVIL log',
    'git --config-env core.pager=EVIL log',
    'git --exec-path=/tmp/x status',
  ]) {
    assert.equal(risk(text), 'unknown', text);
  }
  assert.equal(risk('git -c core.fsmonitor=x push --force'), 'dangerous');
  for (const text of [
    'git -c color.ui=always log -1',
    'git -c core.quotepath=off status',
    'git -C /srv/app -c column.ui=never branch',
    'git log -c -1',
  ]) {
    assert.equal(risk(text), 'read', text);
  }
});

test('a kubeconfig given on the command line asks as KUBECONFIG= does; helm --post-renderer runs a program', () => {
  for (const text of [
    'kubectl get pods --kubeconfig=/tmp/x',
    'kubectl --kubeconfig /tmp/x get pods',
    'helm list --kubeconfig=/tmp/x',
    'helm template web ./chart --post-renderer ./render.sh',
  ]) {
    assert.equal(risk(text), 'unknown', text);
  }
  assert.equal(risk('kubectl delete ns prod --kubeconfig=/tmp/x'), 'dangerous', 'a write stays as risky as it was');
  assert.equal(risk('kubectl get pods -n web'), 'read');
  assert.equal(risk('helm list -A'), 'read');
});

test('an expansion that assigns a code-bearing variable asks; trap with a number first only resets signals', () => {
  for (const text of [': ${PROMPT_COMMAND:=rm -rf ~}', 'echo "${PATH:=/tmp/x}"', ': ${LD_PRELOAD=/tmp/x.so}']) {
    assert.equal(risk(text), 'unknown', text);
  }
  assert.match(judgeShell(': ${PROMPT_COMMAND:=x}').reasons.join('\n'), /sets PROMPT_COMMAND/);
  for (const text of ['echo "${NS:=default}"', 'echo "${x:-y}"', 'trap 1 2']) {
    assert.equal(risk(text), 'read', text);
  }
});
