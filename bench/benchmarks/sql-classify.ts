import { classifySql, initSqlClassifier } from '../../src/main/sql/classifier';
import { median, result, type Benchmark } from '../types';

/** A mix of what operators run: reads, writes, CTEs, DDL, admin, dangerous, one unparseable. */
const corpus = [
  'SELECT 1',
  "SELECT * FROM pg_stat_activity WHERE state = 'active' AND now() - query_start > interval '5 minutes'",
  "SELECT count(*) FROM orders o JOIN users u ON u.id = o.user_id WHERE o.created_at > now() - interval '1 day' GROUP BY u.country ORDER BY 1 DESC LIMIT 20",
  'SELECT relname, n_dead_tup, last_autovacuum FROM pg_stat_user_tables ORDER BY n_dead_tup DESC LIMIT 10',
  'WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 10) SELECT * FROM r',
  'SELECT pid, pg_blocking_pids(pid), query FROM pg_stat_activity WHERE cardinality(pg_blocking_pids(pid)) > 0',
  'EXPLAIN (ANALYZE, BUFFERS) SELECT * FROM orders WHERE id = 42',
  "UPDATE orders SET status = 'cancelled' WHERE id = 42 RETURNING id, status",
  'DELETE FROM sessions WHERE expires_at < now()',
  "INSERT INTO audit (at, who, what) VALUES (now(), current_user, 'manual fix') ON CONFLICT DO NOTHING",
  'WITH moved AS (DELETE FROM queue WHERE done RETURNING *) INSERT INTO archive SELECT * FROM moved',
  "SELECT * FROM jobs WHERE state = 'ready' ORDER BY id LIMIT 10 FOR UPDATE SKIP LOCKED",
  "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE state = 'idle in transaction' AND now() - state_change > interval '10 minutes'",
  "CREATE INDEX CONCURRENTLY orders_status ON orders (status) WHERE status <> 'done'",
  'ALTER TABLE orders ADD COLUMN note text',
  'VACUUM (VERBOSE, ANALYZE) orders',
  "SET statement_timeout = '30s'",
  'TRUNCATE sessions',
  'DELETE FROM users',
  'SELEC oops FROM nowhere',
];

/** Average time to split and classify one statement, over a realistic corpus. */
export const sqlClassifyBenchmarks: Benchmark[] = [
  {
    id: 'sql.classify_us',
    description:
      'classifySql (libpg-query WASM parse + trim + whole-tree walk) per statement: median over many passes of the average over a 20-statement operator corpus, one text per statement',
    async run({ runs, log }) {
      await initSqlClassifier();
      // Short samples (one pass over the corpus each), median of many: the figure is the CPU cost
      // per statement, not how often a shared 2-core machine preempts a long loop.
      const passes = 400 * Math.max(runs, 3);
      for (let i = 0; i < 50; i++) for (const sql of corpus) classifySql(sql); // warm up the JIT and the WASM module
      const samples: number[] = [];
      for (let pass = 0; pass < passes; pass++) {
        const started = performance.now();
        for (const sql of corpus) classifySql(sql);
        samples.push(((performance.now() - started) * 1000) / corpus.length);
      }
      const perStatementIn = (statements: string[]) => {
        const script = statements.join(';\n');
        const scriptSamples: number[] = [];
        for (let i = 0; i < 100; i++) {
          const started = performance.now();
          classifySql(script);
          scriptSamples.push(((performance.now() - started) * 1000) / statements.length);
        }
        return Math.round(median(scriptSamples) * 10) / 10;
      };
      const parseable = corpus.filter((sql) => classifySql(sql).risk !== 'unknown');
      log(`sql.classify_us: median ${median(samples).toFixed(1)} µs per statement over ${passes} passes`);
      return [
        result({
          id: 'sql.classify_us',
          unit: 'µs',
          value: median(samples),
          anchor: null,
          goal: { of: 'value', op: '<', limit: 50 },
          also: [
            {
              name: `per statement within one text of the ${parseable.length} parseable statements (one parse)`,
              value: perStatementIn(parseable),
            },
            {
              name: `per statement within one text of all ${corpus.length} (one fails: every piece is parsed again)`,
              value: perStatementIn(corpus),
            },
          ],
          note: `median of ${passes} passes over ${corpus.length} statements`,
        }),
      ];
    },
  },
];
