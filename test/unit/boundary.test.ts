import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import WebSocket from 'ws';
import { startHost, type RunningHost } from '../../src/host/host';
import { registerContract, type IpcMainLike } from '../../src/main/electron/ipc';
import { tempCore, type TempCore } from '../support/temp-core';

type Listener = Parameters<IpcMainLike['handle']>[1];

let temp: TempCore;
let host: RunningHost;
const ipcHandlers = new Map<string, Listener>();

before(async () => {
  temp = tempCore();
  host = await startHost({ core: temp.core });
  registerContract(
    { handle: (channel, listener) => ipcHandlers.set(channel, listener), removeHandler: () => undefined },
    temp.core,
    () => true,
  );
});
after(async () => {
  await host.close();
  await temp.dispose();
});

function overIpc(op: string, input: unknown): Promise<unknown> {
  return ipcHandlers.get(op)!({ senderFrame: { url: 'file:///app/index.html' } }, input);
}

function overHost(op: string, input: unknown): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ws?token=${host.token}`, {
      origin: `http://127.0.0.1:${host.port}`,
    });
    ws.on('error', reject);
    ws.on('open', () => ws.send(JSON.stringify({ id: 7, op, input })));
    ws.on('message', (data) => {
      const message = JSON.parse(data.toString()) as { id?: number; result?: unknown };
      if (message.id !== 7) return;
      ws.close();
      resolve(message.result);
    });
  });
}

test('IPC and the WebSocket host give the same coded answer: a value, a bad input naming its field, a missing record', async () => {
  const saved = await temp.core.invoke('profiles.save', {
    profile: {
      name: 'boundary-db',
      environment: 'staging',
      postgres: { host: '127.0.0.1', port: 1, database: 'd', user: 'u' },
    },
  });
  const requests: [string, unknown][] = [
    ['profiles.list', {}],
    ['profiles.save', { profile: { name: 'x', environment: 'moon' } }],
    ['profiles.remove', { id: 'nope' }],
  ];
  const answers = [];
  for (const [op, input] of requests) {
    const ipc = await overIpc(op, input);
    assert.deepEqual(await overHost(op, input), ipc, `${op}: IPC and the host answer alike`);
    answers.push(ipc as { ok: boolean; value?: unknown; error?: { code: string; message: string } });
  }
  assert.equal(answers[0]!.ok, true);
  assert.equal((answers[0]!.value as { id: string }[])[0]!.id, saved.id);
  assert.equal(answers[1]!.error!.code, 'invalid_input');
  assert.match(answers[1]!.error!.message, /input\.profile\.environment must be one of/);
  assert.equal(answers[2]!.error!.code, 'not_found');
});
