import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import type { IncidentEvent } from '../../src/shared/incident';
import { OpsError } from '../../src/main/errors';
import { incidentStack, type IncidentStack } from '../support/incident-fixture';
import { assertAcknowledgedKept, recordUntilKilled } from '../support/kill-mid-stream';

// Child mode: eight concurrent callers record notes through the group commit as fast as they can;
// each prints an event's acknowledgement (its promise resolved, so its batch committed) and waits
// until the line reached the pipe before sending its next event, until killed. It stops by itself
// after 40,000 events so it can never outlive a failed parent.
if (process.env.GROUP_COMMIT_CHILD) {
  const stack = incidentStack({ dir: process.env.GROUP_COMMIT_CHILD });
  const { id } = stack.incidents.service.start({ title: 'kill -9 group commit', severity: 'P3' });
  let sent = 0;
  const caller = async () => {
    while (sent < 40_000) {
      const n = ++sent;
      const event = await stack.incidents.recorder.recordAsync(
        'note',
        { text: `note ${n} ${'x'.repeat(n % 300)}` },
        { incidentId: id },
      );
      await new Promise<void>((resolve) =>
        process.stdout.write(`${event.incidentId} ${event.seq} ${event.hash}\n`, () => resolve()),
      );
    }
  };
  await Promise.all(Array.from({ length: 8 }, caller));
  process.exit(3);
} else {
  test('SIGKILL while eight callers record through the group commit loses no acknowledged event', async () => {
    // Kill mid-stream, while batches are being written.
    const { dir, acknowledged } = await recordUntilKilled(fileURLToPath(import.meta.url), 'GROUP_COMMIT_CHILD', 3000);
    const incidentId = acknowledged.incidentId;
    const reopened = incidentStack({ dir });
    try {
      const verification = assertAcknowledgedKept(reopened, acknowledged);
      const next = await reopened.incidents.recorder.recordAsync('note', { text: 'after the crash' }, { incidentId });
      assert.equal(next.seq, verification.events + 1);
      assert.equal(next.prevHash, verification.headHash);
    } finally {
      await reopened.close();
    }
  });

  test('events queued in one turn share one transaction, in call order, and are announced only after its COMMIT', async () => {
    await withIncident('group', async (stack, id, committed) => {
      const storedWhenAnnounced: number[] = [];
      stack.incidents.recorder.onEvent(() => storedWhenAnnounced.push(committed()));
      const texts = ['one', 'two', 'three', 'four', 'five'];
      const pending = texts.map((text) => stack.incidents.recorder.recordAsync('note', { text }, { incidentId: id }));
      // Nothing is written before the batch closes.
      assert.equal(committed(), 1);
      const events = await Promise.all(pending);
      assert.deepEqual(
        events.map((e) => [e.seq, e.payload.text]),
        texts.map((text, i) => [i + 2, text]),
      );
      // Another connection saw all five (plus the opening event) at the first announcement: one COMMIT.
      assert.deepEqual(storedWhenAnnounced, [6, 6, 6, 6, 6]);
      for (let i = 1; i < events.length; i++) assert.equal(events[i]!.prevHash, events[i - 1]!.hash);
      assert.equal(stack.incidents.service.verify(id).ok, true);
    });
  });

  test('a batch closes at 256 events: a burst of 300 is two commits, each announced after its own', async () => {
    await withIncident('burst', async (stack, id, committed) => {
      const storedWhenAnnounced = new Map<number, number>();
      stack.incidents.recorder.onEvent((e) => storedWhenAnnounced.set(e.seq, committed()));
      const events = await Promise.all(
        Array.from({ length: 300 }, (_, i) =>
          stack.incidents.recorder.recordAsync('note', { text: `burst ${i}` }, { incidentId: id }),
        ),
      );
      assert.deepEqual(
        events.map((e) => e.seq),
        Array.from({ length: 300 }, (_, i) => i + 2),
      );
      assert.equal(storedWhenAnnounced.get(2), 257, 'the first 256 committed together');
      assert.equal(storedWhenAnnounced.get(257), 257);
      assert.equal(storedWhenAnnounced.get(258), 301, 'the other 44 in the next commit');
      assert.equal(stack.incidents.service.verify(id).ok, true);
    });
  });

  test('an event keeps the time and operator of its call, not of its batch, in the timeline and in the journal', async () => {
    let wall = Date.parse('2026-03-01T02:00:00Z');
    let operator = 'alice';
    const stack = incidentStack({ now: () => new Date(wall), operator: () => operator });
    const holder = new Database(stack.file);
    try {
      const { id } = stack.incidents.service.start({ title: 'stamps', severity: 'P3' });
      const recorded = stack.incidents.recorder.recordAsync('note', { text: 'at two' }, { incidentId: id });
      ((wall += 60_000), (operator = 'bob'));
      assert.deepEqual(pick(await recorded), ['2026-03-01T02:00:00.000Z', 'alice']);

      stack.db.pragma('busy_timeout = 20');
      holder.exec('BEGIN IMMEDIATE');
      const deferred = stack.incidents.recorder.recordAsync('note', { text: 'at two past' }, { incidentId: id });
      ((wall += 60_000), (operator = 'carol'));
      assert.deepEqual(pick(await deferred), ['2026-03-01T02:01:00.000Z', 'bob']);
      assert.deepEqual(pick(stack.incidents.journal!.read()[0]!), ['2026-03-01T02:01:00.000Z', 'bob']);
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
      await stack.close();
    }
  });

  test('a synchronous record after queued events comes after them in the chain', async () => {
    await withIncident('order', async (stack, id) => {
      const queued = [1, 2, 3].map((n) =>
        stack.incidents.recorder.recordAsync('note', { text: `queued ${n}` }, { incidentId: id }),
      );
      const direct = stack.incidents.recorder.record('note', { text: 'direct' }, { incidentId: id });
      assert.deepEqual(
        (await Promise.all(queued)).map((e) => e.seq),
        [2, 3, 4],
      );
      assert.equal(direct.seq, 5);
      assert.equal(stack.incidents.service.verify(id).ok, true);
    });
  });

  test('synchronous=FULL applies to batches; events queued before the switch are committed at the level they were recorded under', async () => {
    await withIncident('full', async (stack, id) => {
      const recorder = stack.incidents.recorder;
      const before = [1, 2].map((n) => recorder.recordAsync('note', { text: `normal ${n}` }, { incidentId: id }));
      recorder.setSynchronous('full');
      // Committed by the switch itself, before FULL took effect.
      assert.equal(stack.incidents.service.events(id).length, 3);
      assert.equal(stack.db.pragma('synchronous', { simple: true }), 2);
      const after = await recorder.recordAsync('note', { text: 'full' }, { incidentId: id });
      assert.deepEqual(
        (await Promise.all(before)).map((e) => e.seq),
        [2, 3],
      );
      assert.equal(after.seq, 4);
      assert.equal(recorder.synchronous, 'full');
    });
  });

  test('in a batch, an event naming no incident fails alone and bad input is refused before queueing', async () => {
    await withIncident('odd one', async (stack, id) => {
      const recorder = stack.incidents.recorder;
      const [before, missing, after] = await Promise.allSettled([
        recorder.recordAsync('note', { text: 'before' }, { incidentId: id }),
        recorder.recordAsync('note', { text: 'lost' }, { incidentId: 'no-such-incident' }),
        recorder.recordAsync('note', { text: 'after' }, { incidentId: id }),
      ]);
      assert.equal(before.status === 'fulfilled' && before.value.seq, 2);
      assert.equal(after.status === 'fulfilled' && after.value.seq, 3);
      assert.ok(missing.status === 'rejected' && missing.reason instanceof OpsError);
      assert.equal((missing.reason as OpsError).code, 'not_found');
      await assert.rejects(
        // @ts-expect-error a risk that does not exist, as a caller outside TypeScript could send
        recorder.recordAsync('sql.run', { sql: 'SELECT 1', risk: 'harmless', durationMs: 1, outcome: 'ok' }),
        (e: unknown) => e instanceof OpsError && e.code === 'invalid_input' && /payload\.risk/.test(e.message),
      );
      assert.equal(stack.incidents.service.events(id).length, 3);
    });
  });

  test('a batch the store refuses (write lock held past the busy timeout) goes whole to the journal, then joins the timeline in order', async () => {
    const stack = incidentStack();
    const holder = new Database(stack.file);
    try {
      const { id } = stack.incidents.service.start({ title: 'locked', severity: 'P3' });
      const heard: IncidentEvent[] = [];
      stack.incidents.recorder.onEvent((e) => heard.push(e));
      stack.db.pragma('busy_timeout = 50');
      holder.exec('BEGIN IMMEDIATE');
      const events = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          stack.incidents.recorder.recordAsync('note', { text: `locked ${i}` }, { incidentId: id }),
        ),
      );
      holder.exec('ROLLBACK');
      assertAllJournaled(stack, events, 20);
      assert.equal(heard.length, 0, 'no journaled event is announced as recorded');

      const next = stack.incidents.recorder.record('note', { text: 'unlocked' }, { incidentId: id });
      assert.equal(next.seq, 22);
      const texts = stack.incidents.service.events(id).map((e) => e.payload.text);
      assert.deepEqual(texts.slice(1), [...Array.from({ length: 20 }, (_, i) => `locked ${i}`), 'unlocked']);
      assert.equal(stack.incidents.service.verify(id).ok, true);
    } finally {
      holder.close();
      await stack.close();
    }
  });

  test('a batch that fills the disk halfway is written not at all: every event of it is journaled', async () => {
    await withIncident('full disk', async (stack, id) => {
      // The store may grow by two pages: the batch's first events fit, the rest do not.
      const pages = stack.db.pragma('page_count', { simple: true }) as number;
      stack.db.pragma(`max_page_count = ${pages + 2}`);
      const events = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          stack.incidents.recorder.recordAsync('note', { text: `big ${i} ${'y'.repeat(3000)}` }, { incidentId: id }),
        ),
      );
      assertAllJournaled(stack, events, 30);
      assert.equal(stack.incidents.journal!.read()[0]!.reason, 'full');
      assert.equal(stack.incidents.service.events(id).length, 1, 'nothing of the batch was half-written');

      stack.db.pragma('max_page_count = 1073741823');
      stack.incidents.recorder.drainJournal();
      assert.equal(stack.incidents.service.events(id).length, 31);
      assert.equal(stack.incidents.service.verify(id).ok, true);
    });
  });
}

function assertAllJournaled(stack: IncidentStack, events: IncidentEvent[], count: number): void {
  assert.equal(events.length, count);
  for (const event of events) assert.equal(event.deferred, true, 'acknowledged as deferred, not as recorded');
  assert.equal(stack.incidents.journal!.read().length, count);
}

function pick(event: { at: string; operator: string }): [string, string] {
  return [event.at, event.operator];
}

/**
 * A fresh store with one incident, closed afterwards; `committed` counts the incident's events as
 * another connection sees them (what has been committed, nothing queued).
 */
async function withIncident(
  title: string,
  run: (stack: IncidentStack, id: string, committed: () => number) => Promise<void>,
): Promise<void> {
  const stack = incidentStack();
  const other = new Database(stack.file, { readonly: true });
  try {
    const id = stack.incidents.service.start({ title, severity: 'P3' }).id;
    const count = other.prepare<[string], { n: number }>(
      'SELECT count(*) AS n FROM incident_events WHERE incident_id = ?',
    );
    await run(stack, id, () => count.get(id)!.n);
  } finally {
    other.close();
    await stack.close();
  }
}
