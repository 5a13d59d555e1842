import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { tempCore, type TempCore } from '../support/temp-core';

let temp: TempCore;
before(() => {
  temp = tempCore();
});
after(async () => {
  await temp?.dispose();
});

test('a runbook step and a checklist tick land in the active incident, secrets redacted', async () => {
  const { core } = temp;
  const incident = await core.invoke('incidents.start', { title: 'DB slow', severity: 'P2' });
  const step = await core.invoke('incidents.recordStep', {
    runbook: 'runbooks/postgres-on-call.md',
    step: 'largest-relations',
    parameters: [
      { name: 'row_limit', value: 5 },
      { name: 'admin_token', value: 'hunter2-token', secret: true },
    ],
    outcome: 'ok',
    durationMs: 12,
  });
  assert.equal(step.incidentId, incident.id);
  assert.equal(step.kind, 'runbook.step');
  const tick = await core.invoke('incidents.tickChecklist', {
    runbook: 'runbooks/postgres-on-call.md',
    item: 'Findings are in the timeline',
    checked: true,
  });
  assert.equal(tick.kind, 'checklist.tick');
  const events = await core.invoke('incidents.events', { id: incident.id });
  const recorded = events.find((e) => e.kind === 'runbook.step')!;
  assert.deepEqual((recorded.payload as { parameters: unknown[] }).parameters, [
    { name: 'row_limit', value: 5, secret: false },
    { name: 'admin_token', value: '[redacted]', secret: true },
  ]);
  assert.ok(!JSON.stringify(events).includes('hunter2-token'), 'the secret value is not stored');
  const ticked = events.find((e) => e.kind === 'checklist.tick')!;
  assert.deepEqual(ticked.payload, {
    runbook: 'runbooks/postgres-on-call.md',
    item: 'Findings are in the timeline',
    checked: true,
  });
});

test('bad input names the field; an unknown incident is not_found', async () => {
  const { core } = temp;
  await assert.rejects(
    core.invoke('incidents.tickChecklist', { runbook: 'x.md', item: '  ', checked: true }),
    (e: Error & { code?: string }) => e.code === 'invalid_input' && /item/.test(e.message),
  );
  await assert.rejects(
    core.invoke('incidents.recordStep', { runbook: 'x.md', step: 's', outcome: 'maybe' as 'ok' }),
    (e: Error & { code?: string }) => e.code === 'invalid_input' && /outcome/.test(e.message),
  );
  await assert.rejects(
    core.invoke('incidents.tickChecklist', { id: 'nope', runbook: 'x.md', item: 'a', checked: false }),
    (e: Error & { code?: string }) => e.code === 'not_found',
  );
  await assert.rejects(
    core.invoke('incidents.recordStep', { runbook: 'x.md', step: 's', outcome: 'ok', profileId: 'no-such-profile' }),
    (e: Error & { code?: string }) => e.code === 'invalid_input' && /profileId/.test(e.message),
  );
});
