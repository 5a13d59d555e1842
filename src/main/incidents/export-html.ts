import type { IncidentReport } from '../../shared/incident';
import { formatBytes } from '../../shared/incident-summary';
import { formatDuration, TimeFormatter } from './time-format';
import { integrityLine } from './report';
import { boldEventKinds, refusedEventKinds, reportColors as c } from './report-style';

/** Self-contained HTML: inline CSS, no script, no external resource; prints well (A4, dense timeline, page numbers in the PDF footer). */
export function renderHtml(report: IncidentReport): string {
  const time = new TimeFormatter(report.timeZone);
  const { incident, fields } = report;
  const first = report.timeline[0]?.at ?? incident.createdAt;
  // One plain block per event (no cells, no inner boxes): Chromium prints 10,000 of them several times faster than table rows.
  const rows = report.timeline.map(
    (e) =>
      `<p class="ev ${kindClass(e.kind)}">${e.at.slice(0, 10)} ${e.at.slice(11, 19)} (${esc(e.atLocal.slice(11))}) · ${esc(e.operator)} · ${e.starred ? '★ ' : ''}${e.hidden ? '<em>[hidden]</em> ' : ''}${esc(e.summary)}${e.clockNote ? ` <strong class="clock-note">[${esc(e.clockNote)}]</strong>` : ''}</p>`,
  );
  const items = fields.actionItems
    .map(
      (i) =>
        `<li><span class="box">${i.done ? '☑' : '☐'}</span> ${esc(i.text)} <span class="meta">(owner: ${esc(i.owner || 'unassigned')}, ${i.due ? `due ${i.due}` : 'no due date'})</span></li>`,
    )
    .join('\n');
  const attachments = report.attachments
    .map(
      (a) =>
        `<li><code>${esc(a.name)}</code> — ${esc(a.mediaType)}, ${formatBytes(a.bytes)}, sha256 <code>${a.sha256}</code></li>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${esc(incident.title)}</title>
<style>${css}</style>
</head>
<body>
<h1>${esc(incident.title)}</h1>
${report.integrity.ok ? '' : `<p class="integrity-banner" role="alert">${esc(integrityLine(report))}</p>`}
<dl class="facts">
<dt>Date</dt><dd>${time.utc(first)} <span class="meta">(${esc(time.zoned(first))}, ${esc(report.timeZone)})</span></dd>
<dt>Duration</dt><dd>${formatDuration(report.durationMs)}${fields.durationMs !== null ? ' <span class="meta">(set by hand)</span>' : ''}</dd>
<dt>Severity</dt><dd>${incident.severity ? `<span class="sev sev-${incident.severity}">${incident.severity}</span> ${esc(report.severityDefinition ?? '')}` : 'not set (unnamed session)'}</dd>
<dt>Affected users</dt><dd>${esc(fields.usersAffected) || 'not stated'}</dd>
<dt>Status</dt><dd>${incident.status}</dd>
<dt>Commander</dt><dd>${esc(incident.commander ?? '') || 'not named'}</dd>
<dt>Profiles</dt><dd>${incident.profiles.map((p) => `${esc(p.name)} (${esc(p.environment)})`).join(', ') || 'none named'}</dd>
</dl>
<h2>Summary</h2>
${para(fields.summary)}
<h2>Timeline</h2>
<p class="meta">Time in UTC (then ${esc(report.timeZone)}) · operator · event.${report.foldedReads ? ' Repeated identical reads are folded into one line.' : ''}</p>
<div class="timeline">
${chunks(rows)}
</div>
<h2>Root cause</h2>
${para(fields.rootCause)}
<h2>Resolution</h2>
${para(fields.resolution)}
<h2>Impact</h2>
${para(fields.impact)}
<h2>Action items</h2>
${items ? `<ul class="items">\n${items}\n</ul>` : '<p class="empty">None yet.</p>'}
${attachments ? `<h2>Attachments</h2>\n<ul>\n${attachments}\n</ul>` : ''}
<footer${report.integrity.ok ? '' : ' class="integrity-broken"'}>${esc(integrityLine(report)).replace(/sha256 ([0-9a-f]{64}|none)/, 'sha256 <code>$1</code>')} Generated ${time.utc(report.generatedAt)} by Ops Console.</footer>
</body>
</html>
`;
}

const css = `
:root { color-scheme: light; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: ${c.ink}; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.7rem; margin: 0 0 1rem; }
h2 { font-size: 1.2rem; border-bottom: 1px solid ${c.rule}; padding-bottom: .2rem; margin-top: 1.8rem; break-after: avoid; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; margin: 0; }
.facts dt { font-weight: 600; } .facts dd { margin: 0; }
.meta { color: ${c.muted}; } .empty { color: ${c.muted}; font-style: italic; }
.sev { display: inline-block; padding: 0 .45rem; border-radius: .25rem; color: #fff; font-weight: 700; }
.sev-P0 { background: ${c.severity.P0}; } .sev-P1 { background: ${c.severity.P1}; } .sev-P2 { background: ${c.severity.P2}; } .sev-P3 { background: ${c.severity.P3}; }
.timeline { font-size: 12px; }
/* Hanging indent: a wrapped event stays visibly one entry. */
.ev { margin: 0; padding: .1rem 0 .1rem 2em; text-indent: -2em; border-bottom: 1px solid #eaeef2; overflow-wrap: break-word; }
${boldEventKinds.map((k) => `.${kindClass(k)}`).join(', ')} { font-weight: 600; }
${refusedEventKinds.map((k) => `.${kindClass(k)}`).join(', ')} { color: ${c.refused}; }
.items { list-style: none; padding-left: 0; } .box { font-size: 1.1em; }
code { font: 12px ui-monospace, SFMono-Regular, Menlo, monospace; overflow-wrap: anywhere; }
footer { margin-top: 2rem; font-size: 11px; color: ${c.muted}; }
footer.integrity-broken, .integrity-banner, .clock-note { color: ${c.alert}; font-weight: 600; }
/* Page numbers in a page-margin box: laid out by the print engine itself, not by a header template re-run for every page. */
@page { size: A4; margin: 14mm 12mm; @bottom-center { content: "page " counter(page) " of " counter(pages); font: 8px system-ui, sans-serif; color: ${c.muted}; } }
@media print {
  body { margin: 0; max-width: none; font-size: 11px; }
  a { color: inherit; }
  /* Dense timeline on paper: a 10,000-event night stays under 150 pages; the hanging indent alone separates entries. */
  .timeline { font-size: 8px; line-height: 1.3; }
  .ev { padding: 0 0 0 2em; border-bottom: none; }
}
`;

/**
 * Events in groups of a few dozen: printing walks the boxes once per page, and a group lying
 * wholly on other pages is skipped in one step instead of event by event (pre-paint and paint
 * of 10,000 events in about half the time).
 */
function chunks(rows: string[], size = 64): string {
  const groups: string[] = [];
  for (let i = 0; i < rows.length; i += size)
    groups.push(`<div class="evs">\n${rows.slice(i, i + size).join('\n')}\n</div>`);
  return groups.join('\n');
}

/** The class an event's line carries for its kind (`status.changed` → `k-status-changed`). */
function kindClass(kind: string): string {
  return `k-${kind.replace(/\W/g, '-')}`;
}

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function para(text: string): string {
  if (!text.trim()) return '<p class="empty">Not written yet.</p>';
  return text
    .trim()
    .split(/\n\s*\n/)
    .map((p) => `<p>${esc(p).replace(/\n/g, '<br>')}</p>`)
    .join('\n');
}
