import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Redactor } from '../../src/main/redaction';
import { createTerminals } from '../../src/main/terminals/index';
import type { TerminalRegistry } from '../../src/main/terminals/terminal-registry';
import { flowControl } from '../../src/shared/terminal';
import { passwordUser, startSshd, type SshdServer } from '../harness/index';
import { harnessProfile } from '../support/profiles';
import { sessionRig, type SessionRig } from '../support/session-rig';
import { TerminalClient } from '../support/terminal-client';

let sshd: SshdServer;
let rig: SessionRig;
// Flow control is measured inside the registry (its pump and the ssh2 channel): it is built alone over the rig.
let terminals: TerminalRegistry;
let client: TerminalClient;
let profileId: string;

before(async () => {
  // A bare bash, as in terminal-remote.test.ts: the account's rc files are not under test.
  sshd = await startSshd({ config: ['ForceCommand exec /bin/bash --noprofile --norc -i'] });
  rig = sessionRig();
  const redactor = new Redactor((text) => rig.vault.redact(text));
  terminals = rig.own(
    createTerminals({
      sessions: rig.sessions,
      dataDir: rig.dataDir,
      emit: rig.emit,
      redactor,
      profileName: (id) => rig.profiles.get(id).name,
    }),
  );
  client = new TerminalClient(rig, async (terminalId, chars) => terminals.ack(terminalId, chars));
  const account = passwordUser();
  profileId = rig.saveProfile(harnessProfile('flood', { sshd }, 'staging', { sshAccount: account })).id;
});
after(async () => {
  client?.dispose();
  await rig?.dispose();
  await sshd?.dispose();
});

test('`yes` through a real sshd with a slow-acking consumer: buffered output stays bounded, then drains', async (t) => {
  const info = await terminals.open({ kind: 'remote', profileId, cols: 120, rows: 40 });
  terminals.write(info.terminalId, "export PS1='$ '; echo ready-$((40+2))\r");
  await client.waitFor(info.terminalId, /ready-42/);

  client.autoAck = false;
  const heapBefore = process.memoryUsage().heapUsed;
  terminals.write(info.terminalId, 'yes "flood flood flood flood flood flood flood flood"\r');
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
      terminals.ack(info.terminalId, chars);
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
  terminals.ack(info.terminalId, client.unacked.get(info.terminalId) ?? 0);
  client.unacked.set(info.terminalId, 0);
  terminals.write(info.terminalId, '\x03');
  await new Promise((r) => setTimeout(r, 300));
  terminals.write(info.terminalId, 'echo after-$((5*5))\r');
  await client.waitFor(info.terminalId, /after-25/, 0, 20_000);
  await terminals.close(info.terminalId);
});
