import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { shapeToDdl } from '../../src/main/sandbox/ddl';
import { ensureTemplate, SandboxEngine } from '../../src/main/sandbox/sandbox-engine';
import { engineVersion } from '../../src/main/sandbox/sandbox-registry';
import type { Shape } from '../../src/main/sandbox/shape';
import { seedPlans } from '../../src/main/sandbox/synthetic-rows';
import { startPostgres } from '../../test/harness/index';
import { tempCore } from '../../test/support/temp-core';
import { median, result, round, type BenchContext, type BenchResult, type Benchmark } from '../types';

// The engine template is made once per machine (as the app does once per data folder).
const templateDir = process.env.OPSCONSOLE_SANDBOX_CACHE ?? join(tmpdir(), 'opsconsole-sandbox-cache');
const tableRows = 100_000;

async function demoFirstQuery(context: BenchContext): Promise<BenchResult[]> {
  // Warm the templates (what a build or the first start makes), then time fresh data folders.
  const warm = tempCore({ sandboxTemplateDir: templateDir });
  await warm.core.invoke('demo.create', {});
  await warm.dispose();
  const times: number[] = [];
  for (let run = 0; run < context.runs; run++) {
    const temp = tempCore({ sandboxTemplateDir: templateDir });
    try {
      const started = performance.now();
      const demo = await temp.core.invoke('demo.create', {});
      await temp.core.invoke('sql.run', {
        profileId: demo.profile.id,
        sql: 'SELECT status, count(*) FROM orders GROUP BY status',
      });
      times.push(performance.now() - started);
      context.log(`demo first query ${run + 1}/${context.runs}: ${Math.round(times.at(-1)!)} ms`);
    } finally {
      await temp.dispose();
    }
  }
  return [
    result({
      id: 'demo.first_query_ms',
      unit: 'ms',
      value: round(median(times)),
      anchor: null,
      goal: { of: 'value', op: '<', limit: 3000 },
      note: 'empty data folder → demo profile → first query result (templates cached)',
    }),
  ];
}

async function rehearseStatement(context: BenchContext): Promise<BenchResult[]> {
  const server = await startPostgres();
  const temp = tempCore({ sandboxTemplateDir: templateDir });
  try {
    const direct = new pg.Client({ connectionString: server.connectionString() });
    await direct.connect();
    await direct.query(
      `CREATE TABLE orders (id bigint PRIMARY KEY, customer_id int NOT NULL, status text NOT NULL, total_cents int NOT NULL, created_at timestamptz NOT NULL)`,
    );
    await direct.query(
      `INSERT INTO orders SELECT g, g % 5000, (ARRAY['paid','shipped','cancelled'])[1 + g % 3], g % 40000, now() - (g % 120) * interval '1 day' FROM generate_series(1, ${tableRows}) g`,
    );
    await direct.query('ANALYZE orders');
    await direct.end();
    const profile = await temp.core.invoke('profiles.save', {
      profile: {
        name: 'bench-rehearse',
        environment: 'production',
        postgres: { host: '127.0.0.1', port: server.port, database: server.database, user: server.user },
        secrets: { pgPassword: { set: server.password } },
      },
    });
    const sql = "DELETE FROM orders WHERE created_at < now() - interval '30 days'";
    await temp.core.invoke('sandbox.rehearse', { profileId: profile.id, sql });
    const times: number[] = [];
    for (let run = 0; run < context.runs; run++) {
      const started = performance.now();
      await temp.core.invoke('sandbox.rehearse', { profileId: profile.id, sql });
      times.push(performance.now() - started);
    }
    const shape = JSON.parse(
      readFileSync(join(temp.dataDir, 'sandboxes', `${profile.id}.rehearsal`, 'shape.json'), 'utf8'),
    ) as Shape;
    const seed = await seedRate(shape);
    return [
      result({
        id: 'rehearse.statement_ms',
        unit: 'ms',
        value: round(median(times)),
        anchor: null,
        goal: { of: 'value', op: '<', limit: 1000 },
        note: `DELETE … WHERE over a ${tableRows}-row shaped table, end to end with its lock report (shape cached, sandbox seeded)`,
      }),
      result({
        id: 'rehearse.seed_rows_per_s',
        unit: 'rows/s',
        value: Math.round(seed),
        anchor: null,
        goal: { of: 'value', op: '>', limit: 50_000 },
        note: `synthetic rows from pg_stats inserted into a fresh sandbox (${tableRows} rows)`,
      }),
    ];
  } finally {
    await temp.dispose();
    await server.stop();
  }
}

async function seedRate(shape: Shape): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'opsconsole-seed-'));
  const engine = await SandboxEngine.open({
    dataDir: join(dir, 'pgdata'),
    templatePath: await ensureTemplate(templateDir, engineVersion()),
  });
  try {
    for (const step of shapeToDdl(shape).before) await engine.exec(step.sql);
    const plans = seedPlans(shape);
    const started = performance.now();
    for (const plan of plans) await engine.query(plan.sql);
    const rows = plans.reduce((sum, p) => sum + p.rows, 0);
    return rows / ((performance.now() - started) / 1000);
  } finally {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export const rehearseBenchmarks: Benchmark[] = [
  {
    id: 'demo',
    description: 'The demo environment: empty data folder to the first demo query result',
    run: demoFirstQuery,
  },
  {
    id: 'rehearse',
    description: 'Rehearsal: a DELETE over a 100,000-row shaped table end to end, and the synthetic seeding pace',
    run: rehearseStatement,
  },
];
