import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { parseCast } from '../../src/shared/terminal';
import { tempCore, type TempCore } from '../support/temp-core';
import { TerminalClient } from '../support/terminal-client';
import { until } from '../support/until';

let temp: TempCore;
let client: TerminalClient;
const shell = process.env.SHELL;

before(() => {
  // A bare sh: the developer's own rc files are not under test (and may be slow).
  process.env.SHELL = '/bin/sh';
  temp = tempCore();
  client = new TerminalClient(temp.core);
});
after(async () => {
  process.env.SHELL = shell;
  client?.dispose();
  await temp?.dispose();
});

test('node-pty local shell: round trip, resize, exit, recorded', async () => {
  const info = await temp.core.invoke('terminals.open', { kind: 'local', cols: 80, rows: 24 });
  assert.equal(info.kind, 'local');
  await temp.core.invoke('terminals.write', { terminalId: info.terminalId, data: 'echo local-$((6*7)) $TERM\r' });
  await client.waitFor(info.terminalId, /local-42 xterm-256color/);

  await temp.core.invoke('terminals.resize', { terminalId: info.terminalId, cols: 101, rows: 33 });
  const from = client.text(info.terminalId).length;
  await temp.core.invoke('terminals.write', { terminalId: info.terminalId, data: 'stty size\r' });
  await client.waitFor(info.terminalId, /33 101/, from);

  await temp.core.invoke('terminals.write', { terminalId: info.terminalId, data: 'exit 3\r' });
  await client.until(() => client.exits.has(info.terminalId), 'the shell to exit');
  assert.equal(client.exits.get(info.terminalId)!.exitCode, 3);
  const [listed] = await temp.core.invoke('terminals.list', {});
  assert.equal(listed?.state, 'exited', 'the tab stays, marked exited, until closed');
  await assert.rejects(
    temp.core.invoke('terminals.write', { terminalId: info.terminalId, data: 'x' }),
    (e: Error & { code?: string }) => e.code === 'conflict',
  );
  await temp.core.invoke('terminals.close', { terminalId: info.terminalId });

  // The recording is finished and holds the session, resize included.
  await until('the recording to finish', async () =>
    (await temp.core.invoke('terminals.recordings', {})).some(
      (r) => r.castId === info.castId && r.endedAt !== undefined,
    ),
  );
  const { cast } = await temp.core.invoke('terminals.recording', { castId: info.castId });
  const parsed = parseCast(cast);
  assert.ok(parsed.events.some(([, type, data]) => type === 'r' && data === '101x33'));
  assert.ok(parsed.events.some(([, type, data]) => type === 'o' && data.includes('local-42')));
});
