import { execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import {
  type PostgresServer,
  type SshdServer,
  startPostgres,
  startSshd,
  startSshForward,
  stopChild,
} from '../../test/harness/index';
import { harnessProfile } from '../../test/support/profiles';
import { tempCore, type TempCore } from '../../test/support/temp-core';
import { interleaved, median, result, round, type BenchContext, type BenchResult, type Benchmark } from '../types';

// A million rows × 3 columns through our SSH tunnel into the result buffer and out to a CSV file,
// against node pg reading the same cursor directly and psql's \copy through OpenSSH's ssh -L.

const rowsSql = "SELECT g AS id, 'row ' || g AS label, md5(g::text) AS hash FROM generate_series(1, 1000000) g";
const cipher = 'aes128-gcm@openssh.com';
const exec = promisify(execFile);

interface Rig {
  pg: PostgresServer;
  sshd: SshdServer;
  temp: TempCore;
  profileId: string;
  sshL: { child: ChildProcess; port: number };
  dir: string;
}

async function startRig(): Promise<Rig> {
  const [pgServer, sshd] = await Promise.all([startPostgres(), startSshd()]);
  const temp = tempCore({ hostKeyPrompter: { ask: async () => true } });
  const saved = await temp.core.invoke('profiles.save', {
    profile: harnessProfile('bench-results', { sshd, pg: pgServer }, 'staging', {
      postgres: { statementTimeoutMs: 600_000 },
    }),
  });
  const forward = await startSshForward(sshd, [pgServer.port], { cipher });
  return {
    pg: pgServer,
    sshd,
    temp,
    profileId: saved.id,
    sshL: { child: forward.child, port: forward.ports[0]! },
    dir: mkdtempSync(join(tmpdir(), 'opsconsole-bench-export-')),
  };
}

async function stopRig(rig: Rig): Promise<void> {
  await rig.temp.dispose();
  await stopChild(rig.sshL.child);
  await Promise.all([rig.pg.stop(), rig.sshd.dispose()]);
  rmSync(rig.dir, { recursive: true, force: true });
}

/** Ours: openResult, then wait until the buffer holds every row. Returns the peak RSS growth in bytes. */
async function intoBuffer(rig: Rig): Promise<number> {
  const rssBefore = process.memoryUsage().rss;
  let peak = rssBefore;
  const { core } = rig.temp;
  const info = await core.invoke('sql.openResult', { profileId: rig.profileId, sql: rowsSql });
  for (;;) {
    peak = Math.max(peak, process.memoryUsage().rss);
    const window = await core.invoke('sql.readWindow', { resultId: info.resultId, offset: 0, limit: 1 });
    if (window.status.done) {
      if (window.status.rowCount !== 1_000_000) throw new Error(`buffered ${window.status.rowCount} rows`);
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await core.invoke('sql.closeResult', { resultId: info.resultId });
  return peak - rssBefore;
}

/** The anchor: node pg reading the same cursor in the same batches, directly, keeping nothing. */
async function directCursor(rig: Rig): Promise<void> {
  const client = new pg.Client({ connectionString: rig.pg.connectionString() });
  await client.connect();
  try {
    await client.query('BEGIN READ ONLY');
    await client.query(`DECLARE c NO SCROLL CURSOR FOR ${rowsSql}`);
    let rows = 0;
    for (;;) {
      const batch = await client.query({ text: 'FETCH FORWARD 10000 FROM c', rowMode: 'array' });
      rows += batch.rows.length;
      if (batch.rows.length < 10000) break;
    }
    if (rows !== 1_000_000) throw new Error(`read ${rows} rows`);
  } finally {
    await client.end();
  }
}

async function measureQuery(rig: Rig, { runs, log }: BenchContext): Promise<BenchResult[]> {
  log('  query.rows_1m');
  const rss: number[] = [];
  await intoBuffer(rig); // warm: SSH session, pg connection, JIT
  const query = await interleaved(runs, {
    ours: async () => rss.push(await intoBuffer(rig)),
    direct: () => directCursor(rig),
  });
  const rssMb = round(median(rss) / 1024 / 1024, 1);
  return [
    result({
      id: 'query.rows_1m',
      unit: 's',
      value: query.ours,
      anchor: { name: 'node pg direct (cursor, 10k batches)', value: query.direct },
      goal: { of: 'ratio', op: '<=', limit: 1.15 },
      note: `1M rows × 3 columns through the SSH tunnel into the result buffer; peak RSS growth ${rssMb} MB`,
    }),
    result({
      id: 'query.rows_1m_rss',
      unit: 'MB',
      value: rssMb,
      anchor: null,
      goal: { of: 'value', op: '<=', limit: 150 },
      note: 'main-process RSS growth (peak) while buffering 1M rows',
    }),
  ];
}

async function measureExport(rig: Rig, { runs, log }: BenchContext): Promise<BenchResult[]> {
  log('  export.csv_1m');
  let n = 0;
  const url = `postgresql://${rig.pg.user}:${encodeURIComponent(rig.pg.password)}@127.0.0.1:${rig.sshL.port}/${rig.pg.database}`;
  const ours = () =>
    rig.temp.core.invoke('sql.export', {
      profileId: rig.profileId,
      sql: rowsSql,
      format: 'csv',
      path: join(rig.dir, `ours-${n++}.csv`),
    });
  const psql = () =>
    exec('psql', [
      url,
      '-q',
      '-v',
      'ON_ERROR_STOP=1',
      '-c',
      `\\copy (${rowsSql}) to '${join(rig.dir, `psql-${n++}.csv`)}' with (format csv, header)`,
    ]);
  await ours();
  const exported = await interleaved(runs, { ours, psql });
  return [
    result({
      id: 'export.csv_1m',
      unit: 's',
      value: exported.ours,
      anchor: { name: 'psql \\copy through OpenSSH ssh -L', value: exported.psql },
      goal: { of: 'ratio', op: '<=', limit: 1.1 },
      note: `CSV of 1M rows × 3 columns, COPY TO STDOUT through our tunnel; ssh -L with ${cipher}`,
    }),
  ];
}

function withRig(measure: (rig: Rig, context: BenchContext) => Promise<BenchResult[]>) {
  return async (context: BenchContext) => {
    const rig = await startRig();
    try {
      return await measure(rig, context);
    } finally {
      await stopRig(rig);
    }
  };
}

export const sqlResultsBenchmarks: Benchmark[] = [
  {
    id: 'query.rows_1m',
    description:
      '1M rows × 3 columns through the tunnel into the result buffer vs node pg direct (cursor); peak RSS growth',
    run: withRig(measureQuery),
  },
  {
    id: 'export.csv_1m',
    description: 'CSV export of 1M rows × 3 columns through the tunnel vs psql \\copy through OpenSSH ssh -L',
    run: withRig(measureExport),
  },
];
