import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { z } from 'zod';
import { incidentReportSchema, incidentReportSchemaId } from '../../src/shared/incident';
import { incidentStack, recordSampleIncident, sequentialIds, steppingClock } from '../support/incident-fixture';

const goldenDir = join(import.meta.dirname, 'incident-golden');

/** Compares with the stored file; UPDATE_GOLDEN=1 rewrites it (review the diff before committing). */
function assertGolden(name: string, actual: string): void {
  const file = join(goldenDir, name);
  if (process.env.UPDATE_GOLDEN) writeFileSync(file, actual);
  assert.ok(existsSync(file), `${name} is missing: run with UPDATE_GOLDEN=1 once and review it`);
  assert.equal(actual, readFileSync(file, 'utf8'), `${name} differs from the golden file (UPDATE_GOLDEN=1 to accept)`);
}

function sample() {
  const stack = incidentStack({ now: steppingClock(), newId: sequentialIds('inc'), timeZone: 'Europe/Paris' });
  return { stack, id: recordSampleIncident(stack.incidents) };
}

test('Markdown export matches the golden file (postmortem layout, UTC and local times)', async () => {
  const { stack, id } = sample();
  try {
    const result = await stack.incidents.exporter.export(id, { format: 'md' });
    const md = result.content!;
    assertGolden('sample.md', md);
    const headings = md.split('\n').filter((l) => /^#{1,2} /.test(l));
    assert.deepEqual(headings, [
      '# Checkout latency spike on orders DB',
      '## Summary',
      '## Timeline',
      '## Root cause',
      '## Resolution',
      '## Impact',
      '## Action items',
      '## Attachments',
    ]);
    for (const field of ['**Date:**', '**Duration:**', '**Severity:**', '**Affected users:**'])
      assert.ok(md.includes(field), field);
    assert.match(md, /\| 2026-03-14 09:26:07 \| 10:26:07 CET \| alice \| Incident opened/, 'UTC then Europe/Paris');
    assert.match(md, /\*\*Date:\*\* 2026-03-14 09:26:07 UTC \(2026-03-14 10:26:07 CET, Europe\/Paris\)/);
    assert.ok(md.includes('- [ ] Batch the archiver UPDATE (10k rows per transaction) (owner: bob, due 2026-03-21)'));
    assert.ok(md.includes('lock \\| many waiters'), 'a pipe in a note does not break the table');
  } finally {
    await stack.close();
  }
});

test('JSON export matches the golden file and carries its schema id and version', async () => {
  const { stack, id } = sample();
  try {
    const json = (await stack.incidents.exporter.export(id, { format: 'json' })).content!;
    assertGolden('sample.json', json);
    const report = JSON.parse(json);
    assert.equal(report.$schema, incidentReportSchemaId);
    assert.deepEqual(incidentReportSchema.parse(report), report, 'the export validates against its versioned schema');
    assert.equal(incidentReportSchema.safeParse({ ...report, schemaVersion: 2 }).success, false);
    assert.equal(
      incidentReportSchema.safeParse({ ...report, chain: { ...report.chain, headHash: 'edited' } }).success,
      false,
    );
    const jsonSchema = z.toJSONSchema(incidentReportSchema) as { properties: Record<string, unknown> };
    assert.ok(
      jsonSchema.properties.timeline && jsonSchema.properties.chain,
      'a JSON Schema can be generated for non-TypeScript consumers',
    );
    assert.equal(report.schemaVersion, 1);
    assert.equal(report.chain.events, report.timeline.length);
    const events = stack.incidents.service.events(id);
    assert.equal(
      report.chain.headHash,
      events.find((e) => e.seq === report.chain.events)!.hash,
      'the head hash of the chain as exported',
    );
    assert.equal(events.at(-1)!.kind, 'export', 'the export itself is recorded after rendering');
    assert.equal(
      report.durationMs,
      Date.parse(report.timeline.at(-1).at) - Date.parse(report.timeline[0].at),
      'duration from first and last event',
    );
  } finally {
    await stack.close();
  }
});

test('repeated identical reads fold into one line with a count; the duration can be set by hand', async () => {
  const { stack, id } = sample();
  try {
    const plain = stack.incidents.exporter.report(id);
    const folded = stack.incidents.exporter.report(id, { foldReads: true });
    assert.equal(plain.timeline.filter((e) => e.kind === 'sql.run' && e.payload.risk === 'read').length, 3);
    const reads = folded.timeline.filter((e) => e.kind === 'sql.run' && e.payload.risk === 'read');
    assert.equal(reads.length, 1);
    assert.equal(reads[0]!.count, 3);
    assert.match(reads[0]!.summary, /×3, last at 2026-03-14 /);
    assert.equal(folded.timeline.length, plain.timeline.length - 2);

    stack.incidents.service.updateReport(id, { durationMs: 90 * 60_000 });
    const md = (await stack.incidents.exporter.export(id, { format: 'md' })).content!;
    assert.match(md, /\*\*Duration:\*\* 1h 30m \(set by hand\)/);
  } finally {
    await stack.close();
  }
});

test('HTML is self-contained: inline CSS, no script, no external resource', async () => {
  const { stack, id } = sample();
  try {
    stack.incidents.service.note(id, '<img src="https://evil.example/x.png"><script>alert(1)</script>');
    const html = (await stack.incidents.exporter.export(id, { format: 'html' })).content!;
    assert.match(html, /<style>[\s\S]+@media print/);
    assert.doesNotMatch(html, /<(script|link|img|iframe|object)\b/i);
    assert.doesNotMatch(html, /<[a-z]+[^>]*\s(src|href)=/i);
    assert.doesNotMatch(html, /url\(|@import/i);
    assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'), 'operator text is escaped');
    assert.ok(html.includes('Content-Security-Policy'));
  } finally {
    await stack.close();
  }
});

test('attachments are written beside the report, or zipped with it; each export is recorded', async () => {
  const { stack, id } = sample();
  try {
    const beside = await stack.incidents.exporter.export(id, {
      format: 'md',
      path: join(stack.dir, 'out', 'report.md'),
    });
    assert.deepEqual(beside.attachments, [join(stack.dir, 'out', 'report-attachments', 'blocking_sessions.csv')]);
    assert.equal(readFileSync(beside.attachments[0]!, 'utf8'), 'pid,state\r\n4242,active\r\n');

    const zipped = await stack.incidents.exporter.export(id, {
      format: 'json',
      path: join(stack.dir, 'out', 'bundle.zip'),
      attachments: 'zip',
    });
    const listing = execFileSync('unzip', ['-l', zipped.path!], { encoding: 'utf8' });
    assert.match(listing, /bundle\.json/);
    assert.match(listing, /attachments\/blocking_sessions\.csv/);
    execFileSync('unzip', ['-tq', zipped.path!]);
    const inner = JSON.parse(execFileSync('unzip', ['-p', zipped.path!, 'bundle.json'], { encoding: 'utf8' }));
    assert.equal(inner.incident.id, id);

    const exports = stack.incidents.service.events(id).filter((e) => e.kind === 'export');
    assert.deepEqual(
      exports.map((e) => e.payload.format),
      ['md', 'json'],
    );
    assert.equal(stack.incidents.service.verify(id).ok, true);
    await assert.rejects(stack.incidents.exporter.export(id, { format: 'pdf' }), /path is missing/);
  } finally {
    await stack.close();
  }
});

test('Markdown export escapes HTML and keeps only https: and mailto: links, in every field', async () => {
  const stack = incidentStack({ now: steppingClock(), newId: sequentialIds('inc'), timeZone: 'UTC' });
  try {
    const xss = '<img src=x onerror=alert(1)>';
    const js = '[click me](javascript:alert(document.cookie))';
    const id = stack.incidents.service.start({ title: xss, severity: 'P2', commander: `<b>${js}</b>` }).id;
    stack.incidents.service.updateReport(id, {
      summary: `Runbook at [docs](https://wiki.example/runbook), mail [oncall](mailto:oncall@example.com); ${js}\n<script>alert(1)</script>\n<JavaScript:alert(2)>`,
      usersAffected: xss,
      rootCause: `![pixel](http://evil.example/t.png) and [ref]: javascript:alert(3)\n[ref]: javascript:alert(4)`,
      resolution: '[a](data:text/html;base64,PHNjcmlwdD4=) [b]( vbscript:msgbox )',
      impact: `<a href="javascript:alert(5)">x</a>`,
      actionItems: [{ text: xss, owner: js, due: null, done: false }],
    });
    stack.incidents.service.note(id, `${xss} ${js}`);
    const md = (await stack.incidents.exporter.export(id, { format: 'md' })).content!;
    assert.doesNotMatch(md, /<img|<script|<a |<b>/i, 'no raw HTML');
    assert.doesNotMatch(md, /javascript:|vbscript:|data:text/i, 'no code-running link');
    assert.doesNotMatch(md, /\]\(http:/, 'plain http links are dropped too');
    assert.ok(md.includes('# &lt;img src=x onerror=alert(1)>'), 'the title is shown, escaped');
    assert.ok(md.includes('[docs](https://wiki.example/runbook)'), 'https links stay');
    assert.ok(md.includes('[oncall](mailto:oncall@example.com)'), 'mailto links stay');
    assert.ok(md.includes('click me (link removed'), 'a removed link keeps its label');
  } finally {
    await stack.close();
  }
});
