import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { after, before, test } from 'node:test';
import { main } from '../../src/cli/main';
import { createCore } from '../../src/main/core';
import { fileKeySource } from '../../src/main/vault/key-sources';

let home: string;

before(async () => {
  home = mkdtempSync(join(tmpdir(), 'opsconsole-incident-cli-'));
  const core = createCore({ dataDir: home, keySource: fileKeySource(home), knownHostsFiles: [] });
  await core.invoke('profiles.save', {
    profile: { name: 'prod-eu', environment: 'production', ssh: { host: '10.0.0.1', user: 'ops' } },
  });
  await core.dispose();
});
after(() => rmSync(home, { recursive: true, force: true }));

async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const sink = (append: (s: string) => void) =>
    new Writable({ write: (chunk, _enc, done) => (append(String(chunk)), done()) });
  const stdin = new PassThrough();
  stdin.end();
  const code = await main(argv, {
    stdout: sink((s) => (stdout += s)),
    stderr: sink((s) => (stderr += s)),
    stdin,
    env: { ...process.env, OPSCONSOLE_HOME: home, OPSCONSOLE_VAULT: 'file' },
  });
  return { code, stdout, stderr };
}

test('incident start/note/status/list/show/export/verify with their documented flags and JSON', async () => {
  const started = await cli(
    'incident',
    'start',
    '--title',
    'Orders DB latency',
    '--severity',
    'P1',
    '--profile',
    'prod-eu',
    '--json',
  );
  assert.equal(started.code, 0, started.stderr);
  const { id, ...rest } = JSON.parse(started.stdout);
  assert.deepEqual(rest, {}, 'exactly {"id": …}');
  assert.match(id, /^[0-9a-f-]{36}$/);

  assert.equal((await cli('incident', 'note', id, 'blocked', 'by', 'pid 4242')).code, 0);
  assert.equal((await cli('incident', 'status', id, 'identified')).code, 0);

  const list = await cli('incident', 'list', '--json');
  const [listed] = JSON.parse(list.stdout);
  assert.equal(listed.id, id);
  assert.equal(listed.status, 'identified');
  assert.deepEqual(
    listed.profiles.map((p: { name: string }) => p.name),
    ['prod-eu'],
  );
  assert.equal(listed.active, true);

  const shown = JSON.parse((await cli('incident', 'show', id, '--json')).stdout);
  assert.deepEqual(
    shown.events.map((e: { kind: string }) => e.kind),
    ['incident.opened', 'note', 'status.changed'],
  );
  assert.equal(shown.events[1].payload.text, 'blocked by pid 4242');

  const md = await cli('incident', 'export', id, '--format', 'md');
  assert.equal(md.code, 0);
  assert.match(md.stdout, /^# Orders DB latency\n/);
  assert.match(md.stdout, /Note: blocked by pid 4242/);

  const out = join(home, 'exports', 'report.json');
  const written = await cli('incident', 'export', id, '--format', 'json', '--out', out, '--json');
  assert.equal(written.code, 0);
  assert.equal(JSON.parse(written.stdout).path, out);
  assert.equal(JSON.parse(readFileSync(out, 'utf8')).incident.id, id);

  const pdfWithoutOut = await cli('incident', 'export', id, '--format', 'pdf', '--json');
  assert.equal(pdfWithoutOut.code, 2);
  assert.equal(JSON.parse(pdfWithoutOut.stdout).error.code, 'invalid_input');
  const pdf = join(home, 'exports', 'report.pdf');
  assert.equal((await cli('incident', 'export', id, '--format', 'pdf', '--out', pdf)).code, 0);
  assert.equal(readFileSync(pdf).subarray(0, 5).toString(), '%PDF-');

  const verified = await cli('incident', 'verify', id, '--json');
  assert.equal(verified.code, 0);
  assert.equal(JSON.parse(verified.stdout).ok, true);
});

test('bad input exits 2 and names the field; unknown ids exit 1', async () => {
  const badSeverity = await cli('incident', 'start', '--title', 'x', '--severity', 'P9', '--json');
  assert.equal(badSeverity.code, 2);
  assert.match(JSON.parse(badSeverity.stdout).error.message, /--severity must be one of P0, P1, P2, P3/);
  const badProfile = await cli('incident', 'start', '--title', 'x', '--severity', 'P2', '--profile', 'nope');
  assert.equal(badProfile.code, 2);
  assert.match(badProfile.stderr, /"nope"/);
  const missing = await cli('incident', 'show', 'no-such-id', '--json');
  assert.equal(missing.code, 1);
  assert.equal(JSON.parse(missing.stdout).error.code, 'not_found');
});

test('incident verify exits 1 once a row was edited in the SQLite file', async () => {
  const { id } = JSON.parse(
    (await cli('incident', 'start', '--title', 'Tamper target', '--severity', 'P3', '--json')).stdout,
  );
  await cli('incident', 'note', id, 'the original words');
  const raw = new Database(join(home, 'opsconsole.db'));
  raw.exec('DROP TRIGGER incident_events_no_update');
  raw
    .prepare("UPDATE incident_events SET payload = replace(payload, 'original', 'rewritten') WHERE incident_id = ?")
    .run(id);
  raw.exec(
    "CREATE TRIGGER incident_events_no_update BEFORE UPDATE ON incident_events BEGIN SELECT RAISE(ABORT, 'incident_events is append-only'); END",
  );
  raw.close();
  const result = await cli('incident', 'verify', id, '--json');
  assert.equal(result.code, 1);
  const body = JSON.parse(result.stdout);
  assert.equal(body.ok, false);
  assert.equal(body.error.code, 'chain_broken');
  assert.equal(body.brokenAt.seq, 2);
  assert.ok(existsSync(join(home, 'opsconsole.db')));
});
