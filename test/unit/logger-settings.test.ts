import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Logger } from '../../src/main/logging/logger';
import { makeTempDir, removeDir } from '../harness/index';
import { tempCore } from '../support/temp-core';

test('the log rotates at its size bound and never holds a secret the vault opened', () => {
  const dir = makeTempDir('log');
  try {
    const logger = new Logger({
      dir,
      redact: (t) => t.replaceAll('hunter2-canary', '[redacted]'),
      maxBytes: 2000,
      keepFiles: 2,
    });
    for (let i = 0; i < 100; i++) logger.info('operation failed', { message: `auth failed with hunter2-canary #${i}` });
    logger.debug('not written at info level');
    const files = [logger.file, `${logger.file}.1`, `${logger.file}.2`];
    assert.ok(files.every((f) => existsSync(f)));
    assert.equal(existsSync(`${logger.file}.3`), false, 'keeps only keepFiles generations');
    const all = files.map((f) => readFileSync(f, 'utf8')).join('');
    assert.equal(all.includes('hunter2-canary'), false);
    assert.ok(all.includes('[redacted]'));
    assert.equal(all.includes('not written'), false);
    assert.ok(readFileSync(logger.file).length <= 2000);
  } finally {
    removeDir(dir);
  }
});

test('settings: defaults, a validated update, and a refused one that changes nothing', async () => {
  const temp = tempCore();
  try {
    const defaults = await temp.core.invoke('settings.get', {});
    assert.equal(defaults.theme, 'dark');
    assert.equal(defaults.defaultRowCap, 10_000);
    const updated = await temp.core.invoke('settings.update', { patch: { operatorName: 'alice', theme: 'light' } });
    assert.equal(updated.operatorName, 'alice');
    assert.equal((await temp.core.invoke('app.info', {})).operator, 'alice', 'the operator name is used once set');
    await assert.rejects(
      temp.core.invoke('settings.update', { patch: { theme: 'light', defaultRowCap: 0 } }),
      (e: Error & { code?: string }) =>
        e.code === 'invalid_input' && /input\.patch\.defaultRowCap must be at least 1/.test(e.message),
    );
    await assert.rejects(
      temp.core.invoke('settings.update', { patch: { colour: 'red' } as never }),
      /unknown field\(s\) colour/,
    );
    assert.deepEqual(await temp.core.invoke('settings.get', {}), updated, 'nothing half-written');
    assert.ok(
      readFileSync(join(temp.dataDir, 'logs', 'opsconsole.log'), 'utf8').includes('"op":"settings.update"'),
      'failures are logged by operation name',
    );
  } finally {
    await temp.dispose();
  }
});
