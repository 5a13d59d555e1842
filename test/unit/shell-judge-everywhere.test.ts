import assert from 'node:assert/strict';
import { test } from 'node:test';
import { judgeShell } from '../../src/main/runbooks/shell-judge';

// A command runs wherever the shell expands a `$(…)`, backquote or `<(…)`, not only in a command's
// words: a `for` list, a `case` word, `[[ … ]]`, arithmetic, `${x:-…}`, a declaration's value, an
// array, an unquoted heredoc. Each is judged, so none of these texts passes as a read.

const destructive = 'rm -rf /srv';

test('a command in any place the shell expands is judged with the rest', () => {
  for (const text of [
    `for x in $(${destructive}); do echo "$x"; done`,
    `select x in $(${destructive}); do echo; done`,
    `case $(${destructive}) in a) echo;; esac`,
    `for ((i=$(${destructive}); i<3; i++)); do echo; done`,
    `[[ $(${destructive}) == x ]]`,
    `(( $(${destructive}) + 1 ))`,
    `x=$(( $(${destructive}) + 1 ))`,
    `echo "\${x:-$(${destructive})}"`,
    `local y=$(${destructive})`,
    `export y="$(${destructive})"`,
    `readonly y=\`${destructive}\``,
    `declare -a list=($(${destructive}))`,
    `list=(a "$(${destructive})")`,
    `cat <<EOF\n$(${destructive})\nEOF`,
    `echo "$(echo "$(${destructive})")"`,
    `diff <(${destructive}) /etc/hosts`,
  ]) {
    const judged = judgeShell(text);
    assert.equal(judged.risk, 'dangerous', text);
    assert.ok(
      judged.commands.some((c) => c.text === destructive),
      `${text}: the inner command is listed`,
    );
  }
});

test('a quoted heredoc is data, and reads stay reads where they are nested', () => {
  assert.equal(judgeShell(`cat <<'EOF'\n$(${destructive})\nEOF`).risk, 'read');
  assert.equal(
    judgeShell('for pod in $(kubectl get pods -o name); do kubectl logs "$pod" --tail=5; done').risk,
    'read',
  );
  assert.equal(judgeShell('local started=$(date +%s)').risk, 'read');
  assert.equal(judgeShell('case "$(uname -s)" in Linux) uptime;; esac').risk, 'read');
});

test('a declaration on several lines is judged as on one', () => {
  // On one line the lexer reads it; with a second line the grammar does: the verdict is the same.
  assert.equal(judgeShell('export LD_PRELOAD=/tmp/x.so').risk, 'unknown');
  assert.equal(judgeShell('export LD_PRELOAD=/tmp/x.so\nls').risk, 'unknown');
  assert.equal(judgeShell('declare -x PAGER=x; echo "$(date)"').risk, 'unknown');
  assert.equal(judgeShell('local pod=web-1\nkubectl get pod "$pod"').risk, 'read');
});

test("a trap's action is judged now: the shell runs it later, on a signal or when the terminal closes", () => {
  for (const text of [`trap '${destructive}' EXIT`, `trap -- "${destructive}" INT TERM`]) {
    const judged = judgeShell(text);
    assert.equal(judged.risk, 'dangerous', text);
    assert.deepEqual(judged.commands.at(-1)!.via, ['trap'], text);
  }
  for (const text of ["trap 'echo bye' EXIT", 'trap - INT', "trap '' INT", 'trap -p', 'trap -l', 'trap INT']) {
    assert.equal(judgeShell(text).risk, 'read', text);
  }
});

test('a redirection onto a file makes any command a write: builtins, shells, clients and what a wrapper runs', () => {
  for (const text of [
    ': > /etc/passwd',
    'set -x 2> /etc/passwd',
    'mapfile -t lines 2> /etc/shadow',
    'ssh web1 > /etc/passwd',
    'curl -s http://x > /etc/passwd',
    "psql -c 'select 1' > /etc/passwd",
    'redis-cli info > /etc/passwd',
    'ssh web1 uptime > /etc/passwd',
    "sudo sh -c 'uptime' > /etc/passwd",
  ]) {
    assert.equal(judgeShell(text).risk, 'write', text);
  }
  for (const text of ['echo x > /dev/stderr', 'echo x >> /dev/fd/2', ': > /dev/null']) {
    assert.equal(judgeShell(text).risk, 'read', text);
  }
});

test('prefixes and builtins: what they run is judged, and their own forms too', () => {
  const cases: [string, string][] = [
    ['exec -a ls rm -rf /srv', 'dangerous'],
    ['exec -c rm -rf /srv', 'dangerous'],
    ['nice -n 10 rm -rf /srv', 'dangerous'],
    ['time -o /etc/passwd ls', 'write'],
    ['time -o /tmp/t rm -rf /srv', 'dangerous'],
    ["mapfile -C 'rm -rf /srv;' -c 1 lines < f", 'unknown'],
    ['IFS= read -r PATH', 'unknown'],
    ['command -v rm', 'read'],
    ['command -V kubectl', 'read'],
    ['time ls', 'read'],
    ['IFS= readarray -t pods < <(kubectl get pods -o name)', 'read'],
  ];
  for (const [text, expected] of cases) assert.equal(judgeShell(text).risk, expected, text);
});

test('a value expanded as a prompt (${x@P}) asks: the prompt expansion runs any $(…) the value holds', () => {
  // x='$(rm -rf /srv)'; echo "${x@P}" runs rm: the command is in a value the text does not show.
  for (const text of [
    'echo "${x@P}"',
    'printf %s ${list[0]@P}',
    'y=${!ref@P}',
    'for a in "${@@P}"; do echo "$a"; done',
    '[[ ${x@P} == y ]]',
    `cat <<EOF\n\${x@P}\nEOF`,
  ]) {
    const judged = judgeShell(text);
    assert.equal(judged.risk, 'unknown', text);
    assert.match(judged.reasons.join('\n'), /@P\}: expands a value as a prompt/, text);
  }
  assert.equal(judgeShell('echo "${x@P}" "${x@P}"').commands.filter((c) => c.text === '${x@P}').length, 1);
  // The other transformations only quote or change case: reads.
  for (const text of ['echo "${x@Q}"', 'echo "${x@U}" "${x@L}" "${x@A}" "${x@E}"', 'echo "${x}P"']) {
    assert.equal(judgeShell(text).risk, 'read', text);
  }
});
