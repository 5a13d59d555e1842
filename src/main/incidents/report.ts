import {
  type ChainVerification,
  incidentReportSchemaId,
  severityDefinitions,
  type IncidentEvent,
  type IncidentReport,
  type IncidentView,
  type TimelineEntry,
} from '../../shared/incident';
import { summarizeEvent } from '../../shared/incident-summary';
import { curationKinds, curationOf, type Curation } from '../../shared/incident-curation';
import type { AttachmentRecord } from './incident-repository';
import { TimeFormatter } from './time-format';

export interface ReportOptions {
  /** Fold consecutive identical successful reads into one line with a count. */
  foldReads: boolean;
  timeZone: string;
  now: Date;
  /** The chain's verification at export time. */
  integrity: ChainVerification;
  /** Only the starred events (the curated export); the full export keeps every event, hidden ones marked. */
  starredOnly?: boolean;
}

/** The one sentence every export states about the timeline's integrity. */
export function integrityLine(report: IncidentReport): string {
  const { integrity, chain } = report;
  if (integrity.ok) return `Timeline integrity: ${chain.events} events, chain head sha256 ${chain.headHash ?? 'none'}.`;
  const missing = integrity.missingFrom
    ? ` Events from ${integrity.missingFrom} on that were recorded are missing from the store.`
    : '';
  return `Timeline integrity: BROKEN at event ${integrity.brokenAt!.seq}: ${integrity.brokenAt!.reason}.${missing} The timeline was changed or lost outside Ops Console; do not rely on it as evidence without the original. ${chain.events} events, chain head sha256 ${chain.headHash ?? 'none'}.`;
}

/** The report model every export is rendered from (and the JSON export itself). */
export function buildReport(
  incident: IncidentView,
  events: IncidentEvent[],
  attachments: AttachmentRecord[],
  options: ReportOptions,
): IncidentReport {
  const time = new TimeFormatter(options.timeZone);
  const computed = events.length ? Date.parse(events[events.length - 1]!.at) - Date.parse(events[0]!.at) : null;
  const { report, active: _active, ...rest } = incident;
  return {
    $schema: incidentReportSchemaId,
    schemaVersion: 1,
    generatedAt: options.now.toISOString(),
    timeZone: options.timeZone,
    incident: rest,
    severityDefinition: incident.severity
      ? `${severityDefinitions[incident.severity].label}: ${severityDefinitions[incident.severity].definition}`
      : null,
    durationMs: report.durationMs ?? computed,
    durationComputedMs: computed,
    fields: report,
    timeline: curated(timeline(events, time, options.foldReads), curationOf(events), options.starredOnly ?? false),
    foldedReads: options.foldReads,
    ...(options.starredOnly ? { starredOnly: true as const } : {}),
    attachments: attachments.map(({ id, name, mediaType, bytes, sha256 }) => ({ id, name, mediaType, bytes, sha256 })),
    chain: { events: events.length, headHash: events.length ? events[events.length - 1]!.hash : null },
    integrity: {
      ok: options.integrity.ok,
      brokenAt: options.integrity.brokenAt ?? null,
      missingFrom: options.integrity.missingFrom ?? null,
    },
  };
}

function timeline(events: IncidentEvent[], time: TimeFormatter, fold: boolean): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  let foldKey: string | undefined;
  for (const event of events) {
    const key = fold ? readKey(event) : undefined;
    const last = entries[entries.length - 1];
    if (key !== undefined && key === foldKey && last) {
      last.count++;
      last.lastAt = event.at;
      continue;
    }
    foldKey = key;
    entries.push({
      seq: event.seq,
      at: event.at,
      atLocal: time.zoned(event.at),
      operator: event.operator,
      kind: event.kind,
      summary: summarizeEvent(event),
      count: 1,
      payload: event.payload,
    });
  }
  for (const entry of entries)
    if (entry.count > 1) entry.summary += ` (×${entry.count}, last at ${time.utc(entry.lastAt!)})`;
  const notes = clockNotes(events);
  for (const entry of entries) {
    const note = notes.get(entry.seq);
    if (note) entry.clockNote = note;
  }
  return entries;
}

/** Marks starred and hidden entries; the starred-only view keeps starred entries that are not hidden. */
function curated(entries: TimelineEntry[], { starred, hidden }: Curation, starredOnly: boolean): TimelineEntry[] {
  for (const entry of entries) {
    if (starred.has(entry.seq)) entry.starred = true;
    if (hidden.has(entry.seq)) entry.hidden = true;
  }
  return starredOnly ? entries.filter((e) => e.starred && !e.hidden && !curationKinds.has(e.kind)) : entries;
}

/** A wall-clock step between two events of one process run larger than this is marked. */
const jumpThresholdMs = 5000;

/**
 * Events are in recording order (seq). Between two events of one process run, wall time must
 * advance like the monotonic clock: a difference beyond the threshold is a clock jump (either way).
 * Across runs only a time earlier than the previous event's can be told: the clock was set back.
 */
function clockNotes(events: IncidentEvent[]): Map<number, string> {
  const notes = new Map<number, string>();
  for (let i = 1; i < events.length; i++) {
    const [before, event] = [events[i - 1]!, events[i]!];
    const wall = Date.parse(event.at) - Date.parse(before.at);
    const sameRun =
      before.processRun !== undefined &&
      before.processRun === event.processRun &&
      before.monoMs !== undefined &&
      event.monoMs !== undefined;
    const jump = sameRun ? wall - (event.monoMs! - before.monoMs!) : Math.min(wall, 0);
    if (Math.abs(jump) > (sameRun ? jumpThresholdMs : 0)) {
      notes.set(
        event.seq,
        `wall clock ${jump < 0 ? 'moved back' : 'jumped forward'} ${formatBack(Math.abs(jump))} before this event${jump < 0 ? ': its time is earlier than it should be' : ''}`,
      );
    }
  }
  return notes;
}

function formatBack(ms: number): string {
  return ms < 1000 ? `${ms} ms` : ms < 120_000 ? `${Math.round(ms / 1000)} s` : `${Math.round(ms / 60_000)} min`;
}

/** Successful reads are foldable when the same operator runs the same text on the same profile. */
function readKey(event: IncidentEvent): string | undefined {
  const p = event.payload;
  if (p.risk !== 'read' || p.outcome !== 'ok') return undefined;
  if (event.kind === 'sql.run') return `sql\0${event.operator}\0${String(p.profileId)}\0${String(p.sql)}`;
  if (event.kind === 'redis.run')
    return `redis\0${event.operator}\0${String(p.profileId)}\0${(p.command as string[]).join('\0')}`;
  return undefined;
}
