import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createCore } from '../../src/main/core';
import { fileKeySource } from '../../src/main/vault/key-sources';
import { runCliInProcess } from '../support/cli';

let home: string;
let id: string;
const cli = (...args: string[]) => runCliInProcess(home, args);

before(async () => {
  home = mkdtempSync(join(tmpdir(), 'opsconsole-curation-'));
  const core = createCore({ dataDir: home, keySource: fileKeySource(home), knownHostsFiles: [] });
  id = (await core.invoke('incidents.start', { title: 'Checkout blocked', severity: 'P1' })).id;
  await core.invoke('incidents.note', { id, text: 'lock chain on orders, root blocker pid 4242' });
  await core.invoke('incidents.recordStep', {
    id,
    runbook: 'postgres-on-call.md',
    step: 'terminate-root-blocker',
    parameters: [{ name: 'pid', value: '4242', secret: false, origin: 'health finding pg.blocking_locks' }],
    outcome: 'ok',
  });
  await core.invoke('incidents.note', { id, text: 'noise: wrong profile' });
  await core.invoke('incidents.updateReport', {
    id,
    fields: {
      impact: 'Checkout failed for EU users',
      actionItems: [{ text: 'Add lock_timeout to the order worker', owner: 'payments' }],
    },
  });
  await core.dispose();
});
after(() => rmSync(home, { recursive: true, force: true }));

test('star, hide and tag are new events pointing at the marked one; the chain still verifies', async () => {
  assert.equal((await cli('incident', 'star', id, '2')).code, 0);
  const star = await cli('incident', 'star', id, '#3', '--reason', 'the fix', '--json');
  assert.equal(star.code, 0, star.stderr);
  assert.deepEqual(JSON.parse(star.stdout).payload, { seq: 3, reason: 'the fix' });
  assert.equal((await cli('incident', 'hide', id, '4')).code, 0);
  assert.equal((await cli('incident', 'tag', id, 'postgres', 'locks')).code, 0);
  const verify = await cli('incident', 'verify', id, '--json');
  assert.equal(verify.code, 0, verify.stdout);
  assert.equal(JSON.parse(verify.stdout).ok, true);
  const noEvent = await cli('incident', 'star', id, '999');
  assert.equal(noEvent.code, 1);
  assert.match(noEvent.stderr, /has no event 999/);
  const badSeq = await cli('incident', 'hide', id, 'last');
  assert.equal(badSeq.code, 2);
  assert.match(badSeq.stderr, /EVENT must be an event number/);
  const markOfMark = await cli('incident', 'star', id, '8');
  assert.match(markOfMark.stderr, /event 8 is itself a hidden mark: star or hide the event it points at \(4\)/);
});

test('exports: full keeps the hidden event marked; --starred keeps only the starred; summary for chat', async () => {
  const full = await cli('incident', 'export', id, '--format', 'json');
  const report = JSON.parse(full.stdout);
  const bySeq = (seq: number) => report.timeline.find((e: { seq: number }) => e.seq === seq);
  assert.equal(bySeq(4).hidden, true, 'the hidden note stays in the full export, marked');
  assert.equal(bySeq(3).starred, true);
  const starred = JSON.parse((await cli('incident', 'export', id, '--format', 'json', '--starred')).stdout);
  assert.deepEqual(
    starred.timeline.map((e: { seq: number }) => e.seq),
    [2, 3],
  );
  assert.equal(starred.starredOnly, true);
  const md = (await cli('incident', 'export', id, '--format', 'md', '--starred')).stdout;
  assert.match(md, /★ Runbook step "terminate-root-blocker".*pid=4242 \(health finding pg\.blocking_locks\)/);
  assert.doesNotMatch(md, /noise: wrong profile/);
  const summary = await cli('incident', 'export', id, '--format', 'summary');
  assert.equal(summary.code, 0, summary.stderr);
  assert.match(summary.stdout, /^\*\*Checkout blocked\*\* — P1 · investigating/);
  assert.match(summary.stdout, /\*\*Impact:\*\* Checkout failed for EU users/);
  assert.match(summary.stdout, /tags: locks, postgres/);
  assert.match(
    summary.stdout,
    /Key steps:\*\*\n- \d\d:\d\d UTC Note: lock chain on orders[^\n]*\n- \d\d:\d\d UTC Runbook step "terminate-root-blocker"/,
  );
  assert.match(summary.stdout, /Next actions:\*\*\n- Add lock_timeout to the order worker \(payments\)/);
  assert.doesNotMatch(summary.stdout, /noise/);
  const text = (await cli('incident', 'export', id, '--format', 'summary-text')).stdout;
  assert.match(text, /^Checkout blocked — P1, investigating\nImpact: Checkout failed/);
  assert.doesNotMatch(text, /\*\*/);
  const refused = await cli('incident', 'export', id, '--format', 'summary', '--out', join(home, 's.md'));
  assert.equal(refused.code, 2);
});

test('a back-dated note keeps both times; a bad time is refused naming the field', async () => {
  const noted = await cli('incident', 'note', id, 'pager', 'fired', '--at', '2026-01-31T03:12:00Z', '--json');
  assert.equal(noted.code, 0, noted.stderr);
  const event = JSON.parse(noted.stdout);
  assert.equal(event.payload.happenedAt, '2026-01-31T03:12:00.000Z');
  assert.notEqual(event.at.slice(0, 10), '2026-01-31', 'the recorded time is when it was written');
  const bad = await cli('incident', 'note', id, 'x', '--at', 'yesterday');
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /happenedAt must be a date and time/);
});
