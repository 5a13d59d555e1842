import assert from 'node:assert/strict';
import { test } from 'node:test';
import { getHeapSpaceStatistics } from 'node:v8';
import { releaseMemoryWhenIdle } from '../../src/main/idle-memory';

const newSpace = () => getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')!.space_size;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Keeps the event loop busy for `ms`, allocating objects that survive a while (as connecting does). */
async function work(ms: number): Promise<void> {
  const until = performance.now() + ms;
  let kept: object[] = [];
  while (performance.now() < until) {
    for (let i = 0; i < 20_000; i++) kept.push({ i, text: `row ${i}` });
    if (kept.length > 400_000) kept = [];
    await new Promise((resolve) => setImmediate(resolve));
  }
}

test('after some work, an idle process gives its grown young generation back; busy, it is left alone', async () => {
  const stop = releaseMemoryWhenIdle({ checkMs: 150 });
  try {
    await work(1200);
    const grown = newSpace();
    assert.ok(grown > 4 * 1024 * 1024, `the work grew the young generation (${grown} bytes)`);
    await work(400); // still busy across two checks: no collection shrinks it meanwhile
    assert.ok(newSpace() >= grown / 2, 'no collection while the event loop is busy');
    await sleep(800);
    const after = newSpace();
    assert.ok(after < grown / 2, `idle: ${grown} → ${after} bytes`);
  } finally {
    stop();
  }
});
