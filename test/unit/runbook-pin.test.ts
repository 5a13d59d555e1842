import assert from 'node:assert/strict';
import { test } from 'node:test';
import { branchNameSchema } from '../../src/shared/contract';
import { eventPayloadSchemas } from '../../src/shared/incident';
import { summarizeEvent } from '../../src/shared/incident-summary';
import { describeAge, lineDiff, shortCommit } from '../../src/shared/runbook-pin';

test('describeAge says how old the last pull is, in words', () => {
  const now = new Date('2026-01-02T12:00:00Z');
  assert.equal(describeAge(null, now), 'never updated');
  assert.equal(describeAge('2026-01-02T11:59:40Z', now), 'updated less than a minute ago');
  assert.equal(describeAge('2026-01-02T11:35:00Z', now), 'updated 25 min ago');
  assert.equal(describeAge('2026-01-02T09:00:00Z', now), 'updated 3 h ago');
  assert.equal(describeAge('2025-12-28T12:00:00Z', now), 'updated 5 days ago');
});

test('lineDiff marks removed, added and kept lines', () => {
  assert.equal(lineDiff('a\nb\nc', 'a\nB\nc'), '  a\n- b\n+ B\n  c');
  assert.equal(lineDiff('same', 'same'), '  same');
  assert.equal(lineDiff('x', ''), '- x\n+ ');
});

test('branch names: what git and a reviewer accept', () => {
  for (const ok of ['fix/disk-full', 'runbook_edit.2', 'a'])
    assert.equal(branchNameSchema.safeParse(ok).success, true, ok);
  for (const bad of ['-f', 'a..b', 'with space', 'ends/', 'x.', 'a//b', 'a@{1}', ''])
    assert.equal(branchNameSchema.safeParse(bad).success, false, bad);
});

const pin = {
  source: 'runbooks',
  sourceUrl: 'ssh://git@example.com/team/runbooks.git',
  branch: 'main',
  path: 'runbooks/db.md',
  commit: 'a'.repeat(40),
  syncedAt: '2026-01-02T09:00:00.000Z',
  fileSha256: 'b'.repeat(64),
  stepSha256: 'c'.repeat(64),
  stepText: 'SELECT 1;',
};

test('a runbook step event may carry its pin; a malformed one is refused', () => {
  const step = { runbook: '/x/db.md', step: 's1', outcome: 'ok' as const };
  assert.equal(eventPayloadSchemas['runbook.step'].safeParse(step).success, true, 'the pin is optional');
  assert.equal(eventPayloadSchemas['runbook.step'].safeParse({ ...step, pin }).success, true);
  assert.equal(
    eventPayloadSchemas['runbook.step'].safeParse({ ...step, pin: { ...pin, commit: 'local, uncommitted' } }).success,
    true,
  );
  assert.equal(
    eventPayloadSchemas['runbook.step'].safeParse({ ...step, pin: { ...pin, commit: 'HEAD' } }).success,
    false,
  );
  assert.equal(eventPayloadSchemas['runbook.step'].safeParse({ ...step, pin: { ...pin, extra: 1 } }).success, false);
});

test('the report line names the source, the commit and when it was pulled', () => {
  const line = summarizeEvent({
    kind: 'runbook.step',
    payload: { runbook: '/x/db.md', step: 's1', parameters: [], outcome: 'ok', pin },
  });
  assert.match(
    line,
    new RegExp(
      `from runbooks @ ${shortCommit(pin.commit)} \\(main, runbooks/db.md, pulled 2026-01-02T09:00:00.000Z; step sha256 cccccccccccc\\)`,
    ),
  );
  const withTime = summarizeEvent({
    kind: 'runbook.step',
    at: '2026-01-02T12:00:00.000Z',
    payload: { runbook: '/x/db.md', step: 's1', parameters: [], outcome: 'ok', pin },
  });
  assert.match(withTime, /\(main, runbooks\/db\.md, pulled 3 h before it ran; /);
  assert.doesNotMatch(
    summarizeEvent({ kind: 'runbook.step', payload: { runbook: 'r', step: 's', parameters: [], outcome: 'ok' } }),
    / from /,
  );
});
