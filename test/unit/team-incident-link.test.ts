import assert from 'node:assert/strict';
import { test } from 'node:test';
import { incidentLink, incidentLinkIn, openIncidentLink, parseIncidentLink } from '../../src/main/team/incident-link';

const id = '3f2c9a70-1b2d-4e5f-8a9b-0c1d2e3f4a5b';

test('an incident link round-trips, and only opsconsole://incident/ID is accepted', () => {
  assert.equal(incidentLink(id), `opsconsole://incident/${id}`);
  assert.equal(parseIncidentLink(incidentLink(id)), id);
  assert.equal(
    parseIncidentLink(`OPSCONSOLE://incident/${id}/`),
    id,
    'scheme case and a trailing slash as OSes pass them',
  );
  for (const bad of [
    `https://incident/${id}`,
    `opsconsole://profile/${id}`,
    `opsconsole://incident/${id}/delete`,
    `opsconsole://incident/${id}?then=export`,
    `opsconsole://incident/${id}#x`,
    'opsconsole://incident/',
    'opsconsole://incident/..%2F..%2Fetc',
    'opsconsole://incident/%3Cscript%3E',
    `opsconsole://user@incident/${id}`,
    'not a url',
  ]) {
    assert.throws(() => parseIncidentLink(bad), /incident link|Ops Console link/, bad);
  }
});

test('the link is found among the arguments a second instance forwards', () => {
  assert.equal(
    incidentLinkIn(['/opt/Ops Console/opsconsole', '--no-sandbox', `opsconsole://incident/${id}`]),
    `opsconsole://incident/${id}`,
  );
  assert.equal(incidentLinkIn(['/opt/Ops Console/opsconsole', '--flag']), undefined);
});

test('routing: a local incident is activated, another is joined from the team database, a bad link touches neither', async () => {
  const calls: string[] = [];
  const router = (local: boolean) => ({
    isLocal: () => local,
    activate: async (i: string) => calls.push(`activate ${i}`),
    join: async (i: string) => calls.push(`join ${i}`),
  });
  assert.deepEqual(await openIncidentLink(incidentLink(id), router(true)), { id, action: 'activated' });
  assert.deepEqual(await openIncidentLink(incidentLink(id), router(false)), { id, action: 'joined' });
  await assert.rejects(openIncidentLink('opsconsole://incident/a/b', router(false)));
  assert.deepEqual(calls, [`activate ${id}`, `join ${id}`]);
});
