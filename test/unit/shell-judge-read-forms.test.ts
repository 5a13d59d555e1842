import assert from 'node:assert/strict';
import { test } from 'node:test';
import { judgeShell } from '../../src/main/runbooks/shell-judge';

// Programs of the read table whose other forms write or run things: only their read forms are
// reads. Options are case-sensitive, so `git branch -D` is not `git branch -d`.

const risk = (text: string) => judgeShell(text).risk;

test('forms of read-table programs that write or run commands are not reads', () => {
  const cases: [string, string][] = [
    ["gdb -batch -ex 'shell touch /tmp/PWN'", 'unknown'],
    ['gdb -p 1234', 'unknown'],
    ['strace -o /tmp/out true', 'unknown'],
    ['strace -p 1234', 'unknown'],
    ['strace rm -rf /srv', 'dangerous'],
    ['ltrace -p 1', 'unknown'],
    ['perf stat -- touch /tmp/x', 'unknown'],
    ['perf record -p 1 -- sleep 30', 'write'],
    ['find /var/log -name x -fprint /tmp/out', 'write'],
    ['find /var/log -fprintf /tmp/out %p', 'write'],
    ['find /var/log -fls /tmp/out', 'write'],
    ['find /var/log -fprint0 /tmp/out', 'write'],
    ['git branch -D main', 'dangerous'],
    ['git branch -d topic', 'write'],
    ['git branch topic', 'write'],
    ['git branch -m a b', 'write'],
    ['git remote remove origin', 'dangerous'],
    ['git remote add ops git@example.com:x', 'write'],
    ['git remote set-url origin x', 'write'],
    ['ip link set lo down', 'write'],
    ['ip addr add 10.0.0.1/24 dev eth0', 'write'],
    ['ip route del default', 'write'],
    ['hostname newname', 'write'],
    ['hostname -F /etc/hostname', 'write'],
    ["date -s '2020-01-01'", 'write'],
    ['date --set=2020-01-01', 'write'],
    ['date 01010000', 'write'],
    ['dmesg -C', 'write'],
    ['dmesg -c', 'write'],
    ['dmesg --clear', 'write'],
    ['dmesg -n 1', 'write'],
    ['journalctl --vacuum-size=1K', 'write'],
    ['journalctl --rotate', 'write'],
    ['journalctl --flush', 'write'],
    ['journalctl --rot', 'write'],
    ['journalctl --vacuum-s=1K', 'write'],
    ['dmesg --cl', 'write'],
    ['ssh-keygen -R github.com', 'write'],
    ['ssh-keygen -t ed25519 -f k', 'write'],
    ['kubectl config delete-context prod', 'write'],
    ['kubectl config use-context prod', 'write'],
    ['kubectl auth reconcile -f rbac.yaml', 'write'],
    ['openssl enc -base64 -in /etc/hostname -out /tmp/x', 'write'],
    ['openssl req -engine x -new', 'unknown'],
    ['tcpdump -z touch -w /tmp/x -G 1 -W 1', 'unknown'],
    ['tcpdump -i any -w /tmp/x.pcap', 'write'],
  ];
  for (const [text, expected] of cases) assert.equal(risk(text), expected, text);
});

test('their read forms stay reads', () => {
  for (const text of [
    'git branch',
    'git branch -a',
    'git branch -vv',
    "git branch --list 'release-*'",
    'git branch -r --contains abc123',
    'git remote -v',
    'git remote show origin',
    'git remote get-url origin',
    'ip a',
    'ip -br addr show',
    'ip -s link',
    'ip route',
    'ip route get 1.1.1.1',
    'ip neigh show',
    'hostname',
    'hostname -f',
    'hostname -I',
    'date',
    'date -u +%s',
    'date -d yesterday +%F',
    'dmesg',
    'dmesg -T --level=err',
    'dmesg -wH',
    'journalctl -u nginx -n 50 --no-pager',
    'ssh-keygen -lf key.pub',
    'ssh-keygen -F github.com',
    'kubectl config view',
    'kubectl config current-context',
    'kubectl config get-contexts',
    'kubectl auth can-i get pods',
    'openssl x509 -in cert.pem -noout -text',
    'openssl s_client -connect example.com:443',
    'tcpdump -nn -i any port 80 -c 100',
    'find /var/log -name "*.gz" -print',
    'perf top',
    'tar -tzf a.tgz',
  ]) {
    assert.equal(risk(text), 'read', text);
  }
});

test('options keep their case: tar -J and pg_restore -C are not -j and -c', () => {
  assert.equal(risk('tar -xJf a.tar.xz'), 'write');
  assert.equal(judgeShell('pg_restore -C -d postgres dump.bin').risk, 'write');
  assert.equal(judgeShell('pg_restore -c -d app dump.bin').risk, 'dangerous');
});

test('sort, yq, less, man, git and ssh: the forms that write a file or run a command are not reads', () => {
  const cases: [string, string][] = [
    ['git log --output=/etc/passwd', 'write'],
    ['git diff --output /tmp/x', 'write'],
    ['sort -o /etc/passwd /tmp/x', 'write'],
    ['sort --output=/tmp/x f', 'write'],
    ['sort --compress-program=/tmp/x f', 'unknown'],
    ["yq -i '.a = 1' f.yaml", 'write'],
    ["yq --inplace '.a = 1' f.yaml", 'write'],
    ["less +'!touch /tmp/PWN' f", 'unknown'],
    ["less '+|touch /tmp/PWN' f", 'unknown'],
    ['less -k /tmp/keys f', 'unknown'],
    ['less -o /tmp/copy f', 'write'],
    ["man -P 'touch /tmp/PWN' ls", 'unknown'],
    ['man --pager=x ls', 'unknown'],
    ["ssh -o ProxyCommand='touch /tmp/PWN' bastion", 'unknown'],
    ['ssh -oProxyCommand=x bastion uptime', 'unknown'],
    ["ssh -o 'LocalCommand touch /tmp/PWN' -o PermitLocalCommand=yes bastion", 'unknown'],
    ["ssh -o RemoteCommand='rm -rf /srv' bastion", 'unknown'],
    ['ssh -F /tmp/config bastion', 'unknown'],
  ];
  for (const [text, expected] of cases) assert.equal(risk(text), expected, text);
  for (const text of [
    'git log -1 --stat',
    'sort -rn f',
    'sort -t: -k2 f',
    "yq '.spec' f.yaml",
    'less +G f',
    'less -S f',
    'man 5 crontab',
    'ssh -o ConnectTimeout=5 bastion',
    'ssh -p 2222 bastion uptime',
  ]) {
    assert.equal(risk(text), 'read', text);
  }
  assert.match(
    judgeShell("ssh -o ProxyCommand='nc x 22' bastion").reasons[0]!,
    /ssh -o ProxyCommand runs or loads something/,
  );
});

test('a redirection opens a file for writing with any descriptor; mount lists only without operands', () => {
  for (const text of [
    'cat x 2> /etc/passwd',
    'cat x 2>> /var/log/app.log',
    'cat x <> /etc/passwd',
    'cat x &>> /tmp/out',
    'for f in a; do ls 2> /tmp/err; done',
    'mount -o remount,ro /',
    'mount /dev/sdb1 /mnt',
    'mount -a',
    'mount --bind /a /b',
  ]) {
    assert.equal(risk(text), 'write', text);
  }
  for (const text of [
    'cat x 2>/dev/null',
    'cat x > /dev/null 2>&1',
    'cat x 2>&1 | head',
    'ls >&2',
    'mount',
    'mount -l -t nfs',
    'mount -t ext4',
  ]) {
    assert.equal(risk(text), 'read', text);
  }
  assert.notEqual(risk('ls >& /tmp/out'), 'read');
});

test('more options that run a program or write a file, and the read forms around them', () => {
  const cases: [string, string][] = [
    ["git grep -O'touch /tmp/PWN' foo", 'unknown'],
    ['git grep --open-files-in-pager=vi foo', 'unknown'],
    ["git fetch --upload-pack='touch /tmp/PWN' origin", 'unknown'],
    ['ssh -X -o XAuthLocation=/tmp/x web1', 'unknown'],
    ['ssh -E /etc/passwd web1 uptime', 'unknown'],
    ['ssh web1 -o ProxyCommand=x uptime', 'unknown'],
    ["yq -s '.a' f.yaml", 'write'],
    ["man -P 'touch /tmp/PWN' ls", 'unknown'],
    ['ssh web1 tail -F /var/log/syslog', 'read'],
    ['ssh web1 grep -F timeout /var/log/app.log', 'read'],
    ["ssh -p 22 web1 ls -I '*.gz' /var/log", 'read'],
    ["less '+/ERROR|WARN' f", 'read'],
    ['man -P cat ls', 'read'],
    ['man --pager=cat ls', 'read'],
    ['git grep -n timeout', 'read'],
  ];
  for (const [text, expected] of cases) assert.equal(risk(text), expected, text);
});

test('an option that runs a program never lowers what the command does; git reflog expire and --git-dir', () => {
  const cases: [string, string][] = [
    ["ssh -o ProxyCommand=x web1 'rm -rf /srv'", 'dangerous'],
    ['ssh -o ProxyCommand=x web1 uptime', 'unknown'],
    ['git push --receive-pack=x --force origin main', 'dangerous'],
    ['git --git-dir=/x push --force origin main', 'dangerous'],
    ['git --git-dir=/tmp/other/.git status', 'unknown'],
    ['git reflog expire --expire=now --all', 'dangerous'],
    ['git reflog delete HEAD@{1}', 'dangerous'],
    ['git reflog', 'read'],
    ['git -C /srv/app log -1', 'read'],
  ];
  for (const [text, expected] of cases) assert.equal(risk(text), expected, text);
});
