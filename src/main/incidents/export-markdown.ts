import type { IncidentReport } from '../../shared/incident';
import { formatBytes } from '../../shared/incident-summary';
import { safeMarkdown } from './markdown-safe';
import { formatDuration, TimeFormatter } from './time-format';
import { integrityLine } from './report';

const empty = '_Not written yet._';

/** The common postmortem layout: title; Date, Duration, Severity, Affected users; Summary; Timeline; Root cause; Resolution; Impact; Action items. */
export function renderMarkdown(report: IncidentReport): string {
  const time = new TimeFormatter(report.timeZone);
  const { incident, fields } = report;
  const first = report.timeline[0]?.at ?? incident.createdAt;
  const out: string[] = [];
  out.push(`# ${inline(incident.title)}`, '');
  if (!report.integrity.ok) out.push(`> **${inline(integrityLine(report))}**`, '');
  out.push(`**Date:** ${time.utc(first)} (${time.zoned(first)}, ${report.timeZone})  `);
  out.push(`**Duration:** ${formatDuration(report.durationMs)}${fields.durationMs !== null ? ' (set by hand)' : ''}  `);
  out.push(
    `**Severity:** ${incident.severity ? `${incident.severity} — ${report.severityDefinition}` : 'not set (unnamed session)'}  `,
  );
  out.push(`**Affected users:** ${inline(fields.usersAffected) || 'not stated'}  `);
  out.push(`**Status:** ${incident.status}  `);
  out.push(`**Commander:** ${inline(incident.commander ?? '') || 'not named'}  `);
  out.push(
    `**Profiles:** ${incident.profiles.map((p) => `${inline(p.name)} (${p.environment})`).join(', ') || 'none named'}`,
    '',
  );
  out.push('## Summary', '', block(fields.summary), '');
  out.push('## Timeline', '');
  out.push(
    `Times in UTC, then ${report.timeZone}.${report.foldedReads ? ' Repeated identical reads are folded into one line.' : ''}${report.starredOnly ? ' Only the starred events are shown (the full export has every event).' : ''}`,
    '',
  );
  out.push('| Time (UTC) | Local | Operator | Event |', '|---|---|---|---|');
  for (const e of report.timeline) {
    const marks = `${e.starred ? '★ ' : ''}${e.hidden ? '[hidden] ' : ''}`;
    out.push(
      `| ${e.at.slice(0, 10)} ${e.at.slice(11, 19)}${e.clockNote ? ' ⚠' : ''} | ${e.atLocal.slice(11)} | ${cell(e.operator)} | ${cell(marks + (e.clockNote ? `${e.summary} [${e.clockNote}]` : e.summary))} |`,
    );
  }
  out.push('');
  out.push('## Root cause', '', block(fields.rootCause), '');
  out.push('## Resolution', '', block(fields.resolution), '');
  out.push('## Impact', '', block(fields.impact), '');
  out.push('## Action items', '');
  if (fields.actionItems.length === 0) out.push('_None yet._');
  for (const item of fields.actionItems) {
    const meta = [
      item.owner ? `owner: ${inline(item.owner)}` : 'owner: unassigned',
      item.due ? `due ${item.due}` : 'no due date',
    ].join(', ');
    out.push(`- [${item.done ? 'x' : ' '}] ${inline(item.text)} (${meta})`);
  }
  out.push('');
  if (report.attachments.length) {
    out.push('## Attachments', '');
    for (const a of report.attachments)
      out.push(
        `- \`${a.name.replace(/`/g, "'")}\` — ${inline(a.mediaType)}, ${formatBytes(a.bytes)}, sha256 ${a.sha256}`,
      );
    out.push('');
  }
  out.push('---', '');
  out.push(
    `${integrityLine(report).replace(/sha256 ([0-9a-f]{64}|none)/, 'sha256 `$1`')} Generated ${time.utc(report.generatedAt)} by Ops Console.`,
    '',
  );
  return out.join('\n');
}

function block(text: string): string {
  return text.trim() ? safeMarkdown(text.trim()) : empty;
}

function inline(text: string): string {
  return safeMarkdown(text.replace(/\s*\n\s*/g, ' ').trim());
}

/** A table cell: one line, pipes escaped, HTML and unsafe links neutralised (by inline). */
function cell(text: string): string {
  return inline(text).replace(/\\/g, '\\\\').replace(/\|/g, '\\|');
}
