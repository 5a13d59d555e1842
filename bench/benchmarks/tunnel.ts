import type { ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { connect as netConnect } from 'node:net';
import type { Duplex } from 'node:stream';
import pg from 'pg';
import { connectChain, forwardOut, type Chain } from '../../src/main/ssh/connect-chain';
import { ForwardedSocket } from '../../src/main/ssh/forwarded-socket';
import {
  freePort,
  type PostgresServer,
  spawnServer,
  type SshdServer,
  startPostgres,
  startSshd,
  startSshForward,
  stopChild,
  waitForPort,
} from '../../test/harness/index';
import { PgConnectionRegistry } from '../../src/main/postgres/connection-registry';
import { sessionRig, type SessionRig } from '../../test/support/session-rig';
import { tempCore, type TempCore } from '../../test/support/temp-core';
import { harnessProfile, harnessSsh } from '../../test/support/profiles';
import {
  interleaved,
  interleavedSamples,
  median,
  ratioSpread,
  result,
  round,
  type BenchContext,
  type BenchResult,
  type Benchmark,
} from '../types';
import { readSql } from '../../test/support/sql';

// Our SSH tunnel against its anchors, on the same machine, servers and data, in one run:
// node pg direct, node pg through OpenSSH `ssh -L` (same cipher ssh2 negotiates), and the raw
// forwardOut throughput against `ssh -L`.

/** The cipher ssh2 negotiates with OpenSSH here (its first choice where AES-NI exists): the anchor uses the same. */
const cipher = 'aes128-gcm@openssh.com';
const rowsSql = "SELECT g, repeat('x', 60) AS pad, g * 1.5 AS n FROM generate_series(1, 2000) g";
const bulkBytes = 64 * 1024 * 1024;

/**
 * ssh2 decrypts in C++ when its sshcrypto addon loads, else per packet through node:crypto
 * (several times slower). The addon is built for the Node that ran `npm install`; under another
 * Node ABI it silently falls back, so the figures say which path they measured.
 */
const ssh2Crypto = (createRequire(import.meta.url)('ssh2/lib/protocol/crypto.js') as { bindingAvailable: boolean })
  .bindingAvailable
  ? 'ssh2 native crypto addon loaded'
  : `ssh2 native crypto addon NOT loaded under Node ${process.versions.node} (npm rebuild ssh2 with this Node): JS fallback`;

interface Rig {
  pg: PostgresServer;
  target: SshdServer;
  jump: SshdServer;
  temp: TempCore;
  /** The same one-hop profile below the contract: its own store and sessions, and the real Postgres registry over them. */
  below: { rig: SessionRig; connections: PgConnectionRegistry; oneHop: string };
  oneHop: string;
  twoHop: string;
  sink: { child: ChildProcess; port: number };
  sshL: { child: ChildProcess; pgPort: number; sinkPort: number };
  relay: { child: ChildProcess; port: number };
}

async function startRig(): Promise<Rig> {
  const [pgServer, target, jump] = await Promise.all([startPostgres(), startSshd(), startSshd()]);
  const temp = tempCore({ hostKeyPrompter: { ask: async () => true } });
  const oneHopProfile = harnessProfile('bench-1hop', { sshd: target, pg: pgServer });
  const oneHop = await temp.core.invoke('profiles.save', { profile: oneHopProfile });
  const rig = sessionRig();
  const below = {
    rig,
    connections: rig.own(new PgConnectionRegistry(rig.profiles, rig.sessions)),
    oneHop: rig.saveProfile(oneHopProfile).id,
  };
  const twoHop = await temp.core.invoke('profiles.save', {
    profile: {
      ...harnessProfile('bench-2hop', { sshd: target, pg: pgServer }),
      ssh: { ...harnessSsh(target), jumps: [harnessSsh(jump)] },
    },
  });
  const sink = await startSink();
  const sshL = await startSshL(target, pgServer.port, sink.port);
  const relay = await startRelay(pgServer.port);
  return { pg: pgServer, target, jump, temp, below, oneHop: oneHop.id, twoHop: twoHop.id, sink, sshL, relay };
}

async function stopRig(rig: Rig): Promise<void> {
  await rig.below.rig.dispose();
  await rig.temp.dispose();
  await stopChild(rig.sshL.child);
  await stopChild(rig.relay.child);
  await stopChild(rig.sink.child);
  await Promise.all([rig.pg.stop(), rig.target.dispose(), rig.jump.dispose()]);
}

/**
 * A TCP source on loopback, in its own process (so producing the bytes does not share this
 * process's thread with decrypting them): every connection receives bulkBytes, then EOF.
 */
async function startSink(): Promise<{ child: ChildProcess; port: number }> {
  const port = await freePort();
  const code = `const chunk = Buffer.alloc(1 << 20, 0x5a);
require('node:net').createServer((s) => {
  let left = ${bulkBytes / (1 << 20)};
  const pump = () => { while (left > 0) { left--; if (!s.write(chunk)) return void s.once('drain', pump); } s.end(); };
  s.on('error', () => s.destroy());
  pump();
}).listen(${port}, '127.0.0.1');`;
  const child = spawnServer(process.execPath, ['-e', code]);
  await waitForPort(port);
  return { child, port };
}

/**
 * A plain TCP relay to Postgres in its own process (no SSH, no crypto, Nagle off both ways): what
 * any extra hop between the client and the server costs on this machine, where the hop shares the
 * client's cores. The tunnel, which adds SSH on top, can at best match it (within the noise); the
 * gap between the two is our SSH path's own cost.
 */
async function startRelay(pgPort: number): Promise<{ child: ChildProcess; port: number }> {
  const port = await freePort();
  const code = `const net = require('node:net');
net.createServer((client) => {
  const server = net.connect(${pgPort}, '127.0.0.1');
  for (const s of [client, server]) { s.setNoDelay(true); s.on('error', () => { client.destroy(); server.destroy(); }); }
  client.pipe(server).pipe(client);
}).listen(${port}, '127.0.0.1');`;
  const child = spawnServer(process.execPath, ['-e', code]);
  await waitForPort(port);
  return { child, port };
}

/** OpenSSH's own client forwarding two local ports, as an operator would run it. */
async function startSshL(sshd: SshdServer, pgPort: number, sinkPort: number) {
  const { child, ports } = await startSshForward(sshd, [pgPort, sinkPort], { cipher });
  return { child, pgPort: ports[0]!, sinkPort: ports[1]! };
}

/** A one-hop chain to the target without the idle pty (host key already checked by the rig's profile). */
function bareChain(rig: Rig): Promise<Chain> {
  const { target } = rig;
  return connectChain([harnessSsh(target)], {
    verifyHostKey: async () => undefined,
    keepaliveIntervalMs: 5000,
    noDelayPty: false,
  });
}

async function directClient(rig: Rig, port = rig.pg.port): Promise<pg.Client> {
  const client = new pg.Client({
    host: '127.0.0.1',
    port,
    database: rig.pg.database,
    user: rig.pg.user,
    password: rig.pg.password,
  });
  await client.connect();
  return client;
}

async function sequential(client: pg.Client, sql: string, times: number): Promise<void> {
  for (let i = 0; i < times; i++) await client.query(sql);
}

/** Connect → Postgres ready: SSH (host key known, key auth, every hop), pg startup, one read-only SELECT. */
async function connectTimes(rig: Rig, profileId: string, samples: number): Promise<number> {
  await readSql(rig.temp.core, { profileId, sql: 'SELECT 1' }); // host keys trusted on the first one
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    await rig.temp.core.invoke('sessions.disconnect', { profileId });
    const started = performance.now();
    await readSql(rig.temp.core, { profileId, sql: 'SELECT 1' });
    times.push((performance.now() - started) / 1000);
  }
  await rig.temp.core.invoke('sessions.disconnect', { profileId });
  return median(times);
}

function drain(stream: Duplex): Promise<number> {
  return new Promise((resolve, reject) => {
    let bytes = 0;
    stream.on('data', (chunk: Buffer) => (bytes += chunk.length));
    stream.once('end', () => resolve(bytes));
    stream.once('error', reject);
  });
}

/** Reads bulkBytes through a stream; fails if any byte is missing. */
function readAll(open: () => Promise<Duplex>): () => Promise<void> {
  return async () => {
    const bytes = await drain(await open());
    if (bytes !== bulkBytes) throw new Error(`received ${bytes} of ${bulkBytes} bytes`);
  };
}

async function measure(rig: Rig, { runs, log }: BenchContext): Promise<BenchResult[]> {
  log('  connect');
  const connect1 = await connectTimes(rig, rig.oneHop, Math.max(runs, 7));
  const connect2 = await connectTimes(rig, rig.twoHop, Math.max(runs, 7));

  const ours = await rig.below.connections.acquire(rig.below.oneHop);
  const direct = await directClient(rig);
  const viaSshL = await directClient(rig, rig.sshL.pgPort);
  const viaRelay = await directClient(rig, rig.relay.port);
  // The same tunnel without the idle pty: sshd leaves Nagle on, as for any forwarding-only connection.
  const bare = await bareChain(rig);
  const noPty = new pg.Client({
    host: '127.0.0.1',
    port: rig.pg.port,
    database: rig.pg.database,
    user: rig.pg.user,
    password: rig.pg.password,
    stream: () => new ForwardedSocket(bare.clients[0]!),
  });
  await noPty.connect();
  for (const client of [ours, direct, viaSshL, noPty, viaRelay]) await sequential(client, rowsSql, 5); // warm up
  log('  query_2k_rows_x200');
  // Ours, its anchor and the plain relay alternate round by round, with more rounds than the rest
  // (a round is about a second): the ratio decides, and a busy spell between two long `also` rounds
  // would otherwise land on one side. The `also` variants through sshd's Nagle (seconds each) run
  // their own rounds after.
  const rowSamples = await interleavedSamples(Math.max(runs, 9), {
    ours: () => sequential(ours, rowsSql, 200),
    direct: () => sequential(direct, rowsSql, 200),
    relay: () => sequential(viaRelay, rowsSql, 200),
  });
  const rows = {
    ours: median(rowSamples.ours),
    direct: median(rowSamples.direct),
    relay: median(rowSamples.relay),
    ...(await interleaved(runs, {
      sshL: () => sequential(viaSshL, rowsSql, 200),
      noPty: () => sequential(noPty, rowsSql, 200),
    })),
  };
  log('  select1_x1000');
  // Short runs (~0.5 s each) are the noisiest on a shared machine: take more of them.
  const select1 = await interleaved(Math.max(runs, 5), {
    ours: () => sequential(ours, 'SELECT 1', 1000),
    direct: () => sequential(direct, 'SELECT 1', 1000),
    sshL: () => sequential(viaSshL, 'SELECT 1', 1000),
    noPty: () => sequential(noPty, 'SELECT 1', 1000),
  });
  await Promise.all([direct.end(), viaSshL.end(), noPty.end(), viaRelay.end()]);
  bare.clients[0]!.end();

  log('  bulk_mb_s');
  const session = await rig.below.rig.sessions.connect(rig.below.oneHop);
  const bulkSeconds = await interleaved(runs, {
    ours: readAll(() => forwardOut(session, '127.0.0.1', rig.sink.port)),
    sshL: readAll(() => Promise.resolve(netConnect({ host: '127.0.0.1', port: rig.sshL.sinkPort }))),
  });
  const mbPerSecond = (seconds: number) => bulkBytes / 1024 / 1024 / seconds;
  const bulk = { ours: mbPerSecond(bulkSeconds.ours), sshL: mbPerSecond(bulkSeconds.sshL) };

  return [
    result({
      id: 'tunnel.connect_1hop',
      unit: 's',
      value: connect1,
      anchor: null,
      goal: { of: 'value', op: '<', limit: 0.5 },
      note: 'connect → pg ready, median',
    }),
    result({
      id: 'tunnel.connect_2hop',
      unit: 's',
      value: connect2,
      anchor: null,
      goal: { of: 'value', op: '<', limit: 0.8 },
      note: 'through one ProxyJump hop',
    }),
    result({
      id: 'tunnel.query_2k_rows_x200',
      unit: 's',
      value: rows.ours,
      anchor: { name: 'node pg direct', value: round(rows.direct) },
      goal: { of: 'ratio', op: '<=', limit: 1.2 },
      also: [
        { name: 'node pg via OpenSSH ssh -L', value: round(rows.sshL) },
        { name: 'our tunnel without the pty (sshd Nagle on)', value: round(rows.noPty) },
        { name: 'node pg through a plain TCP relay process (no SSH): any hop here', value: round(rows.relay) },
        { name: 'that relay ÷ direct: the floor for any hop on this machine', value: round(rows.relay / rows.direct) },
        { name: 'ours ÷ that relay: what our SSH path costs beyond the hop', value: round(rows.ours / rows.relay) },
      ],
      note: `${ssh2Crypto}; ${rowSamples.ours.length} rounds of ours, direct, relay, ratio round by round ${ratioSpread(rowSamples.ours, rowSamples.direct)}`,
    }),
    result({
      id: 'tunnel.select1_x1000',
      unit: 's',
      value: select1.ours,
      anchor: { name: 'node pg via OpenSSH ssh -L', value: round(select1.sshL) },
      goal: { of: 'ratio', op: '<=', limit: 1.0 },
      also: [
        { name: 'node pg direct', value: round(select1.direct) },
        { name: 'our tunnel without the pty (sshd Nagle on)', value: round(select1.noPty) },
      ],
    }),
    result({
      id: 'tunnel.bulk_mb_s',
      unit: 'MB/s',
      value: bulk.ours,
      anchor: { name: `OpenSSH ssh -L (${cipher})`, value: round(bulk.sshL) },
      goal: { of: 'ratio', op: '>=', limit: 0.8 },
      note: `${bulkBytes / 1024 / 1024} MB through forwardOut, ${cipher}; ${ssh2Crypto}`,
    }),
  ];
}

/** tunnel.*: connect times, round trips and throughput of our SSH tunnel, anchored in the same run. */
export const tunnelBenchmarks: Benchmark[] = [
  {
    id: 'tunnel',
    description:
      'SSH tunnel: connect 1 and 2 hops, 200 × 2,000-row queries, 1,000 × SELECT 1, bulk MB/s — against node pg direct and OpenSSH ssh -L',
    async run(context) {
      const rig = await startRig();
      try {
        return await measure(rig, context);
      } finally {
        await stopRig(rig);
      }
    },
  },
];
