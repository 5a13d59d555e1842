import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { SshdServer } from '../harness/index';
import { bareShellBastion } from '../support/bastion-shell';
import type { TempCore } from '../support/temp-core';
import { TerminalClient } from '../support/terminal-client';
import { until } from '../support/until';
import { stepResult, withSentinel } from '../../src/shared/terminal-step-result';

let sshd: SshdServer;
let temp: TempCore;
let client: TerminalClient;
let profileId: string;
const folder = mkdtempSync(join(tmpdir(), 'opsconsole-quoting-'));

before(async () => {
  chmodSync(folder, 0o777); // the bastion's shell account writes here
  ({ sshd, temp, profileId } = await bareShellBastion());
  client = new TerminalClient(temp.core);
});
after(async () => {
  client?.dispose();
  await temp?.dispose();
  await sshd?.dispose();
  rmSync(folder, { recursive: true, force: true });
});

/** A shell on the bastion with a plain prompt, once it has answered. */
async function readyShell() {
  const info = await temp.core.invoke('terminals.open', { kind: 'remote', profileId, cols: 200, rows: 24 });
  await temp.core.invoke('terminals.write', {
    terminalId: info.terminalId,
    data: "export PS1='$ '; echo ready-$((40+2))\r",
  });
  await client.waitFor(info.terminalId, /ready-42/);
  return info;
}

test('values with $(…), backticks, quotes, && and newlines sent to a bastion shell run nothing and arrive exactly', async () => {
  const info = await readyShell();
  const marker = (n: number) => join(folder, `owned-${n}`);
  const values = {
    label: `$(touch ${marker(1)})\nx' && touch ${marker(2)} && clear && test -n '`,
    note: `"; touch ${marker(3)}; echo " \`touch ${marker(4)}\` && touch ${marker(5)}`,
    secret: `s3cr'et\n$(touch ${marker(6)})`,
  };
  for (const [run, name] of [
    [false, 'pasted'],
    [true, 'ran'],
  ] as const) {
    const out = join(folder, `${name}.txt`);
    const sent = await temp.core.invoke('terminals.send', {
      terminalId: info.terminalId,
      command: `printf '%s|%s|%s' {{label}} "{{note}}" '{{secret}}' > ${out}`,
      parameters: [
        { name: 'label', value: values.label, secret: false },
        { name: 'note', value: values.note, secret: false },
        { name: 'secret', value: values.secret, secret: true },
      ],
      run,
      // It writes a file: not a plain read, so it is sent only once confirmed.
      confirmed: true,
    });
    assert.equal(sent.sent.includes("s3cr'"), false, 'the secret is masked in what the core reports');
    if (!run) await temp.core.invoke('terminals.write', { terminalId: info.terminalId, data: '\r' });
    for (let i = 0; i < 100 && !existsSync(out); i++) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(
      readFileSync(out, 'utf8'),
      `${values.label}|${values.note}|${values.secret}`,
      `${name}: the shell received the values as written`,
    );
  }
  for (let n = 1; n <= 6; n++) assert.equal(existsSync(marker(n)), false, `marker ${n}: nothing in the values ran`);
  await temp.core.invoke('terminals.close', { terminalId: info.terminalId });
  const { cast } = await temp.core.invoke('terminals.recording', { castId: info.castId! });
  assert.match(cast, /printf/, 'the recording has the command');
  assert.equal(cast.includes('s3cr'), false, 'the quoted secret is masked in the recording, input and echo');
});

test('a command the runbook judge does not call a read is sent only once confirmed, even where no pattern flags it; reasons mask secrets', async () => {
  const info = await readyShell();
  const stopped = join(folder, 'stopped');
  for (const command of [
    'systemctl stop postgresql',
    'pg_ctl stop -m immediate',
    'dropdb app_production',
    'kill -TERM 4242',
  ]) {
    const flag = await temp.core.invoke('terminals.classify', { text: command });
    assert.equal(flag.dangerous, true, `${command}: asks first`);
  }
  assert.equal((await temp.core.invoke('terminals.classify', { text: 'ls -la /tmp' })).dangerous, false);
  // A value makes the filled text a write: judged as it will be sent, not as the template reads.
  const filled = await temp.core.invoke('terminals.classify', {
    text: 'echo {{word}} {{token}} > {{target}}',
    terminalId: info.terminalId,
    parameters: [
      { name: 'word', value: 'hello', secret: false },
      { name: 'token', value: 'tok-S3CRET-9', secret: true },
      { name: 'target', value: stopped, secret: false },
    ],
  });
  assert.equal(filled.dangerous, true);
  assert.equal(JSON.stringify(filled).includes('S3CRET'), false, 'the secret is masked in the reasons');
  const command = `touch ${stopped}`;
  await assert.rejects(
    temp.core.invoke('terminals.send', { terminalId: info.terminalId, command, parameters: [], run: true }),
    /not a plain read.*Confirm it in the dialog/,
  );
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(existsSync(stopped), false, 'nothing was sent');
  await temp.core.invoke('terminals.send', {
    terminalId: info.terminalId,
    command,
    parameters: [],
    run: true,
    confirmed: true,
  });
  await until('the confirmed command to run', () => existsSync(stopped), 5_000).catch(() => undefined);
  assert.equal(existsSync(stopped), true, 'confirmed: sent and run');
  await temp.core.invoke('terminals.close', { terminalId: info.terminalId });
});

test('a step that reads stdin never reads its own sentinel, with bracketed paste off: the shell takes the whole step first', async () => {
  const info = await readyShell();
  // Without bracketed paste each line is typed on its own: the sentinel's line used to wait in the
  // tty's input queue while the command ran, where a command reading stdin took it (and its token).
  await temp.core.invoke('terminals.write', {
    terminalId: info.terminalId,
    data: "bind 'set enable-bracketed-paste off'; echo paste-$((1+1))\r",
  });
  await client.waitFor(info.terminalId, /paste-2/);
  const token = 'c0ffee123456';
  const from = client.text(info.terminalId).length;
  await temp.core.invoke('terminals.send', {
    terminalId: info.terminalId,
    command: withSentinel('read -r line\necho "got:[$line]"', token),
    parameters: [],
    run: true,
    confirmed: true,
  });
  await new Promise((r) => setTimeout(r, 1000));
  const waiting = client.text(info.terminalId).slice(from);
  assert.equal(stepResult(waiting, token), undefined, 'the step waits for its input');
  assert.doesNotMatch(waiting, /got:\[(?!\$line)/, 'read took nothing the console typed');
  await temp.core.invoke('terminals.write', { terminalId: info.terminalId, data: 'typed by the operator\r' });
  await client.until(
    () => stepResult(client.text(info.terminalId).slice(from), token) !== undefined,
    `the step to end: ${JSON.stringify(client.text(info.terminalId).slice(from))}`,
  );
  const result = stepResult(client.text(info.terminalId).slice(from), token)!;
  assert.equal(result.exitStatus, 0);
  assert.match(result.output, /got:\[typed by the operator\]/);
  assert.doesNotMatch(result.output, /got:\[.*(printf|__opsconsole|c0ffee)/, 'the sentinel was never read as input');
});
