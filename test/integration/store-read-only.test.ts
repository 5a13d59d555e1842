import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { listMigrations, migrate } from '../../src/main/store/database';
import { runCliInProcess } from '../support/cli';

const tempDir = (prefix: string) => mkdtempSync(join(tmpdir(), prefix));
const isRoot = process.getuid?.() === 0;

/** A data folder with one incident (a note, a profile, a signing key made by a first export). */
async function populatedHome(): Promise<{ home: string; id: string }> {
  const home = tempDir('store-ro-');
  const started = await runCliInProcess(home, [
    'incident',
    'start',
    '--title',
    'replica lag',
    '--severity',
    'P2',
    '--json',
  ]);
  const id = started.json<{ id: string }>().id;
  assert.equal((await runCliInProcess(home, ['incident', 'note', id, 'lag at 40 s'])).code, 0);
  const added = await runCliInProcess(home, [
    'profiles',
    'add',
    '--name',
    'prod-db',
    '--environment',
    'production',
    '--ssh-host',
    '127.0.0.1',
    '--ssh-user',
    'ops',
    '--pg-host',
    '127.0.0.1',
    '--pg-database',
    'app',
    '--pg-user',
    'app',
  ]);
  assert.equal(added.code, 0, added.stderr);
  const out = tempDir('store-ro-out-');
  const first = await runCliInProcess(home, [
    'incident',
    'export',
    id,
    '--format',
    'json',
    '--out',
    join(out, 'first.json'),
  ]);
  assert.equal(first.code, 0, first.stderr);
  rmSync(out, { recursive: true, force: true });
  // A reader last, as the app or a read command leaves the folder: SQLite reads a WAL store on a
  // read-only mount only while its -shm file is there, and the last writer to close removes it.
  assert.equal((await runCliInProcess(home, ['incident', 'list'])).code, 0);
  return { home, id };
}

/**
 * The data folder made unwritable for this process: a read-only bind mount where we may mount
 * (root ignores file modes), chmod 0400/0500 otherwise. Undefined when neither applies.
 */
function readOnlyView(home: string): { dir: string; release(): void } | undefined {
  if (!isRoot) {
    for (const name of readdirSync(home)) if (name.startsWith('opsconsole.db')) chmodSync(join(home, name), 0o400);
    chmodSync(home, 0o500);
    return { dir: home, release: () => chmodSync(home, 0o700) };
  }
  const dir = tempDir('store-ro-mount-');
  try {
    execFileSync('mount', ['--bind', home, dir], { stdio: 'ignore' });
    execFileSync('mount', ['-o', 'remount,ro,bind', dir], { stdio: 'ignore' });
    return {
      dir,
      release: () => (
        execFileSync('umount', [dir], { stdio: 'ignore' }),
        rmSync(dir, { recursive: true, force: true })
      ),
    };
  } catch {
    rmSync(dir, { recursive: true, force: true });
    return undefined;
  }
}

const readCommands = (id: string, out: string) => [
  ['incident', 'list'],
  ['incident', 'show', id],
  ['incident', 'verify', id],
  ['incident', 'export', id, '--format', 'md', '--out', join(out, 'report.md')],
  ['incident', 'export', id, '--format', 'json', '--out', join(out, 'report.json')],
  ['profiles', 'list'],
  ['profiles', 'show', 'prod-db'],
  ['sandbox', 'list'],
  ['known-hosts', 'list'],
];

test('read commands work on a data folder that cannot be written (read-only mount or 0400 store); writes are refused with what to free', async (t) => {
  const { home, id } = await populatedHome();
  const view = readOnlyView(home);
  if (!view) {
    rmSync(home, { recursive: true, force: true });
    return t.skip('running as root where a read-only bind mount is not allowed: file modes do not stop root');
  }
  const out = tempDir('store-ro-out-');
  try {
    for (const args of readCommands(id, out)) {
      const run = await runCliInProcess(view.dir, [...args, '--json']);
      assert.equal(run.code, 0, `${args.join(' ')}: ${run.stderr}`);
    }
    const show = await runCliInProcess(view.dir, ['incident', 'show', id]);
    assert.match(show.stdout, /lag at 40 s/);
    const exported = await runCliInProcess(view.dir, [
      'incident',
      'export',
      id,
      '--format',
      'md',
      '--out',
      join(out, 'again.md'),
    ]);
    assert.match(
      exported.stderr,
      /warning: The export was made but not recorded in the timeline: Neither the incident store nor its fallback journal .* can be written/,
    );
    const note = await runCliInProcess(view.dir, ['incident', 'note', id, 'this cannot be kept', '--json']);
    assert.equal(note.code, 1);
    assert.equal(note.json<{ error: { code: string } }>().error.code, 'store_unavailable');
  } finally {
    view.release();
    rmSync(out, { recursive: true, force: true });
    rmSync(home, { recursive: true, force: true });
  }
});

test('read commands do not wait for a writer holding an IMMEDIATE transaction; an export made meanwhile joins the timeline later', async () => {
  const { home, id } = await populatedHome();
  const out = tempDir('store-ro-out-');
  const holder = new Database(join(home, 'opsconsole.db'));
  holder.exec('BEGIN IMMEDIATE');
  try {
    for (const args of readCommands(id, out)) {
      const t0 = performance.now();
      const run = await runCliInProcess(home, [...args, '--json']);
      assert.equal(run.code, 0, `${args.join(' ')}: ${run.stderr}`);
      // An export records itself, so like every recording command it waits for the lock (5 s) first.
      assert.ok(
        args[1] === 'export' || performance.now() - t0 < 2500,
        `${args.join(' ')} waited ${Math.round(performance.now() - t0)} ms for the lock`,
      );
    }
    const waiting = await runCliInProcess(home, ['incident', 'show', id]);
    assert.match(
      waiting.stdout,
      // Said as it is: the lock, not a failing disk; populatedHome's first export is in the timeline already.
      /2 records wait in the fallback journal \(another process holds the store's write lock[^)]*\): close it\): they join the timeline/,
    );
    assert.match(
      waiting.stdout,
      /waiting .* Report exported as MD to .*report\.md {2}\(in the fallback journal, not yet in the timeline\)/,
    );
  } finally {
    holder.exec('ROLLBACK');
    holder.close();
  }
  try {
    // The next writer drains the journal: both exports made under the lock are in the timeline.
    assert.equal((await runCliInProcess(home, ['incident', 'note', id, 'after the lock'])).code, 0);
    const events = (await runCliInProcess(home, ['incident', 'show', id, '--json'])).json<{
      events: { kind: string; payload: { path?: string } }[];
    }>().events;
    const exports = events.filter((e) => e.kind === 'export').map((e) => e.payload.path);
    assert.deepEqual(exports.slice(-2), [join(out, 'report.md'), join(out, 'report.json')]);
    const shown = await runCliInProcess(home, ['incident', 'show', id]);
    assert.equal(shown.stdout.match(/\(recorded late, from the fallback journal\)/g)?.length, 2, shown.stdout);
    assert.doesNotMatch(shown.stdout, /wait in the fallback journal/);
    assert.equal((await runCliInProcess(home, ['incident', 'verify', id])).code, 0);
  } finally {
    rmSync(out, { recursive: true, force: true });
    rmSync(home, { recursive: true, force: true });
  }
});

test('incident export records its event in the timeline, not in the fallback journal (no false disk alarm)', async () => {
  const { home, id } = await populatedHome();
  const out = tempDir('store-ro-out-');
  try {
    const exported = await runCliInProcess(home, [
      'incident',
      'export',
      id,
      '--format',
      'md',
      '--out',
      join(out, 'r.md'),
    ]);
    assert.equal(exported.code, 0, exported.stderr);
    assert.doesNotMatch(exported.stderr, /warning/);
    const shown = await runCliInProcess(home, ['incident', 'show', id]);
    assert.doesNotMatch(shown.stdout, /fallback journal|cannot be written/);
    const events = (await runCliInProcess(home, ['incident', 'show', id, '--json'])).json<{
      events: { kind: string; payload: { path?: string } }[];
    }>().events;
    assert.equal(events.filter((e) => e.kind === 'export').at(-1)?.payload.path, join(out, 'r.md'));
  } finally {
    rmSync(out, { recursive: true, force: true });
    rmSync(home, { recursive: true, force: true });
  }
});

test('a store older than the code: a read command says so and what to do; a writing command upgrades it, then reads work', async () => {
  const home = tempDir('store-old-');
  const oldDir = tempDir('store-old-migrations-');
  try {
    const all = listMigrations();
    for (const m of all.slice(0, -1))
      copyFileSync(join(import.meta.dirname, '../../src/main/store/migrations', m.file), join(oldDir, m.file));
    mkdirSync(home, { recursive: true });
    const db = new Database(join(home, 'opsconsole.db'));
    db.pragma('journal_mode = WAL');
    migrate(db, oldDir);
    db.close();
    const older = all.at(-2)!.version;
    const list = await runCliInProcess(home, ['incident', 'list', '--json']);
    assert.equal(list.code, 1);
    const error = list.json<{ error: { code: string; message: string } }>().error;
    assert.equal(error.code, 'store_outdated');
    assert.match(
      error.message,
      new RegExp(
        `schema version ${older}, older than this opsconsole \\(${all.at(-1)!.version}\\).*Run a command that writes`,
      ),
    );
    assert.equal(
      (await runCliInProcess(home, ['incident', 'start', '--title', 'after upgrade', '--severity', 'P3'])).code,
      0,
    );
    const after = await runCliInProcess(home, ['incident', 'list', '--json']);
    assert.equal(after.code, 0, after.stderr);
    assert.equal(after.json<unknown[]>().length, 1);
  } finally {
    rmSync(oldDir, { recursive: true, force: true });
    rmSync(home, { recursive: true, force: true });
  }
});

test('a read command on a brand-new data folder starts the store as any first command would', async () => {
  const home = tempDir('store-new-');
  try {
    for (const args of [
      ['profiles', 'list'],
      ['incident', 'list'],
    ]) {
      const run = await runCliInProcess(home, [...args, '--json']);
      assert.equal(run.code, 0, `${args.join(' ')}: ${run.stderr}`);
      assert.deepEqual(run.json(), []);
    }
    assert.equal((await runCliInProcess(home, ['incident', 'start', '--title', 'first', '--severity', 'P3'])).code, 0);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});
