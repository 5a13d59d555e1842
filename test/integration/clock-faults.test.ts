import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { runCliInProcess } from '../support/cli';
import { incidentStack } from '../support/incident-fixture';

const root = fileURLToPath(new URL('../..', import.meta.url));
const faketime = '/usr/bin/faketime';

/** `opsconsole ARGS` in its own process whose wall clock is `offset` away (libfaketime; the monotonic clock is left alone, as NTP would). */
function cliAt(home: string, offset: string, args: string[]) {
  const run = spawnSync(
    faketime,
    ['-f', offset, `${root}node_modules/.bin/node`, `${root}bin/opsconsole.mjs`, ...args],
    {
      cwd: root,
      env: { ...process.env, OPSCONSOLE_HOME: home, OPSCONSOLE_VAULT: 'file', FAKETIME_DONT_FAKE_MONOTONIC: '1' },
      encoding: 'utf8',
    },
  );
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

test(
  'a wall clock set back between events: every export marks the event whose time runs backwards',
  { timeout: 60_000 },
  async (t) => {
    if (!existsSync(faketime))
      return t.skip('faketime is not installed (apt-get install faketime): the clock drill needs it');
    const home = mkdtempSync(join(tmpdir(), 'clock-back-'));
    try {
      const id = (
        await runCliInProcess(home, ['incident', 'start', '--title', 'clock drift', '--severity', 'P3', '--json'])
      ).json<{ id: string }>().id;
      assert.equal((await runCliInProcess(home, ['incident', 'note', id, 'before the clock change'])).code, 0);
      const back = cliAt(home, '-2h', ['incident', 'note', id, 'laptop clock set back two hours']);
      assert.equal(back.code, 0, back.stderr);
      assert.equal((await runCliInProcess(home, ['incident', 'note', id, 'clock fixed again'])).code, 0);

      const report = (await runCliInProcess(home, ['incident', 'export', id, '--format', 'json'])).json<{
        timeline: { summary: string; clockNote?: string }[];
      }>();
      const marked = report.timeline.filter((e) => e.clockNote);
      assert.equal(marked.length, 1);
      assert.match(marked[0]!.summary, /laptop clock set back two hours/);
      assert.match(marked[0]!.clockNote!, /^wall clock moved back (119|120) min before this event/);
      const md = await runCliInProcess(home, ['incident', 'export', id, '--format', 'md']);
      assert.match(md.stdout, /⚠ \|.*laptop clock set back two hours \[wall clock moved back/);
      const html = await runCliInProcess(home, ['incident', 'export', id, '--format', 'html']);
      assert.match(html.stdout, /<strong class="clock-note">\[wall clock moved back/);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  },
);

test('within one process run, wall time is checked against the monotonic clock: a jump either way beyond 5 s is marked, normal gaps are not', async () => {
  let wall = Date.parse('2026-03-01T02:00:00Z');
  // The wall clock is the test's to move; the monotonic one is the process's own.
  const stack = incidentStack({ now: () => new Date(wall), monotonic: () => performance.now() });
  try {
    const { id } = stack.incidents.service.start({ title: 'clock drills', severity: 'P3' });
    stack.incidents.service.note(id, 'steady');
    wall += 60 * 60_000; // NTP steps the wall clock an hour ahead; the monotonic clock moved milliseconds
    stack.incidents.service.note(id, 'after the forward jump');
    wall -= 10 * 60_000;
    stack.incidents.service.note(id, 'after the step back');
    const notes = stack.incidents.exporter
      .report(id)
      .timeline.map((e) => [e.summary.replace(/^Note: /, ''), e.clockNote ?? '']);
    assert.equal(notes.length, 4);
    assert.equal(notes[1]![1], '');
    assert.match(notes[2]![1]!, /^wall clock jumped forward 60 min before this event$/);
    assert.match(notes[3]![1]!, /^wall clock moved back 10 min before this event/);
    const events = stack.incidents.service.events(id);
    assert.ok(
      events.every((e) => typeof e.monoMs === 'number' && e.processRun === events[0]!.processRun),
      'each event keeps its monotonic offset and process run',
    );
  } finally {
    await stack.close();
  }
});
