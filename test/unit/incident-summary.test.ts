import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventPayloadSchemas } from '../../src/shared/incident';
import { summarizeEvent } from '../../src/shared/incident-summary';

const exported = (change: Record<string, unknown> = {}) =>
  eventPayloadSchemas['sql.export'].parse({
    profileName: 'prod-eu',
    sql: "SELECT * FROM orders WHERE created_at > now() - interval '1 day'",
    risk: 'read',
    format: 'csv',
    path: '/home/oncall/orders.csv',
    rows: 1_000_000,
    bytes: 52_428_800,
    durationMs: 2500,
    outcome: 'ok',
    ...change,
  });

test('an export reads as what left the database, how much, and where it went', () => {
  assert.equal(
    summarizeEvent({ kind: 'sql.export', payload: exported() }),
    "Export on prod-eu [read]: ok, 1000000 row(s), 50.0 MB as CSV to /home/oncall/orders.csv, 2s — SELECT * FROM orders WHERE created_at > now() - interval '1 day'",
  );
  assert.match(
    summarizeEvent({
      kind: 'sql.export',
      payload: exported({ format: 'jsonl', outcome: 'cancelled', rows: 10, bytes: 900, keptPartial: true }),
    }),
    /cancelled, 10 row\(s\), 900 B as JSON Lines to \/home\/oncall\/orders\.csv\.partial \(partial file kept\)/,
  );
});

test('an export event names its format and destination, or is refused', () => {
  assert.equal(exported().keptPartial, false, 'keptPartial defaults to false');
  assert.throws(() => exported({ format: 'xlsx' }), /format/);
  assert.throws(() => exported({ path: undefined }), /path/);
});
