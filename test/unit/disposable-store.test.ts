import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DisposableStore } from '../../src/main/lifecycle/disposable-store';

test('disposes in reverse order of building, awaiting each, and only once', async () => {
  const store = new DisposableStore();
  const order: string[] = [];
  store.add({ dispose: () => void order.push('store') });
  store.add({
    dispose: async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      order.push('sessions');
    },
  });
  const last = store.add({ dispose: () => void order.push('terminals') });
  assert.equal(typeof last.dispose, 'function', 'add returns what it registered');
  await store.dispose();
  await store.dispose();
  assert.deepEqual(order, ['terminals', 'sessions', 'store']);
  assert.throws(() => store.add({ dispose: () => undefined }), /after dispose/);
});

test('one failing disposable does not keep the others open; its error is rethrown after', async () => {
  const store = new DisposableStore();
  const closed: string[] = [];
  store.add({ dispose: () => void closed.push('first') });
  store.add({
    dispose: () => {
      throw new Error('socket already gone');
    },
  });
  store.add({ dispose: () => void closed.push('last') });
  await assert.rejects(store.dispose(), /socket already gone/);
  assert.deepEqual(closed, ['last', 'first']);
});
