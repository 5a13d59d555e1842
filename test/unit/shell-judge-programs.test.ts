import assert from 'node:assert/strict';
import { test } from 'node:test';
import { judgeShell } from '../../src/main/runbooks/shell-judge';

// sed and awk run the program on their command line: GNU sed's e command and s///e flag run shell
// commands, w/W and s///w write files, awk's system() and pipes run commands. They are reads only
// when the program is parsed and found harmless; a program the console cannot see or read asks.

const risk = (text: string) => judgeShell(text).risk;

test('sed is a read only when its script is parsed and harmless', () => {
  const reads = [
    "sed -n '/ERROR/p' app.log",
    "sed 's/a/b/g' f",
    "sed -e 's|a|b|' -e '/^#/d' f",
    "sed '1,/re/{s/a/b/;p}' f",
    "sed -n '\\,x,p' f",
    "sed -n '$p' f",
    "sed '/a/!d' f",
    "sed -E 's/([0-9]+)/<\\1>/g' f",
    "sed 'y/abc/xyz/' f",
    "sed -n '10,20p' f",
    "sed -n '2~3p' f",
    "sed '/x/a hello' f",
    "sed ':a;N;$!ba;s/\\n/ /g' f",
    "sed -n 's/\\/x/y/p' f",
    "sed '/^$/r header.txt' f",
  ];
  for (const text of reads) assert.equal(risk(text), 'read', text);
  const notReads: [string, string][] = [
    ["sed -n '/ERROR/p;1e touch /tmp/PWN' app.log", 'unknown'],
    ["sed -ne '1e id' f", 'unknown'],
    ["sed --expression='1e id' f", 'unknown'],
    ["sed --expr='1e id' p", 'unknown'],
    ['sed --fi=fix.sed p', 'unknown'],
    ["sed --in-pl 's/a/b/' f", 'write'],
    ['sed --bogus p f', 'unknown'],
    ["sed 's/a/b/e' f", 'unknown'],
    ["sed 's/x/y/ge' f", 'unknown'],
    ["sed -n 's/a/b/w out' f", 'write'],
    ["sed '/x/w out' f", 'write'],
    ["sed '/x/W out' f", 'write'],
    ["sed -n '/ERROR/p\n1e touch /tmp/PWN' f", 'unknown'],
    ["sed -n '1{e id\n}' f", 'unknown'],
    ['sed -f fix.sed f', 'unknown'],
    ['echo 1e id | sed -f - f', 'unknown'],
    ['sed --file=fix.sed f', 'unknown'],
    ["sed -i 's/a/b/' f", 'write'],
    ["sed --in-place=.bak 's/a/b/' f", 'write'],
    ["sed 'k' f", 'unknown'],
    ["sed 's/a/b' f", 'unknown'],
    ["sed '{p' f", 'unknown'],
  ];
  for (const [text, expected] of notReads) assert.equal(risk(text), expected, text);
});

test('awk is a read only without system(), command pipes, print redirection or a program file', () => {
  const reads = [
    "awk '{print $1}' f",
    "awk '/ERROR|WARN/ {c++} END {print c}' f",
    "awk '$3 > 100 {print $1}' f",
    "awk 'a || b {print}' f",
    "awk -v x=1 -F: '{print x, $2}' f",
    'awk \'{ split($0, a, "|"); print a[1] }\' f',
    "awk '{n=$1/2; print n}' f",
    'awk \'{ print "system(x) > y" }\' f',
  ];
  for (const text of reads) assert.equal(risk(text), 'read', text);
  const notReads = [
    'awk \'BEGIN{system("touch x")}\'',
    'awk \'{print $1 > "out"}\' f',
    'awk \'{print $1 >> "out"}\' f',
    'awk \'{printf "%s\\n", $1 > "/etc/x"}\' f',
    'awk \'{ "date" | getline d; print d }\'',
    'awk \'{print | "sh"}\' f',
    'awk \'{print |& "sh"}\' f',
    'awk -f prog.awk f',
    'echo x | awk -f /dev/stdin f',
    'gawk \'@load "x"; {print}\' f',
    "gawk -i inplace '{print}' f",
    'awk',
  ];
  for (const text of notReads) assert.notEqual(risk(text), 'read', text);
});
