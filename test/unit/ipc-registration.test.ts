import assert from 'node:assert/strict';
import { test } from 'node:test';
import { operationNames } from '../../src/shared/contract';
import { registerContract, type IpcMainLike } from '../../src/main/electron/ipc';
import { tempCore } from '../support/temp-core';

type Listener = Parameters<IpcMainLike['handle']>[1];

test('every operation is registered once, senders are checked, input is parsed, errors are mapped', async () => {
  const handlers = new Map<string, Listener>();
  const ipc: IpcMainLike = {
    handle: (channel, listener) => {
      assert.equal(handlers.has(channel), false, `${channel} registered twice`);
      handlers.set(channel, listener);
    },
    removeHandler: (channel) => handlers.delete(channel),
  };
  const temp = tempCore();
  try {
    const unregister = registerContract(ipc, temp.core, (url) => url === 'file:///app/index.html');
    assert.deepEqual([...handlers.keys()].sort(), [...operationNames].sort());
    const trusted = { senderFrame: { url: 'file:///app/index.html' } };

    assert.deepEqual(await handlers.get('profiles.list')!(trusted, {}), { ok: true, value: [] });
    const refused = (await handlers.get('profiles.list')!({ senderFrame: { url: 'https://evil.example/' } }, {})) as {
      ok: false;
      error: { code: string };
    };
    assert.equal(refused.ok, false);
    assert.equal(refused.error.code, 'refused');

    const bad = (await handlers.get('profiles.save')!(trusted, { profile: { name: 'x', environment: 'moon' } })) as {
      ok: false;
      error: { code: string; message: string };
    };
    assert.equal(bad.error.code, 'invalid_input');
    assert.match(
      bad.error.message,
      /input\.profile\.environment must be one of production, staging, development, custom/,
    );

    const missing = (await handlers.get('profiles.remove')!(trusted, { id: 'nope' })) as {
      ok: false;
      error: { code: string };
    };
    assert.equal(missing.error.code, 'not_found');
    unregister();
    assert.equal(handlers.size, 0);
  } finally {
    await temp.dispose();
  }
});
