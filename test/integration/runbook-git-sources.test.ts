import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { PushBranchResult, RunbookSourceView, SourceSyncReport } from '../../src/shared/contract';
import type { IncidentReport, RunbookStepPin } from '../../src/shared/incident';
import {
  startGitRemote,
  startPostgres,
  startSshd,
  type GitRemote,
  type PostgresServer,
  type SshdServer,
} from '../harness/index';
import { runCli, runCliInProcess } from '../support/cli';
import { tempCore, type TempCore } from '../support/temp-core';

const runbook = (query: string) => `# DB checks\n\n## Count connections\n\n\`\`\`sql\n${query}\n\`\`\`\n`;
const v1 = runbook('SELECT count(*) AS connections FROM pg_stat_activity;');
const v2 = runbook("SELECT count(*) AS connections FROM pg_stat_activity WHERE state = 'active';");
const step = 'count-connections-1';

let pg: PostgresServer;
let sshd: SshdServer;
let remote: GitRemote;
let temp: TempCore;
let incidentId: string;
let source: RunbookSourceView;
let firstCommit: string;

const cli = (args: string[]) => runCliInProcess(temp.dataDir, args);
const runbookFile = () => join(source.folder, 'db.md');
const pinsOf = async (): Promise<RunbookStepPin[]> => {
  const exported = await cli(['incident', 'export', incidentId, '--format', 'json']);
  assert.equal(exported.code, 0, exported.stderr);
  const report = JSON.parse(exported.stdout) as IncidentReport;
  return report.timeline.filter((e) => e.kind === 'runbook.step').map((e) => e.payload.pin as RunbookStepPin);
};
const sync = async () => {
  const result = await cli(['runbook', 'sync', '--json']);
  return { code: result.code, report: result.json<SourceSyncReport[]>()[0]! };
};
const runStep = () =>
  cli([
    'sql',
    'run',
    '--profile',
    'dev',
    '--runbook',
    runbookFile(),
    '--template',
    step,
    '--incident',
    incidentId,
    '--json',
  ]);

before(async () => {
  [pg, sshd] = await Promise.all([startPostgres(), startSshd()]);
  remote = startGitRemote(sshd, { 'runbooks/db.md': v1, 'README.md': 'team runbooks\n' });
  // The system git the core spawns reads these: the harness key, port and known_hosts, never ~/.ssh.
  Object.assign(process.env, remote.env);
  temp = tempCore();
  await temp.core.invoke('profiles.save', {
    profile: {
      name: 'dev',
      environment: 'development',
      postgres: { host: '127.0.0.1', port: pg.port, database: pg.database, user: pg.user },
      secrets: { pgPassword: { set: pg.password } },
    },
  });
  incidentId = (await temp.core.invoke('incidents.start', { title: 'connections pile up', severity: 'P2' })).id;
});
after(async () => {
  await temp?.dispose();
  remote?.dispose();
  await Promise.all([pg?.stop(), sshd?.dispose()]);
});

test('source add over git+ssh, sync, a step run into the incident: the JSON export names its commit', async () => {
  // A real process for the commands: the system git over the harness's sshd.
  const added = await runCli(temp.dataDir, ['runbook', 'source', 'add', remote.url, '--path', 'runbooks', '--json'], {
    env: remote.env,
  });
  assert.equal(added.code, 0, added.stderr);
  source = added.json<RunbookSourceView>();
  firstCommit = remote.head();
  assert.deepEqual(
    [source.name, source.branch, source.path, source.commit],
    ['runbooks', 'main', 'runbooks', firstCommit],
  );
  assert.match(source.age, /^updated less than a minute ago$/);
  const synced = await runCli(temp.dataDir, ['runbook', 'sync', '--json'], { env: remote.env });
  assert.equal(synced.code, 0, synced.stderr);
  assert.deepEqual(
    synced.json<SourceSyncReport[]>().map((r) => [r.source, r.ok, r.commit, r.changed]),
    [['runbooks', true, firstCommit, []]],
  );
  const ran = await runCli(
    temp.dataDir,
    [
      'sql',
      'run',
      '--profile',
      'dev',
      '--runbook',
      runbookFile(),
      '--template',
      step,
      '--incident',
      incidentId,
      '--json',
    ],
    { env: remote.env },
  );
  assert.equal(ran.code, 0, ran.stderr);
  const [pin] = await pinsOf();
  assert.equal(pin?.commit, firstCommit);
  assert.deepEqual(
    [pin?.source, pin?.sourceUrl, pin?.branch, pin?.path],
    ['runbooks', remote.url, 'main', 'runbooks/db.md'],
  );
  assert.equal(pin?.stepText, 'SELECT count(*) AS connections FROM pg_stat_activity;');
  // The library lists the source's runbooks, and the report line names the source and commit.
  const library = await temp.core.invoke('runbooks.list', {});
  assert.ok(library.some((r) => r.path === runbookFile()));
  const markdown = await cli(['incident', 'export', incidentId, '--format', 'md']);
  assert.match(markdown.stdout, new RegExp(`runbooks @ ${firstCommit.slice(0, 12)}`));
});

test('a changed runbook upstream: the old step keeps its SHA, the new run has the new one, the change shows with a diff', async () => {
  const second = remote.commit({ 'runbooks/db.md': v2 }, 'Only active connections');
  const { code, report } = await sync();
  assert.equal(code, 0);
  assert.deepEqual([report.previousCommit, report.commit, report.changed], [firstCommit, second, ['db.md']]);
  const changes = await temp.core.invoke('runbookSources.stepChanges', { incidentId });
  assert.equal(changes.length, 1);
  assert.equal(changes[0]!.changed, true);
  assert.equal(changes[0]!.pinnedCommit, firstCommit);
  assert.equal(changes[0]!.currentCommit, second);
  assert.match(changes[0]!.diff, /^- SELECT count\(\*\) AS connections FROM pg_stat_activity;$/m);
  assert.match(changes[0]!.diff, /^\+ SELECT .* WHERE state = 'active';$/m);
  assert.equal((await runStep()).code, 0);
  assert.deepEqual(
    (await pinsOf()).map((p) => p.commit),
    [firstCommit, second],
  );
  const latest = await temp.core.invoke('runbookSources.stepChanges', { incidentId });
  assert.deepEqual(
    latest.map((c) => c.changed),
    [true, false],
  );
});

test('offline: sync fails with a clear message, the last pull stays in use and says how old it is', async () => {
  const before = (await temp.core.invoke('runbookSources.list', {}))[0]!;
  await sshd.stop();
  try {
    const { code, report } = await sync();
    assert.equal(code, 1);
    assert.equal(report.ok, false);
    assert.match(report.error!.message, /Could not reach .*The library keeps [0-9a-f]{12} \(updated .* ago\)/);
    assert.equal(report.commit, before.commit);
    const listed = (await temp.core.invoke('runbookSources.list', {}))[0]!;
    assert.equal(listed.lastSyncAt, before.lastSyncAt);
    assert.match(listed.lastError!.message, /Could not reach/);
    assert.ok((await temp.core.invoke('runbooks.open', { path: runbookFile() })).steps.some((s) => s.id === step));
  } finally {
    await sshd.restart();
  }
});

test('a runbook that no longer imports after a pull: not applied, the last good version stays usable', async () => {
  const good = remote.head();
  remote.commit({ 'runbooks/db.md': `---\ntags: [unclosed\n---\n${v2}` }, 'Broken frontmatter');
  const { code, report } = await sync();
  assert.equal(code, 1);
  assert.match(report.error!.message, /db\.md at [0-9a-f]{12} no longer imports \(line \d+: frontmatter/);
  assert.equal(report.commit, good);
  assert.equal(readFileSync(runbookFile(), 'utf8'), v2);
  const fixed = remote.commit(
    { 'runbooks/db.md': v2.replace('# DB checks', '# DB checks (fixed)') },
    'Fix frontmatter',
  );
  assert.equal((await sync()).report.commit, fixed);
});

test('a dirty clone is not pulled; its edit is pushed to a review branch, never to the default branch', async () => {
  writeFileSync(runbookFile(), v2.replace("'active'", "'idle in transaction'"));
  // An edited runbook runs as "local, uncommitted" with its content hash.
  assert.equal((await runStep()).code, 0);
  const edited = (await pinsOf()).at(-1)!;
  assert.equal(edited.commit, 'local, uncommitted');
  assert.match(edited.fileSha256, /^[0-9a-f]{64}$/);
  const dirty = await sync();
  assert.equal(dirty.code, 1);
  assert.match(dirty.report.error!.message, /local edits \(runbooks\/db\.md\).*push-branch/);
  const toMain = await cli([
    'runbook',
    'source',
    'push-branch',
    'runbooks',
    '--branch',
    'main',
    '--message',
    'x',
    '--json',
  ]);
  assert.equal(toMain.code, 1);
  assert.equal(toMain.json<{ error: { code: string } }>().error.code, 'refused');
  const mainBefore = remote.head();
  const pushed = await cli([
    'runbook',
    'source',
    'push-branch',
    'runbooks',
    '--branch',
    'fix/idle-in-transaction',
    '--message',
    'Count idle-in-transaction sessions',
    '--json',
  ]);
  assert.equal(pushed.code, 0, pushed.stderr);
  const result = pushed.json<PushBranchResult>();
  assert.equal(remote.head('fix/idle-in-transaction'), result.commit);
  assert.equal(remote.head(), mainBefore, 'the default branch did not move');
  assert.deepEqual(result.files, ['runbooks/db.md']);
  assert.match(result.message, /open a merge request from fix\/idle-in-transaction into main/);
  assert.ok(readFileSync(runbookFile(), 'utf8').includes("'active'"), 'the clone is back on the reviewed version');
  const again = await cli([
    'runbook',
    'source',
    'push-branch',
    'runbooks',
    '--branch',
    'fix/idle-in-transaction',
    '--message',
    'again',
    '--json',
  ]);
  assert.equal(again.code, 2, 'nothing left to push');
  assert.match(again.stdout, /has no edits/);
  assert.equal((await sync()).code, 0);
});

test('a force-pushed upstream is reported, not merged', async () => {
  const kept = remote.head();
  remote.forcePush({ 'runbooks/db.md': v1 }, 'Rewritten');
  const { code, report } = await sync();
  assert.equal(code, 1);
  assert.match(report.error!.message, /was rewritten \(force-pushed\).*not merged/);
  assert.equal(report.commit, kept);
  assert.ok(readFileSync(runbookFile(), 'utf8').includes("'active'"));
});

test('a plain folder step is pinned as "local, uncommitted" with its hashes', async () => {
  const file = join(temp.dataDir, 'local-db.md');
  writeFileSync(file, v1);
  assert.equal(
    (
      await cli([
        'sql',
        'run',
        '--profile',
        'dev',
        '--runbook',
        file,
        '--template',
        step,
        '--incident',
        incidentId,
        '--json',
      ])
    ).code,
    0,
  );
  const pin = (await pinsOf()).at(-1)!;
  assert.deepEqual([pin.source, pin.commit, pin.path], ['local folder', 'local, uncommitted', file]);
});

test('bad remotes and bad input: clear errors, nothing half-added', async () => {
  const missing = await cli(['runbook', 'source', 'add', `${remote.url}-missing`, '--json']);
  assert.equal(missing.code, 1);
  assert.match(
    missing.json<{ error: { code: string; message: string } }>().error.message,
    /Could not add .*-missing: git clone failed/,
  );
  const token = await cli([
    'runbook',
    'source',
    'add',
    'https://bot:s3cret@git.example.com/team/runbooks.git',
    '--json',
  ]);
  assert.equal(token.code, 2);
  assert.match(token.stdout, /password or token/);
  const userToken = await cli([
    'runbook',
    'source',
    'add',
    'https://ghp_abc123@github.com/team/runbooks.git',
    '--json',
  ]);
  assert.equal(userToken.code, 2, 'a token as the user name is refused too');
  const subfolder = await cli(['runbook', 'source', 'add', remote.url, '--path', 'nope', '--json']);
  assert.match(subfolder.json<{ error: { message: string } }>().error.message, /path nope is not a folder/);
  const listed = await temp.core.invoke('runbookSources.list', {});
  assert.equal(listed.length, 1);
  assert.equal((await cli(['runbook', 'source', 'remove', 'runbooks', '--json'])).code, 0);
  assert.equal(existsSync(source.folder), false);
});
