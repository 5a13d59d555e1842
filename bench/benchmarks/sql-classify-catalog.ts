import pg from 'pg';
import { PgConnectionRegistry } from '../../src/main/postgres/connection-registry';
import { CatalogClassifier } from '../../src/main/sql/catalog-classifier';
import { startPostgres, startSshd } from '../../test/harness/index';
import { harnessProfile } from '../../test/support/profiles';
import { sessionRig } from '../../test/support/session-rig';
import { median, result, round, type BenchContext, type BenchResult, type Benchmark } from '../types';

// The classifier with the server's catalog, through one SSH hop: a statement naming 10 user
// functions and 10 views (views over views among them), cold (a fresh cache: the lookups' round
// trips) and cached (the same statement again: no round trip). The connection itself is open.

const names = 10;
const statement = `SELECT ${Array.from({ length: names }, (_, i) => `bench_f${i}(v${i}.id)`).join(', ')} FROM ${Array.from({ length: names }, (_, i) => `bench_v${i} v${i}`).join(', ')}`;

async function catalogRun(context: BenchContext): Promise<BenchResult[]> {
  const [pgServer, sshd] = await Promise.all([startPostgres(), startSshd()]);
  // Below the contract: the classifier over the real Postgres registry, on its own store and sessions.
  const rig = sessionRig();
  const connections = rig.own(new PgConnectionRegistry(rig.profiles, rig.sessions));
  const admin = new pg.Client({ connectionString: pgServer.connectionString() });
  try {
    await admin.connect();
    await admin.query('CREATE TABLE bench_t (id int)');
    for (let i = 0; i < names; i++) {
      await admin.query(`CREATE FUNCTION bench_f${i}(int) RETURNS int LANGUAGE sql AS 'SELECT $1 + ${i}'`);
      await admin.query(`CREATE VIEW bench_v${i} AS SELECT id FROM ${i === 0 ? 'bench_t' : `bench_v${i - 1}`}`);
    }
    const profile = rig.saveProfile(harnessProfile('bench-catalog', { sshd, pg: pgServer }));
    await (await connections.acquire(profile.id)).query('SELECT 1'); // SSH and Postgres connected, host key trusted
    const cold: number[] = [];
    const cached: number[] = [];
    const samples = 10 * Math.max(context.runs, 3);
    for (let i = 0; i < samples; i++) {
      const classifier = new CatalogClassifier(connections);
      let started = performance.now();
      const verdict = await classifier.classify(statement, profile.id);
      cold.push(performance.now() - started);
      if (verdict.risk !== 'read') throw new Error(`the bench statement should resolve to a read, got ${verdict.risk}`);
      started = performance.now();
      await classifier.classify(statement, profile.id);
      cached.push(performance.now() - started);
    }
    context.log(`sql.classify_catalog: cold ${median(cold).toFixed(2)} ms, cached ${median(cached).toFixed(3)} ms`);
    const note = `${names} user SQL functions and ${names} nested views, 1 SSH hop, median of ${samples}`;
    return [
      result({
        id: 'sql.classify_catalog_ms',
        unit: 'ms',
        value: round(median(cold), 3),
        anchor: null,
        goal: { of: 'value', op: '<', limit: 30 },
        note,
      }),
      result({
        id: 'sql.classify_catalog_cached_ms',
        unit: 'ms',
        value: round(median(cached), 3),
        anchor: null,
        goal: { of: 'value', op: '<', limit: 1 },
        note,
      }),
    ];
  } finally {
    await admin.end().catch(() => undefined);
    await rig.dispose();
    await Promise.all([pgServer.stop(), sshd.dispose()]);
  }
}

export const sqlClassifyCatalogBenchmarks: Benchmark[] = [
  {
    id: 'sql.classify_catalog',
    description:
      'The classifier resolving 10 user functions and 10 nested views through the catalog over one SSH hop: cold (fresh cache) and cached',
    run: catalogRun,
  },
];
