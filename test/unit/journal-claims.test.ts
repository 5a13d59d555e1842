import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { FallbackJournal, type JournalEntry } from '../../src/main/incidents/journal';

const root = fileURLToPath(new URL('../..', import.meta.url));
const entry = (id: string, at: string): JournalEntry => ({
  id,
  kind: 'note',
  payload: { text: id },
  at,
  operator: 'tester',
  reason: 'locked',
});

/** Appends one entry to the journal from another process that then exits (a CLI run that deferred a record). */
function appendFromAnotherProcess(dataDir: string, id: string, at: string): void {
  const script = `import { FallbackJournal } from ${JSON.stringify(join(root, 'src/main/incidents/journal.ts'))}; new FallbackJournal(${JSON.stringify(dataDir)}).append(${JSON.stringify(entry(id, at))});`;
  execFileSync(join(root, 'node_modules/.bin/node'), ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: root,
  });
}

const ids = (entries: JournalEntry[]) => entries.map((e) => e.id);

test('a drain removes only the files it claimed: a record another process left meanwhile is kept for the next drain', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'journal-claims-'));
  try {
    appendFromAnotherProcess(dataDir, 'before', '2026-01-01T00:00:01.000Z');
    const drainer = new FallbackJournal(dataDir);
    assert.deepEqual(ids(drainer.claim()), ['before']);
    // While the claimed entries are being appended, another process defers a record and exits.
    appendFromAnotherProcess(dataDir, 'during', '2026-01-01T00:00:02.000Z');
    drainer.drained();
    assert.equal(
      readdirSync(join(dataDir, 'journal')).filter((f) => f.endsWith('.jsonl')).length,
      1,
      'the new file is still there',
    );
    assert.deepEqual(ids(drainer.read()), ['during']);
    assert.deepEqual(ids(drainer.claim()), ['during']);
    drainer.drained();
    assert.deepEqual(drainer.read(), []);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('a live writer whose file a drainer claimed writes its next record to a new file: nothing lost, nothing twice', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'journal-claims-'));
  try {
    const writer = new FallbackJournal(dataDir);
    const drainer = new FallbackJournal(dataDir);
    writer.append(entry('first', '2026-01-01T00:00:01.000Z'));
    assert.deepEqual(ids(drainer.claim()), ['first']);
    writer.append(entry('second', '2026-01-01T00:00:02.000Z'));
    // A second drainer finds only what nobody claimed.
    const other = new FallbackJournal(dataDir);
    assert.deepEqual(ids(other.claim()), ['second']);
    drainer.drained();
    other.drained();
    assert.deepEqual(writer.read(), []);
    assert.deepEqual(
      readdirSync(join(dataDir, 'journal')).filter((f) => f.endsWith('.jsonl')),
      [],
    );
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('claims of a drainer that died are taken over; one entry written twice (a rename raced the writer) is read once', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'journal-claims-'));
  try {
    appendFromAnotherProcess(dataDir, 'orphan', '2026-01-01T00:00:01.000Z');
    const dir = join(dataDir, 'journal');
    const [pending] = readdirSync(dir).filter((f) => f.startsWith('pending-'));
    // A drainer (pid 999999999, long gone) claimed it and died before the timeline took it.
    execFileSync('mv', [join(dir, pending!), join(dir, `claimed-999999999-1-${pending}`)]);
    const writer = new FallbackJournal(dataDir);
    writer.append(entry('orphan', '2026-01-01T00:00:01.000Z'));
    const drainer = new FallbackJournal(dataDir);
    assert.deepEqual(ids(drainer.claim()), ['orphan'], 'taken over, and the copy counted once');
    drainer.drained();
    assert.deepEqual(
      readdirSync(dir).filter((f) => f.endsWith('.jsonl')),
      [],
    );
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('a drain the store refused gives its claims back under their pending names, for any drainer', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'journal-claims-'));
  try {
    new FallbackJournal(dataDir).append(entry('kept', '2026-01-01T00:00:01.000Z'));
    const refused = new FallbackJournal(dataDir);
    assert.deepEqual(ids(refused.claim()), ['kept']);
    refused.release();
    assert.deepEqual(
      readdirSync(join(dataDir, 'journal'))
        .filter((f) => f.endsWith('.jsonl'))
        .map((f) => f.split('-')[0]),
      ['pending'],
    );
    assert.deepEqual(ids(new FallbackJournal(dataDir).claim()), ['kept']);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
