import type { IncidentReport } from '../../shared/incident';
import { formatBytes } from '../../shared/incident-summary';
import { a4, PdfDocument, type Rgb, type TextStyle } from './pdf/pdf-document';
import { integrityLine } from './report';
import { boldEventKinds, refusedEventKinds, reportColors } from './report-style';
import { formatDuration, TimeFormatter } from './time-format';

export { PdfFallbackError } from './pdf/pdf-document';

/**
 * The report as a PDF written directly (no browser): the same sections, in the same order and
 * words, as the HTML report prints (export-html.ts), A4, the timeline dense, "page N of M" at
 * the foot of every page. 10,000 events take a fraction of a second where printing the HTML in
 * Chromium takes seconds (issue #28). Throws PdfFallbackError for text the embedded fonts cannot
 * draw faithfully (CJK, right-to-left and shaped scripts, emoji), or when the fonts cannot be
 * read; the exporter then prints the HTML through a browser, which has the system's fonts and a
 * shaping engine.
 */
export function renderPdf(report: IncidentReport, note?: string): Buffer {
  const time = new TimeFormatter(report.timeZone);
  const { incident, fields } = report;
  const first = report.timeline[0]?.at ?? incident.createdAt;
  const out = new Layout();

  out.block([span(incident.title, h1)], { lineHeight: 1.25, after: 12 });
  if (!report.integrity.ok) out.block([span(integrityLine(report), alert)], { after: 6 });

  const severity = incident.severity
    ? [
        span(incident.severity, { ...body, font: 'bold', color: white }, severityColors[incident.severity]),
        span(` ${report.severityDefinition ?? ''}`, body),
      ]
    : [span('not set (unnamed session)', body)];
  out.facts([
    ['Date', [span(time.utc(first), body), span(` (${time.zoned(first)}, ${report.timeZone})`, meta)]],
    [
      'Duration',
      [
        span(formatDuration(report.durationMs), body),
        ...(fields.durationMs !== null ? [span(' (set by hand)', meta)] : []),
      ],
    ],
    ['Severity', severity],
    ['Affected users', [span(fields.usersAffected || 'not stated', body)]],
    ['Status', [span(incident.status, body)]],
    ['Commander', [span(incident.commander || 'not named', body)]],
    ['Profiles', [span(incident.profiles.map((p) => `${p.name} (${p.environment})`).join(', ') || 'none named', body)]],
  ]);

  out.heading('Summary');
  out.paragraphs(fields.summary);
  out.heading('Timeline');
  out.block(
    [
      span(
        `Time in UTC (then ${report.timeZone}) · operator · event.${report.foldedReads ? ' Repeated identical reads are folded into one line.' : ''}`,
        meta,
      ),
    ],
    { after: 4 },
  );
  for (const e of report.timeline) {
    const style = eventStyles[e.kind] ?? event;
    const spans = [
      span(
        `${e.at.slice(0, 10)} ${e.at.slice(11, 19)} (${e.atLocal.slice(11)}) · ${e.operator} · ${e.starred ? '★ ' : ''}`,
        style,
      ),
    ];
    if (e.hidden)
      spans.push(
        span('[hidden]', { ...style, font: style.font === 'bold' ? 'boldItalic' : 'italic' }),
        span(' ', style),
      );
    spans.push(span(e.summary, style));
    if (e.clockNote) spans.push(span(` [${e.clockNote}]`, { ...style, font: 'bold', color: brightRed }));
    out.block(spans, { lineHeight: 1.3, hanging: 2 * event.size });
  }
  out.heading('Root cause');
  out.paragraphs(fields.rootCause);
  out.heading('Resolution');
  out.paragraphs(fields.resolution);
  out.heading('Impact');
  out.paragraphs(fields.impact);
  out.heading('Action items');
  if (!fields.actionItems.length) out.block([span('None yet.', empty)], { after: 6 });
  for (const i of fields.actionItems)
    out.block(
      [
        span(i.done ? '☑' : '☐', { ...body, size: body.size * 1.1 }),
        span(` ${i.text} `, body),
        span(`(owner: ${i.owner || 'unassigned'}, ${i.due ? `due ${i.due}` : 'no due date'})`, meta),
      ],
      { after: 3 },
    );
  if (report.attachments.length) {
    out.heading('Attachments');
    for (const a of report.attachments)
      out.block(
        [
          span('• ', body),
          span(a.name, code),
          span(` — ${a.mediaType}, ${formatBytes(a.bytes)}, sha256 `, body),
          span(a.sha256, code),
        ],
        { after: 3, hanging: 8 },
      );
  }
  const integrity = integrityLine(report);
  const footerStyle = report.integrity.ok ? footer : { ...footer, font: 'bold' as const, color: brightRed };
  const hash = /sha256 ([0-9a-f]{64}|none)/.exec(integrity);
  out.gap(24);
  out.block(
    [
      span(hash ? integrity.slice(0, hash.index + 7) : integrity, footerStyle),
      ...(hash
        ? [
            span(hash[1]!, { ...code, size: footer.size, color: footerStyle.color }),
            span(integrity.slice(hash.index + hash[0].length), footerStyle),
          ]
        : []),
      span(
        ` Generated ${time.utc(report.generatedAt)} by Ops Console.${note ? ` ${note.replace(/`/g, '')}` : ''}`,
        footerStyle,
      ),
    ],
    {},
  );
  return out.finish({ title: incident.title, created: report.generatedAt });
}

const ink = rgbOf(reportColors.ink);
const grey = rgbOf(reportColors.muted);
const brightRed = rgbOf(reportColors.alert);
const white: Rgb = [1, 1, 1];
const severityColors: Record<string, Rgb> = Object.fromEntries(
  Object.entries(reportColors.severity).map(([severity, hex]) => [severity, rgbOf(hex)]),
);

// Sizes in points, as the HTML report prints (1 CSS px = 0.75 pt): body 11px, timeline 8px.
const body: TextStyle = { font: 'regular', size: 8.25, color: ink };
const meta: TextStyle = { ...body, color: grey };
const empty: TextStyle = { ...body, font: 'italic', color: grey };
const alert: TextStyle = { ...body, font: 'bold', color: brightRed };
const code: TextStyle = { font: 'mono', size: 7.5, color: ink };
const h1: TextStyle = { font: 'bold', size: 20.4, color: ink };
const h2: TextStyle = { font: 'bold', size: 14.4, color: ink };
const footer: TextStyle = { ...body, color: grey };
const event: TextStyle = { font: 'regular', size: 6, color: ink };
const eventStyles: Record<string, TextStyle> = Object.fromEntries([
  ...boldEventKinds.map((kind) => [kind, { ...event, font: 'bold' }]),
  ...refusedEventKinds.map((kind) => [kind, { ...event, color: rgbOf(reportColors.refused) }]),
]);

const margin = { top: 39.69, bottom: 39.69, side: 34.02 }; // 14 mm and 12 mm, as the HTML's @page
const width = a4.width - 2 * margin.side;
const ruleColor = rgbOf(reportColors.rule);

interface Span {
  text: string;
  style: TextStyle;
  /** A filled box behind the text (the severity badge). */
  box?: Rgb;
}

function span(text: string, style: TextStyle, box?: Rgb): Span {
  return { text: shown(text), style, box };
}

/**
 * Text as a browser shows it in the HTML report: composed (NFC: a decomposed "é" as one
 * character), whitespace runs as one space, and what it draws as nothing dropped (controls,
 * zero-width spaces and joiners, byte-order marks, variation selectors, soft hyphens where no
 * line breaks at them).
 */
function shown(text: string): string {
  if (!/[^\x20-\x7e]| {2}/.test(text)) return text;
  return text
    .normalize('NFC')
    .replace(/[ \t\n\r\f]+/g, ' ')
    .replace(/[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\u00ad\u200b\u2060\ufeff]|\ufe0e|\ufe0f/g, '');
}

interface BlockOptions {
  /** Line height as a multiple of the largest size on the line. */
  lineHeight?: number;
  /** Lines after the first start this far in (points). */
  hanging?: number;
  /** Left edge (points from the margin). */
  indent?: number;
  after?: number;
}

/**
 * Places blocks of text top to bottom, line by line, starting a page when one is full. A line
 * is a list of parts, four numbers each (span index, start, end, width in points), kept in one
 * reused array: 10,000 events make a few hundred thousand words, and an object per word was
 * most of the time (in the garbage collector).
 */
class Layout {
  private readonly doc = new PdfDocument();
  private y = Infinity;
  private readonly parts: number[] = [];

  heading(text: string): void {
    // Kept with what follows: a heading never ends a page.
    this.gap(16);
    if (this.y + h2.size * 1.3 + 5 + 3 * body.size * 1.45 > a4.height - margin.bottom) this.newPage();
    this.block([span(text, h2)], { lineHeight: 1.3, after: 2 });
    this.doc.rule(margin.side, this.y, width, 0.75, ruleColor);
    this.y += 5;
  }

  paragraphs(text: string): void {
    if (!text.trim()) return this.block([span('Not written yet.', empty)], { after: 6 });
    for (const p of text.trim().split(/\n\s*\n/)) {
      const lines = p.split('\n');
      lines.forEach((line, i) => this.block([span(line, body)], { after: i === lines.length - 1 ? 6 : 0 }));
    }
  }

  /** Label and value rows, the labels in a column as wide as the widest. */
  facts(rows: [string, Span[]][]): void {
    const label: Span[] = rows.map(([name]) => span(name, { ...body, font: 'bold' }));
    const column = Math.max(...label.map((l) => this.doc.measure(l.text, l.style.font, l.style.size))) + 12;
    const lineHeight = body.size * 1.45;
    rows.forEach(([, value], i) => {
      // The label first (text is copied in drawing order), on the value's first line.
      if (this.y + lineHeight > a4.height - margin.bottom) this.newPage();
      const top = this.y;
      const text = label[i]!;
      this.draw([text], [0, 0, text.text.length, 0], 4, margin.side, top, lineHeight);
      this.block(value, { indent: column });
      if (this.y === top) this.y += lineHeight; // a value of only spaces: the label keeps its line
      this.y += 3;
    });
    this.y += 6;
  }

  gap(points: number): void {
    if (this.y !== Infinity) this.y += points;
  }

  /** Spans broken into lines at spaces (a word wider than a line is cut where it reaches the edge). */
  block(spans: Span[], options: BlockOptions): void {
    const lineHeight = options.lineHeight ?? 1.45;
    const hanging = options.hanging ?? 0;
    const left = margin.side + (options.indent ?? 0);
    const full = width - (options.indent ?? 0);
    const parts = this.parts;
    parts.length = 0;
    let lineWidth = 0;
    let first = true;
    /** The part holding the line's last space (where it breaks), and the line's width before it. */
    let breakAt = -1;
    let widthBefore = 0;
    const emit = (count: number) => {
      this.line(spans, count, first ? left : left + hanging, lineHeight);
      first = false;
    };
    for (let s = 0; s < spans.length; s++) {
      const { text, style } = spans[s]!;
      let i = 0;
      while (i < text.length) {
        const available = first ? full : full - hanging;
        if (text.charCodeAt(i) === 32) {
          if (parts.length) {
            breakAt = parts.length;
            widthBefore = lineWidth;
            const w = this.doc.measure(' ', style.font, style.size);
            parts.push(s, i, i + 1, w);
            lineWidth += w;
          }
          i++;
          continue;
        }
        let end = text.indexOf(' ', i);
        if (end < 0) end = text.length;
        // Measured only as far as the line has room: cutting a long word into lines stays linear.
        const fits = this.doc.fit(text, style.font, style.size, i, end, available - lineWidth);
        let taken = this.doc.fitted;
        if (fits === end) {
          parts.push(s, i, end, taken);
          lineWidth += taken;
          i = end;
          continue;
        }
        if (breakAt >= 0) {
          // The line ends before its last space; what followed that space (the start of this
          // word, from earlier spans) moves to the next line, and this piece is placed again there.
          const spaceWidth = parts[breakAt + 3]!;
          const carried = parts.slice(breakAt + 4);
          emit(breakAt);
          parts.length = 0;
          for (const n of carried) parts.push(n);
          lineWidth -= widthBefore + spaceWidth;
          breakAt = -1;
          continue;
        }
        // No space to break at on this line: the word (a hash, a path, a pasted blob) is cut
        // where it reaches the edge, at least one character on an empty line.
        let cut = fits;
        if (cut === i && !parts.length) {
          cut = i + (isHighSurrogate(text.charCodeAt(i)) ? 2 : 1);
          taken = this.doc.measure(text, style.font, style.size, i, cut);
        }
        if (cut > i) parts.push(s, i, cut, taken);
        emit(parts.length);
        parts.length = 0;
        lineWidth = 0;
        breakAt = -1;
        i = cut;
      }
    }
    let count = parts.length;
    if (count && spans[parts[count - 4]!]!.text.charCodeAt(parts[count - 3]!) === 32) count -= 4; // a trailing space
    if (count) emit(count);
    this.y += options.after ?? 0;
  }

  finish(info: { title: string; created: string }): Buffer {
    const total = this.doc.pageCount;
    for (let n = 1; n <= total; n++) {
      this.doc.onPage(n);
      const style: TextStyle = { font: 'regular', size: 6, color: grey };
      const text = `page ${n} of ${total}`;
      this.doc.text(
        (a4.width - this.doc.measure(text, style.font, style.size)) / 2,
        a4.height - margin.bottom / 2 + 2,
        text,
        style,
      );
    }
    return this.doc.finish(info);
  }

  private newPage(): void {
    this.doc.addPage();
    this.y = margin.top;
  }

  /** The first `count` numbers of the parts as one line at the cursor, a page started if it does not fit. */
  private line(spans: Span[], count: number, x: number, lineHeight: number): void {
    let size = 0;
    for (let p = 0; p < count; p += 4) size = Math.max(size, spans[this.parts[p]!]!.style.size);
    const height = size * lineHeight;
    if (this.y + height > a4.height - margin.bottom) this.newPage();
    this.draw(spans, this.parts, count, x, this.y, height);
    this.y += height;
  }

  /** Parts side by side on one line whose box starts at `top`; neighbours from one span go out as one run. */
  private draw(spans: Span[], parts: readonly number[], count: number, x: number, top: number, height: number): void {
    for (let p = 0; p < count;) {
      const s = parts[p]!;
      const start = parts[p + 1]!;
      let end = parts[p + 2]!;
      let runWidth = parts[p + 3]!;
      p += 4;
      while (p < count && parts[p] === s && parts[p + 1] === end) {
        end = parts[p + 2]!;
        runWidth += parts[p + 3]!;
        p += 4;
      }
      const { text, style, box } = spans[s]!;
      const run = start === 0 && end === text.length ? text : text.slice(start, end);
      if (!runWidth) runWidth = this.doc.measure(run, style.font, style.size);
      const { ascent, descent } = this.doc.metrics(style.font);
      const baseline = top + (height - (ascent - descent) * style.size) / 2 + ascent * style.size;
      if (box) this.doc.fill(x - 2, top + 0.5, runWidth + 4, height - 1, box);
      this.doc.text(x, baseline, run, style);
      x += runWidth;
    }
  }
}

function isHighSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff;
}

function rgbOf(hex: string): Rgb {
  return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255) as unknown as Rgb;
}
