import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { tempCore, type TempCore } from '../support/temp-core';
import { TerminalClient } from '../support/terminal-client';

// Runbook steps are written by others: a byte that a terminal reads as a key (ESC, CR, Ctrl-C)
// must not ride along in a command pasted from a step, unless the step's fence declares it.

let temp: TempCore;
let client: TerminalClient;
let terminalId: string;
const shell = process.env.SHELL;

before(async () => {
  process.env.SHELL = '/bin/sh';
  temp = tempCore();
  client = new TerminalClient(temp.core);
  terminalId = (await temp.core.invoke('terminals.open', { kind: 'local', cols: 100, rows: 30 })).terminalId;
});
after(async () => {
  process.env.SHELL = shell;
  client?.dispose();
  await temp?.dispose();
});

const step = { id: 'restart-worker-1', title: 'Restart the worker' };

test('a step holding ESC or CR is refused, naming the step and the byte; nothing reaches the shell', async () => {
  const before = client.text(terminalId).length;
  await assert.rejects(
    temp.core.invoke('terminals.send', {
      terminalId,
      command: 'echo safe\x1b[201~; echo INJECTED-ESC',
      run: true,
      step,
    }),
    {
      code: 'refused',
      message:
        /^Step "Restart the worker" \(restart-worker-1\) holds the control byte ESC \(0x1b\) at character 10: not sent.*controlBytes/,
    },
  );
  await assert.rejects(
    temp.core.invoke('terminals.send', { terminalId, command: 'echo one\recho INJECTED-CR', step }),
    { code: 'refused', message: /control byte CR \(0x0d\)/ },
  );
  await assert.rejects(temp.core.invoke('terminals.send', { terminalId, command: 'echo \u009b31m', step }), {
    code: 'refused',
    message: /C1 \(0x9b\)/,
  });
  await assert.rejects(
    temp.core.invoke('terminals.send', {
      terminalId,
      command: 'echo <name>',
      parameters: [{ name: 'name', value: 'x\ry', secret: false }],
      step,
    }),
    {
      code: 'refused',
      message: /the value of name holds the control byte CR/,
    },
  );
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.doesNotMatch(client.text(terminalId).slice(before), /INJECTED/);
});

test('tab, newline and CRLF line ends pass; a declared byte passes; a bad declaration names the field', async () => {
  const sent = await temp.core.invoke('terminals.send', {
    terminalId,
    command: 'printf "%s\\t%s\\n" tab-ok $((40+2))\r\n',
    run: true,
    step,
  });
  assert.equal(sent.ran, true);
  await client.waitFor(terminalId, /tab-ok\s+42/);
  await temp.core.invoke('terminals.send', {
    terminalId,
    command: 'echo declared-$((1+1))\x07',
    run: true,
    step: { ...step, controlBytes: 'BEL' },
  });
  await client.waitFor(terminalId, /declared-2/);
  await assert.rejects(
    temp.core.invoke('terminals.send', { terminalId, command: 'echo x', step: { ...step, controlBytes: 'ESCAPE' } }),
    {
      code: 'invalid_input',
      message: /step\.controlBytes "ESCAPE" is not a control byte/,
    },
  );
});

test('a byte the fence declares is allowed in the step as written, never in a value filled into it', async () => {
  const before = client.text(terminalId).length;
  await assert.rejects(
    temp.core.invoke('terminals.send', {
      terminalId,
      command: 'echo {{msg}}',
      parameters: [{ name: 'msg', value: 'x\x1b[201~; echo INJECTED-VALUE', secret: false }],
      run: true,
      step: { ...step, controlBytes: 'ESC' },
    }),
    { code: 'refused', message: /the value of msg holds the control byte ESC \(0x1b\)/ },
  );
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.doesNotMatch(client.text(terminalId).slice(before), /INJECTED/);
});
