import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, openSync, readdirSync, rmSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import pg from 'pg';
import { startPostgres, type PostgresServer } from '../harness/index';
import { runCliInProcess, type CliRun } from '../support/cli';
import { harnessProfile } from '../support/profiles';
import { tempCore } from '../support/temp-core';
import { fileKeySource } from '../../src/main/vault/key-sources';

/**
 * Fault drills around COMMIT: the store locked or the disk full while a confirmed write commits,
 * and the connection lost while COMMIT waits for a synchronous standby. What the server did is
 * reported apart from whether the console could record it, and never as "rolled back".
 */
let pgServer: PostgresServer;
let direct: pg.Client;

before(async () => {
  pgServer = await startPostgres();
  direct = new pg.Client({ connectionString: pgServer.connectionString() });
  await direct.connect();
  await direct.query('CREATE TABLE orders (id int PRIMARY KEY, status text)');
});
after(async () => {
  await direct?.end();
  await pgServer?.stop();
});

/** A data folder with one profile on the harness's Postgres and an open incident. */
async function dataFolder(dir: string, server = pgServer): Promise<{ dir: string; incidentId: string }> {
  const temp = tempCore({ dataDir: dir, keySource: fileKeySource(dir) });
  try {
    await temp.core.invoke('profiles.save', { profile: harnessProfile('prod-db', { pg: server }, 'production') });
    const { id } = await temp.core.invoke('incidents.start', { title: 'orders stuck', severity: 'P1' });
    return { dir, incidentId: id };
  } finally {
    await temp.core.dispose();
  }
}

const write = (home: string, sql: string): Promise<CliRun> =>
  runCliInProcess(home, ['sql', 'run', '--profile', 'prod-db', sql, '--confirm', 'prod-db', '--json']);

async function timeline(home: string, incidentId: string) {
  const shown = await runCliInProcess(home, ['incident', 'show', incidentId, '--json']);
  assert.equal(shown.code, 0, shown.stderr);
  return shown.json<{ events: { seq: number; kind: string; deferred?: boolean; payload: Record<string, unknown> }[] }>()
    .events;
}

const journalFiles = (dir: string) => readdirSync(join(dir, 'journal')).filter((f) => f.endsWith('.jsonl'));

function assertNeverRolledBack(...texts: string[]): void {
  for (const text of texts) assert.doesNotMatch(text, /rolled back|nothing was kept/i);
}

test(
  'the store locked by another connection during a confirmed COMMIT: committed, exit 0, recorded via the journal, in order',
  { timeout: 60_000 },
  async () => {
    const { dir, incidentId } = await dataFolder(mkdtempSync(join(tmpdir(), 'truth-locked-')));
    const holder = new Database(join(dir, 'opsconsole.db'));
    try {
      holder.exec('BEGIN IMMEDIATE');
      const run = await write(dir, "INSERT INTO orders VALUES (1, 'paid')");
      holder.exec('ROLLBACK');
      assert.equal(run.code, 0, run.stderr);
      const doc = run.json<Record<string, unknown>>();
      assert.equal(doc.outcome, 'committed');
      assert.equal(doc.serverOutcome, 'committed');
      assert.equal(doc.recorded, 'deferred');
      assert.match(String(doc.xid), /^\d+$/);
      assert.match(run.stderr, /fallback journal/);
      assertNeverRolledBack(run.stdout, run.stderr);
      assert.equal((await direct.query('SELECT status FROM orders WHERE id = 1')).rows[0]?.status, 'paid');
      assert.equal(journalFiles(dir).length, 1, 'the records wait in the fallback journal');
    } finally {
      holder.close();
    }
    // A read command (show opens the store read-only) shows what waits; the next process that writes appends it.
    const waiting = await timeline(dir, incidentId);
    assert.deepEqual(
      waiting.slice(-3).map((e) => [e.kind, e.deferred]),
      [
        ['preview', true],
        ['confirmation', true],
        ['sql.run', true],
      ],
    );
    assert.equal((await runCliInProcess(dir, ['incident', 'note', incidentId, 'store free again'])).code, 0);
    const events = await timeline(dir, incidentId);
    assert.equal(
      journalFiles(dir).length,
      0,
      'the next writing process appended the journal to the timeline and removed it',
    );
    assert.deepEqual(
      events.slice(-4).map((e) => e.kind),
      ['preview', 'confirmation', 'sql.run', 'note'],
    );
    const outcome = events.at(-2)!.payload;
    assert.equal(outcome.serverOutcome, 'committed');
    assert.equal(outcome.outcome, 'ok');
    assertNeverRolledBack(JSON.stringify(events));
    const verified = await runCliInProcess(dir, ['incident', 'verify', incidentId, '--json']);
    assert.equal(verified.code, 0, verified.stdout + verified.stderr);
    // The query history, which skipped the run while it was deferred, took it when the journal was drained.
    const history = await runCliInProcess(dir, ['sql', 'history', '--json']);
    assert.equal(history.code, 0, history.stderr);
    assert.deepEqual(
      history
        .json<{ entries: { sql: string; outcome: string; profile: string }[] }>()
        .entries.map((e) => [e.sql, e.outcome, e.profile]),
      [
        ["INSERT INTO orders VALUES (1, 'paid')", 'ok', 'prod-db'],
        ["INSERT INTO orders VALUES (1, 'paid')", 'previewed', 'prod-db'],
      ],
    );
    rmSync(dir, { recursive: true, force: true });
  },
);

/** Mounts a small tmpfs (root only); undefined where the machine does not allow it. */
function smallDisk(): { dir: string; unmount(): void } | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'truth-full-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=6m,mode=0700', 'tmpfs', dir], { stdio: 'ignore' });
  } catch {
    rmSync(dir, { recursive: true, force: true });
    return undefined;
  }
  return {
    dir,
    unmount() {
      execFileSync('umount', ['-l', dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function fillDisk(dir: string): string {
  const filler = join(dir, 'filler');
  const fd = openSync(filler, 'w');
  const chunk = Buffer.alloc(64 * 1024, 1);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  }
  // Fill the last partial chunk too, so not one more page fits.
  try {
    for (;;) writeSync(fd, Buffer.alloc(512, 1));
  } catch {
    // full
  } finally {
    closeSync(fd);
  }
  return filler;
}

test(
  'a full disk during a confirmed COMMIT: committed, exit 0, no stack trace; the timeline catches up once space is freed',
  { timeout: 60_000 },
  async (t) => {
    const disk = smallDisk();
    if (!disk) return t.skip('mounting a tmpfs is not allowed here (needs root and mount rights)');
    try {
      const { incidentId } = await dataFolder(disk.dir);
      // The app has the store open, as on the operator's laptop (its -wal and -shm files exist).
      const app = new Database(join(disk.dir, 'opsconsole.db'));
      app.prepare('SELECT count(*) FROM incident_events').get();
      const filler = fillDisk(disk.dir);
      const run = await write(disk.dir, "INSERT INTO orders VALUES (2, 'refunded')");
      app.close();
      assert.equal(run.code, 0, run.stderr);
      const doc = run.json<Record<string, unknown>>();
      assert.equal(doc.serverOutcome, 'committed');
      assert.ok(doc.recorded === 'deferred' || doc.recorded === true, `recorded: ${String(doc.recorded)}`);
      t.diagnostic(`recorded: ${String(doc.recorded)}`);
      assert.doesNotMatch(run.stderr, /SqliteError|\n\s+at /);
      assertNeverRolledBack(run.stdout, run.stderr);
      assert.equal((await direct.query('SELECT status FROM orders WHERE id = 2')).rows[0]?.status, 'refunded');
      rmSync(filler);
      const events = await timeline(disk.dir, incidentId);
      const last = events.at(-1)!;
      assert.equal(last.kind, 'sql.run');
      assert.equal(last.payload.serverOutcome, 'committed');
    } finally {
      disk.unmount();
    }
  },
);

/**
 * A confirmed INSERT whose COMMIT waits for a synchronous standby that does not exist; its backend
 * is terminated while it waits (after `beforeTerminate`). Returns the CLI run and the timeline.
 */
async function lostCommitDrill(id: number, beforeTerminate?: (admin: pg.Client) => Promise<void>) {
  const server = await startPostgres();
  const admin = new pg.Client({
    host: server.host,
    port: server.port,
    database: server.database,
    user: server.superuser,
    password: server.superPassword,
  });
  const home = mkdtempSync(join(tmpdir(), 'truth-syncrep-'));
  try {
    await admin.connect();
    await waitForMissingStandby(admin);
    const { incidentId } = await dataFolder(home, server);
    const running = write(home, `INSERT INTO ledger VALUES (${id})`);
    await terminateOnceWaiting(admin, beforeTerminate && (() => beforeTerminate(admin)));
    const run = await running;
    return { run, doc: run.json<Record<string, unknown>>(), events: await timeline(home, incidentId) };
  } finally {
    await admin.end().catch(() => undefined);
    await server.stop();
    rmSync(home, { recursive: true, force: true });
  }
}

test(
  'COMMIT waiting on a missing synchronous standby, backend terminated: pg_xact_status says committed, exit 0, never "rolled back"',
  { timeout: 90_000 },
  async () => {
    const { run, doc, events } = await lostCommitDrill(7);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.equal(doc.serverOutcome, 'committed');
    assert.equal(doc.outcome, 'committed');
    assertNeverRolledBack(run.stdout, run.stderr);
    assert.match(run.stderr, /reports transaction \d+ as committed/);
    assert.equal(events.at(-1)!.payload.serverOutcome, 'committed');
    assertNeverRolledBack(JSON.stringify(events));
  },
);

test(
  'the same lost COMMIT when the server cannot be asked: outcome unknown with the xid, exit 3, never "rolled back"',
  { timeout: 90_000 },
  async () => {
    // The console's next connection is refused (its password changed): nobody can say what happened.
    const { run, doc, events } = await lostCommitDrill(
      8,
      async (admin) => void (await admin.query("ALTER ROLE ops PASSWORD 'rotated-meanwhile'")),
    );
    assert.equal(run.code, 3, run.stdout + run.stderr);
    assert.equal(doc.serverOutcome, 'unknown');
    assert.equal(doc.outcome, 'unknown');
    assert.match(run.stderr, /outcome unknown: check before retrying/i);
    assert.ok(run.stderr.includes(String(doc.xid)), 'the message names the xid to check');
    assertNeverRolledBack(run.stdout, run.stderr);
    assert.equal(events.at(-1)!.payload.serverOutcome, 'unknown');
    assert.equal(events.at(-1)!.payload.outcome, 'unknown');
  },
);

/** From now on every COMMIT waits for a synchronous standby that does not exist (the admin session excepted). */
async function waitForMissingStandby(admin: pg.Client): Promise<void> {
  await admin.query('SET synchronous_commit = local');
  await admin.query('CREATE TABLE ledger (id int PRIMARY KEY)');
  await admin.query('GRANT ALL ON ledger TO ops');
  await admin.query("ALTER SYSTEM SET synchronous_standby_names = 'standby_that_is_not_there'");
  await admin.query('SELECT pg_reload_conf()');
}

/** Waits for a backend of user ops stuck in the synchronous-replication wait, then terminates it. */
async function terminateOnceWaiting(admin: pg.Client, beforeTerminate?: () => Promise<void>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const { rows } = await admin.query<{ pid: number }>(
      "SELECT pid FROM pg_stat_activity WHERE usename = 'ops' AND wait_event = 'SyncRep'",
    );
    if (rows[0]) {
      await beforeTerminate?.();
      await admin.query('SELECT pg_terminate_backend($1)', [rows[0].pid]);
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the COMMIT never waited for the synchronous standby');
}
