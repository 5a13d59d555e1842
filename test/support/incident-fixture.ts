import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProfileMention } from '../../src/shared/incident';
import { createIncidents, type Incidents, type IncidentsDeps } from '../../src/main/incidents/index';
import { openDatabase, type Db } from '../../src/main/store/database';

export interface IncidentStack {
  incidents: Incidents;
  db: Db;
  dir: string;
  file: string;
  /** Closes the store (and Chromium if a PDF was rendered); `keep` leaves the folder. */
  close(keep?: boolean): Promise<void>;
}

export const fixtureProfiles: ProfileMention[] = [
  { id: 'prof-prod-eu', name: 'prod-eu', environment: 'production' },
  { id: 'prof-staging', name: 'staging-eu', environment: 'staging' },
];

/** The incidents stack over a SQLite file in its own temp folder (no vault, no SSH). */
export function incidentStack(overrides: Partial<IncidentsDeps> & { dir?: string } = {}): IncidentStack {
  const dir = overrides.dir ?? mkdtempSync(join(tmpdir(), 'opsconsole-incident-'));
  const file = join(dir, 'opsconsole.db');
  const db = openDatabase(file);
  const incidents = createIncidents({
    db,
    redact: (text) => text,
    findProfile: (ref) => fixtureProfiles.find((p) => p.id === ref || p.name === ref),
    operator: 'alice',
    timeZone: 'Europe/Paris',
    ...overrides,
  });
  return {
    incidents,
    db,
    dir,
    file,
    async close(keep = false) {
      await incidents.dispose();
      db.close();
      if (!keep) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A clock that starts at `start` and moves `stepMs` forward on every reading. */
export function steppingClock(start = '2026-03-14T09:26:00.000Z', stepMs = 7000): () => Date {
  let t = Date.parse(start) - stepMs;
  return () => new Date((t += stepMs));
}

export function sequentialIds(prefix = 'id'): () => string {
  let n = 0;
  return () => `${prefix}-${String(++n).padStart(4, '0')}`;
}

/** A realistic incident touching every event kind; the golden exports are rendered from it. */
export function recordSampleIncident({ service, recorder }: Incidents, secret = 'hunter2-canary'): string {
  const incident = service.start({
    title: 'Checkout latency spike on orders DB',
    severity: 'P1',
    profiles: ['prod-eu'],
    commander: 'alice',
  });
  const id = incident.id;
  const on = { profileId: 'prof-prod-eu', profileName: 'prod-eu' };
  recorder.record('connection.state', { ...on, state: 'connecting' });
  recorder.record('connection.state', { ...on, state: 'ready' });
  const slow =
    'SELECT pid, state, wait_event, now() - query_start AS age FROM pg_stat_activity WHERE state <> $$idle$$ ORDER BY age DESC';
  for (let i = 0; i < 3; i++)
    recorder.record('sql.run', { ...on, sql: slow, risk: 'read', rowCount: 42 + i, durationMs: 12 + i, outcome: 'ok' });
  recorder.record('note', { text: 'Long-running UPDATE on orders holds a lock | many waiters' });
  recorder.record('runbook.step', {
    runbook: 'postgres/lock-contention.md',
    step: 'Find the blocking session',
    ...on,
    parameters: [
      { name: 'table', value: 'orders' },
      { name: 'db_password', value: secret, secret: true },
    ],
    outcome: 'ok',
    durationMs: 830,
  });
  recorder.record('preview', {
    ...on,
    target: 'sql',
    text: 'SELECT pg_terminate_backend(4242)',
    risk: 'dangerous',
    affectedRows: null,
  });
  recorder.record('confirmation', {
    ...on,
    action: 'SELECT pg_terminate_backend(4242)',
    risk: 'dangerous',
    method: 'typed-name',
  });
  recorder.record('sql.run', {
    ...on,
    sql: 'SELECT pg_terminate_backend(4242)',
    risk: 'dangerous',
    readOnly: false,
    rowCount: 1,
    durationMs: 4,
    outcome: 'ok',
  });
  recorder.record('refusal', {
    ...on,
    action: 'TRUNCATE orders_archive',
    reason: 'TRUNCATE is dangerous and the preview was skipped',
    risk: 'dangerous',
  });
  recorder.record('redis.run', {
    profileId: 'prof-prod-eu',
    profileName: 'prod-eu',
    command: ['AUTH', 'default', secret],
    risk: 'admin',
    durationMs: 1,
    outcome: 'ok',
  });
  recorder.record('redis.run', {
    ...on,
    command: ['DEL', 'checkout:lock:4242'],
    risk: 'write',
    durationMs: 1,
    outcome: 'ok',
    reply: '1',
  });
  recorder.record('cancel', { ...on, action: 'VACUUM ANALYZE orders', reason: 'operator pressed Cancel' });
  recorder.record('checklist.tick', {
    runbook: 'postgres/lock-contention.md',
    item: 'Announce in #incidents',
    checked: true,
  });
  service.attach(id, {
    name: 'blocking sessions.csv',
    mediaType: 'text/csv',
    content: 'pid,state\r\n4242,active\r\n',
    description: 'pg_stat_activity at 09:27',
  });
  recorder.record('terminal.recording', {
    ...on,
    terminal: 'bastion shell',
    attachmentId: 'cast-1',
    durationMs: 95_000,
  });
  service.setStatus(id, 'identified');
  service.setStatus(id, 'mitigated');
  service.updateReport(id, {
    summary: 'A batch job held a row lock on orders for 6 minutes; checkouts queued behind it.',
    usersAffected: 'about 3,000 checkout attempts in the EU',
    impact: 'p99 checkout latency went from 300 ms to 25 s for 6 minutes; 412 orders failed.',
    rootCause: 'The nightly archiver ran an UPDATE without a batch limit.',
    resolution: 'Terminated the blocking backend (pid 4242); the archiver was paused.',
    actionItems: [
      { text: 'Batch the archiver UPDATE (10k rows per transaction)', owner: 'bob', due: '2026-03-21', done: false },
      { text: 'Alert on lock waits > 30 s', owner: 'carol', due: null, done: true },
    ],
  });
  service.setStatus(id, 'resolved');
  return id;
}
