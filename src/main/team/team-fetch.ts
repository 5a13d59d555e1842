import type pg from 'pg';
import {
  eventKinds,
  eventPayloadSchemas,
  incidentStatuses,
  type EventKind,
  type IncidentStatus,
} from '../../shared/incident';
import type { Incidents } from '../incidents/index';
import { teamEventRowSchema, type TeamEventRow } from './shared-chain';
import { teamSchema } from './team-schema';
import type { TeamStore } from './team-store';
import { describeZodError } from '../errors';

export interface FetchDeps {
  store: TeamStore;
  incidents: Incidents;
  responder: string;
  now: () => Date;
  /** Said once per event that cannot join this timeline (a kind from a newer console, a malformed row). */
  warn: (message: string) => void;
}

/**
 * Reads the shared timeline of an incident in server order, after `afterSeq`, rows checked at the
 * boundary. A malformed row throws, unless `onMalformed` takes it (fetching goes on past it; the
 * shared chain's verification still reports it).
 */
export async function readShared(
  client: pg.Client,
  incidentId: string,
  afterSeq: number,
  limit = 5000,
  onMalformed?: (row: { event_id: string; shared_seq: number }, why: string) => void,
): Promise<TeamEventRow[]> {
  const result = await client.query(
    `SELECT * FROM ${teamSchema}.events WHERE incident_id = $1 AND shared_seq > $2 ORDER BY shared_seq LIMIT $3`,
    [incidentId, afterSeq, limit],
  );
  const rows: TeamEventRow[] = [];
  for (const [index, row] of result.rows.entries()) {
    const parsed = teamEventRowSchema.safeParse(row);
    if (parsed.success) rows.push(parsed.data);
    else if (onMalformed)
      onMalformed(
        { event_id: String(row.event_id), shared_seq: Number(row.shared_seq) },
        describeZodError(parsed.error, 'event'),
      );
    else
      throw new Error(
        `team database event ${afterSeq + index + 1} of incident ${incidentId} is malformed: ${describeZodError(parsed.error, 'event')}`,
      );
  }
  return rows;
}

/**
 * Brings what others shared into the local timeline, in the shared order: another responder's
 * event is appended here (with its map row, in one transaction); an own event whose
 * acknowledgement was lost is mapped. Status follows the shared order, so every responder ends
 * with the status of the last change the team database ordered. Returns the new remote events.
 */
export async function fetchShared(client: pg.Client, deps: FetchDeps, incidentId: string): Promise<number> {
  let appended = 0;
  for (;;) {
    const from = deps.store.shared(incidentId)?.fetchedThrough ?? 0;
    let last = from;
    const rows = await readShared(client, incidentId, from, 5000, (bad, why) => {
      // Never blocks the rest of the timeline: said once, skipped, and reported by incident verify.
      deps.warn(`Shared event ${bad.shared_seq} of incident ${incidentId} is malformed and was skipped: ${why}`);
      if (Number.isSafeInteger(bad.shared_seq)) last = Math.max(last, bad.shared_seq);
    });
    for (const row of rows) appended += applyRow(deps, row) ? 1 : 0;
    last = Math.max(last, rows.at(-1)?.shared_seq ?? 0);
    if (last === from) break;
    deps.store.noteFetched(incidentId, last, deps.now().toISOString());
  }
  if (!deps.store.shared(incidentId)?.lastSyncedAt) deps.store.noteFetched(incidentId, 0, deps.now().toISOString());
  return appended;
}

function applyRow(deps: FetchDeps, row: TeamEventRow): boolean {
  const { store, incidents } = deps;
  if (store.isMapped(row.event_id)) {
    applyStatus(deps, row);
    return false;
  }
  if (row.responder === deps.responder) {
    // Shipped from here, its acknowledgement lost (killed after COMMIT): it is already in this timeline.
    store.map(row.incident_id, row.origin_seq, row.event_id, 'own', row.shared_seq);
    applyStatus(deps, row);
    return false;
  }
  const payload = parsePayload(row);
  if (!payload) {
    deps.warn(
      `Shared event ${row.shared_seq} of incident ${row.incident_id} (${row.kind} by ${row.operator}) cannot be shown by this version: update Ops Console.`,
    );
    // Mapped without a local event, so it is not fetched again; the shared chain still covers it.
    store.map(row.incident_id, -row.shared_seq, row.event_id, 'remote', row.shared_seq);
    return false;
  }
  incidents.recorder.recordForeign(
    row.incident_id,
    row.kind as EventKind,
    payload as never,
    { at: row.at, operator: row.operator },
    (event) => {
      store.map(row.incident_id, event.seq, row.event_id, 'remote', row.shared_seq);
      applyStatus(deps, row);
    },
  );
  return true;
}

function parsePayload(row: TeamEventRow): Record<string, unknown> | undefined {
  if (!(eventKinds as string[]).includes(row.kind)) return undefined;
  try {
    const parsed = eventPayloadSchemas[row.kind as EventKind].safeParse(JSON.parse(row.payload));
    return parsed.success ? (parsed.data as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** A status change (or title/severity edit) from the shared order updates the local incident row, unless a local change still waits to be shipped. */
function applyStatus(deps: FetchDeps, row: TeamEventRow): void {
  if (row.kind !== 'status.changed' && row.kind !== 'incident.updated') return;
  const repository = deps.incidents.repository;
  const record = repository.get(row.incident_id);
  if (!record) return;
  const payload = JSON.parse(row.payload) as { to?: string; changes?: Record<string, unknown> };
  if (row.kind === 'status.changed') {
    if (
      !(incidentStatuses as readonly string[]).includes(payload.to ?? '') ||
      pendingStatusChange(deps, row.incident_id)
    )
      return;
    repository.update({ ...record, status: payload.to as IncidentStatus }, deps.now().toISOString());
    return;
  }
  const changes = payload.changes ?? {};
  const title = typeof changes.title === 'string' ? changes.title : record.title;
  const severity =
    typeof changes.severity === 'string' ? (changes.severity as typeof record.severity) : record.severity;
  repository.update({ ...record, title, severity }, deps.now().toISOString());
}

function pendingStatusChange(deps: FetchDeps, incidentId: string): boolean {
  const pending = deps.store.unsharedSeqs(incidentId);
  if (!pending.size) return false;
  return deps.incidents.repository
    .eventsAfter(incidentId, Math.min(...pending) - 1, 10_000)
    .some((e) => pending.has(e.seq) && e.kind === 'status.changed');
}
