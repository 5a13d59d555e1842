import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { CastFile } from '../../src/main/terminals/cast-file';

const dir = mkdtempSync(join(tmpdir(), 'opsconsole-cast-file-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('every line appended before end is in the file, in order, whatever its size and script', async () => {
  const path = join(dir, 'lines.cast');
  const file = new CastFile(path);
  const lines = ['{"version":2}', '', 'é€ 😀 中文'.repeat(5000), 'x'.repeat(300_000)];
  for (let i = 0; i < 3000; i++) lines.push(JSON.stringify([i / 7, 'o', `${i}\r\n`.repeat(i % 40)]));
  for (const line of lines) file.writeLine(line);
  await file.end();
  assert.ok(readFileSync(path, 'utf8') === lines.join('\n') + '\n', 'the file holds the lines as appended');
  if (process.platform !== 'win32') assert.equal(statSync(path).mode & 0o777, 0o600);
});

test('lines appended while a write is in flight follow it; nothing is written after end', async () => {
  const path = join(dir, 'paced.cast');
  const file = new CastFile(path);
  const expected: string[] = [];
  for (let round = 0; round < 20; round++) {
    for (let i = 0; i < 10; i++) {
      const line = `${round}.${i} ${'y'.repeat(round * 5000)}`;
      file.writeLine(line);
      expected.push(line);
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  const ended = file.end();
  file.writeLine('late');
  await ended;
  assert.ok(readFileSync(path, 'utf8') === expected.join('\n') + '\n', 'in order, and no late line');
});

test('a file it cannot create (one is there) is left alone, and ending still resolves', async () => {
  const path = join(dir, 'taken.cast');
  writeFileSync(path, 'someone else\n');
  const file = new CastFile(path);
  file.writeLine('mine');
  await file.end();
  assert.equal(readFileSync(path, 'utf8'), 'someone else\n');
});
