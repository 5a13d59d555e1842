import { ChromiumPdfRenderer } from '../../src/main/incidents/pdf-renderer';
import type { Incidents } from '../../src/main/incidents/index';
import { incidentStack } from '../../test/support/incident-fixture';
import { median, result, round, timeMedian, type Benchmark } from '../types';

const count = 10_000;

/** Ten thousand varied events, each recorded (and so committed) on its own, as during a long night. */
function recordEvents(incidents: Incidents, incidentId: string, n = count): void {
  const { recorder } = incidents;
  const on = { profileId: 'prof-prod-eu', profileName: 'prod-eu' };
  for (let i = 0; i < n; i++) {
    switch (i % 5) {
      case 0:
      case 1:
        recorder.record(
          'sql.run',
          {
            ...on,
            sql: `SELECT id, status, updated_at FROM orders WHERE customer_id = ${i} ORDER BY updated_at DESC LIMIT 50`,
            risk: 'read',
            rowCount: i % 50,
            durationMs: 3 + (i % 17),
            outcome: 'ok',
          },
          { incidentId },
        );
        break;
      case 2:
        recorder.record(
          'redis.run',
          { ...on, command: ['GET', `session:${i}`], risk: 'read', durationMs: 1, outcome: 'ok' },
          { incidentId },
        );
        break;
      case 3:
        recorder.record(
          'note',
          { text: `Shard ${i % 64} checked: replication lag ${i % 7} s, no blocked queries.` },
          { incidentId },
        );
        break;
      default:
        recorder.record(
          'connection.state',
          {
            ...on,
            state: i % 2 ? 'ready' : 'reconnecting',
            reason: i % 2 ? undefined : 'keepalive timed out after 10 s',
          },
          { incidentId },
        );
    }
  }
}

function timeAppend(synchronous: 'normal' | 'full', n: number): number {
  const stack = incidentStack();
  try {
    stack.incidents.recorder.setSynchronous(synchronous);
    const { id } = stack.incidents.service.start({ title: 'bench', severity: 'P2' });
    const started = performance.now();
    recordEvents(stack.incidents, id, n);
    return (performance.now() - started) / 1000;
  } finally {
    void stack.close();
  }
}

/** The floor on this machine: n empty write transactions (BEGIN IMMEDIATE; one INSERT; COMMIT). */
function timeBareCommits(n: number): number {
  const stack = incidentStack();
  try {
    stack.db.exec('CREATE TABLE bench_floor (k INTEGER PRIMARY KEY, v TEXT)');
    const insert = stack.db.prepare('INSERT INTO bench_floor (v) VALUES (?)');
    const tx = stack.db.transaction((v: string) => insert.run(v));
    const started = performance.now();
    for (let i = 0; i < n; i++) tx.immediate(`event ${i}`);
    return (performance.now() - started) / 1000;
  } finally {
    void stack.close();
  }
}

async function withTenThousand<T>(fn: (incidents: Incidents, id: string) => Promise<T>): Promise<T> {
  const stack = incidentStack();
  try {
    const { id } = stack.incidents.service.start({
      title: 'A long night on the orders database',
      severity: 'P1',
      profiles: ['prod-eu'],
    });
    recordEvents(stack.incidents, id);
    return await fn(stack.incidents, id);
  } finally {
    await stack.close();
  }
}

export const incidentBenchmarks: Benchmark[] = [
  {
    id: 'incident.append_10k',
    description:
      '10,000 events recorded one by one, each acknowledged after its own commit (WAL, synchronous=NORMAL); also synchronous=FULL',
    async run({ runs, log }) {
      const samples = Array.from({ length: runs }, () => timeAppend('normal', count));
      // FULL fsyncs every commit: measured on 1,000 events and scaled, so the run stays short.
      const full = median(Array.from({ length: runs }, () => timeAppend('full', 1000))) * (count / 1000);
      const floor = median(Array.from({ length: runs }, () => timeBareCommits(count)));
      log(
        `  normal ${samples.map((s) => s.toFixed(3)).join(', ')} s; full ≈ ${full.toFixed(2)} s; bare commits ${floor.toFixed(3)} s`,
      );
      return [
        result({
          id: 'incident.append_10k',
          unit: 's',
          value: median(samples),
          // Ratios decide (issue #28): the floor of bare commits is measured in the same run.
          anchor: { name: 'floor: 10k bare SQLite commits of one row', value: round(floor) },
          goal: { of: 'ratio', op: '<=', limit: 2 },
          also: [{ name: 'synchronous=FULL (power-loss durable), 10k extrapolated from 1k', value: round(full) }],
        }),
      ];
    },
  },
  {
    id: 'incident.export_md_10k',
    description: 'Build the report and render Markdown for an incident of 10,000 events',
    async run({ runs }) {
      return withTenThousand(async ({ exporter }, id) => {
        const seconds = await timeMedian(Math.max(runs, 5), async () => {
          await exporter.render(exporter.report(id), 'md');
        });
        return [
          result({
            id: 'incident.export_md_10k',
            unit: 's',
            value: seconds,
            anchor: null,
            goal: { of: 'value', op: '<', limit: 0.3 },
          }),
        ];
      });
    },
  },
  {
    id: 'incident.export_pdf_10k',
    description:
      'Export an incident of 10,000 events to PDF through headless Chromium (launch included, as the CLI does); also with a warm browser',
    async run({ runs }) {
      return withTenThousand(async (incidents, id) => {
        const cold: number[] = [];
        for (let i = 0; i < runs; i++) {
          const renderer = new ChromiumPdfRenderer();
          const started = performance.now();
          await renderer.prepare(); // as the exporter does: Chromium boots while the report is built
          const html = await incidents.exporter.render(incidents.exporter.report(id), 'html');
          await renderer.render(html.toString('utf8'));
          cold.push((performance.now() - started) / 1000);
          await renderer.dispose();
        }
        const warmRenderer = new ChromiumPdfRenderer();
        await warmRenderer.render('<p>warm-up</p>');
        let pages = 0;
        const warm = await timeMedian(runs, async () => {
          const pdf = await warmRenderer.render(
            (await incidents.exporter.render(incidents.exporter.report(id), 'html')).toString('utf8'),
          );
          pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
        });
        await warmRenderer.dispose();
        return [
          result({
            id: 'incident.export_pdf_10k',
            unit: 's',
            value: median(cold),
            anchor: null,
            goal: { of: 'value', op: '<', limit: 2.5 },
            also: [{ name: 'browser already running (the app)', value: round(warm) }],
            note: `${pages} A4 pages`,
          }),
        ];
      });
    },
  },
];
