import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { runCli, runCliInProcess } from '../support/cli';

test(
  'two processes draining the fallback journal at once: every deferred note joins the timeline exactly once, no journal file is left',
  { timeout: 120_000 },
  async () => {
    const home = mkdtempSync(join(tmpdir(), 'journal-drain-'));
    try {
      const id = (
        await runCliInProcess(home, ['incident', 'start', '--title', 'journal race', '--severity', 'P3', '--json'])
      ).json<{ id: string }>().id;
      // Four processes defer a note each while another process holds the store's write lock.
      const holder = new Database(join(home, 'opsconsole.db'));
      holder.exec('BEGIN IMMEDIATE');
      let deferred;
      try {
        deferred = await Promise.all(
          [1, 2, 3, 4].map((n) => runCli(home, ['incident', 'note', id, `deferred ${n}`, '--json'])),
        );
      } finally {
        holder.exec('ROLLBACK');
        holder.close();
      }
      for (const run of deferred) {
        assert.equal(run.code, 0, run.stderr);
        assert.equal(run.json<{ deferred?: boolean }>().deferred, true);
      }
      assert.equal(readdirSync(join(home, 'journal')).filter((f) => f.endsWith('.jsonl')).length, 4);

      // Two rounds of two processes that start together: each drains the journal before its own note.
      for (const round of [1, 2]) {
        const runs = await Promise.all(
          ['a', 'b'].map((who) => runCli(home, ['incident', 'note', id, `round ${round} ${who}`, '--json'])),
        );
        for (const run of runs) assert.equal(run.code, 0, run.stderr);
      }
      // Whatever a busy drainer had to leave is taken by the next writer.
      assert.equal((await runCliInProcess(home, ['incident', 'note', id, 'last'])).code, 0);

      const shown = (await runCliInProcess(home, ['incident', 'show', id, '--json'])).json<{
        events: { kind: string; deferred?: boolean; payload: { text?: string } }[];
      }>();
      const notes = shown.events.filter((e) => e.kind === 'note');
      assert.equal(notes.filter((e) => e.deferred).length, 0, 'nothing still waits');
      const texts = notes.map((e) => e.payload.text!).sort();
      assert.deepEqual(texts, [
        'deferred 1',
        'deferred 2',
        'deferred 3',
        'deferred 4',
        'last',
        'round 1 a',
        'round 1 b',
        'round 2 a',
        'round 2 b',
      ]);
      assert.deepEqual(
        readdirSync(join(home, 'journal')).filter((f) => f.endsWith('.jsonl')),
        [],
        'no journal file left behind',
      );
      assert.equal((await runCliInProcess(home, ['incident', 'verify', id])).code, 0);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  },
);
