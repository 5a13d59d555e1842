import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { test } from 'node:test';
import { OpsError } from '../../src/main/errors';
import { incidentStack, recordSampleIncident, steppingClock } from '../support/incident-fixture';

test('the first action outside an incident opens an unnamed session, which can be promoted', async () => {
  const stack = incidentStack();
  try {
    const { recorder, service } = stack.incidents;
    assert.equal(service.active(), null);
    const event = recorder.record('connection.state', { profileId: 'prof-prod-eu', state: 'ready' });
    const session = service.get(event.incidentId);
    assert.equal(session.kind, 'session');
    assert.equal(session.severity, null);
    assert.deepEqual(service.active()?.id, session.id);
    assert.deepEqual(
      service.events(session.id).map((e) => [e.seq, e.kind]),
      [
        [1, 'incident.opened'],
        [2, 'connection.state'],
      ],
    );

    const promoted = service.promote(session.id, { title: 'Replica lag', severity: 'P2', profiles: ['staging-eu'] });
    assert.equal(promoted.kind, 'incident');
    assert.deepEqual(
      promoted.profiles.map((p) => p.name),
      ['staging-eu'],
    );
    assert.equal(
      recorder.record('note', { text: 'still lagging' }).incidentId,
      session.id,
      'the promoted incident stays active',
    );
    assert.throws(
      () => service.promote(session.id, { title: 'x', severity: 'P3' }),
      (e: unknown) => e instanceof OpsError && e.code === 'conflict',
    );
  } finally {
    await stack.close();
  }
});

test('a resolved incident stops collecting implicit actions; the next one opens a new session', async () => {
  const stack = incidentStack();
  try {
    const { recorder, service } = stack.incidents;
    const incident = service.start({ title: 'Disk full', severity: 'P0' });
    assert.equal(recorder.record('note', { text: 'cleaning /var/log' }).incidentId, incident.id);
    service.setStatus(incident.id, 'resolved');
    assert.equal(service.active(), null);
    const next = recorder.record('note', { text: 'unrelated check' });
    assert.notEqual(next.incidentId, incident.id);
    assert.equal(service.get(next.incidentId).kind, 'session');
    // Explicit recording into the resolved incident still works (a late note, an export).
    assert.equal(service.note(incident.id, 'postmortem scheduled').incidentId, incident.id);
    assert.throws(() => service.setStatus(incident.id, 'resolved'), /already resolved/);
  } finally {
    await stack.close();
  }
});

test('the timeline table refuses UPDATE and DELETE', async () => {
  const stack = incidentStack();
  try {
    const event = stack.incidents.recorder.record('note', { text: 'hello' });
    assert.throws(
      () => stack.db.prepare("UPDATE incident_events SET payload = '{}' WHERE seq = ?").run(event.seq),
      /append-only/,
    );
    assert.throws(() => stack.db.prepare('DELETE FROM incident_events').run(), /append-only/);
    assert.equal(stack.incidents.service.verify(event.incidentId).ok, true);
  } finally {
    await stack.close();
  }
});

test('the hash chain catches an event edited in the SQLite file (triggers dropped)', async () => {
  const stack = incidentStack({ now: steppingClock() });
  try {
    const id = recordSampleIncident(stack.incidents);
    const before = stack.incidents.service.verify(id);
    assert.equal(before.ok, true);
    assert.ok(before.events > 20);

    const raw = new Database(stack.file);
    raw.exec('DROP TRIGGER incident_events_no_update; DROP TRIGGER incident_events_no_delete;');
    raw
      .prepare(
        `UPDATE incident_events SET payload = replace(payload, 'holds a lock', 'was fine') WHERE incident_id = ? AND kind = 'note'`,
      )
      .run(id);
    raw.close();
    const edited = stack.incidents.service.verify(id);
    assert.equal(edited.ok, false);
    assert.match(edited.brokenAt!.reason, /does not match its hash/);
    const noteSeq = stack.incidents.service.events(id).find((e) => e.kind === 'note')!.seq;
    assert.equal(edited.brokenAt!.seq, noteSeq);

    const raw2 = new Database(stack.file);
    raw2.prepare('DELETE FROM incident_events WHERE incident_id = ? AND seq = 3').run(id);
    raw2.close();
    const deleted = stack.incidents.service.verify(id);
    assert.equal(deleted.ok, false);
    assert.equal(deleted.brokenAt!.seq, 4);
    assert.match(deleted.brokenAt!.reason, /event 3 is missing/);
  } finally {
    await stack.close();
  }
});

test('payloads are validated per kind, naming the bad field', async () => {
  const stack = incidentStack();
  try {
    assert.throws(
      () =>
        stack.incidents.recorder.record('sql.run', {
          sql: 'SELECT 1',
          risk: 'harmless',
          durationMs: 1,
          outcome: 'ok',
        } as never),
      (e: unknown) => e instanceof OpsError && e.code === 'invalid_input' && /payload\.risk/.test(e.message),
    );
    assert.throws(
      () => stack.incidents.recorder.record('note', { text: 'x' }, { incidentId: 'nope' }),
      (e: unknown) => e instanceof OpsError && e.code === 'not_found',
    );
  } finally {
    await stack.close();
  }
});

test('secrets are never stored: vault-known values, secret parameters, SQL passwords, Redis AUTH', async () => {
  const canary = 'Canary-S3cret-7d1f';
  const stack = incidentStack({ redact: (text) => text.split(canary).join('[redacted]') });
  try {
    const { recorder } = stack.incidents;
    recorder.record('note', { text: `pasted by mistake: ${canary}` });
    recorder.record('runbook.step', {
      runbook: 'r.md',
      step: 's',
      parameters: [
        { name: 'token', value: 'tok-xyz-not-in-vault', secret: true },
        { name: 'user', value: 'app' },
      ],
      outcome: 'ok',
    });
    recorder.record('sql.run', {
      sql: "ALTER ROLE app PASSWORD 'pw-not-in-vault'",
      risk: 'admin',
      durationMs: 1,
      outcome: 'ok',
    });
    recorder.record('sql.export', {
      sql: 'SELECT * FROM t WHERE k = $1',
      risk: 'read',
      format: 'csv',
      path: '/tmp/t.csv',
      rows: 1,
      bytes: 10,
      durationMs: 1,
      outcome: 'ok',
      parameters: [{ name: 'k', value: 'export-key-not-in-vault', secret: true }],
    });
    recorder.record('redis.run', {
      command: ['AUTH', 'pw-redis-not-in-vault'],
      risk: 'admin',
      durationMs: 1,
      outcome: 'ok',
    });
    recorder.record('redis.run', {
      command: ['CONFIG', 'SET', 'requirepass', 'pw-config-not-in-vault'],
      risk: 'admin',
      durationMs: 1,
      outcome: 'ok',
    });
    const stored = stack.db.prepare('SELECT group_concat(payload) AS all_payloads FROM incident_events').get() as {
      all_payloads: string;
    };
    for (const secret of [
      canary,
      'tok-xyz-not-in-vault',
      'export-key-not-in-vault',
      'pw-not-in-vault',
      'pw-redis-not-in-vault',
      'pw-config-not-in-vault',
    ]) {
      assert.equal(stored.all_payloads.includes(secret), false, `${secret} reached the store`);
    }
    assert.match(stored.all_payloads, /"user","secret":false,"value":"app"/, 'non-secret parameters are kept');
  } finally {
    await stack.close();
  }
});

test('the operator is read on every event and synchronous=FULL is a kept setting; events carry the operator and a UTC time', async () => {
  let operator = 'alice';
  const stack = incidentStack({ operator: () => operator });
  try {
    const { recorder } = stack.incidents;
    assert.equal(recorder.record('note', { text: 'a' }).operator, 'alice');
    operator = 'bob';
    const event = recorder.record('note', { text: 'b' });
    assert.equal(event.operator, 'bob');
    assert.match(event.at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.equal(stack.db.pragma('synchronous', { simple: true }), 1);
    recorder.setSynchronous('full');
    assert.equal(stack.db.pragma('synchronous', { simple: true }), 2);
  } finally {
    await stack.close(true);
  }
  const reopened = incidentStack({ dir: stack.dir });
  try {
    assert.equal(reopened.db.pragma('synchronous', { simple: true }), 2, 'FULL is kept across restarts');
  } finally {
    await reopened.close();
  }
});

test('listeners hear an event only after it committed', async () => {
  const stack = incidentStack();
  try {
    const seen: number[] = [];
    stack.incidents.recorder.onEvent((e) => {
      const row = stack.db
        .prepare('SELECT count(*) AS n FROM incident_events WHERE incident_id = ? AND seq = ?')
        .get(e.incidentId, e.seq) as { n: number };
      assert.equal(stack.db.inTransaction, false);
      seen.push(row.n);
    });
    stack.incidents.recorder.record('note', { text: 'x' });
    assert.deepEqual(seen, [1, 1], 'session opened + note, both visible when announced');
  } finally {
    await stack.close();
  }
});

test('two processes (app and CLI) appending to one incident keep one unbroken chain', async () => {
  const app = incidentStack();
  const cli = incidentStack({ dir: app.dir });
  try {
    const { id } = app.incidents.service.start({ title: 'Shared store', severity: 'P2' });
    for (let i = 0; i < 20; i++) {
      const writer = i % 3 === 0 ? cli : app;
      const event = writer.incidents.recorder.record(
        'note',
        { text: `from ${writer === cli ? 'cli' : 'app'} ${i}` },
        { incidentId: id },
      );
      assert.equal(event.seq, i + 2, 'a stale cached head is detected and re-read');
    }
    const verification = app.incidents.service.verify(id);
    assert.equal(verification.ok, true, JSON.stringify(verification.brokenAt));
    assert.equal(verification.events, 21);
  } finally {
    await cli.close(true);
    await app.close();
  }
});

test('catching up with another process checks only the events since: still an edit there is caught and marked', async () => {
  const app = incidentStack();
  const cli = incidentStack({ dir: app.dir });
  try {
    const { id } = app.incidents.service.start({ title: 'Shared store', severity: 'P2' });
    app.incidents.recorder.record('note', { text: 'app 1' }, { incidentId: id });
    cli.incidents.recorder.record('note', { text: 'cli 1' }, { incidentId: id });
    app.incidents.recorder.record('note', { text: 'app 2' }, { incidentId: id });
    // Another writer appends, then someone edits that event in the file before this process catches up.
    cli.incidents.recorder.record('note', { text: 'cli 2 original' }, { incidentId: id });
    const raw = new Database(app.file);
    raw.exec('DROP TRIGGER incident_events_no_update;');
    raw
      .prepare(
        "UPDATE incident_events SET payload = replace(payload, 'original', 'edited') WHERE incident_id = ? AND seq = 5",
      )
      .run(id);
    raw.close();
    const next = app.incidents.recorder.record('note', { text: 'app 3' }, { incidentId: id });
    const events = app.incidents.service.events(id);
    assert.equal(events.at(-2)!.kind, 'chain.segment', 'the edit found on catching up opens a marked segment');
    assert.equal(events.at(-2)!.payload.brokenAt, 5);
    assert.equal(next.seq, 7);
    assert.equal(app.incidents.service.verify(id).ok, false);
  } finally {
    await cli.close(true);
    await app.close();
  }
});
