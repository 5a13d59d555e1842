import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { startTeamPostgres, type TeamPostgresServer } from '../harness/postgres-team';
import { runCliInProcess } from '../support/cli';

// Two responders (two data folders) over one team database, through the CLI as people type it.
let team: TeamPostgresServer;
let alice: string;
let bob: string;

before(async () => {
  team = await startTeamPostgres();
  alice = mkdtempSync(join(tmpdir(), 'opsconsole-team-a-'));
  bob = mkdtempSync(join(tmpdir(), 'opsconsole-team-b-'));
});
after(async () => {
  await team?.stop();
  for (const dir of [alice, bob]) if (dir) rmSync(dir, { recursive: true, force: true });
});

const as = (home: string, ...args: string[]) =>
  runCliInProcess(home, args, { env: { OPSCONSOLE_TEAM_PASSWORD: team.teamPassword } });
async function ok<T>(home: string, ...args: string[]): Promise<T> {
  const run = await as(home, ...args, '--json');
  assert.equal(run.code, 0, `${args.join(' ')}: ${run.stderr}`);
  return run.json<T>();
}
interface Shown {
  incident: { status: string };
  events: {
    kind: string;
    operator: string;
    payload: { text?: string; to?: string };
    shared?: boolean;
    origin?: string;
  }[];
  integrity: { ok: boolean; shared?: { checked: boolean; ok: boolean; events: number } };
}
const notes = (shown: Shown) =>
  shown.events
    .filter((e) => e.kind === 'note')
    .map((e) => e.payload.text)
    .sort();

test('connect refuses a password in the URL and a weaker sslmode is only what the URL names', async () => {
  const withPassword = await as(
    alice,
    'team',
    'connect',
    '--url',
    `postgres://team:secret@127.0.0.1:${team.port}/app`,
    '--json',
  );
  assert.equal(withPassword.code, 2);
  assert.match(withPassword.json<{ error: { message: string } }>().error.message, /password/);
  // Default verify-full: this server offers no TLS, so the connection is refused, nothing stored.
  const strict = await as(alice, 'team', 'connect', '--url', `postgres://team@127.0.0.1:${team.port}/app`, '--json');
  assert.equal(strict.code, 1, strict.stdout);
  const status = await ok<{ configured: boolean }>(alice, 'team', 'status');
  assert.equal(status.configured, false);
});

test('two responders: started on A, joined on B, notes from both on both, the team database away and back, verify on both', async () => {
  for (const [home, name] of [
    [alice, 'Alice'],
    [bob, 'Bob'],
  ] as const) {
    const status = await ok<Record<string, unknown>>(
      home,
      'team',
      'connect',
      '--url',
      team.url,
      '--display-name',
      name,
    );
    assert.deepEqual(Object.keys(status).sort(), [
      'configured',
      'lastShippedAt',
      'outbox',
      'reachable',
      'schemaVersion',
    ]);
    assert.equal(status.configured, true);
    assert.equal(status.reachable, true);
    assert.equal(status.schemaVersion, 1);
  }
  const { id } = await ok<{ id: string }>(
    alice,
    'incident',
    'start',
    '--title',
    'Checkout latency',
    '--severity',
    'P1',
  );
  // The CLI shipped right after the command that appended.
  assert.equal((await ok<{ outbox: number }>(alice, 'team', 'status')).outbox, 0);

  const listed = await ok<{ id: string; team?: { joined: boolean } }[]>(bob, 'incident', 'list');
  assert.deepEqual(listed.find((i) => i.id === id)?.team, { joined: false }, 'B sees the team incident before joining');
  const joined = await ok<{ id: string; active: boolean; title: string }>(bob, 'incident', 'join', id);
  assert.equal(joined.title, 'Checkout latency');
  assert.equal(joined.active, true);

  await ok(bob, 'incident', 'note', id, 'B: replica lag 40s');
  await ok(alice, 'incident', 'note', id, 'A: killed the long query');
  for (const home of [alice, bob])
    assert.deepEqual(notes(await ok<Shown>(home, 'incident', 'show', id, '--sync')), [
      'A: killed the long query',
      'B: replica lag 40s',
    ]);

  // The team database goes away: both keep working; what they record waits in the outbox.
  team.pause();
  await ok(alice, 'incident', 'note', id, 'A: offline note');
  await ok(bob, 'incident', 'note', id, 'B: offline note');
  const offline = await ok<{ reachable: boolean; outbox: number }>(bob, 'team', 'status');
  assert.equal(offline.reachable, false);
  assert.equal(offline.outbox, 1);
  const localOnly = await ok<Shown>(bob, 'incident', 'show', id);
  assert.equal(localOnly.events.at(-1)!.shared, false, 'the unshipped note is marked');
  team.resume();

  await ok(alice, 'team', 'sync');
  await ok(bob, 'team', 'sync');
  await ok(alice, 'team', 'sync');
  const expected = ['A: killed the long query', 'A: offline note', 'B: offline note', 'B: replica lag 40s'];
  for (const home of [alice, bob]) {
    const shown = await ok<Shown>(home, 'incident', 'show', id);
    assert.deepEqual(notes(shown), expected, 'every note exactly once');
    assert.ok(shown.events.every((e) => e.shared !== false));
    const verified = await ok<Shown['integrity']>(home, 'incident', 'verify', id);
    assert.equal(verified.ok, true);
    assert.deepEqual({ checked: verified.shared?.checked, ok: verified.shared?.ok }, { checked: true, ok: true });
  }
  // The team database holds each event once, in one order.
  const client = new pg.Client({
    connectionString: team
      .connectionString()
      .replace('ops:', 'postgres:')
      .replace(/:[^:@]*@/, `:${team.superPassword}@`),
  });
  await client.connect();
  const counts = await client.query<{ n: string; distinct_ids: string; max: string }>(
    'SELECT count(*) AS n, count(DISTINCT event_id) AS distinct_ids, max(shared_seq) AS max FROM opsconsole_team.events WHERE incident_id = $1',
    [id],
  );
  await client.end();
  assert.equal(counts.rows[0]!.n, counts.rows[0]!.distinct_ids);
  assert.equal(counts.rows[0]!.n, counts.rows[0]!.max);
});

test('status changed by both at once: both appear, both end on the one the team database ordered last', async () => {
  const { id } = await ok<{ id: string }>(alice, 'incident', 'start', '--title', 'Queue backlog', '--severity', 'P2');
  await ok(bob, 'incident', 'join', id);
  team.pause();
  await ok(alice, 'incident', 'status', id, 'identified');
  await ok(bob, 'incident', 'status', id, 'mitigated');
  team.resume();
  await ok(bob, 'team', 'sync');
  await ok(alice, 'team', 'sync');
  await ok(bob, 'team', 'sync');
  const a = await ok<Shown>(alice, 'incident', 'show', id);
  const b = await ok<Shown>(bob, 'incident', 'show', id);
  const changes = (s: Shown) =>
    s.events
      .filter((e) => e.kind === 'status.changed')
      .map((e) => e.payload.to)
      .sort();
  assert.deepEqual(changes(a), ['identified', 'mitigated']);
  assert.deepEqual(changes(b), ['identified', 'mitigated']);
  // Bob shipped first, Alice second: Alice's change is the last in the shared order.
  assert.equal(a.incident.status, 'identified');
  assert.equal(b.incident.status, 'identified');
});

async function superuser<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({
    host: '127.0.0.1',
    port: team.port,
    database: 'app',
    user: 'postgres',
    password: team.superPassword,
  });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

test('the team password is sealed in the local store, never plaintext', async () => {
  const { readFileSync, readdirSync } = await import('node:fs');
  for (const file of readdirSync(alice).filter((f) => f.startsWith('opsconsole.db'))) {
    assert.ok(!readFileSync(join(alice, file)).includes(team.teamPassword), `${file} holds no plaintext team password`);
  }
});

test('an edited event in the team database fails incident verify; a newer team schema is refused', async () => {
  const { id } = await ok<{ id: string }>(alice, 'incident', 'start', '--title', 'Tamper check', '--severity', 'P3');
  await ok(alice, 'incident', 'note', id, 'the original words');
  await superuser((c) =>
    c.query(
      `UPDATE opsconsole_team.events SET payload = replace(payload, 'original', 'rewritten') WHERE incident_id = $1`,
      [id],
    ),
  );
  const verify = await as(alice, 'incident', 'verify', id, '--json');
  assert.equal(verify.code, 1, verify.stdout);
  const result = verify.json<{ ok: boolean; shared: { ok: boolean; brokenAt: { reason: string } } }>();
  assert.equal(result.shared.ok, false);
  assert.match(result.shared.brokenAt.reason, /content does not match/);

  await superuser((c) => c.query('UPDATE opsconsole_team.schema_version SET version = 99'));
  try {
    const status = await ok<{ reachable: boolean }>(bob, 'team', 'status');
    assert.equal(status.reachable, true, 'status still answers');
    const sync = await as(bob, 'team', 'sync', '--json');
    assert.equal(sync.code, 1);
    assert.match(
      sync.json<{ error: { message: string } }>().error.message,
      /version 99, newer than this console knows/,
    );
  } finally {
    await superuser((c) => c.query('UPDATE opsconsole_team.schema_version SET version = 1'));
  }
});

test('a malformed row in the team database never blocks the timeline: skipped with a warning, and verify reports it', async () => {
  const { id } = await ok<{ id: string }>(alice, 'incident', 'start', '--title', 'Poison row', '--severity', 'P3');
  await ok(bob, 'incident', 'join', id);
  await superuser((c) =>
    c.query(
      `INSERT INTO opsconsole_team.events (incident_id, shared_seq, event_id, responder, origin_seq, at, operator, author, kind, payload, prev_hash, hash, shared_prev_hash, shared_hash)
       SELECT $1, head_seq + 1, 'forged', 'nobody', 1, 'yesterday', 'mallory', '"not an author"', 'note', '{}', 'x', 'y', 'z', 'w' FROM opsconsole_team.incidents WHERE id = $1`,
      [id],
    ),
  );
  await superuser((c) => c.query('UPDATE opsconsole_team.incidents SET head_seq = head_seq + 1 WHERE id = $1', [id]));
  await ok(alice, 'incident', 'note', id, 'A: after the poison row');
  const synced = await as(bob, 'team', 'sync', '--json');
  assert.equal(synced.code, 0, synced.stderr);
  const shown = await ok<Shown>(bob, 'incident', 'show', id);
  assert.deepEqual(notes(shown), ['A: after the poison row'], 'the later event arrived; the forged one did not');
  const verify = await as(bob, 'incident', 'verify', id, '--json');
  assert.equal(verify.code, 1);
  assert.match(verify.json<{ shared: { brokenAt: { reason: string } } }>().shared.brokenAt.reason, /malformed/);
});
