import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { OpsError } from '../../src/main/errors';
import { renderPdf } from '../../src/main/incidents/export-pdf';
import { TrueTypeFont } from '../../src/main/incidents/pdf/truetype';
import { ChromiumPdfRenderer } from '../../src/main/incidents/pdf-renderer';
import { incidentStack, recordSampleIncident, steppingClock } from '../support/incident-fixture';

// The PDF is written by the project's own writer (export-pdf.ts); reports with text its fonts
// cannot draw go through the browser renderer. Poppler (pdfinfo, pdftotext, pdffonts) reads
// what was written, as any reader would.

const renderer = new ChromiumPdfRenderer();
after(() => renderer.dispose());

function pdfInfo(file: string): Record<string, string> {
  const text = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
  return Object.fromEntries(text.split('\n').map((line) => [line.split(':')[0]!, line.replace(/^[^:]*:\s*/, '')]));
}

function pdfText(file: string, layout = false): string {
  return execFileSync('pdftotext', [...(layout ? ['-layout'] : []), file, '-'], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
}

test('the PDF is written directly: readable text, page numbers, embedded subset fonts, no browser', async () => {
  const stack = incidentStack({ now: steppingClock(), pdfRenderer: renderer });
  try {
    const id = recordSampleIncident(stack.incidents);
    const file = join(stack.dir, 'report.pdf');
    const result = await stack.incidents.exporter.export(id, { format: 'pdf', path: file });
    assert.equal(readFileSync(file).subarray(0, 5).toString(), '%PDF-');
    assert.equal(result.bytes, readFileSync(file).length);
    const info = pdfInfo(file);
    assert.equal(info.Producer, 'Ops Console', 'written by the writer of its own, not printed by Chromium');
    assert.equal(info.Title, 'Checkout latency spike on orders DB');
    assert.match(info['Page size']!, /595.28 x 841.89 pts \(A4\)/);
    const pages = Number(info.Pages);
    assert.ok(pages >= 1 && pages <= 3, `short report on ${pages} pages`);
    const text = pdfText(file, true);
    for (const expected of [
      'Checkout latency spike on orders DB',
      'Root cause',
      'Action items',
      'Terminated the blocking backend',
      'pg_terminate_backend(4242)',
      'Status: mitigated → resolved',
      '☑ Alert on lock waits > 30 s (owner: carol, no due date)',
      'blocking sessions.csv',
      'Timeline integrity:',
    ]) {
      assert.ok(text.includes(expected), `the PDF text has "${expected}"`);
    }
    assert.match(text, new RegExp(`page 1 of ${pages}`));
    assert.doesNotMatch(text, /hunter2-canary/, 'the redacted secret stays redacted');
    const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' });
    assert.match(
      fonts,
      /[A-Z]{6}\+DejaVuSans\s+CID TrueType\s+Identity-H\s+yes yes yes/,
      'embedded, subset, with ToUnicode',
    );
    assert.ok(readFileSync(file).length < 200_000, 'subset fonts keep a short report small');
  } finally {
    await stack.close();
  }
});

test('a long timeline flows over many pages, numbered, and keeps every event in order', async () => {
  const stack = incidentStack({ pdfRenderer: renderer });
  try {
    const { id } = stack.incidents.service.start({ title: 'Long night', severity: 'P2' });
    for (let i = 1; i <= 1500; i++) stack.incidents.recorder.record('note', { text: `checked shard ${i}` });
    const file = join(stack.dir, 'long.pdf');
    await stack.incidents.exporter.export(id, { format: 'pdf', path: file });
    const pages = Number(pdfInfo(file).Pages);
    assert.ok(pages >= 5, `1,500 events need several pages (${pages})`);
    const text = pdfText(file);
    let at = 0;
    for (let i = 1; i <= 1500; i++) {
      const found = text.indexOf(`checked shard ${i}\n`, at);
      assert.ok(found > at, `event ${i} is there, after event ${i - 1}`);
      at = found;
    }
    for (let n = 1; n <= pages; n++) assert.ok(text.includes(`page ${n} of ${pages}`), `page ${n} is numbered`);
  } finally {
    await stack.close();
  }
});

test('every character survives: PDF string delimiters, Latin, Greek, Cyrillic, symbols, a word longer than a line', async () => {
  const stack = incidentStack({ pdfRenderer: renderer });
  try {
    const { id } = stack.incidents.service.start({ title: 'Ünïcode (night) \\ test', severity: 'P3' });
    const ascii = Array.from({ length: 94 }, (_, i) => String.fromCharCode(0x21 + i)).join('');
    const latin = Array.from({ length: 95 }, (_, i) => String.fromCharCode(0xa1 + i))
      .join('')
      .replace('\u00ad', ''); // the soft hyphen is invisible by definition
    const others = 'Ελληνικά Русский ★ ☐ ☑ → ≥ ≤ ½ “quotes” – — … €';
    const hostile = ') Tj /F1 99 Tf (injected) Tj ET BT (';
    const long = '/var/lib/postgresql/15/main/base/16384/' + 'abcdefghij'.repeat(40);
    for (const text of [ascii, latin, others, hostile, long]) stack.incidents.recorder.record('note', { text });
    // Glyph ids whose bytes are a string delimiter or a CR are written escaped: make sure some are.
    const font = new TrueTypeFont(
      readFileSync(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf')),
    );
    const bytes = [...(ascii + latin + others)].flatMap((c) => {
      const g = font.glyph(c.codePointAt(0)!);
      return [g >> 8, g & 0xff];
    });
    for (const b of [0x28, 0x29, 0x5c, 0x0d]) assert.ok(bytes.includes(b), `a glyph id holds byte 0x${b.toString(16)}`);

    const file = join(stack.dir, 'chars.pdf');
    await stack.incidents.exporter.export(id, { format: 'pdf', path: file });
    assert.equal(pdfInfo(file).Producer, 'Ops Console');
    const text = pdfText(file);
    const flat = text.replace(/\s+/g, '');
    for (const expected of [ascii, latin, others, hostile, long, 'Ünïcode (night) \\ test'])
      assert.ok(
        flat.includes(expected.replace(/\s+/g, '')),
        `the PDF text has ${JSON.stringify(expected.slice(0, 40))}…`,
      );
    const lines = pdfText(file, true).split('\n');
    assert.ok(
      lines.filter((l) => l.includes('abcdefghijabcdefghij')).length >= 2,
      'the long word is cut over several lines, not run off the page',
    );
  } finally {
    await stack.close();
  }
});

test('what a browser shows as nothing or as one character is written directly, the same; blank facts keep their label', async () => {
  const stack = incidentStack({ pdfRenderer: renderer });
  try {
    const { id } = stack.incidents.service.start({ title: 'Pasted text', severity: 'P3', commander: '   ' });
    stack.incidents.service.updateReport(id, { usersAffected: '  ' });
    // A decomposed accent (macOS file names), a zero-width space, a byte-order mark, a variation
    // selector after a symbol that has a glyph, terminal escapes in pasted output.
    stack.incidents.recorder.record('note', {
      text: 'cafe\u0301 re\u200bplica \ufeffwarning \u26a0\ufe0f \u001b[31mred\u001b[0m',
    });
    const file = join(stack.dir, 'pasted.pdf');
    await stack.incidents.exporter.export(id, { format: 'pdf', path: file });
    assert.equal(pdfInfo(file).Producer, 'Ops Console', 'no browser needed');
    const text = pdfText(file, true);
    assert.ok(text.includes('café replica warning ⚠ [31mred[0m'), text);
    assert.match(text, /Commander\n/, 'the label stays, with nothing after it');
    assert.match(text, /Affected users\n/);
  } finally {
    await stack.close();
  }
});

test('a word of a million characters is cut into lines in linear time, every character kept', async () => {
  const stack = incidentStack({ pdfRenderer: renderer });
  try {
    const { id } = stack.incidents.service.start({ title: 'Pasted blob', severity: 'P3' });
    const blob = 'QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo'.repeat(30_000); // about a million characters, no space
    // A runbook step's parameter value reaches the timeline unbounded; a report field is the simplest carrier here.
    const stored = stack.incidents.exporter.report(id);
    const report = { ...stored, fields: { ...stored.fields, summary: blob } };
    const started = performance.now();
    const pdf = renderPdf(report);
    const seconds = (performance.now() - started) / 1000;
    // Measuring the rest of the word again for every line took minutes (quadratic); linear is about a second.
    assert.ok(seconds < 20, `rendered in ${seconds.toFixed(1)} s`);
    const file = join(stack.dir, 'blob.pdf');
    writeFileSync(file, pdf);
    const text = pdfText(file).replace(/page \d+ of \d+/g, '');
    assert.ok(text.replace(/\s+/g, '').includes(blob), 'every character of the word is there, in order');
  } finally {
    await stack.close();
  }
});

test('integrity broken, a signature note, and one report giving one file', async () => {
  const stack = incidentStack({ now: steppingClock(), pdfRenderer: renderer });
  try {
    const id = recordSampleIncident(stack.incidents);
    const report = stack.incidents.exporter.report(id);
    const same = renderPdf(report);
    assert.ok(same.equals(renderPdf(report)), 'the same report gives the same bytes');

    const broken = {
      ...report,
      integrity: {
        ok: false,
        brokenAt: { seq: 3, reason: 'its content does not match its hash (the event was edited)' },
      },
    };
    const file = join(stack.dir, 'broken.pdf');
    writeFileSync(
      file,
      renderPdf(
        broken as typeof report,
        "Signed by this installation's report key SHA256:abc: check the JSON export with `opsconsole incident verify`.",
      ),
    );
    const text = pdfText(file).replace(/\s+/g, ' ');
    assert.match(
      text,
      /^Checkout latency spike on orders DB Timeline integrity: BROKEN at event 3/,
      'the banner under the title',
    );
    assert.match(text, /do not rely on it as evidence/);
    assert.match(
      text,
      /Signed by this installation's report key SHA256:abc: check the JSON export with opsconsole incident verify\./,
    );

    // A hidden event keeps its weight: "[hidden]" on a bold status change is bold italic, as in the HTML.
    const hiddenFile = join(stack.dir, 'hidden.pdf');
    const timeline = report.timeline.map((e) => (e.kind === 'status.changed' ? { ...e, hidden: true as const } : e));
    assert.ok(
      timeline.some((e) => e.hidden),
      'the sample has a status change to hide',
    );
    writeFileSync(hiddenFile, renderPdf({ ...report, timeline }));
    assert.match(execFileSync('pdffonts', [hiddenFile], { encoding: 'utf8' }), /\+DejaVuSans-BoldOblique\s/);
    assert.match(pdfText(hiddenFile).replace(/\s+/g, ' '), /\[hidden\] Status: \w+ → \w+/);
  } finally {
    await stack.close();
  }
});

test('text the embedded fonts cannot draw faithfully (CJK, right-to-left) is printed by the browser renderer instead', async () => {
  const stack = incidentStack({ pdfRenderer: renderer });
  try {
    for (const [name, text] of [
      ['cjk', '東京 region failed over'],
      ['rtl', 'note from the Tel Aviv team: שלום'],
      ['private use', 'a terminal icon \ue0b0 pasted from a Nerd Font prompt'],
    ] as const) {
      const { id } = stack.incidents.service.start({ title: `Scripts ${name}`, severity: 'P3' });
      stack.incidents.recorder.record('note', { text });
      const file = join(stack.dir, `${name.replace(' ', '-')}.pdf`);
      await stack.incidents.exporter.export(id, { format: 'pdf', path: file });
      assert.match(pdfInfo(file).Producer!, /Skia/, `${name}: printed by Chromium`);
      assert.ok(pdfText(file).includes(`Scripts ${name}`), `${name}: the report is there`);
    }
  } finally {
    await stack.close();
  }
});

test('such a report with no browser to print it: a clear error naming the character and what to do, no file', async () => {
  const stack = incidentStack({ pdfRenderer: new ChromiumPdfRenderer(join(tmpdir(), 'no-such-chromium')) });
  try {
    const { id } = stack.incidents.service.start({ title: 'Tokyo', severity: 'P3' });
    stack.incidents.recorder.record('note', { text: '東京 region failed over' });
    const file = join(stack.dir, 'tokyo.pdf');
    await assert.rejects(stack.incidents.exporter.export(id, { format: 'pdf', path: file }), (error: OpsError) => {
      assert.equal(error.code, 'browser_missing');
      assert.match(error.message, /U\+6771 "東" is not drawn by the report's own PDF fonts/);
      assert.match(error.message, /--format html/);
      return true;
    });
    assert.equal(existsSync(file), false, 'nothing half-written');
  } finally {
    await stack.close();
  }
});
