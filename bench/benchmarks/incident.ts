import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ChromiumPdfRenderer } from '../../src/main/incidents/pdf-renderer';
import type { Incidents } from '../../src/main/incidents/index';
import { incidentStack } from '../../test/support/incident-fixture';
import { median, result, round, timeMedian, type Benchmark } from '../types';
import { machinePath, onMachinePath } from './cli-start';

const count = 10_000;
const root = fileURLToPath(new URL('../..', import.meta.url));
type Recorded = Parameters<Incidents['recorder']['record']>;

/** Event i of a long night: SQL and Redis runs, notes, connection states, in a fixed mix. */
function eventAt(i: number): [Recorded[0], Recorded[1]] {
  const on = { profileId: 'prof-prod-eu', profileName: 'prod-eu' };
  switch (i % 5) {
    case 0:
    case 1:
      return [
        'sql.run',
        {
          ...on,
          sql: `SELECT id, status, updated_at FROM orders WHERE customer_id = ${i} ORDER BY updated_at DESC LIMIT 50`,
          risk: 'read',
          rowCount: i % 50,
          durationMs: 3 + (i % 17),
          outcome: 'ok',
        },
      ];
    case 2:
      return ['redis.run', { ...on, command: ['GET', `session:${i}`], risk: 'read', durationMs: 1, outcome: 'ok' }];
    case 3:
      return ['note', { text: `Shard ${i % 64} checked: replication lag ${i % 7} s, no blocked queries.` }];
    default:
      return [
        'connection.state',
        {
          ...on,
          state: i % 2 ? 'ready' : 'reconnecting',
          reason: i % 2 ? undefined : 'keepalive timed out after 10 s',
        },
      ];
  }
}

/** Ten thousand varied events, each recorded (and so committed) on its own, one after the other. */
function recordEvents(incidents: Incidents, incidentId: string, n = count): void {
  for (let i = 0; i < n; i++) incidents.recorder.record(...eventAt(i), { incidentId });
}

/**
 * The same events as they arrive from many runs and notifications at once (group commit): every
 * record is issued without waiting for the previous one, then every acknowledgement is awaited.
 * Each promise resolves only after the COMMIT of the batch holding its event.
 */
async function recordArriving(incidents: Incidents, incidentId: string, n = count): Promise<void> {
  const acknowledged: Promise<unknown>[] = [];
  for (let i = 0; i < n; i++) acknowledged.push(incidents.recorder.recordAsync(...eventAt(i), { incidentId }));
  await Promise.all(acknowledged);
}

/** `callers` concurrent sources, each awaiting its own event's acknowledgement before sending the next. */
async function recordFromCallers(incidents: Incidents, incidentId: string, callers: number): Promise<void> {
  let next = 0;
  const caller = async () => {
    while (next < count) await incidents.recorder.recordAsync(...eventAt(next++), { incidentId });
  };
  await Promise.all(Array.from({ length: callers }, caller));
}

type Recording = (incidents: Incidents, incidentId: string, n: number) => void | Promise<void>;

async function timeAppend(synchronous: 'normal' | 'full', n: number, recording: Recording): Promise<number> {
  const stack = incidentStack();
  try {
    stack.incidents.recorder.setSynchronous(synchronous);
    const { id } = stack.incidents.service.start({ title: 'bench', severity: 'P2' });
    const started = performance.now();
    await recording(stack.incidents, id, n);
    return (performance.now() - started) / 1000;
  } finally {
    await stack.close();
  }
}

async function medianOf(runs: number, sample: () => Promise<number>): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) samples.push(await sample());
  return median(samples);
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

/** An incident of ten thousand events in a fresh store (in `dir`, where the CLI can open it, when given). */
async function withTenThousand<T>(fn: (incidents: Incidents, id: string) => Promise<T>, dir?: string): Promise<T> {
  const stack = incidentStack({ dir });
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
      '10,000 events arriving at once, group-committed, each acknowledged after the COMMIT holding it (WAL, synchronous=NORMAL); also one at a time, 16 callers, and synchronous=FULL',
    async run({ runs, log }) {
      // Unmeasured rounds first: the first three rounds of 10,000 carry the JIT's tier-up (up to
      // twice the steady time here, longer when other work starves V8's compiler threads), which an
      // app that has been running has paid. The floor, plain SQLite calls, needs one.
      for (let i = 0; i < 3; i++) await timeAppend('normal', count, recordArriving);
      timeBareCommits(count);
      // The value and its floor alternate, at least 7 of each: a burst of load elsewhere on a shared
      // machine then weighs on both alike instead of on whichever ran during it.
      const samples: number[] = [];
      const floors: number[] = [];
      for (let i = 0; i < Math.max(runs, 7); i++) {
        samples.push(await timeAppend('normal', count, recordArriving));
        floors.push(timeBareCommits(count));
      }
      const floor = median(floors);
      const callers = await medianOf(runs, () =>
        timeAppend('normal', count, (inc, id) => recordFromCallers(inc, id, 16)),
      );
      const serial = await medianOf(runs, () => timeAppend('normal', count, recordEvents));
      const full = await medianOf(runs, () => timeAppend('full', count, recordArriving));
      // One fsync per event: measured on 1,000 events and scaled, so the run stays short.
      const fullSerial = (await medianOf(runs, () => timeAppend('full', 1000, recordEvents))) * (count / 1000);
      log(
        `  arriving ${samples.map((s) => s.toFixed(3)).join(', ')} s; 16 callers ${callers.toFixed(3)} s; one at a time ${serial.toFixed(3)} s; full ${full.toFixed(3)} s (one at a time ≈ ${fullSerial.toFixed(2)} s); bare commits ${floors.map((s) => s.toFixed(3)).join(', ')} s`,
      );
      return [
        result({
          id: 'incident.append_10k',
          unit: 's',
          value: median(samples),
          // Ratios decide (issue #28): the floor of bare commits is measured in the same run.
          anchor: { name: 'floor: 10k bare SQLite commits of one row', value: round(floor) },
          goal: { of: 'ratio', op: '<=', limit: 2 },
          also: [
            {
              name: '16 concurrent callers, each awaiting its acknowledgement before its next event',
              value: round(callers),
            },
            { name: 'one at a time: each event awaited before the next (a commit each)', value: round(serial) },
            { name: 'synchronous=FULL (power-loss durable), arriving at once', value: round(full) },
            { name: 'synchronous=FULL one at a time, 10k extrapolated from 1k', value: round(fullSerial) },
          ],
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
      'Export an incident of 10,000 events to PDF as the CLI does (a whole process, written directly); also in the app (warm, in process) and printed from the HTML by headless Chromium (the fallback)',
    async run({ runs }) {
      // As installed: npm install builds dist/cli (prepare); rebuilt here so edited sources count.
      const build = spawnSync(process.execPath, [join(root, 'scripts', 'build-cli.mjs')], { encoding: 'utf8' });
      if (build.status !== 0) throw new Error(`building the CLI failed: ${build.stderr}`);
      const home = mkdtempSync(join(tmpdir(), 'opsconsole-bench-pdf-'));
      return withTenThousand(async (incidents, id) => {
        const out = join(home, 'report.pdf');
        // The machine's own node runs bin/opsconsole.mjs, which moves onto the pinned Node when
        // it cannot load the store's native module, as an installed command does.
        const node = onMachinePath('node');
        const env = { ...process.env, PATH: machinePath(), OPSCONSOLE_HOME: home, OPSCONSOLE_VAULT: 'file' };
        const cliExport = () => {
          const started = performance.now();
          const run = spawnSync(
            node,
            [
              join(root, 'bin', 'opsconsole.mjs'),
              'incident',
              'export',
              id,
              '--format',
              'pdf',
              '--out',
              out,
              '--overwrite',
            ],
            { env, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' },
          );
          if (run.status !== 0) throw new Error(`opsconsole incident export exited ${run.status}: ${run.stderr}`);
          return (performance.now() - started) / 1000;
        };
        cliExport(); // warms the file cache (the fonts, the build), as an installed command's second call
        const cold: number[] = [];
        for (let i = 0; i < Math.max(runs, 5); i++) cold.push(cliExport());
        const pages = Number(/\/Type \/Pages \/Count (\d+)/.exec(readFileSync(out, 'latin1'))?.[1] ?? 0);

        const { exporter } = incidents;
        await exporter.render(exporter.report(id), 'pdf');
        const warm = await timeMedian(Math.max(runs, 5), async () => {
          await exporter.render(exporter.report(id), 'pdf');
        });

        const chromium = new ChromiumPdfRenderer();
        await chromium.render('<p>warm-up</p>');
        const printed = await timeMedian(runs, async () => {
          await chromium.render((await exporter.render(exporter.report(id), 'html')).toString('utf8'));
        });
        await chromium.dispose();
        return [
          result({
            id: 'incident.export_pdf_10k',
            unit: 's',
            value: median(cold),
            anchor: null,
            goal: { of: 'value', op: '<', limit: 2.5 },
            also: [
              { name: 'in the app: the same export in a running process (warm)', value: round(warm) },
              {
                name: 'the HTML printed by headless Chromium already running (the fallback for scripts the fonts cannot draw)',
                value: round(printed),
              },
            ],
            note: `${pages} A4 pages; runs ${cold.map((s) => s.toFixed(2)).join(', ')} s`,
          }),
        ];
      }, home);
    },
  },
];
