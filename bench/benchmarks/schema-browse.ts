import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import pg from 'pg';
import { postgresBinDir, startPostgres, startSshd, startSshForward, stopChild } from '../../test/harness/index';
import { harnessProfile } from '../../test/support/profiles';
import { tempCore } from '../../test/support/temp-core';
import { median, result, round, type BenchContext, type BenchResult, type Benchmark } from '../types';

const tableCount = 2000;
const samplesPerRun = 10;

/** 2,000 tables in one schema, each with a primary key (100 per transaction: each holds locks until it ends); one with rows and statistics. */
async function createSchema(client: pg.Client): Promise<void> {
  await client.query('CREATE SCHEMA big');
  for (let from = 1; from <= tableCount; from += 100) {
    await client.query(`DO $$ BEGIN FOR i IN ${from}..${from + 99} LOOP
      EXECUTE format('CREATE TABLE big.table_%s (id int PRIMARY KEY, name text, created_at timestamptz DEFAULT now())', lpad(i::text, 5, '0'));
    END LOOP; END $$`);
  }
  await client.query("INSERT INTO big.table_00001 SELECT g, 'row ' || g FROM generate_series(1, 10000) g");
  await client.query('ANALYZE big.table_00001');
}

/**
 * The schema tree's first page of a 2,000-table schema (100 tables with estimated rows and size)
 * through one SSH hop, as `schema.relations` answers it on an open connection; anchor: psql's
 * `\dt+` of that schema through OpenSSH `ssh -L` (a process and a connection each time, as a
 * person would run it).
 */
async function browseTwoThousand(context: BenchContext): Promise<BenchResult[]> {
  const [server, sshd] = await Promise.all([startPostgres(), startSshd()]);
  const temp = tempCore({ hostKeyPrompter: { ask: async () => true } });
  // OpenSSH's forward comes up while the schema is made; awaited before it is used.
  const forward = startSshForward(sshd, [server.port]);
  try {
    const direct = new pg.Client({ connectionString: server.connectionString() });
    await direct.connect();
    await createSchema(direct);
    await direct.end();
    const {
      ports: [localPort],
    } = await forward;
    const profileId = (
      await temp.core.invoke('profiles.save', { profile: harnessProfile('bench-schema', { sshd, pg: server }) })
    ).id;
    const coldStarted = performance.now();
    const cold = await temp.core.invoke('schema.relations', { profileId, schema: 'big' });
    const coldMs = performance.now() - coldStarted;
    if (cold.total !== tableCount || cold.relations.length !== 100 || cold.relations[0]!.estimatedRows !== 10_000)
      throw new Error(`unexpected first page: ${cold.total} tables, ${cold.relations.length} listed`);
    const ours: number[] = [];
    const anchor: number[] = [];
    for (let run = 0; run < context.runs; run++) {
      for (let i = 0; i < samplesPerRun; i++) {
        const started = performance.now();
        await temp.core.invoke('schema.relations', { profileId, schema: 'big' });
        ours.push(performance.now() - started);
      }
      const psqlStarted = performance.now();
      execFileSync(
        join(postgresBinDir(), 'psql'),
        [
          '-X',
          '-q',
          '-h',
          '127.0.0.1',
          '-p',
          String(localPort),
          '-U',
          server.user,
          '-d',
          server.database,
          '-c',
          '\\dt+ big.*',
        ],
        { env: { ...process.env, PGPASSWORD: server.password }, stdio: ['ignore', 'ignore', 'inherit'] },
      );
      anchor.push(performance.now() - psqlStarted);
      context.log(
        `schema page ${run + 1}/${context.runs}: ours ${round(median(ours.slice(-samplesPerRun)), 1)} ms, psql \\dt+ via ssh -L ${round(anchor.at(-1)!, 1)} ms`,
      );
    }
    return [
      result({
        id: 'schema.browse_2k_tables_ms',
        unit: 'ms',
        value: round(median(ours)),
        anchor: { name: 'psql \\dt+ of the schema through OpenSSH ssh -L', value: round(median(anchor)) },
        goal: { of: 'value', op: '<', limit: 300 },
        also: [
          { name: 'ratio to psql \\dt+', value: round(median(ours) / median(anchor)) },
          { name: 'first page on a new connection (SSH and Postgres start included)', value: round(coldMs) },
        ],
        note: `first 100 of ${tableCount} tables with estimated rows and size, through one SSH hop, connection open`,
      }),
    ];
  } finally {
    await forward.then(
      ({ child }) => stopChild(child),
      () => undefined,
    );
    await temp.dispose();
    await Promise.all([server.stop(), sshd.dispose()]);
  }
}

export const schemaBrowseBenchmarks: Benchmark[] = [
  {
    id: 'schema.browse',
    description:
      'Schema browser: the first 100 tables of a 2,000-table schema with estimated rows and size through one SSH hop, against psql \\dt+ through ssh -L',
    run: browseTwoThousand,
  },
];
