import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { startSshd, type SshdServer } from '../harness/index';
import { startTeamPostgres, type TeamPostgresServer } from '../harness/postgres-team';
import { harnessProfile } from '../support/profiles';
import { tempCore, type TempCore } from '../support/temp-core';
import type { IncidentEvent } from '../../src/shared/incident';
import { runCliInProcess } from '../support/cli';
import { untilFound } from '../support/until';

// Two app cores (separate data folders, live link on): A reaches the team database through a
// profile's SSH, B by URL. B's fallback fetch (every third presence beat) is pushed past the end of
// the file, so whatever reaches B was fetched because a NOTIFY said so.
let team: TeamPostgresServer;
let sshd: SshdServer;
let a: TempCore;
let b: TempCore;
let knownHosts: string;

before(async () => {
  [team, sshd] = await Promise.all([startTeamPostgres(), startSshd()]);
  knownHosts = join(mkdtempSync(join(tmpdir(), 'opsconsole-kh-')), 'known_hosts');
  writeFileSync(knownHosts, sshd.knownHostsLine + '\n');
  a = tempCore({ teamLive: true, knownHostsFiles: [knownHosts], operator: 'alice' });
  b = tempCore({ teamLive: true, teamHeartbeatMs: 10 * 60_000, knownHostsFiles: [knownHosts], operator: 'bob' });
});
after(async () => {
  await a?.dispose();
  await b?.dispose();
  await team?.stop();
  await sshd?.dispose();
});

const teamProfile = (name: string, safety?: 'read-only') =>
  harnessProfile(
    name,
    { sshd, pg: { port: team.port, database: 'postgres', user: team.teamUser, password: team.teamPassword } },
    'staging',
    { safety, postgres: { sslmode: 'disable' } },
  );

function nextEvent(core: TempCore['core'], match: (e: IncidentEvent) => boolean, ms = 10_000): Promise<IncidentEvent> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => (stop(), reject(new Error('the event never arrived'))), ms);
    const stop = core.subscribe((name, payload) => {
      if (name === 'onIncidentEvent' && match(payload as IncidentEvent))
        (clearTimeout(timer), stop(), resolve(payload as IncidentEvent));
    });
  });
}

test('a profile team database is a confirmed write through its SSH; read-only profiles refuse', async () => {
  await a.core.invoke('profiles.save', { profile: teamProfile('team-ro', 'read-only') });
  await a.core.invoke('profiles.save', { profile: teamProfile('team-db') });
  await assert.rejects(
    a.core.invoke('team.connect', { profile: 'team-ro', pgDatabase: 'app', confirm: 'team-ro' }),
    /read-only/,
  );
  await assert.rejects(a.core.invoke('team.connect', { profile: 'team-db', pgDatabase: 'app' }), /--confirm "team-db"/);
  const status = await a.core.invoke('team.connect', {
    profile: 'team-db',
    pgDatabase: 'app',
    confirm: 'team-db',
    displayName: 'Alice',
  });
  assert.deepEqual({ reachable: status.reachable, version: status.schemaVersion }, { reachable: true, version: 1 });
  const viaUrl = await b.core.invoke('team.connect', {
    url: team.url,
    password: team.teamPassword,
    displayName: 'Bob',
  });
  assert.equal(viaUrl.reachable, true);
});

test('events from A appear at B by LISTEN/NOTIFY (B never polls meanwhile), within a second once the link is up, and presence says who has it open', async () => {
  const incident = await a.core.invoke('incidents.start', { title: 'Payments 502s', severity: 'P1' });
  await untilFound('the incident in the team database', async () =>
    (await b.core.invoke('team.incidents', {})).some((i) => i.id === incident.id) ? true : undefined,
  );
  await b.core.invoke('team.join', { id: incident.id });
  sshd.killSessions();
  for (const [i, text] of ['A: rolled back deploy', 'A: errors dropping'].entries()) {
    // The first note waits for the event, not for a deadline: A first rebuilds its link through the
    // new SSH session, which takes longer on a busy machine. The second goes over the rebuilt link
    // and must arrive within a second.
    const arrived = nextEvent(b.core, (e) => e.kind === 'note' && e.payload.text === text);
    const started = performance.now();
    await a.core.invoke('incidents.note', { id: incident.id, text });
    assert.equal((await arrived).operator, 'alice');
    const ms = performance.now() - started;
    if (i > 0) assert.ok(ms < 1_000, `arrived after ${Math.round(ms)} ms over a link already up`);
  }
  const fromB = nextEvent(a.core, (e) => e.kind === 'note' && e.payload.text === 'B: confirmed on dashboards');
  await b.core.invoke('incidents.note', { id: incident.id, text: 'B: confirmed on dashboards' });
  await fromB;
  const events = await b.core.invoke('incidents.events', { id: incident.id });
  assert.equal(events.find((e) => e.payload.text === 'A: rolled back deploy')?.origin, 'team');
  assert.equal(events.find((e) => e.payload.text === 'B: confirmed on dashboards')?.origin, 'local');
  // Secrets are masked when recorded, so nothing secret reaches the outbox or the team database.
  await a.core.invoke('incidents.note', { id: incident.id, text: `tried the password ${team.teamPassword} by hand` });
  await untilFound('the note shipped', async () =>
    (await a.core.invoke('team.status', {})).outbox === 0 ? true : undefined,
  );
  const shipped = await a.core.invoke('team.sync', {});
  assert.equal(shipped.outbox, 0);
  const atB = await untilFound('the masked note at B', async () =>
    (await b.core.invoke('incidents.events', { id: incident.id })).find((e) =>
      String(e.payload.text).startsWith('tried the password'),
    ),
  );
  assert.equal(atB.payload.text, 'tried the password [redacted] by hand');
  const present = await untilFound('both in presence', async () => {
    const who = await b.core.invoke('team.presence', { incidentId: incident.id });
    return who.length === 2 ? who : undefined;
  });
  assert.deepEqual(present.map((p) => p.displayName).sort(), ['Alice', 'Bob']);
  // A reaches the team database through a profile: that link's SSH states are not actions, and are not recorded.
  const atA = await a.core.invoke('incidents.events', { id: incident.id });
  assert.deepEqual(
    atA.filter((e) => e.kind === 'connection.state'),
    [],
  );
  for (const core of [a.core, b.core]) {
    const verified = await core.invoke('incidents.verify', { id: incident.id });
    assert.equal(verified.ok, true);
    assert.equal(verified.shared?.ok, true);
  }
});

test('kill -9 of a responder with events in its outbox loses nothing and duplicates nothing', async () => {
  const incident = await a.core.invoke('incidents.start', { title: 'Disk full on worker-3', severity: 'P2' });
  await untilFound('shipped', async () => ((await a.core.invoke('team.status', {})).outbox === 0 ? true : undefined));
  const carol = mkdtempSync(join(tmpdir(), 'opsconsole-team-c-'));
  try {
    const env = { OPSCONSOLE_TEAM_PASSWORD: team.teamPassword };
    assert.equal(
      (await runCliInProcess(carol, ['team', 'connect', '--url', team.url, '--display-name', 'Carol'], { env })).code,
      0,
    );
    assert.equal((await runCliInProcess(carol, ['incident', 'join', incident.id], { env })).code, 0);
    team.pause();
    const root = fileURLToPath(new URL('../..', import.meta.url));
    const child = spawn(
      `${root}node_modules/.bin/node`,
      ['--import', 'tsx', 'test/support/team-responder.ts', carol, incident.id, '25'],
      { cwd: root, env: { ...process.env, OPSCONSOLE_VAULT: 'file' }, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((resolve) =>
      child.stdout!.on('data', (chunk) => String(chunk).includes('recorded 25') && resolve()),
    );
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    team.resume();
    const status = await runCliInProcess(carol, ['team', 'status', '--json'], { env });
    assert.equal(status.json<{ outbox: number }>().outbox, 25, 'every acknowledged note waited in the outbox');
    assert.equal(
      (await runCliInProcess(carol, ['team', 'sync', '--json'], { env })).json<{ shipped: number }>().shipped,
      25,
    );
    const notesAtA = await untilFound('all 25 at A', async () => {
      const events = await a.core.invoke('incidents.events', { id: incident.id });
      const notes = events.filter((e) => e.kind === 'note').map((e) => String(e.payload.text));
      return notes.length >= 25 ? notes : undefined;
    });
    await new Promise((r) => setTimeout(r, 300));
    const again = (await a.core.invoke('incidents.events', { id: incident.id })).filter((e) => e.kind === 'note');
    assert.equal(again.length, 25, `exactly once each: ${notesAtA.length}`);
    assert.equal(new Set(again.map((e) => e.payload.text)).size, 25);
    assert.equal((await a.core.invoke('incidents.verify', { id: incident.id })).shared?.ok, true);
  } finally {
    team.resume();
    rmSync(carol, { recursive: true, force: true });
  }
});
