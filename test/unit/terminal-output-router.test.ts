import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OutputRouter } from '../../src/renderer/src/store/terminal-output';

test('a taken-over terminal draws its screen first, then only the output past it, even output that overtook the answer', () => {
  const router = new OutputRouter();
  const id = 't1';
  // Before the answer to terminals.attach: one chunk the screen holds, one that straddles its end, one after.
  router.publish({ terminalId: id, data: 'aaaa', at: 0 });
  router.publish({ terminalId: id, data: 'bbbbcc', at: 4 });
  router.publish({ terminalId: id, data: 'dd', at: 10 });
  router.replay(id, 'screen:aaaabbbb', 8);
  // After it: one the screen holds (sent before the snapshot, arriving late) and one after.
  router.publish({ terminalId: id, data: 'xx', at: 6 });
  router.publish({ terminalId: id, data: 'ee', at: 12 });
  const drawn: [string, boolean | undefined][] = [];
  router.attach(id, (data, replay) => drawn.push([data, replay]));
  router.publish({ terminalId: id, data: 'ff', at: 14 });
  assert.deepEqual(drawn, [
    ['screen:aaaabbbb', true],
    ['cc', undefined],
    ['dd', undefined],
    ['ee', undefined],
    ['ff', undefined],
  ]);
});

test('a terminal never taken over gets every chunk, in order', () => {
  const router = new OutputRouter();
  router.publish({ terminalId: 't2', data: 'one', at: 0 });
  const drawn: string[] = [];
  router.attach('t2', (data) => drawn.push(data));
  router.publish({ terminalId: 't2', data: 'two', at: 3 });
  assert.deepEqual(drawn, ['one', 'two']);
});
