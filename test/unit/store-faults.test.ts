import assert from 'node:assert/strict';
import {
  closeSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  truncateSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { listMigrations, openDatabase } from '../../src/main/store/database';
import { runCli, runCliInProcess } from '../support/cli';

const tempDir = (prefix: string) => mkdtempSync(join(tmpdir(), prefix));

/** Runs `body` in a fresh data folder holding one started incident; the folder is removed after. */
async function withIncident(prefix: string, body: (home: string, id: string) => Promise<void>): Promise<void> {
  const home = tempDir(prefix);
  try {
    const started = await runCliInProcess(home, ['incident', 'start', '--title', prefix, '--severity', 'P2', '--json']);
    await body(home, started.json<{ id: string }>().id);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

test('migrations form one numbered sequence: two files with the same number are refused, naming both', () => {
  const shipped = listMigrations();
  assert.ok(shipped.length >= 6);
  assert.equal(new Set(shipped.map((m) => m.version)).size, shipped.length);
  const dir = tempDir('migrations-');
  try {
    writeFileSync(join(dir, '001-profiles.sql'), 'CREATE TABLE a (x int);');
    writeFileSync(join(dir, '002-teams.sql'), 'CREATE TABLE b (x int);');
    writeFileSync(join(dir, '002-journal.sql'), 'CREATE TABLE c (x int);');
    assert.throws(() => listMigrations(dir), /002-journal\.sql and 002-teams\.sql share the number 2: renumber/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('opening an up-to-date store takes no write lock: it opens while another connection holds one', () => {
  const dir = tempDir('store-open-');
  try {
    openDatabase(join(dir, 'opsconsole.db')).close();
    const holder = new Database(join(dir, 'opsconsole.db'));
    holder.exec('BEGIN IMMEDIATE');
    const started = performance.now();
    const db = openDatabase(join(dir, 'opsconsole.db'));
    assert.ok(performance.now() - started < 1000, 'did not wait for the busy timeout');
    assert.equal(db.pragma('user_version', { simple: true }), listMigrations().at(-1)!.version);
    db.close();
    holder.exec('ROLLBACK');
    holder.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('readers never wait for a writer: list, show, verify and profiles list succeed at once while the store is write-locked', async () => {
  const home = tempDir('store-readers-');
  try {
    const started = await runCliInProcess(home, [
      'incident',
      'start',
      '--title',
      'db failover',
      '--severity',
      'P1',
      '--json',
    ]);
    const id = started.json<{ id: string }>().id;
    const holder = new Database(join(home, 'opsconsole.db'));
    holder.exec('BEGIN IMMEDIATE');
    try {
      for (const args of [
        ['incident', 'list'],
        ['incident', 'show', id],
        ['incident', 'verify', id],
        ['profiles', 'list'],
      ]) {
        const t0 = performance.now();
        const run = await runCliInProcess(home, [...args, '--json']);
        assert.equal(run.code, 0, `${args.join(' ')}: ${run.stderr}`);
        assert.ok(
          performance.now() - t0 < 2500,
          `${args.join(' ')} waited ${Math.round(performance.now() - t0)} ms for the lock`,
        );
      }
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});

test('a WAL truncated under an open connection: verify names the acknowledged events that are gone', async () => {
  await withIncident('store-wal-', async (home, id) => {
    // Another process keeps the store open, so the notes stay in the WAL (no checkpoint on close).
    const holder = new Database(join(home, 'opsconsole.db'));
    holder.pragma('wal_checkpoint(TRUNCATE)');
    holder.prepare('SELECT count(*) FROM incident_events').get();
    for (let i = 1; i <= 10; i++)
      assert.equal((await runCliInProcess(home, ['incident', 'note', id, `note ${i}`])).code, 0);
    truncateSync(join(home, 'opsconsole.db-wal'), 0);
    holder.close();
    const verify = await runCliInProcess(home, ['incident', 'verify', id, '--json']);
    assert.equal(verify.code, 1, verify.stdout);
    const result = verify.json<{ ok: boolean; missingFrom: number; brokenAt: { seq: number; reason: string } }>();
    assert.equal(result.ok, false);
    assert.equal(result.missingFrom, 2);
    assert.match(result.brokenAt.reason, /events 2 to 11 are missing: 11 were recorded, the store holds 1/);
    const text = await runCliInProcess(home, ['incident', 'verify', id]);
    assert.match(text.stdout, /BROKEN at event 2: events 2 to 11 are missing/);
  });
});

test('the fallback journal and the head anchor are private files (0600) in a private folder', async () => {
  await withIncident('store-modes-', async (home, id) => {
    const holder = new Database(join(home, 'opsconsole.db'));
    holder.exec('BEGIN IMMEDIATE');
    const note = await runCliInProcess(home, ['incident', 'note', id, 'kept while the store was locked', '--json']);
    holder.exec('ROLLBACK');
    holder.close();
    assert.equal(note.code, 0, note.stderr);
    assert.equal(note.json<{ deferred?: boolean }>().deferred, true);
    assert.match(note.stderr, /kept in the fallback journal/);
    const { statSync } = await import('node:fs');
    const journal = join(home, 'journal');
    assert.equal(statSync(journal).mode & 0o777, 0o700);
    for (const file of readdirSync(journal)) assert.equal(statSync(join(journal, file)).mode & 0o777, 0o600, file);
    assert.equal(statSync(join(home, 'opsconsole.db.heads.json')).mode & 0o777, 0o600);
    const shown = await runCliInProcess(home, ['incident', 'show', id, '--json']);
    assert.deepEqual(
      shown
        .json<{ events: { kind: string; payload: { text?: string } }[] }>()
        .events.map((e) => e.payload.text ?? e.kind),
      ['incident.opened', 'kept while the store was locked'],
    );
  });
});

test('an altered payload: show and every export say BROKEN, the next note starts one marked segment, verify stays broken', async () => {
  const home = tempDir('store-altered-');
  try {
    const cli = (...args: string[]) => runCliInProcess(home, args);
    const id = (await cli('incident', 'start', '--title', 'payments down', '--severity', 'P1', '--json')).json<{
      id: string;
    }>().id;
    for (const text of ['primary failed over', 'replica lag 30 s', 'traffic drained'])
      assert.equal((await cli('incident', 'note', id, text)).code, 0);
    const raw = new Database(join(home, 'opsconsole.db'));
    raw.exec('DROP TRIGGER incident_events_no_update');
    raw
      .prepare("UPDATE incident_events SET payload = replace(payload, '30 s', '0 s') WHERE incident_id = ? AND seq = 3")
      .run(id);
    raw.close();

    const md = await cli('incident', 'export', id, '--format', 'md');
    assert.match(md.stdout, /Timeline integrity: BROKEN at event 3: its content does not match its hash/);
    assert.doesNotMatch(md.stdout, /Timeline integrity: \d+ events/);
    const html = await cli('incident', 'export', id, '--format', 'html');
    assert.match(html.stdout, /class="integrity-banner" role="alert">Timeline integrity: BROKEN at event 3/);
    const json = (await cli('incident', 'export', id, '--format', 'json')).json<{ integrity: unknown }>();
    assert.deepEqual(json.integrity, {
      ok: false,
      brokenAt: { seq: 3, reason: 'its content does not match its hash (the event was edited)' },
      missingFrom: null,
    });
    const shown = await cli('incident', 'show', id);
    assert.match(shown.stdout, /timeline integrity: BROKEN at event 3/);

    assert.equal((await cli('incident', 'note', id, 'after the break')).code, 0);
    assert.equal((await cli('incident', 'note', id, 'and one more')).code, 0);
    const events = (await cli('incident', 'show', id, '--json')).json<{
      events: { seq: number; kind: string; payload: Record<string, unknown> }[];
    }>().events;
    const markers = events.filter((e) => e.kind === 'chain.segment');
    assert.equal(markers.length, 1, 'one marker per break, not one per note');
    // The first event recorded after the break (here the first export's) opens the new segment.
    assert.deepEqual(
      events.slice(4).map((e) => e.kind),
      ['chain.segment', 'export', 'export', 'export', 'note', 'note'],
    );
    assert.equal(markers[0]!.payload.brokenAt, 3);
    assert.equal(markers[0]!.payload.lastVerifiedSeq, 2);
    assert.match(String(markers[0]!.payload.lastVerifiedHash), /^[0-9a-f]{64}$/);
    const verify = await cli('incident', 'verify', id, '--json');
    assert.equal(verify.code, 1);
    assert.equal(verify.json<{ brokenAt: { seq: number } }>().brokenAt.seq, 3);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});

test('a store SQLite reports as malformed is moved aside and kept; a fresh store is started and the CLI says so', async () => {
  const home = tempDir('store-damaged-');
  try {
    const id = (
      await runCliInProcess(home, ['incident', 'start', '--title', 'before the damage', '--severity', 'P2', '--json'])
    ).json<{ id: string }>().id;
    const file = join(home, 'opsconsole.db');
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.alloc(100, 0x41), 0, 100, 0); // the 100-byte header, garbled
    closeSync(fd);
    const list = await runCli(home, ['incident', 'list', '--json']);
    assert.equal(list.code, 0, list.stderr);
    assert.deepEqual(list.json(), []);
    const kept = readdirSync(home).filter(
      (f) => f.startsWith('opsconsole.db.damaged-') && !f.endsWith('-wal') && !f.endsWith('-shm'),
    );
    assert.equal(kept.length, 1);
    assert.ok(list.stderr.includes(`kept as ${join(home, kept[0]!)} and a fresh store was started`), list.stderr);
    assert.equal(
      readFileSync(join(home, kept[0]!)).subarray(0, 4).toString(),
      'AAAA',
      'the damaged file is kept as it was',
    );
    const started = await runCliInProcess(home, [
      'incident',
      'start',
      '--title',
      'after',
      '--severity',
      'P2',
      '--json',
    ]);
    assert.equal(started.code, 0, started.stderr);
    assert.notEqual(started.json<{ id: string }>().id, id);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});
