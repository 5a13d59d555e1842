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
import type { AttachmentRecord } from './incident-repository';
import { TimeFormatter } from './time-format';

export interface ReportOptions {
  /** Fold consecutive identical successful reads into one line with a count. */
  foldReads: boolean;
  timeZone: string;
  now: Date;
  /** The chain's verification at export time. */
  integrity: ChainVerification;
}

/** The one sentence every export states about the timeline's integrity. */
export function integrityLine(report: IncidentReport): string {
  const { integrity, chain } = report;
  if (integrity.ok) return `Timeline integrity: ${chain.events} events, chain head sha256 ${chain.headHash ?? 'none'}.`;
  const missing = integrity.missingFrom ? ` Events from ${integrity.missingFrom} on that were recorded are missing from the store.` : '';
  return `Timeline integrity: BROKEN at event ${integrity.brokenAt!.seq}: ${integrity.brokenAt!.reason}.${missing} The timeline was changed or lost outside Ops Console; do not rely on it as evidence without the original. ${chain.events} events, chain head sha256 ${chain.headHash ?? 'none'}.`;
}

/** The report model every export is rendered from (and the JSON export itself). */
export function buildReport(incident: IncidentView, events: IncidentEvent[], attachments: AttachmentRecord[], options: ReportOptions): IncidentReport {
  const time = new TimeFormatter(options.timeZone);
  const computed = events.length ? Date.parse(events[events.length - 1]!.at) - Date.parse(events[0]!.at) : null;
  const { report, active: _active, ...rest } = incident;
  return {
    $schema: incidentReportSchemaId,
    schemaVersion: 1,
    generatedAt: options.now.toISOString(),
    timeZone: options.timeZone,
    incident: rest,
    severityDefinition: incident.severity ? `${severityDefinitions[incident.severity].label}: ${severityDefinitions[incident.severity].definition}` : null,
    durationMs: report.durationMs ?? computed,
    durationComputedMs: computed,
    fields: report,
    timeline: timeline(events, time, options.foldReads),
    foldedReads: options.foldReads,
    attachments: attachments.map(({ id, name, mediaType, bytes, sha256 }) => ({ id, name, mediaType, bytes, sha256 })),
    chain: { events: events.length, headHash: events.length ? events[events.length - 1]!.hash : null },
    integrity: { ok: options.integrity.ok, brokenAt: options.integrity.brokenAt ?? null, missingFrom: options.integrity.missingFrom ?? null },
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
    entries.push({ seq: event.seq, at: event.at, atLocal: time.zoned(event.at), operator: event.operator, kind: event.kind, summary: summarizeEvent(event), count: 1, payload: event.payload });
  }
  for (const entry of entries) if (entry.count > 1) entry.summary += ` (×${entry.count}, last at ${time.utc(entry.lastAt!)})`;
  markBackwardClock(entries);
  return entries;
}

/** Events are in recording order (seq): a time earlier than the one before means the wall clock was set back. */
function markBackwardClock(entries: TimelineEntry[]): void {
  for (let i = 1; i < entries.length; i++) {
    const back = Date.parse(entries[i - 1]!.lastAt ?? entries[i - 1]!.at) - Date.parse(entries[i]!.at);
    if (back > 0) entries[i]!.clockNote = `wall clock moved back ${formatBack(back)} before this event: its time is earlier than the previous event's`;
  }
}

function formatBack(ms: number): string {
  return ms < 1000 ? `${ms} ms` : ms < 120_000 ? `${Math.round(ms / 1000)} s` : `${Math.round(ms / 60_000)} min`;
}

/** Successful reads are foldable when the same operator runs the same text on the same profile. */
function readKey(event: IncidentEvent): string | undefined {
  const p = event.payload;
  if (p.risk !== 'read' || p.outcome !== 'ok') return undefined;
  if (event.kind === 'sql.run') return `sql\0${event.operator}\0${String(p.profileId)}\0${String(p.sql)}`;
  if (event.kind === 'redis.run') return `redis\0${event.operator}\0${String(p.profileId)}\0${(p.command as string[]).join('\0')}`;
  return undefined;
}
