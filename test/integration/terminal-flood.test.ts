import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { flowControl } from '../../src/shared/terminal';
import { passwordUser, startSshd, type SshdServer } from '../harness/index';
import { harnessProfile } from '../support/profiles';
import { tempCore, type TempCore } from '../support/temp-core';
import { TerminalClient } from '../support/terminal-client';

let sshd: SshdServer;
let temp: TempCore;
let client: TerminalClient;
let profileId: string;

before(async () => {
  // A bare bash, as in terminal-remote.test.ts: the account's rc files are not under test.
  sshd = await startSshd({ config: ['ForceCommand exec /bin/bash --noprofile --norc -i'] });
  temp = tempCore({ hostKeyPrompter: { ask: async () => true } });
  client = new TerminalClient(temp.core);
  const account = passwordUser();
  const profile = await temp.core.invoke('profiles.save', {
    profile: harnessProfile('flood', { sshd }, 'staging', { sshAccount: account }),
  });
  profileId = profile.id;
});
after(async () => {
  client?.dispose();
  await temp?.dispose();
  await sshd?.dispose();
});

test('`yes` through a real sshd with a slow-acking consumer: buffered output stays bounded, then drains', async (t) => {
  const terminals = temp.services.terminals;
  const info = await temp.core.invoke('terminals.open', { kind: 'remote', profileId, cols: 120, rows: 40 });
  await temp.core.invoke('terminals.write', {
    terminalId: info.terminalId,
    data: "export PS1='$ '; echo ready-$((40+2))\r",
  });
  await client.waitFor(info.terminalId, /ready-42/);

  client.autoAck = false;
  const heapBefore = process.memoryUsage().heapUsed;
  await temp.core.invoke('terminals.write', {
    terminalId: info.terminalId,
    data: 'yes "flood flood flood flood flood flood flood flood"\r',
  });
  // The renderer here is slow: it acknowledges 16 K characters every 20 ms (about 800 KB/s).
  let acked = 0;
  let maxBuffered = 0;
  let maxSource = 0;
  const started = Date.now();
  while (Date.now() - started < 4000) {
    await new Promise((r) => setTimeout(r, 20));
    const owed = client.unacked.get(info.terminalId) ?? 0;
    const chars = Math.min(owed, 16 * 1024);
    if (chars > 0) {
      await temp.core.invoke('terminals.ack', { terminalId: info.terminalId, chars });
      client.unacked.set(info.terminalId, owed - chars);
      acked += chars;
    }
    const stats = terminals.stats(info.terminalId);
    maxBuffered = Math.max(maxBuffered, stats.unacked + stats.pending);
    maxSource = Math.max(maxSource, stats.sourceBuffered);
  }
  const stats = terminals.stats(info.terminalId);
  t.diagnostic(
    `acked ${acked} chars in 4 s; peak buffered ${stats.peakBuffered}; max ssh2 channel buffer ${maxSource} bytes; shell output read ${stats.totalChars}`,
  );
  assert.ok(
    stats.paused || stats.unacked > flowControl.lowWatermark,
    'the producer outran the consumer: the channel was paused',
  );
  assert.ok(acked > 1_000_000, `output kept flowing at the consumer's pace (${acked} characters acknowledged)`);
  // One ssh2 chunk (≤ 32 K) may land after the high watermark before the pause takes effect.
  assert.ok(
    stats.peakBuffered <= flowControl.highWatermark + 64 * 1024,
    `peak buffered ${stats.peakBuffered} characters stays near the high watermark`,
  );
  assert.ok(maxBuffered <= flowControl.highWatermark + 64 * 1024, `buffered ${maxBuffered}`);
  // Paused, ssh2 stops granting window to the server: its stream buffer (highWaterMark 2 MB) plus
  // one window (2 MB) is the most that can wait there, however long the flood lasts.
  assert.ok(maxSource <= 4.5 * 1024 * 1024, `ssh2 channel buffer ${maxSource} bytes stays bounded`);
  assert.ok(process.memoryUsage().heapUsed - heapBefore < 100 * 1024 * 1024, 'the heap did not grow with the flood');

  // Ctrl-C, then a fast consumer again: the shell answers.
  client.autoAck = true;
  await temp.core.invoke('terminals.ack', {
    terminalId: info.terminalId,
    chars: client.unacked.get(info.terminalId) ?? 0,
  });
  client.unacked.set(info.terminalId, 0);
  await temp.core.invoke('terminals.write', { terminalId: info.terminalId, data: '\x03' });
  await new Promise((r) => setTimeout(r, 300));
  await temp.core.invoke('terminals.write', { terminalId: info.terminalId, data: 'echo after-$((5*5))\r' });
  await client.waitFor(info.terminalId, /after-25/, 0, 20_000);
  await temp.core.invoke('terminals.close', { terminalId: info.terminalId });
});
