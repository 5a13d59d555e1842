import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { createServer, connect as netConnect } from 'node:net';
import { after, before, test } from 'node:test';
import pg from 'pg';
import type { SessionState, SessionStateEvent } from '../../src/shared/contract';
import { startPostgres, startSshd, type PostgresServer, type SshdServer } from '../harness/index';
import { tempCore, type TempCore } from '../support/temp-core';
import { harnessProfile } from '../support/profiles';
import { readSql } from '../support/sql';
import { PgConnectionRegistry } from '../../src/main/postgres/connection-registry';
import { OpsError } from '../../src/main/errors';
import { sessionRig } from '../support/session-rig';
import { until } from '../support/until';

// Reconnect after the session's sshd is killed mid-query, silent-network detection, the resume
// path, several profiles at once, local forwards, and teardown that leaves nothing open.

let pgServer: PostgresServer;
let sshd: SshdServer;
let temp: TempCore;
const states: SessionStateEvent[] = [];

before(async () => {
  [pgServer, sshd] = await Promise.all([startPostgres(), startSshd()]);
  temp = tempCore({ hostKeyPrompter: { ask: async () => true } });
  temp.core.subscribe((name, payload) => {
    if (name === 'onSessionState') states.push(payload as SessionStateEvent);
  });
});
after(async () => {
  await temp?.dispose();
  await Promise.all([pgServer?.stop(), sshd?.dispose()]);
});

async function saveProfile(name: string) {
  return temp.core.invoke('profiles.save', {
    profile: harnessProfile(name, { sshd, pg: pgServer }),
  });
}

function statesOf(profileId: string, since = 0): SessionState[] {
  return states
    .slice(since)
    .filter((s) => s.profileId === profileId)
    .map((s) => s.state);
}

async function waitForState(profileId: string, state: SessionState, timeoutMs: number, since = 0): Promise<number> {
  const started = Date.now();
  while (!statesOf(profileId, since).includes(state)) {
    if (Date.now() - started > timeoutMs)
      assert.fail(`no ${state} within ${timeoutMs} ms; saw ${statesOf(profileId, since).join(' → ')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return Date.now() - started;
}

test('killing the session’s sshd mid-query: the query fails fast and clearly, the session comes back, the next query succeeds', async () => {
  const profile = await saveProfile('kill-me');
  const first = await readSql(temp.core, { profileId: profile.id, sql: 'SELECT 1' });
  assert.deepEqual(first.rows, [['1']]);
  const mark = states.length;
  const inFlight = readSql(temp.core, { profileId: profile.id, sql: 'SELECT pg_sleep(30)' });
  await new Promise((r) => setTimeout(r, 300));
  const started = Date.now();
  assert.ok(sshd.killSessions() > 0, 'there was a session process to kill');
  await assert.rejects(inFlight, (error: Error & { code?: string }) => {
    assert.equal(error.code, 'ssh_disconnected');
    assert.match(error.message, /SSH session was lost while it ran/);
    assert.match(error.message, /run it again once the profile shows ready/i);
    return true;
  });
  assert.ok(Date.now() - started < 10_000, `failed after ${Date.now() - started} ms`);
  await waitForState(profile.id, 'ready', 10_000, mark);
  assert.deepEqual(statesOf(profile.id, mark), ['reconnecting', 'ready']);
  assert.match(
    states.filter((s) => s.profileId === profile.id && s.state === 'reconnecting')[0]!.reason!,
    /Lost the SSH session to 127\.0\.0\.1:\d+/,
  );
  const next = await readSql(temp.core, { profileId: profile.id, sql: 'SELECT 2' });
  assert.deepEqual(next.rows, [['2']]);
  await temp.core.invoke('sessions.disconnect', { profileId: profile.id });
});

test('the session lost between two queries of one piece of work (a catalog lookup, BEGIN before a read): said as a lost SSH session, not as Postgres refusing', async () => {
  const rig = sessionRig();
  try {
    const connections = rig.own(new PgConnectionRegistry(rig.profiles, rig.sessions));
    const { id } = rig.saveProfile(harnessProfile('lost-between', { sshd, pg: pgServer }));
    const failure = await connections
      .run(id, async (client) => {
        await client.query('SELECT 1');
        assert.ok(sshd.killSessions() > 0, 'there was a session process to kill');
        await until('the registry to drop the client', () => connections.lostReason(client) !== undefined);
        await client.query('SELECT 2');
      })
      .then(
        () => assert.fail('the second query cannot have run'),
        (error: unknown) => error,
      );
    assert.ok(failure instanceof OpsError, String(failure));
    assert.equal(failure.code, 'ssh_disconnected');
    assert.match(
      failure.message,
      /SSH session was lost \(.+\) before the console's work on its Postgres connection finished/,
    );
    assert.doesNotMatch(failure.message, /Postgres refused/);
  } finally {
    await rig.dispose();
  }
});

test('a network gone silent (sshd frozen) is reported degraded, then detected within 10 s and rebuilt', async () => {
  const profile = await saveProfile('frozen');
  await readSql(temp.core, { profileId: profile.id, sql: 'SELECT 1' });
  const mark = states.length;
  const inFlight = readSql(temp.core, { profileId: profile.id, sql: 'SELECT pg_sleep(1)' }).catch((e: Error) => e);
  await new Promise((r) => setTimeout(r, 200));
  const frozen = sshd.sessionPids();
  sshd.freezeSessions(true);
  const started = Date.now();
  const inFlightSettled = inFlight.then(() => Date.now() - started);
  try {
    await waitForState(profile.id, 'reconnecting', 10_500, mark);
    const detectedMs = Date.now() - started;
    assert.ok(detectedMs <= 10_500, `detected after ${detectedMs} ms`);
    assert.ok(
      statesOf(profile.id, mark).indexOf('degraded') === 0,
      `degraded first: ${statesOf(profile.id, mark).join(' → ')}`,
    );
    await waitForState(profile.id, 'ready', 10_000, mark);
    // The answer to the statement in flight could not get past the frozen server: it fails, clearly, within 10 s.
    const outcome = await inFlight;
    assert.ok(outcome instanceof Error, 'the statement in flight failed');
    assert.equal((outcome as Error & { code?: string }).code, 'ssh_disconnected');
    const failedAfterMs = await inFlightSettled;
    assert.ok(failedAfterMs <= 10_500, `failed ${failedAfterMs} ms after the freeze`);
    const next = await readSql(temp.core, { profileId: profile.id, sql: 'SELECT 3' });
    assert.deepEqual(next.rows, [['3']]);
  } finally {
    for (const pid of frozen) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
    await temp.core.invoke('sessions.disconnect', { profileId: profile.id });
  }
});

test('resume: checkAll finds a dead session at once and rebuilds it', async () => {
  const profile = await saveProfile('resume');
  await readSql(temp.core, { profileId: profile.id, sql: 'SELECT 1' });
  const frozen = sshd.sessionPids();
  sshd.freezeSessions(true);
  const mark = states.length;
  try {
    const started = Date.now();
    const after = await temp.core.resume().then(() => temp.core.invoke('sessions.list', {}));
    assert.ok(Date.now() - started < 8000, `checkAll took ${Date.now() - started} ms`);
    assert.equal(after.find((s) => s.profileId === profile.id)?.state, 'ready');
    assert.deepEqual(
      statesOf(profile.id, mark).filter((s) => s !== 'degraded'),
      ['reconnecting', 'ready'],
    );
    assert.match(
      states.find((s, i) => i >= mark && s.state === 'reconnecting')!.reason!,
      /did not answer after the computer woke up/,
    );
    const next = await readSql(temp.core, { profileId: profile.id, sql: 'SELECT 4' });
    assert.deepEqual(next.rows, [['4']]);
  } finally {
    for (const pid of frozen) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
    await temp.core.invoke('sessions.disconnect', { profileId: profile.id });
  }
});

test('sshd down: reconnecting with backoff and reasons, ready again once it is back', async () => {
  const profile = await saveProfile('restart');
  await temp.core.invoke('sessions.connect', { profileId: profile.id });
  const mark = states.length;
  await sshd.stop();
  try {
    await waitForState(profile.id, 'reconnecting', 5000, mark);
    await new Promise((r) => setTimeout(r, 1500));
    const failedAttempt = states
      .slice(mark)
      .find(
        (s) => s.profileId === profile.id && /Reconnect attempt \d+ failed: .*Next try in \d+ s/.test(s.reason ?? ''),
      );
    assert.ok(
      failedAttempt,
      `a failed attempt is reported: ${states
        .slice(mark)
        .map((s) => s.reason)
        .join(' | ')}`,
    );
    // A query while down fails with the session's reason, it does not hang.
    await assert.rejects(
      readSql(temp.core, { profileId: profile.id, sql: 'SELECT 1' }),
      (e: Error & { code?: string }) => e.code === 'ssh_connect_failed',
    );
  } finally {
    await sshd.restart();
  }
  await temp.core.resume(); // what the app does on a network change: try now rather than after the backoff
  await waitForState(profile.id, 'ready', 10_000, mark);
  const next = await readSql(temp.core, { profileId: profile.id, sql: 'SELECT 5' });
  assert.deepEqual(next.rows, [['5']]);
  await temp.core.invoke('sessions.disconnect', { profileId: profile.id });
});

function openFds(): number {
  return readdirSync('/proc/self/fd').length;
}
function tcpHandles(): number {
  return process
    .getActiveResourcesInfo()
    .filter((r) => r === 'TCPWRAP' || r === 'TCPSocketWrap' || r === 'TCPServerWrap').length;
}
async function settle(): Promise<void> {
  await new Promise((r) => setTimeout(r, 300));
}

test('several profiles at once; a local forward on 127.0.0.1; closing one profile tears down everything it owns', async () => {
  const keep = await saveProfile('keep-open');
  const close = await saveProfile('to-close');
  await readSql(temp.core, { profileId: keep.id, sql: 'SELECT 1' });
  await settle();
  const baseline = { fds: openFds(), tcp: tcpHandles() };

  await readSql(temp.core, { profileId: close.id, sql: 'SELECT 1' });
  const tunnel = await temp.core.invoke('tunnels.open', { profileId: close.id });
  assert.equal(tunnel.localHost, '127.0.0.1');
  assert.equal(tunnel.remotePort, pgServer.port);
  const viaForward = new pg.Client({
    host: '127.0.0.1',
    port: tunnel.localPort,
    database: pgServer.database,
    user: pgServer.user,
    password: pgServer.password,
  });
  await viaForward.connect();
  assert.deepEqual((await viaForward.query('SELECT 6 AS n')).rows, [{ n: 6 }]);
  const listed = await temp.core.invoke('tunnels.list', {});
  assert.equal(listed.length, 1);
  assert.equal(listed[0]!.activeConnections, 1);
  assert.ok(openFds() > baseline.fds && tcpHandles() > baseline.tcp, 'the second profile holds sockets');
  const both = await temp.core.invoke('sessions.list', {});
  assert.deepEqual(
    both.filter((s) => [keep.id, close.id].includes(s.profileId)).map((s) => s.state),
    ['ready', 'ready'],
  );

  const clientGone = new Promise((resolve) => viaForward.once('error', resolve).once('end', resolve));
  await temp.core.invoke('sessions.disconnect', { profileId: close.id });
  await clientGone;
  await viaForward.end().catch(() => undefined);
  await settle();
  assert.deepEqual(await temp.core.invoke('tunnels.list', {}), []);
  assert.deepEqual(
    { fds: openFds(), tcp: tcpHandles() },
    baseline,
    'every socket and handle of the closed profile is gone',
  );
  await assert.rejects(
    new pg.Client({
      host: '127.0.0.1',
      port: tunnel.localPort,
      database: 'app',
      user: 'x',
      password: 'x',
      connectionTimeoutMillis: 2000,
    }).connect(),
    /ECONNREFUSED/,
    'the forward no longer listens',
  );
  const still = await readSql(temp.core, { profileId: keep.id, sql: 'SELECT 7' });
  assert.deepEqual(still.rows, [['7']], 'the other profile is untouched');
  await temp.core.invoke('sessions.disconnect', { profileId: keep.id });
});

test('a local forward survives a reconnect and is closed on request', async () => {
  const profile = await saveProfile('forward-reconnect');
  const tunnel = await temp.core.invoke('tunnels.open', {
    profileId: profile.id,
    remoteHost: '127.0.0.1',
    remotePort: pgServer.port,
  });
  const mark = states.length;
  sshd.killSessions();
  await waitForState(profile.id, 'ready', 10_000, mark);
  const client = new pg.Client({
    host: '127.0.0.1',
    port: tunnel.localPort,
    database: pgServer.database,
    user: pgServer.user,
    password: pgServer.password,
  });
  await client.connect();
  assert.deepEqual((await client.query('SELECT 8 AS n')).rows, [{ n: 8 }]);
  await client.end();
  assert.deepEqual(await temp.core.invoke('tunnels.close', { tunnelId: tunnel.tunnelId }), { closed: true });
  await assert.rejects(
    temp.core.invoke('tunnels.close', { tunnelId: tunnel.tunnelId }),
    (e: Error & { code?: string }) => e.code === 'not_found',
  );
  await assert.rejects(
    temp.core.invoke('tunnels.open', { profileId: profile.id, localPort: 80 }),
    (e: Error & { code?: string }) => e.code === 'invalid_input' && /localPort/.test(e.message),
  );
  await temp.core.invoke('sessions.disconnect', { profileId: profile.id });
});

test('a local forward keeps half-closed connections open (allowHalfOpen): the answer after our EOF still arrives', async () => {
  const profile = await saveProfile('half-close');
  // Reads until EOF, then answers with the byte count: only works if half-close is carried end to end.
  const counter = createServer({ allowHalfOpen: true }, (socket) => {
    let bytes = 0;
    socket.on('data', (chunk: Buffer) => (bytes += chunk.length));
    socket.on('end', () => socket.end(`got ${bytes}`));
  });
  await new Promise<void>((resolve) => counter.listen(0, '127.0.0.1', resolve));
  try {
    const remotePort = (counter.address() as { port: number }).port;
    const tunnel = await temp.core.invoke('tunnels.open', {
      profileId: profile.id,
      remoteHost: '127.0.0.1',
      remotePort,
    });
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = netConnect({ host: '127.0.0.1', port: tunnel.localPort, allowHalfOpen: true });
      let text = '';
      socket.on('data', (chunk: Buffer) => (text += chunk));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
      socket.end(Buffer.alloc(100_000, 1));
    });
    assert.equal(answer, 'got 100000');
  } finally {
    counter.close();
    await temp.core.invoke('sessions.disconnect', { profileId: profile.id });
  }
});
