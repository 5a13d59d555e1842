import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import xtermHeadless from '@xterm/headless';
import { parseCast } from '../../src/shared/terminal';
import { passwordUser, startSshd, type SshdServer } from '../harness/index';
import { harnessProfile } from '../support/profiles';
import { tempCore, type TempCore } from '../support/temp-core';
import { TerminalClient } from '../support/terminal-client';

const { Terminal: HeadlessTerminal } = xtermHeadless;

let sshd: SshdServer;
let temp: TempCore;
let client: TerminalClient;
let profileId: string;

/**
 * root's rc files may be slow (pyenv init waited 60 s for a lock on a developer machine), and
 * bash run by sshd reads ~/.bashrc even for -c: the tests log in as the harness's plain account
 * (shell /bin/sh, password auth) and get a bare interactive bash, through sshd's pty.
 */
const bareShell = ['ForceCommand exec /bin/bash --noprofile --norc -i'];

before(async () => {
  sshd = await startSshd({ config: bareShell });
  const knownHosts = join(sshd.dir, 'known_hosts');
  writeFileSync(knownHosts, sshd.knownHostsLine + '\n');
  temp = tempCore({ knownHostsFiles: [knownHosts] });
  client = new TerminalClient(temp.core);
  const account = passwordUser();
  const profile = await temp.core.invoke('profiles.save', {
    profile: harnessProfile('bastion-eu', { sshd }, 'staging', { sshAccount: account }),
  });
  profileId = profile.id;
});
after(async () => {
  client?.dispose();
  await temp?.dispose();
  await sshd?.dispose();
});

async function openShell(cols = 80, rows = 24) {
  const info = await temp.core.invoke('terminals.open', { kind: 'remote', profileId, cols, rows });
  // A plain prompt, so the output is predictable whatever the account's shell prints.
  await type(info.terminalId, "export PS1='$ '; echo ready-$((40+2))\r");
  await client.waitFor(info.terminalId, /ready-42/);
  return info;
}

function type(terminalId: string, data: string) {
  return temp.core.invoke('terminals.write', { terminalId, data });
}

/** Feeds text into a headless xterm of the given size and returns its screen lines, trimmed. */
async function screenOf(chunks: string[], cols: number, rows: number): Promise<string> {
  const term = new HeadlessTerminal({ cols, rows, allowProposedApi: true, scrollback: 0 });
  for (const chunk of chunks) await new Promise<void>((resolve) => term.write(chunk, resolve));
  const buffer = term.buffer.active;
  const lines: string[] = [];
  for (let y = 0; y < rows; y++) lines.push(buffer.getLine(buffer.baseY + y)?.translateToString(true) ?? '');
  term.dispose();
  return lines.join('\n').trimEnd();
}

test('round trip through a real sshd shell: typed input reaches the shell, output comes back', async () => {
  const info = await openShell();
  assert.equal(info.state, 'running');
  assert.equal(info.title, 'bastion-eu');
  const from = client.text(info.terminalId).length;
  await type(info.terminalId, 'echo hello-$((6*7)) $TERM\r');
  await client.waitFor(info.terminalId, /hello-42 xterm-256color/, from);
  await temp.core.invoke('terminals.close', { terminalId: info.terminalId });
  assert.equal(
    (await temp.core.invoke('terminals.list', {})).some((t) => t.terminalId === info.terminalId),
    false,
  );
});

test('resize reaches the remote side (stty size); the pty has UTF-8 line editing', async () => {
  const info = await openShell(80, 24);
  await temp.core.invoke('terminals.resize', { terminalId: info.terminalId, cols: 123, rows: 37 });
  const from = client.text(info.terminalId).length;
  await type(info.terminalId, 'stty size\r');
  await client.waitFor(info.terminalId, /37 123/, from);
  // The pty's modes: a terminal's output processing, and backspace over a whole UTF-8 character.
  const modesFrom = client.text(info.terminalId).length;
  await type(
    info.terminalId,
    'stty -a | tr " " "\\n" | grep -x -e iutf8 -e onlcr | sort | tr "\\n" " "; echo modes-$((1+1))\r',
  );
  await client.waitFor(info.terminalId, /iutf8 onlcr modes-2/, modesFrom);
  await temp.core.invoke('terminals.close', { terminalId: info.terminalId });
});

test('the cast is asciicast v2 and replays to the same screen text', async () => {
  const info = await openShell(60, 12);
  const from = client.text(info.terminalId).length;
  await type(info.terminalId, 'for i in 1 2 3; do printf "\\033[1mline %s\\033[0m\\n" $i; done; echo done-$((1+1))\r');
  await client.waitFor(info.terminalId, /done-2/, from);
  const live = client.text(info.terminalId);
  await temp.core.invoke('terminals.close', { terminalId: info.terminalId });

  const recordings = await temp.core.invoke('terminals.recordings', { profileId });
  const meta = recordings.find((r) => r.castId === info.castId);
  assert.ok(meta?.endedAt, 'the recording is listed as finished');
  const { cast } = await temp.core.invoke('terminals.recording', { castId: info.castId });
  const parsed = parseCast(cast);
  assert.equal(parsed.header.width, 60);
  assert.equal(parsed.header.height, 12);
  assert.ok(
    parsed.events.some(([, type]) => type === 'i'),
    'input is recorded',
  );
  const replayed = parsed.events.filter(([, type]) => type === 'o').map(([, , data]) => data);
  assert.equal(await screenOf(replayed, 60, 12), await screenOf([live], 60, 12));
  assert.match(await screenOf(replayed, 60, 12), /line 3\n.*done-2/s);

  // The cast went into the active incident (or session) as an attachment, and plays from there too.
  const active = await temp.core.invoke('incidents.active', {});
  assert.ok(active, 'recording opened a session to record into');
  const events = await temp.core.invoke('incidents.events', { id: active.id });
  assert.ok(meta.attachmentId, 'the recording knows its attachment');
  const recorded = events.find((e) => e.kind === 'terminal.recording' && e.payload.attachmentId === meta.attachmentId);
  assert.ok(recorded, 'a terminal.recording event names the attachment');
  assert.equal(recorded.payload.terminal, 'bastion-eu');
  const byAttachment = await temp.core.invoke('terminals.recording', {
    attachmentId: String(recorded.payload.attachmentId),
  });
  assert.equal(byAttachment.info.castId, info.castId);
  assert.equal(byAttachment.cast, cast);
});

test('a secret parameter sent to the terminal never reaches the cast; the command waits for Enter unless Run', async () => {
  const info = await openShell();
  const secret = 'tok-' + Math.random().toString(36).slice(2, 12) + '-Zq9';
  let from = client.text(info.terminalId).length;
  const pasted = await temp.core.invoke('terminals.send', {
    terminalId: info.terminalId,
    command: 'echo "auth {{token}}" | wc -c; echo pasted-only',
    parameters: [{ name: 'token', value: secret, secret: true }],
  });
  assert.equal(pasted.ran, false);
  assert.equal(pasted.sent.includes(secret), false);
  await client.waitFor(info.terminalId, /pasted-only/, from);
  await new Promise((r) => setTimeout(r, 300));
  assert.doesNotMatch(client.text(info.terminalId).slice(from), /\n\s*\d+\s*\r?\n/, 'nothing ran before Enter');
  await type(info.terminalId, '\x15'); // Ctrl-U: clear the pasted line

  from = client.text(info.terminalId).length;
  await temp.core.invoke('terminals.send', {
    terminalId: info.terminalId,
    command: 'echo "auth {{token}}"; echo ran-$((2+3))',
    parameters: [{ name: 'token', value: secret, secret: true }],
    run: true,
  });
  await client.waitFor(info.terminalId, /ran-5/, from);
  assert.match(client.text(info.terminalId), new RegExp(`auth ${secret}`), 'the shell did receive the value');
  await temp.core.invoke('terminals.close', { terminalId: info.terminalId });
  const { cast } = await temp.core.invoke('terminals.recording', { castId: info.castId });
  assert.equal(cast.includes(secret), false, 'the secret is masked in input and echo');
  assert.match(cast, /ran-5/);
});

test('text typed at a password prompt or with echo off is masked in the cast', async () => {
  const info = await openShell();
  let from = client.text(info.terminalId).length;
  await type(info.terminalId, 'stty -echo; printf "Password: "; read pw; stty echo; echo; echo got-${#pw}\r');
  await client.waitFor(info.terminalId, /Password: $/, from);
  for (const key of 'hunter2-swordfish') await type(info.terminalId, key);
  await type(info.terminalId, '\r');
  await client.waitFor(info.terminalId, /got-17/, from);

  from = client.text(info.terminalId).length;
  await type(info.terminalId, 'stty -echo; read blind; stty echo; echo blind-${#blind}\r');
  await new Promise((r) => setTimeout(r, 300));
  for (const key of 'quietvalue') await type(info.terminalId, key);
  await type(info.terminalId, '\r');
  await client.waitFor(info.terminalId, /blind-10/, from);
  await type(info.terminalId, 'echo visible-typing\r');
  await client.waitFor(info.terminalId, /visible-typing\r?\n/, from);
  await temp.core.invoke('terminals.close', { terminalId: info.terminalId });

  const { cast } = await temp.core.invoke('terminals.recording', { castId: info.castId });
  const inputs = parseCast(cast)
    .events.filter(([, t]) => t === 'i')
    .map(([, , d]) => d)
    .join('');
  assert.equal(cast.includes('hunter2') || inputs.includes('hunter2'), false, 'typed at a Password: prompt');
  assert.equal(inputs.includes('quietvalue'), false, 'typed with echo off');
  assert.match(inputs, /echo visible-typing/, 'echoed typing stays readable');
  assert.match(inputs, /\*{17}/);
});

test('dangerous commands are refused until confirmed', async () => {
  const flag = await temp.core.invoke('terminals.classify', { text: 'rm -rf /var/lib/app' });
  assert.equal(flag.dangerous, true);
  assert.equal((await temp.core.invoke('terminals.classify', { text: 'tail -f /var/log/syslog' })).dangerous, false);
  const info = await openShell();
  await assert.rejects(
    temp.core.invoke('terminals.send', { terminalId: info.terminalId, command: 'redis-cli FLUSHALL' }),
    (e: Error & { code?: string }) => e.code === 'refused' && /dangerous/.test(e.message),
  );
  const from = client.text(info.terminalId).length;
  const sent = await temp.core.invoke('terminals.send', {
    terminalId: info.terminalId,
    command: 'echo FLUSHALL-confirmed',
    confirmed: true,
    run: true,
  });
  assert.equal(sent.flag.dangerous, true);
  await client.waitFor(info.terminalId, /FLUSHALL-confirmed\r?\n/, from);
  await temp.core.invoke('terminals.close', { terminalId: info.terminalId });
});

test('links open only over https, and only where a browser is wired', async () => {
  await assert.rejects(
    temp.core.invoke('terminals.openLink', { url: 'http://example.com' }),
    (e: Error & { code?: string }) => e.code === 'invalid_input',
  );
  await assert.rejects(
    temp.core.invoke('terminals.openLink', { url: 'https://user:pw@example.com' }),
    (e: Error & { code?: string }) => e.code === 'invalid_input',
  );
  await assert.rejects(
    temp.core.invoke('terminals.openLink', { url: 'https://example.com/x' }),
    (e: Error & { code?: string }) => e.code === 'refused',
  );
});

test('a lost session makes the terminal reopenable; closing the session ends it', async () => {
  const info = await openShell();
  sshd.killSessions();
  await client.until(
    () => client.states.some((s) => s.terminalId === info.terminalId && s.state === 'lost'),
    'lost state',
  );
  await client.until(
    () => client.states.some((s) => s.terminalId === info.terminalId && s.state === 'reopenable'),
    'reopenable state',
    20_000,
  );
  const reopened = await temp.core.invoke('terminals.reopen', { terminalId: info.terminalId });
  assert.equal(reopened.state, 'running');
  assert.notEqual(reopened.castId, info.castId, 'a new shell, a new recording');
  const from = client.text(info.terminalId).length;
  await type(info.terminalId, 'echo back-$((9*9))\r');
  await client.waitFor(info.terminalId, /back-81/, from);

  await temp.core.invoke('sessions.disconnect', { profileId });
  await client.until(
    () => client.exits.has(info.terminalId) && client.states.at(-1)?.state === 'exited',
    'exit after disconnect',
  );
  assert.equal((await temp.core.invoke('terminals.list', {})).length, 0);
});
