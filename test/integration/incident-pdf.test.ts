import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ChromiumPdfRenderer } from '../../src/main/incidents/pdf-renderer';
import { incidentStack, recordSampleIncident, steppingClock } from '../support/incident-fixture';

const renderer = new ChromiumPdfRenderer();
after(() => renderer.dispose());

function pdfPages(file: string): number {
  return Number(/^Pages:\s+(\d+)/m.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))![1]);
}

test('the PDF renders through headless Chromium: readable text, one page for a short report', async () => {
  const stack = incidentStack({ now: steppingClock(), pdfRenderer: renderer });
  try {
    const id = recordSampleIncident(stack.incidents);
    const file = join(stack.dir, 'report.pdf');
    const result = await stack.incidents.exporter.export(id, { format: 'pdf', path: file });
    assert.equal(readFileSync(file).subarray(0, 5).toString(), '%PDF-');
    assert.equal(result.bytes, readFileSync(file).length);
    const pages = pdfPages(file);
    assert.ok(pages >= 1 && pages <= 3, `short report on ${pages} pages`);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    for (const expected of [
      'Checkout latency spike on orders DB',
      'Root cause',
      'Action items',
      'Terminated the blocking backend',
      'pg_terminate_backend(4242)',
      'Status: mitigated → resolved',
    ]) {
      assert.ok(text.includes(expected), `the PDF text has "${expected}"`);
    }
    assert.match(text, /page 1 of \d/);
  } finally {
    await stack.close();
  }
});

test('a long timeline flows over many pages and keeps every event', async () => {
  const stack = incidentStack({ pdfRenderer: renderer });
  try {
    const { id } = stack.incidents.service.start({ title: 'Long night', severity: 'P2' });
    for (let i = 1; i <= 400; i++) stack.incidents.recorder.record('note', { text: `checked shard ${i}` });
    const file = join(stack.dir, 'long.pdf');
    await stack.incidents.exporter.export(id, { format: 'pdf', path: file });
    assert.ok(pdfPages(file) >= 5, 'hundreds of rows need several pages');
    const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });
    assert.ok(text.includes('checked shard 1\n') || text.includes('checked shard 1 '));
    assert.ok(text.includes('checked shard 400'));
  } finally {
    await stack.close();
  }
});
