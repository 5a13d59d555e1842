import type { HistoryEntry, HistoryOutcome } from '../../../shared/contract';
import type { IncidentEvent } from '../../../shared/incident';
import type { RiskLevel } from '../../../shared/risk';
import type { RecordEvent } from '../../../shared/record-event';
import type { HistoryRepository, NewHistoryEntry } from './history-repository';

/**
 * Keeps the SQL runs among committed timeline events (runs, refusals, previews) in the history,
 * so it holds exactly what was recorded, redacted by the same redactor. The timeline is the record
 * of truth: a history that cannot keep up is told to `onError` and never fails the run.
 */
export function feedHistory(
  history: Pick<HistoryRepository, 'append'>,
  onError: (error: unknown) => void,
): (events: IncidentEvent[]) => void {
  return (events) => {
    for (const event of events) {
      try {
        const entry = historyEntryOf(event);
        if (entry) history.append(entry);
      } catch (error) {
        onError(error);
      }
    }
  };
}

/**
 * A SQL path's `record`, tapped: every event still goes to the timeline first, then to `keep`
 * (`feedHistory`). Every SQL run of the app and the CLI reaches the timeline through this one function.
 */
export function tapSqlHistory(
  record: (...args: Parameters<RecordEvent>) => IncidentEvent,
  keep: (events: IncidentEvent[]) => void,
): RecordEvent {
  return (kind, payload, options) => {
    const event = record(kind, payload, options);
    // The store refused the timeline's write just now (it went to the journal): waiting on it again
    // would only stall the run. The history gets it when the journal is drained into the timeline.
    if (!event.deferred) keep([event]);
    return event;
  };
}

type Payload = Record<string, unknown>;

/** The history entry an SQL event makes, or undefined for events that are not SQL runs. */
export function historyEntryOf(event: IncidentEvent): NewHistoryEntry | undefined {
  const p = event.payload as Payload;
  const base = {
    at: event.at,
    profile: String(p.profileName ?? ''),
    profileId: String(p.profileId ?? ''),
    operator: event.operator,
    params: (p.parameters as HistoryEntry['params'] | undefined) ?? [],
    risk: (p.risk as RiskLevel | undefined) ?? 'unknown',
    incidentId: event.incidentId || null,
  };
  if (!base.profileId) return undefined;
  if (event.kind === 'sql.run') {
    const rows = (p.rowCount ?? p.rowsAffected ?? null) as number | null;
    return {
      ...base,
      sql: String(p.sql),
      outcome: p.outcome as HistoryOutcome,
      rowCount: rows,
      durationMs: numberOrNull(p.durationMs),
    };
  }
  // A refusal of Redis or a shell step (drained from the journal with the rest) is not a query.
  if (event.kind === 'refusal' && p.target === 'sql')
    return { ...base, sql: String(p.action), outcome: 'refused', rowCount: null, durationMs: null };
  if (event.kind === 'preview' && p.target === 'sql')
    return {
      ...base,
      sql: String(p.text),
      outcome: 'previewed',
      rowCount: numberOrNull(p.affectedRows),
      durationMs: null,
    };
  return undefined;
}

const numberOrNull = (value: unknown) => (typeof value === 'number' ? value : null);
