import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  HistoryRepository,
  type NewHistoryEntry,
  type HistoryQuery,
} from '../../src/main/sql/history/history-repository';
import { openDatabase } from '../../src/main/store/database';
import { median, result, type Benchmark } from '../types';

const entries = 100_000;
const tables = ['orders', 'customers', 'payments', 'sessions', 'invoices', 'shipments', 'audit_log', 'users'];
const outcomes = ['ok', 'ok', 'ok', 'ok', 'error', 'refused', 'timeout'] as const;

/** A history like weeks of on-call work: reads of a handful of tables, some writes, five profiles. */
function synthetic(i: number, start: number): NewHistoryEntry {
  const table = tables[i % tables.length]!;
  const sql =
    i % 10 === 0
      ? `UPDATE ${table} SET status = 'fixed' WHERE id = ${i}`
      : `SELECT id, status, created_at FROM ${table} WHERE customer_id = ${(i * 7919) % 100_003} AND created_at > now() - interval '${i % 30} days' ORDER BY created_at DESC LIMIT 50`;
  return {
    at: new Date(start + i * 20_000).toISOString(),
    profile: `profile-${i % 5}`,
    profileId: `p${i % 5}`,
    operator: 'oncall',
    sql,
    params: [],
    risk: i % 10 === 0 ? 'write' : 'read',
    outcome: outcomes[i % outcomes.length]!,
    rowCount: i % 50,
    durationMs: i % 300,
    incidentId: null,
  };
}

/** What the history panel searches as the operator types: a rare id, a table, a short text, with filters. */
const queries: { name: string; query: HistoryQuery }[] = [
  { name: 'rare number', query: { grep: 'customer_id = 4242', limit: 200 } },
  { name: 'common table', query: { grep: 'FROM payments', limit: 200 } },
  { name: 'table + profile', query: { grep: 'invoices', profileId: 'p3', limit: 200 } },
  { name: 'table + outcome', query: { grep: 'sessions', outcome: 'refused', limit: 200 } },
  { name: 'no match', query: { grep: 'pg_terminate_backend', limit: 200 } },
  { name: 'two letters', query: { grep: 'id', limit: 200 } },
  { name: 'since + profile', query: { profileId: 'p1', since: '2026-02-01T00:00:00Z', limit: 200 } },
];

export const historyBenchmarks: Benchmark[] = [
  {
    id: 'history.search_100k_ms',
    description:
      'Query history search over 100,000 entries in the local SQLite store (trigram FTS5 for the text, indexes for profile and date): the slowest of seven typical searches (rare and common text, short text, with profile, outcome and date filters), median of 20 each, 200 entries a page',
    async run({ log }) {
      const dir = mkdtempSync(join(tmpdir(), 'opsconsole-bench-history-'));
      const db = openDatabase(join(dir, 'opsconsole.db'));
      try {
        const start = Date.parse('2026-01-01T00:00:00Z');
        const history = new HistoryRepository(
          db,
          () => 3650,
          () => new Date(start + entries * 20_000),
        );
        for (let from = 0; from < entries; from += 10_000)
          history.appendMany(Array.from({ length: 10_000 }, (_, k) => synthetic(from + k, start)));
        log(`history: ${entries} entries written`);
        const timings = queries.map(({ name, query }) => {
          for (let i = 0; i < 3; i++) history.search(query);
          const samples: number[] = [];
          for (let i = 0; i < 20; i++) {
            const started = performance.now();
            history.search(query);
            samples.push(performance.now() - started);
          }
          return { name, ms: median(samples) };
        });
        const slowest = timings.reduce((a, b) => (b.ms > a.ms ? b : a));
        log(`history: ${timings.map((t) => `${t.name} ${t.ms.toFixed(2)} ms`).join(', ')}`);
        return [
          result({
            id: 'history.search_100k_ms',
            unit: 'ms',
            value: slowest.ms,
            anchor: null,
            goal: { of: 'value', op: '<', limit: 50 },
            also: timings.map((t) => ({ name: t.name, value: Math.round(t.ms * 100) / 100 })),
            note: `slowest: ${slowest.name}`,
          }),
        ];
      } finally {
        db.close();
        rmSync(dir, { recursive: true, force: true });
      }
    },
  },
];
