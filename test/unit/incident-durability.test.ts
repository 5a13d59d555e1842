import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { incidentStack } from '../support/incident-fixture';
import { assertAcknowledgedKept, recordUntilKilled } from '../support/kill-mid-stream';

// Child mode: record notes, printing each acknowledgement (record() returned, so its transaction
// committed) and waiting until the line reached the pipe before the next event, until killed.
// It stops by itself after 20,000 events so it can never outlive a failed parent.
if (process.env.INCIDENT_DURABILITY_CHILD) {
  const stack = incidentStack({ dir: process.env.INCIDENT_DURABILITY_CHILD });
  const { id } = stack.incidents.service.start({ title: 'kill -9 test', severity: 'P3' });
  for (let i = 1; i <= 20_000; i++) {
    const event = stack.incidents.recorder.record(
      'note',
      { text: `note ${i} ${'x'.repeat(i % 300)}` },
      { incidentId: id },
    );
    await new Promise<void>((resolve) =>
      process.stdout.write(`${event.incidentId} ${event.seq} ${event.hash}\n`, () => resolve()),
    );
  }
  process.exit(3);
} else {
  test('SIGKILL while recording loses no acknowledged event', async () => {
    // Kill mid-stream, while events are being written.
    const { dir, acknowledged } = await recordUntilKilled(
      fileURLToPath(import.meta.url),
      'INCIDENT_DURABILITY_CHILD',
      1500,
    );
    const incidentId = acknowledged.incidentId;
    const reopened = incidentStack({ dir });
    try {
      const verification = assertAcknowledgedKept(reopened, acknowledged);
      // The store is still writable after the crash and the chain continues.
      const next = reopened.incidents.recorder.record('note', { text: 'after the crash' }, { incidentId });
      assert.equal(next.seq, verification.events + 1);
      assert.equal(next.prevHash, verification.headHash);
    } finally {
      await reopened.close();
    }
  });
}
