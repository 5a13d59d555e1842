import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { incidentStack } from '../support/incident-fixture';

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
    const dir = incidentStack();
    await dir.close(true);
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], {
      env: { ...process.env, INCIDENT_DURABILITY_CHILD: dir.dir },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const acknowledged = new Map<number, string>();
    let incidentId = '';
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.once('exit', (_code, signal) => resolve(signal)),
    );
    const watchdog = setTimeout(() => child.kill('SIGKILL'), 60_000);
    for await (const line of createInterface({ input: child.stdout! })) {
      const [id, seq, hash] = line.split(' ');
      incidentId = id!;
      acknowledged.set(Number(seq), hash!);
      // Kill mid-stream, while events are being written.
      if (acknowledged.size === 1500) child.kill('SIGKILL');
    }
    clearTimeout(watchdog);
    assert.equal(await exited, 'SIGKILL');
    assert.ok(acknowledged.size >= 1500);

    const reopened = incidentStack({ dir: dir.dir });
    try {
      const events = reopened.incidents.service.events(incidentId, 0, 10_000);
      const stored = new Map(events.map((e) => [e.seq, e.hash]));
      for (const [seq, hash] of acknowledged)
        assert.equal(stored.get(seq), hash, `acknowledged event ${seq} is missing or different`);
      const verification = reopened.incidents.service.verify(incidentId);
      assert.equal(verification.ok, true, JSON.stringify(verification.brokenAt));
      assert.ok(verification.events >= acknowledged.size);
      // The store is still writable after the crash and the chain continues.
      const next = reopened.incidents.recorder.record('note', { text: 'after the crash' }, { incidentId });
      assert.equal(next.seq, verification.events + 1);
      assert.equal(next.prevHash, verification.headHash);
    } finally {
      await reopened.close();
    }
  });
}
