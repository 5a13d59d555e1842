import type { IncidentEvent, IncidentView } from './incident';
import { formatDuration, summarizeEvent } from './incident-summary';

/** What the curation events of a timeline say now: starred and hidden events (by seq), and the tags. */
export interface Curation {
  starred: Set<number>;
  hidden: Set<number>;
  tags: string[];
}

/**
 * Replays the curation events in recording order: the last mark on an event wins. The marks are
 * events of their own (the chain stays append-only): nothing here changes the marked event.
 */
export function curationOf(events: Pick<IncidentEvent, 'kind' | 'payload'>[]): Curation {
  const starred = new Set<number>();
  const hidden = new Set<number>();
  const tags = new Set<string>();
  for (const { kind, payload } of events) {
    const seq = payload.seq as number;
    if (kind === 'event.starred') starred.add(seq);
    else if (kind === 'event.unstarred') starred.delete(seq);
    else if (kind === 'event.hidden') hidden.add(seq);
    else if (kind === 'event.unhidden') hidden.delete(seq);
    else if (kind === 'incident.tagged') {
      for (const t of (payload.added ?? []) as string[]) tags.add(t);
      for (const t of (payload.removed ?? []) as string[]) tags.delete(t);
    }
  }
  return { starred, hidden, tags: [...tags].sort() };
}

/** Curation events mark others; they are never starred or shown in the curated views themselves. */
export const curationKinds = new Set(['event.starred', 'event.unstarred', 'event.hidden', 'event.unhidden']);

/** The time a reader should see for an event: a note's "happened at" when given, else when it was recorded. */
export function shownTime(event: Pick<IncidentEvent, 'kind' | 'payload' | 'at'>): string {
  return event.kind === 'note' && typeof event.payload.happenedAt === 'string' ? event.payload.happenedAt : event.at;
}

/** One line without Markdown: what a chat shows as plain text. */
function plain(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

/**
 * A short summary to paste into a chat or a status page: title, severity, status, impact, the
 * starred events (in the order they happened) and the open action items. `summary` is Markdown,
 * `summary-text` plain text.
 */
export function chatSummary(
  incident: IncidentView,
  events: IncidentEvent[],
  format: 'summary' | 'summary-text',
): string {
  const { starred, hidden, tags } = curationOf(events);
  const marked = events
    .filter((e) => starred.has(e.seq) && !hidden.has(e.seq))
    .sort((a, b) => shownTime(a).localeCompare(shownTime(b)));
  const open = incident.report.actionItems.filter((a) => !a.done);
  const impact = plain(incident.report.impact || incident.report.usersAffected) || 'not stated yet';
  const duration =
    events.length > 1 ? formatDuration(Date.parse(events.at(-1)!.at) - Date.parse(events[0]!.at)) : 'just started';
  const md = format === 'summary';
  const lines: string[] = [];
  lines.push(
    md
      ? `**${plain(incident.title)}** — ${incident.severity ?? 'no severity'} · ${incident.status}`
      : `${plain(incident.title)} — ${incident.severity ?? 'no severity'}, ${incident.status}`,
  );
  lines.push(`${md ? '**Impact:** ' : 'Impact: '}${impact}`);
  lines.push(
    `${md ? '**Duration so far:** ' : 'Duration so far: '}${duration}${tags.length ? ` · tags: ${tags.join(', ')}` : ''}`,
  );
  if (incident.report.summary.trim())
    lines.push(`${md ? '**Summary:** ' : 'Summary: '}${plain(incident.report.summary)}`);
  lines.push('', md ? '**Key steps:**' : 'Key steps:');
  if (marked.length === 0) lines.push(md ? '- _none starred yet_' : '- none starred yet');
  for (const e of marked) lines.push(`- ${shownTime(e).slice(11, 16)} UTC ${plain(summarizeEvent(e))}`);
  lines.push('', md ? '**Next actions:**' : 'Next actions:');
  if (open.length === 0) lines.push(md ? '- _none written yet_' : '- none written yet');
  for (const a of open)
    lines.push(`- ${plain(a.text)}${a.owner ? ` (${plain(a.owner)})` : ''}${a.due ? `, due ${a.due}` : ''}`);
  return `${lines.join('\n')}\n`;
}
