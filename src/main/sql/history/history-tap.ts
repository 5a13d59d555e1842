import type { HistoryEntry, HistoryOutcome } from '../../../shared/contract';
import type { IncidentEvent } from '../../../shared/incident';
import type { RiskLevel } from '../../../shared/risk';
import type { RecordEvent } from '../../../shared/record-event';
import type { NewHistoryEntry } from './history-repository';

/**
 * A SQL path's `record`, tapped: every event still goes to the timeline first, and the SQL runs
 * among them (runs, refusals, previews) are kept in the history from the event the timeline
 * committed, so the history holds exactly what was recorded, redacted by the same redactor.
 * Every SQL run of the app and the CLI reaches the timeline through this one function.
 */
export function tapSqlHistory(
  record: (...args: Parameters<RecordEvent>) => IncidentEvent,
  keep: (entry: NewHistoryEntry) => void,
  onError: (error: unknown) => void,
): RecordEvent {
  return (kind, payload, options) => {
    const event = record(kind, payload, options);
    // The store refused the timeline's write just now (it went to the journal): waiting on it again
    // for the history would only stall the run. The timeline keeps the run; the history skips it.
    if (event.deferred) return event;
    try {
      const entry = historyEntryOf(event);
      if (entry) keep(entry);
    } catch (error) {
      // The timeline is the record of truth; a history that cannot keep up must not fail the run.
      onError(error);
    }
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
  if (event.kind === 'refusal')
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
