import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { PgConnectionRegistry } from '../../src/main/postgres/connection-registry';
import { shapeToDdl } from '../../src/main/sandbox/ddl';
import { ensureTemplate, SandboxEngine } from '../../src/main/sandbox/sandbox-engine';
import { runSteps } from '../../src/main/sandbox/sandbox-shaper';
import { engineVersion } from '../../src/main/sandbox/sandbox-registry';
import { readShapeReadOnly } from '../../src/main/sandbox/shape-reader';
import { postgresBinDir, startPostgres, startSshd, startSshForward, stopChild } from '../../test/harness/index';
import { harnessProfile } from '../../test/support/profiles';
import { sessionRig } from '../../test/support/session-rig';
import { median, result, round, type BenchContext, type BenchResult, type Benchmark } from '../types';

// The shape of 50 related tables (a primary key, a foreign key to the previous table, an index
// each) read through one SSH hop and applied in a sandbox, against pg_dump --schema-only of the
// same tables through OpenSSH ssh -L (which only reads: ours also applies).
const templateDir = process.env.OPSCONSOLE_SANDBOX_CACHE ?? join(tmpdir(), 'opsconsole-sandbox-cache');
const tables = Array.from({ length: 50 }, (_, i) => `t${i}`);

function schemaSql(): string {
  return tables
    .map(
      (t, i) =>
        `CREATE TABLE ${t} (id int PRIMARY KEY, name text NOT NULL, created_at timestamptz DEFAULT now()${i ? `, parent_id int REFERENCES t${i - 1}(id)` : ''}); CREATE INDEX ${t}_created_idx ON ${t} (created_at);`,
    )
    .join('\n');
}

const rssMb = () => process.memoryUsage().rss / 1024 / 1024;

async function shapeFifty(context: BenchContext): Promise<BenchResult[]> {
  const [server, sshd] = await Promise.all([startPostgres(), startSshd()]);
  // The shape is read over the real Postgres registry, on its own store and sessions.
  const rig = sessionRig();
  const connections = rig.own(new PgConnectionRegistry(rig.profiles, rig.sessions));
  const scratch = mkdtempSync(join(tmpdir(), 'opsconsole-shape-'));
  // OpenSSH's forward comes up while the schema is made; awaited before it is used.
  const forward = startSshForward(sshd, [server.port]);
  try {
    const direct = new pg.Client({ connectionString: server.connectionString() });
    await direct.connect();
    await direct.query(schemaSql());
    await direct.end();
    const {
      ports: [localPort],
    } = await forward;
    const profile = rig.saveProfile(harnessProfile('bench-shape', { sshd, pg: server }));
    const template = await ensureTemplate(templateDir, engineVersion());
    const idleRss = rssMb();
    let peakRss = idleRss;
    const ours: number[] = [];
    const anchor: number[] = [];
    for (let run = 0; run < context.runs; run++) {
      const engine = await SandboxEngine.open({ dataDir: join(scratch, `run${run}`), templatePath: template });
      const started = performance.now();
      const side = await connections.openSide(profile.id);
      const shape = await readShapeReadOnly(side.client, tables, new Date().toISOString()).finally(() => side.close());
      const ddl = shapeToDdl(shape);
      const state = { unreproduced: [], missingTables: [], scale: {} };
      await runSteps(engine, ddl.before, state);
      await runSteps(engine, ddl.after, state);
      ours.push(performance.now() - started);
      peakRss = Math.max(peakRss, rssMb());
      await engine.close();
      const dumpStarted = performance.now();
      execFileSync(
        join(postgresBinDir(), 'pg_dump'),
        [
          '--schema-only',
          '-h',
          '127.0.0.1',
          '-p',
          String(localPort),
          '-U',
          server.user,
          ...tables.flatMap((t) => ['-t', t]),
          server.database,
        ],
        { env: { ...process.env, PGPASSWORD: server.password }, stdio: ['ignore', 'ignore', 'inherit'] },
      );
      anchor.push(performance.now() - dumpStarted);
      context.log(
        `shape of 50 tables ${run + 1}/${context.runs}: ours ${Math.round(ours.at(-1)!)} ms, pg_dump via ssh -L ${Math.round(anchor.at(-1)!)} ms`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    const closedRss = rssMb();
    const note = '50 tables, each with a PK, an FK to the previous one and an index, through one SSH hop';
    return [
      result({
        id: 'rehearse.shape_50_tables_ms',
        unit: 'ms',
        value: round(median(ours)),
        anchor: null,
        goal: { of: 'value', op: '<', limit: 3000 },
        note: `${note}: read through the read-only path and applied in the sandbox`,
      }),
      result({
        id: 'rehearse.shape_vs_pg_dump',
        unit: 'ms',
        value: round(median(ours)),
        anchor: { name: 'pg_dump --schema-only -t … through OpenSSH ssh -L', value: round(median(anchor)) },
        goal: { of: 'ratio', op: '<=', limit: 2 },
        // The engine's compiled code is kept by the process (engine-code.ts): the first run is the
        // first such DDL on it, as an app session's first rehearsal; later runs, like later rehearsals, reuse it.
        note: `${note}; runs ${ours.map((ms) => Math.round(ms)).join(', ')} ms (the first on engine code not yet warmed by this work), pg_dump ${anchor.map((ms) => Math.round(ms)).join(', ')} ms`,
      }),
      result({
        id: 'rehearse.sandbox_rss_mb',
        unit: 'MB',
        value: round(peakRss - idleRss),
        anchor: null,
        goal: { of: 'value', op: '<=', limit: 350 },
        note: `peak RSS added by an open sandbox holding the shape; ${round(closedRss - idleRss)} MB above idle after it closed (goal: within 50)`,
      }),
    ];
  } finally {
    await forward.then(
      ({ child }) => stopChild(child),
      () => undefined,
    );
    await rig.dispose();
    rmSync(scratch, { recursive: true, force: true });
    await Promise.all([server.stop(), sshd.dispose()]);
  }
}

export const rehearseShapeBenchmarks: Benchmark[] = [
  {
    id: 'rehearse.shape',
    description:
      'Rehearsal shape: 50 related tables read through one SSH hop and applied in a sandbox, against pg_dump --schema-only through ssh -L; sandbox RSS',
    run: shapeFifty,
  },
];
