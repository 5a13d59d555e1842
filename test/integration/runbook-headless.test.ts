import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import pg from 'pg';
import type { HeadlessRunResult } from '../../src/shared/contract';
import {
  passwordUser,
  startPostgres,
  startRedis,
  startSshd,
  type PostgresServer,
  type RedisServer,
  type SshdServer,
} from '../harness/index';
import { runCli, runCliInProcess } from '../support/cli';
import { harnessProfile } from '../support/profiles';
import { tempCore, type TempCore } from '../support/temp-core';

let pgServer: PostgresServer;
let redisServer: RedisServer;
let sshd: SshdServer;
let temp: TempCore;
let direct: pg.Client;
let redisDirect: Redis;
let folder: string;
let runbook: string;
let incidentId: string;
const account = passwordUser();

const bundled = fileURLToPath(new URL('../../runbooks/postgres-on-call.md', import.meta.url));

// A runbook written for this test: a read, a SQL write and a Redis write with a parameter, a step
// that fails on the server, and shell steps (one exits non-zero, one prints who it ran as).
const text = `---
title: Headless test
parameters:
  - name: item_id
    type: int
  - name: who
    type: string
---

# Headless test

## Read

\`\`\`sql {name=count-items}
SELECT count(*) AS n FROM items
\`\`\`

## Write

\`\`\`sql {name=rename-item}
UPDATE items SET name = 'renamed' WHERE id = {{item_id}}
\`\`\`

\`\`\`redis {name=set-flag}
SET flag:{{item_id}} on
\`\`\`

## Fail

\`\`\`sql {name=broken}
SELECT 1/0 AS boom
\`\`\`

## Shell

\`\`\`sh {name=greet}
echo "hello {{who}}" && ls /no-such-dir-for-headless
\`\`\`

\`\`\`sh {name=whoami}
id -un
\`\`\`
`;

const run = async (args: string[]) => {
  const result = await runCliInProcess(temp.dataDir, ['runbook', 'run', ...args, '--json']);
  return { ...result, doc: result.stdout ? result.json<HeadlessRunResult>() : undefined };
};
const stepOf = (doc: HeadlessRunResult | undefined, id: string) => doc!.steps.find((s) => s.id === id)!;

before(async () => {
  [pgServer, redisServer, sshd] = await Promise.all([
    startPostgres({ config: ["shared_preload_libraries = 'pg_stat_statements'"] }),
    startRedis(),
    startSshd(),
  ]);
  const superuser = new pg.Client({
    host: '127.0.0.1',
    port: pgServer.port,
    database: pgServer.database,
    user: pgServer.superuser,
    password: pgServer.superPassword,
  });
  await superuser.connect();
  await superuser.query('CREATE EXTENSION pg_stat_statements');
  await superuser.end();
  direct = new pg.Client({ connectionString: pgServer.connectionString() });
  await direct.connect();
  await direct.query(
    "CREATE TABLE items (id int PRIMARY KEY, name text); INSERT INTO items VALUES (1, 'one'), (2, 'two')",
  );
  redisDirect = new Redis({ host: redisServer.host, port: redisServer.port });
  temp = tempCore({ hostKeyPrompter: { ask: async () => true } });
  // Shell steps log in as the harness's plain account where there is one (its shell reads no
  // start-up files): root's rc files on a developer machine may take a minute per exec.
  const input = harnessProfile('staging', { sshd, pg: pgServer, redis: redisServer });
  if (account)
    Object.assign(input, {
      ssh: { host: sshd.host, port: sshd.port, user: account.user, auth: 'password' },
      secrets: { ...input.secrets, sshPassword: { set: account.password } },
    });
  const profile = await temp.core.invoke('profiles.save', { profile: input });
  // Trusts the harness's host key (the prompter says yes), so the CLI's core finds it trusted.
  await temp.core.invoke('sessions.connect', { profileId: profile.id });
  // A profile without SSH: its shell steps run on this computer.
  await temp.core.invoke('profiles.save', {
    profile: {
      name: 'laptop',
      environment: 'development',
      postgres: { host: '127.0.0.1', port: pgServer.port, database: pgServer.database, user: pgServer.user },
      secrets: { pgPassword: { set: pgServer.password } },
    },
  });
  incidentId = (await temp.core.invoke('incidents.start', { title: 'headless runs', severity: 'P3' })).id;
  folder = mkdtempSync(join(tmpdir(), 'headless-'));
  chmodSync(folder, 0o777); // the shell account writes the injection marker here if a value ever ran as code
  runbook = join(folder, 'headless.md');
  writeFileSync(runbook, text);
});
after(async () => {
  redisDirect?.disconnect();
  await direct?.end();
  await temp?.dispose();
  if (folder) rmSync(folder, { recursive: true, force: true });
  await Promise.all([pgServer?.stop(), redisServer?.stop(), sshd?.dispose()]);
});

test('--all-reads runs every read step of the bundled Postgres runbook over SSH, skips the rest with their risk, and records each', async () => {
  const { code, doc, stderr } = await run([bundled, '--profile', 'staging', '--all-reads', '--incident', incidentId]);
  assert.equal(code, 0, stderr);
  assert.equal(doc!.profile, 'staging');
  assert.equal(doc!.incidentId, incidentId);
  const ok = doc!.steps.filter((s) => s.outcome === 'ok');
  assert.ok(ok.length >= 8, doc!.steps.map((s) => `${s.id}:${s.outcome}:${s.error}`).join('\n'));
  assert.deepEqual(
    doc!.steps.filter((s) => s.outcome !== 'ok' && s.outcome !== 'skipped'),
    [],
  );
  for (const step of ok) {
    assert.equal(step.risk, 'read');
    assert.ok(step.fields!.length > 0, `${step.id} has columns`);
    assert.equal(step.recorded, true);
  }
  const byState = stepOf(doc, 'connections-by-state');
  assert.deepEqual(Object.keys(byState), [
    'id',
    'kind',
    'risk',
    'outcome',
    'serverOutcome',
    'recorded',
    'fields',
    'rows',
    'rowCount',
    'exitStatus',
    'output',
    'error',
    'durationMs',
  ]);
  const terminate = stepOf(doc, 'terminate-backend');
  assert.equal(terminate.outcome, 'skipped');
  assert.notEqual(terminate.risk, 'read');
  assert.equal(terminate.recorded, null);
  assert.match(stepOf(doc, 'locks-on-table').error!, /--param/);
  const events = await temp.core.invoke('incidents.events', { id: incidentId });
  const recorded = events.filter((e) => e.kind === 'runbook.step').map((e) => e.payload.step);
  for (const step of ok) assert.ok(recorded.includes(step.id), `${step.id} is in the timeline`);
});

test('a write step is refused without --confirm (nothing sent) and runs with it', async () => {
  const refused = await run([
    runbook,
    '--profile',
    'staging',
    '--step',
    'rename-item',
    '--step',
    'set-flag',
    '--param',
    'item_id=1',
  ]);
  assert.equal(refused.code, 1);
  assert.deepEqual(
    refused.doc!.steps.map((s) => s.outcome),
    ['failed', 'not_run'],
  );
  assert.equal(stepOf(refused.doc, 'rename-item').serverOutcome, 'not_sent');
  assert.match(stepOf(refused.doc, 'rename-item').error!, /--confirm "staging"/);
  assert.equal((await direct.query('SELECT name FROM items WHERE id = 1')).rows[0].name, 'one');

  const redisRefused = await run([runbook, '--profile', 'staging', '--step', 'set-flag', '--param', 'item_id=1']);
  assert.equal(redisRefused.code, 1);
  assert.equal(stepOf(redisRefused.doc, 'set-flag').serverOutcome, 'not_sent');
  assert.equal(await redisDirect.get('flag:1'), null);

  const wrongName = await run([
    runbook,
    '--profile',
    'staging',
    '--step',
    'rename-item',
    '--param',
    'item_id=1',
    '--confirm',
    'prod',
  ]);
  assert.equal(wrongName.code, 1);
  assert.equal((await direct.query('SELECT name FROM items WHERE id = 1')).rows[0].name, 'one');

  const confirmed = await run([
    runbook,
    '--profile',
    'staging',
    '--step',
    'rename-item',
    '--step',
    'set-flag',
    '--param',
    'item_id=1',
    '--confirm',
    'staging',
  ]);
  assert.equal(confirmed.code, 0, confirmed.stderr);
  assert.deepEqual(
    confirmed.doc!.steps.map((s) => [s.outcome, s.serverOutcome]),
    [
      ['ok', 'committed'],
      ['ok', 'committed'],
    ],
  );
  assert.equal((await direct.query('SELECT name FROM items WHERE id = 1')).rows[0].name, 'renamed');
  assert.equal(await redisDirect.get('flag:1'), 'on');
});

test('a failing step stops the run: the steps after it are not run, exit 1', async () => {
  const { code, doc } = await run([
    runbook,
    '--profile',
    'staging',
    '--step',
    'count-items',
    '--step',
    'broken',
    '--step',
    'count-items',
  ]);
  assert.equal(code, 1);
  assert.deepEqual(
    doc!.steps.map((s) => s.outcome),
    ['ok', 'failed', 'not_run'],
  );
  assert.match(doc!.steps[1]!.error!, /division by zero/);
  assert.deepEqual(doc!.steps[0]!.rows, [['2']]);
  assert.equal(doc!.steps[2]!.recorded, null);
});

test("a shell step runs on the profile's host over SSH: its output and exit status, values quoted as data", async () => {
  const marker = join(folder, 'pwned');
  const who = `$(touch ${marker}) "quoted"; it's`;
  const failing = await run([
    runbook,
    '--profile',
    'staging',
    '--step',
    'whoami',
    '--step',
    'greet',
    '--param',
    `who=${who}`,
    '--incident',
    incidentId,
  ]);
  assert.equal(failing.code, 1);
  const [whoami, greet] = failing.doc!.steps;
  assert.equal(whoami!.outcome, 'ok');
  assert.equal(whoami!.exitStatus, 0);
  // The last line: the account's shell start-up files may print before the command does.
  assert.equal(whoami!.output!.trim().split('\n').at(-1), account?.user ?? sshd.user);
  assert.equal(greet!.outcome, 'failed');
  assert.equal(greet!.exitStatus, 2);
  assert.ok(greet!.output!.includes(`hello ${who}`), greet!.output!);
  assert.match(greet!.output!, /no-such-dir-for-headless/);
  assert.match(greet!.error!, /exited with status 2/);
  const { existsSync } = await import('node:fs');
  assert.equal(existsSync(marker), false, 'the value ran as code');
  const events = await temp.core.invoke('incidents.events', { id: incidentId });
  const execs = events.filter((e) => e.kind === 'shell.exec');
  assert.deepEqual(
    execs.slice(-2).map((e) => e.payload.exitStatus),
    [0, 2],
  );
  assert.match(String(execs.at(-1)!.payload.output), /no-such-dir-for-headless/);
});

test("a value captured from one step's result is bound into the next step (capture=NAME:COLUMN), and recorded with it", async () => {
  const captureBook = join(folder, 'capture.md');
  writeFileSync(
    captureBook,
    [
      '---',
      'title: Capture test',
      'variables:',
      '  - name: target',
      '---',
      '',
      '# Capture test',
      '',
      '```sql {name=find-item capture=target:id}',
      "SELECT id, name FROM items WHERE name = 'two'",
      '```',
      '',
      '```sql {name=show-item}',
      'SELECT name FROM items WHERE id = {{target}}',
      '```',
      '',
    ].join('\n'),
  );
  const { code, doc, stderr } = await run([
    captureBook,
    '--profile',
    'staging',
    '--step',
    'find-item',
    '--step',
    'show-item',
    '--incident',
    incidentId,
  ]);
  assert.equal(code, 0, stderr);
  assert.deepEqual(
    doc!.steps.map((s) => s.outcome),
    ['ok', 'ok'],
  );
  assert.deepEqual(doc!.steps[1]!.rows, [['two']]);
  const events = await temp.core.invoke('incidents.events', { id: incidentId });
  const shown = events.filter((e) => e.kind === 'runbook.step' && e.payload.step === 'show-item').at(-1)!;
  assert.deepEqual(
    (shown.payload.parameters as { name: string; value: unknown }[]).map((p) => [p.name, p.value]),
    [['target', '2']],
  );
});

test('bad command lines exit 2 and name the fix', async () => {
  const neither = await runCli(temp.dataDir, ['runbook', 'run', runbook, '--profile', 'staging', '--json']);
  assert.equal(neither.code, 2);
  assert.match(neither.json<{ error: { message: string } }>().error.message, /--step ID.*--all-reads/);
  const unknownStep = await run([runbook, '--profile', 'staging', '--step', 'nope']);
  assert.equal(unknownStep.code, 2);
  assert.match(unknownStep.stdout, /count-items/);
  const unknownParam = await run([runbook, '--profile', 'staging', '--step', 'count-items', '--param', 'nope=1']);
  assert.equal(unknownParam.code, 2);
  assert.match(unknownParam.stdout, /item_id/);
});

test('a profile without SSH runs its shell steps on this computer; text output names each step', async () => {
  const { code, doc } = await run([runbook, '--profile', 'laptop', '--step', 'whoami', '--step', 'count-items']);
  assert.equal(code, 0);
  assert.equal(doc!.steps[0]!.output!.trim().split('\n').at(-1), userInfo().username);
  assert.deepEqual(
    doc!.steps.map((s) => s.outcome),
    ['ok', 'ok'],
  );
  const text = await runCliInProcess(temp.dataDir, [
    'runbook',
    'run',
    runbook,
    '--profile',
    'laptop',
    '--step',
    'broken',
    '--step',
    'whoami',
  ]);
  assert.equal(text.code, 1);
  assert.match(text.stdout, /failed\s+broken \(sql, read\)/);
  assert.match(text.stdout, /not_run\s+whoami/);
  assert.match(text.stdout, /2 step\(s\): 0 ok, 1 failed, 0 skipped, 1 not run/);
});

test('a shell step written for an interactive hop or for input is refused headless, never sent to the host', async () => {
  const hop = join(folder, 'hop.md');
  writeFileSync(
    hop,
    `# Hop\n\n\`\`\`sh {name=in-pod}\nkubectl exec -it db-0 -- bash\ntouch ${join(folder, 'hop-ran')}\n\`\`\`\n\n\`\`\`sh {name=ask interactive=true}\nread answer\n\`\`\`\n`,
  );
  const inPod = await run([hop, '--profile', 'laptop', '--step', 'in-pod-2', '--confirm', 'laptop']);
  assert.equal(inPod.code, 1);
  assert.match(stepOf(inPod.doc, 'in-pod-2').error!, /runs inside kubectl exec db-0/);
  const { existsSync } = await import('node:fs');
  assert.equal(existsSync(join(folder, 'hop-ran')), false);
  const ask = await run([hop, '--profile', 'laptop', '--step', 'ask']);
  assert.equal(ask.code, 1);
  assert.match(stepOf(ask.doc, 'ask').error!, /interactive/);
});

test('a secret parameter never reaches the output, the JSON document or the timeline', async () => {
  const secretBook = join(folder, 'secret.md');
  writeFileSync(
    secretBook,
    '---\ntitle: Secret\nparameters:\n  - name: token\n    secret: true\n---\n\n# Secret\n\n```sh {name=show}\necho "token is {{token}}"\n```\n',
  );
  const secret = 'tok-3f9a8c7e1d2b';
  const result = await run([
    secretBook,
    '--profile',
    'laptop',
    '--step',
    'show',
    '--param',
    `token=${secret}`,
    '--incident',
    incidentId,
  ]);
  assert.equal(result.code, 0, result.stderr);
  assert.match(stepOf(result.doc, 'show').output!, /token is \[redacted\]/);
  assert.ok(!(result.stdout + result.stderr).includes(secret));
  const events = await temp.core.invoke('incidents.events', { id: incidentId, limit: 10_000 });
  assert.ok(!JSON.stringify(events).includes(secret));
  const step = events.filter((e) => e.kind === 'runbook.step' && e.payload.step === 'show').at(-1)!;
  assert.deepEqual(step.payload.parameters, [{ name: 'token', value: '[redacted]', secret: true }]);
});
