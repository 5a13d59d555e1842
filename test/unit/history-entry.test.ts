import assert from 'node:assert/strict';
import { test } from 'node:test';
import { historyEntryOf } from '../../src/main/sql/history/history-tap';
import type { IncidentEvent } from '../../src/shared/incident';

const event = (kind: string, payload: Record<string, unknown>) =>
  ({ kind, payload, at: '2026-12-07T08:00:00.000Z', operator: 'ana', incidentId: 'i1' }) as unknown as IncidentEvent;

test('only SQL refusals become history entries: a Redis or shell refusal drained from the journal is not a query', () => {
  const where = { profileId: 'p1', profileName: 'prod-eu', reason: 'read-only profile', risk: 'write' };
  assert.equal(historyEntryOf(event('refusal', { ...where, action: 'FLUSHALL', target: 'redis' })), undefined);
  assert.equal(historyEntryOf(event('refusal', { ...where, action: 'rm -rf /tmp/x', target: 'shell' })), undefined);
  assert.equal(
    historyEntryOf(event('refusal', { ...where, action: 'DELETE FROM t' })),
    undefined,
    'no target: not known to be SQL',
  );
  assert.deepEqual(historyEntryOf(event('refusal', { ...where, action: 'DELETE FROM t', target: 'sql' })), {
    at: '2026-12-07T08:00:00.000Z',
    profile: 'prod-eu',
    profileId: 'p1',
    operator: 'ana',
    params: [],
    risk: 'write',
    incidentId: 'i1',
    sql: 'DELETE FROM t',
    outcome: 'refused',
    rowCount: null,
    durationMs: null,
  });
});
