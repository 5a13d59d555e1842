import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { IncidentEvent } from '../../src/shared/incident';
import { createCore } from '../../src/main/core';
import { fileKeySource } from '../../src/main/vault/key-sources';
import { startPostgres, startSshd, type PostgresServer, type SshdServer } from '../harness/index';
import { tempCore, type TempCore } from '../support/temp-core';
import { harnessProfile } from '../support/profiles';
import { readSql } from '../support/sql';

let pg: PostgresServer;
let sshd: SshdServer;
let temp: TempCore;
let profileId: string;
const pushed: IncidentEvent[] = [];

before(async () => {
  [pg, sshd] = await Promise.all([startPostgres(), startSshd()]);
  temp = tempCore({ hostKeyPrompter: { ask: async () => true }, timeZone: 'America/New_York' });
  temp.core.subscribe((name, payload) => {
    if (name === 'onIncidentEvent') pushed.push(payload as IncidentEvent);
  });
  const profile = await temp.core.invoke('profiles.save', { profile: harnessProfile('staging-eu', { sshd, pg }) });
  profileId = profile.id;
});
after(async () => {
  await temp?.dispose();
  await Promise.all([pg?.stop(), sshd?.dispose()]);
});

test('real runs are recorded into an implicit session: connection states, reads with rows and timing, failures', async () => {
  assert.equal(await temp.core.invoke('incidents.active', {}), null);
  await readSql(temp.core, { profileId, sql: 'SELECT generate_series(1, 3) AS n' });
  await assert.rejects(readSql(temp.core, { profileId, sql: 'SELECT * FROM no_such_table' }));

  const active = await temp.core.invoke('incidents.active', {});
  assert.ok(active);
  assert.equal(active.kind, 'session');
  const events = await temp.core.invoke('incidents.events', { id: active.id });
  const kinds = events.map((e) => e.kind);
  assert.equal(kinds[0], 'incident.opened');
  const states = events.filter((e) => e.kind === 'connection.state').map((e) => e.payload.state);
  assert.ok(states.includes('ready'), `states recorded: ${states.join(', ')}`);
  assert.equal(events.find((e) => e.kind === 'connection.state')!.payload.profileName, 'staging-eu');
  const runs = events.filter((e) => e.kind === 'sql.run');
  assert.equal(runs.length, 2);
  assert.deepEqual([runs[0]!.payload.outcome, runs[0]!.payload.rowCount, runs[0]!.payload.risk], ['ok', 3, 'read']);
  assert.equal(typeof runs[0]!.payload.durationMs, 'number');
  assert.equal(runs[1]!.payload.outcome, 'error');
  assert.match(String(runs[1]!.payload.error), /no_such_table/);
  assert.ok(events.every((e) => e.operator === 'tester'));
  assert.deepEqual(
    pushed.map((e) => `${e.incidentId}#${e.seq}`),
    events.map((e) => `${e.incidentId}#${e.seq}`),
    'every committed event was pushed, in order',
  );

  const promoted = await temp.core.invoke('incidents.promote', {
    id: active.id,
    title: 'Staging reads failing',
    severity: 'P3',
    profiles: ['staging-eu'],
  });
  assert.equal(promoted.kind, 'incident');
  assert.equal((await temp.core.invoke('incidents.active', {}))?.id, active.id);
});

test('secrets canary: the profile password never reaches the store or any export', async () => {
  const canary = pg.password;
  assert.ok(canary.length >= 8);
  const { id } = (await temp.core.invoke('incidents.active', {}))!;
  await temp.core.invoke('incidents.note', { id, text: `oops, pasted the password: ${canary}` });
  await readSql(temp.core, { profileId, sql: `SELECT '${canary}' AS leaked` }).catch(() => undefined);
  await temp.core.invoke('incidents.attachRows', {
    id,
    name: 'leak',
    columns: ['user', 'password'],
    rows: [['app', canary]],
  });
  await temp.core.invoke('incidents.updateReport', {
    id,
    fields: { summary: `rotated ${canary} afterwards`, actionItems: [{ text: `rotate ${canary}`, owner: 'ops' }] },
  });
  const dir = join(temp.dataDir, 'exports');
  for (const format of ['md', 'html', 'json', 'pdf'] as const) {
    await temp.core.invoke('incidents.export', { id, format, path: join(dir, `report.${format}`) });
  }
  await temp.core.invoke('incidents.export', { id, format: 'md', path: join(dir, 'bundle.zip'), attachments: 'zip' });

  const texts: [string, string][] = [];
  const walk = (folder: string) => {
    for (const name of readdirSync(folder)) {
      const path = join(folder, name);
      if (statSync(path).isDirectory()) walk(path);
      else texts.push([path, readFileSync(path).toString('latin1')]);
    }
  };
  walk(dir);
  texts.push(['pdftotext', execFileSync('pdftotext', [join(dir, 'report.pdf'), '-'], { encoding: 'utf8' })]);
  texts.push(['unzip', execFileSync('unzip', ['-p', join(dir, 'bundle.zip')], { encoding: 'utf8' })]);
  for (const file of readdirSync(temp.dataDir).filter((f) => f.startsWith('opsconsole.db')))
    texts.push([file, readFileSync(join(temp.dataDir, file)).toString('latin1')]);
  assert.ok(texts.length >= 9, texts.map(([p]) => p).join(', '));
  for (const [path, text] of texts) assert.equal(text.includes(canary), false, `${path} contains the secret`);
  const md = readFileSync(join(dir, 'report.md'), 'utf8');
  assert.match(md, /oops, pasted the password: \[redacted\]/, 'the note is kept, the secret is not');
  assert.match(md, /America\/New_York/);
  assert.equal((await temp.core.invoke('incidents.verify', { id })).ok, true);
});

test('the active incident is reopened after a restart', async () => {
  const other = tempCore();
  const { id } = await other.core.invoke('incidents.start', { title: 'Restart me', severity: 'P2' });
  await other.core.invoke('incidents.note', { text: 'before the crash' });
  await other.core.dispose().catch(() => undefined);
  const again = createCore({ dataDir: other.dataDir, keySource: fileKeySource(other.dataDir), knownHostsFiles: [] });
  try {
    const active = await again.invoke('incidents.active', {});
    assert.equal(active?.id, id);
    assert.equal(active?.eventCount, 2);
    assert.equal((await again.invoke('incidents.note', { text: 'after the restart' })).incidentId, id);
  } finally {
    await again.dispose();
  }
});
