import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { ImportReport, ProfilesExport, ProfileView } from '../../src/shared/profile';
import { makeTempDir, removeDir } from '../harness/index';
import { runCli, runCliInProcess, type CliRun } from '../support/cli';
import { storeSnapshot } from '../support/store-snapshot';

const home = makeTempDir('cli-profiles');
const files = makeTempDir('cli-files');
after(() => {
  removeDir(home);
  removeDir(files);
});

// The vault is chosen from process.env: a key file, as in CI, for the in-process runs too.
process.env.OPSCONSOLE_VAULT = 'file';
/** A real `npx opsconsole` process, where the process boundary matters (stdin, exit status). */
const spawned = (args: string[], options?: Parameters<typeof runCli>[2]) => runCli(home, args, options);
/** The same CLI in-process, for the many cases where only the code path matters. */
const cli = (args: string[], options?: Parameters<typeof runCli>[2]) => runCliInProcess(home, args, options);
function ok(run: CliRun): CliRun {
  assert.equal(run.code, 0, `exit ${run.code}: ${run.stderr}`);
  return run;
}

test('add, list, show, edit, remove with flags named after the fields', async () => {
  const added = ok(
    await spawned(
      [
        'profiles',
        'add',
        '--name',
        'prod-eu',
        '--environment',
        'production',
        '--tag',
        'eu',
        '--tag',
        'payments',
        '--ssh-host',
        'target.example',
        '--ssh-port',
        '2200',
        '--ssh-user',
        'deploy',
        '--ssh-key',
        '~/.ssh/id_ops',
        '--ssh-jump',
        'alice@bastion.example:2222',
        '--ssh-jump',
        'bob@inner.example,key=~/.ssh/id_inner',
        '--pg-host',
        '10.0.0.5',
        '--pg-port',
        '5433',
        '--pg-database',
        'app',
        '--pg-user',
        'ro',
        '--pg-password-stdin',
        '--redis-host',
        '10.0.0.6',
        '--redis-db',
        '2',
        '--redis-username',
        'ops',
        '--redis-tls',
        'true',
        '--json',
      ],
      { input: 'pg-pass\n', env: { OPSCONSOLE_REDIS_PASSWORD: 'redis-pass' } },
    ),
  ).json<ProfileView>();
  assert.equal(added.safety, 'production');
  assert.deepEqual(added.tags, ['eu', 'payments']);
  assert.deepEqual(added.ssh, {
    host: 'target.example',
    port: 2200,
    user: 'deploy',
    auth: 'key',
    keyPath: '~/.ssh/id_ops',
    keepaliveIntervalMs: 5000,
    jumps: [
      { host: 'bastion.example', port: 2222, user: 'alice', auth: 'agent' },
      { host: 'inner.example', port: 22, user: 'bob', auth: 'key', keyPath: '~/.ssh/id_inner' },
    ],
  });
  assert.equal(added.postgres!.port, 5433);
  assert.deepEqual(added.redis, { host: '10.0.0.6', port: 6379, db: 2, username: 'ops', tls: true, tlsVerify: true });
  assert.equal(added.secrets.pgPassword, true);
  assert.equal(added.secrets.redisPassword, true);

  const list = ok(await spawned(['profiles', 'list', '--json'])).json<ProfileView[]>();
  assert.deepEqual(
    list.map((p) => p.name),
    ['prod-eu'],
  );
  const text = ok(await cli(['profiles', 'list'])).stdout;
  assert.match(text, /^NAME\s+ENVIRONMENT\s+SAFETY/);
  assert.match(text, /prod-eu\s+production\s+production\s+deploy@target\.example:2200 \(\+2 jump\)/);

  const edited = ok(
    await cli(['profiles', 'edit', 'PROD-EU', '--pg-port', '6432', '--safety', 'read-only', '--no-redis', '--json']),
  ).json<ProfileView>();
  assert.equal(edited.postgres!.port, 6432);
  assert.equal(edited.postgres!.database, 'app', 'fields not given are kept');
  assert.equal(edited.safety, 'read-only');
  assert.equal(edited.redis, undefined);
  assert.equal(edited.secrets.pgPassword, false, 'a new database port is a new route: its stored password is dropped');
  const relabelled = ok(
    await cli(['profiles', 'edit', 'prod-eu', '--pg-password-stdin', '--json'], { input: 'pg-pass-2\n' }),
  ).json<ProfileView>();
  assert.equal(relabelled.secrets.pgPassword, true);
  const kept = ok(
    await cli(['profiles', 'edit', 'prod-eu', '--notes', 'relabelled', '--pg-row-cap', '500', '--json']),
  ).json<ProfileView>();
  assert.equal(kept.secrets.pgPassword, true, 'secrets are kept across an edit that keeps their route');

  const shown = ok(await cli(['profiles', 'show', 'prod-eu'])).stdout;
  assert.match(shown, /postgres: ro@10\.0\.0\.5:6432\/app .* password set/);
  assert.match(shown, /via alice@bastion\.example:2222 \(agent\) → bob@inner\.example:22 \(key\)/);

  const fromFile = join(files, 'staging.json');
  writeFileSync(
    fromFile,
    JSON.stringify({ name: 'staging', environment: 'staging', postgres: { host: 'db', database: 'app', user: 'u' } }),
  );
  const staged = ok(
    await cli([
      'profiles',
      'add',
      '--file',
      fromFile,
      '--pg-port',
      '5555',
      '--ssh-host',
      'h',
      '--ssh-user',
      'u',
      '--ssh-key',
      'keys/id_rel',
      '--json',
    ]),
  ).json<ProfileView>();
  assert.equal(staged.postgres!.port, 5555, 'flags apply on top of --file');
  assert.equal(staged.ssh!.keyPath, join(process.cwd(), 'keys/id_rel'), 'a relative key path is stored absolute');

  const promoted = ok(
    await cli(['profiles', 'edit', 'staging', '--environment', 'production', '--json']),
  ).json<ProfileView>();
  assert.equal(promoted.safety, 'production', 'moving to production lifts standard safety');
  const exportFile = join(files, 'as-export.json');
  ok(await cli(['profiles', 'export', '--out', exportFile]));
  const wrongVerb = await cli(['profiles', 'add', '--file', exportFile, '--json']);
  assert.equal(wrongVerb.code, 2);
  assert.match(
    wrongVerb.json<{ error: { message: string } }>().error.message,
    /is a profiles export .* import it with `opsconsole profiles import/,
  );

  const removed = ok(await cli(['profiles', 'remove', 'staging', '--json'])).json<{ removed: boolean; name: string }>();
  assert.deepEqual([removed.removed, removed.name], [true, 'staging']);
  const missing = await cli(['profiles', 'show', 'staging', '--json']);
  assert.equal(missing.code, 1);
  assert.equal(missing.json<{ ok: boolean; error: { code: string } }>().error.code, 'not_found');
});

test('bad input exits 2 naming the field (and the flag), the store unchanged', async () => {
  const binary = join(files, 'binary.json');
  writeFileSync(binary, Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0xff, 0xfe, 0x00]));
  const huge = join(files, 'huge.json');
  writeFileSync(huge, Buffer.alloc(10 * 1024 * 1024, 0x20));
  const malformed = join(files, 'malformed.json');
  writeFileSync(malformed, '{"name": "x", "environment": "staging",,}');
  const withSecret = join(files, 'secret.json');
  writeFileSync(
    withSecret,
    JSON.stringify({
      name: 'x',
      environment: 'staging',
      postgres: { host: 'h', database: 'd', user: 'u' },
      secrets: { pgPassword: { set: 'nope' } },
    }),
  );
  const add = ['profiles', 'add', '--name', 'bad', '--environment', 'staging'];
  const cases: [string[], RegExp][] = [
    [
      [...add, '--ssh-host', 'h', '--ssh-user', 'u', '--ssh-port', '0'],
      /ssh\.port \(--ssh-port\) must be between 1 and 65535/,
    ],
    [
      [...add, '--ssh-host', 'h', '--ssh-user', 'u', '--ssh-port', '70000'],
      /ssh\.port \(--ssh-port\) must be between 1 and 65535/,
    ],
    [
      [...add, '--ssh-host', 'h', '--ssh-user', 'u', '--ssh-port', 'twenty'],
      /ssh\.port \(--ssh-port\) must be a number/,
    ],
    [[...add, '--pg-host', '', '--pg-database', 'd', '--pg-user', 'u'], /postgres\.host \(--pg-host\) is empty/],
    [
      ['profiles', 'add', '--name', 'bad', '--environment', 'qa'],
      /environment \(--environment\) must be one of production, staging, development, custom/,
    ],
    [
      [...add, '--ssh-host', 'h', '--ssh-user', 'u', '--ssh-jump', 'a@j1', '--ssh-jump', 'b@j1:22'],
      /ssh\.jumps\.1\.host \(--ssh-jump\) makes a ProxyJump loop/,
    ],
    [
      [...add, '--ssh-host', 'h', '--ssh-user', 'u', '--ssh-jump', 'a@j1:2:3'],
      /--ssh-jump "a@j1:2:3" \(hop 1\) is not user@host:port/,
    ],
    [
      [...add, '--pg-host', 'h', '--pg-database', 'd', '--pg-user', 'u', '--pg-password', 'in-history'],
      /--pg-password is refused.*--pg-password-stdin or set OPSCONSOLE_PG_PASSWORD/,
    ],
    [
      [
        ...add,
        '--pg-host',
        'h',
        '--pg-database',
        'd',
        '--pg-user',
        'u',
        '--pg-password-stdin',
        '--redis-host',
        'r',
        '--redis-password-stdin',
      ],
      /standard input holds one secret per command/,
    ],
    [['profiles', 'add', '--file', malformed], /not valid JSON \(unexpected "," at line 1 column 40\)/],
    [['profiles', 'add', '--file', binary], /is a binary file, not JSON text/],
    [['profiles', 'add', '--file', huge], /is 10\.0 MB, more than the 2 MB/],
    [['profiles', 'add', '--file', withSecret], /unknown field\(s\) secrets.*Secrets are never read from files/],
    [['profiles', 'import', huge], /is 10\.0 MB/],
    [['profiles', 'import', binary], /is a binary file/],
    [['profiles', 'import', malformed, '--on-conflict', 'skip'], /not valid JSON/],
    [['profiles', 'import', join(files, 'no-such-file.json')], /Cannot read the import file/],
    [['profiles', 'edit', 'prod-eu', '--ssh-port', '0'], /ssh\.port \(--ssh-port\) must be between 1 and 65535/],
    [['profiles', 'add', '--nmae', 'typo'], /Unknown option '--nmae'/],
  ];
  const before = storeSnapshot(home);
  for (const [i, [args, message]] of cases.entries()) {
    // Two through a real process (exit status 2 and the JSON document on stdout), the rest in-process.
    const run = await (i < 2 ? spawned : cli)([...args, '--json'], { input: 'x' });
    assert.equal(run.code, 2, `${args.join(' ')} → exit ${run.code}: ${run.stderr}`);
    const payload = run.json<{ ok: boolean; error: { code: string; message: string } }>();
    assert.equal(payload.ok, false);
    assert.equal(payload.error.code, 'invalid_input');
    assert.match(payload.error.message, message, args.join(' '));
    assert.equal(storeSnapshot(home), before, `store unchanged after ${args.join(' ')}`);
  }
});

test('export to a file, import it back: refused on a clash until a choice is made', async () => {
  const out = join(files, 'export.json');
  const exported = ok(await cli(['profiles', 'export', '--out', out, '--json'])).json<{
    exported: number;
    file: string;
  }>();
  assert.equal(exported.exported, 1);
  const document = JSON.parse(readFileSync(out, 'utf8')) as ProfilesExport;
  assert.equal(document.format, 'opsconsole.profiles');
  assert.deepEqual(
    ok(await cli(['profiles', 'export'])).json<ProfilesExport>().profiles,
    document.profiles,
    'stdout by default',
  );

  const before = storeSnapshot(home);
  const clash = await cli(['profiles', 'import', out, '--json']);
  assert.equal(clash.code, 1);
  assert.match(
    clash.json<{ error: { message: string } }>().error.message,
    /already exist: prod-eu\. Choose .*--on-conflict/,
  );
  assert.equal(storeSnapshot(home), before);

  const renamed = ok(await cli(['profiles', 'import', out, '--on-conflict', 'rename', '--json'])).json<ImportReport>();
  assert.deepEqual(
    renamed.renamed.map((r) => r.to),
    ['prod-eu (2)'],
  );
  const skipped = ok(
    await cli(['profiles', 'import', '-', '--on-conflict', 'skip', '--json'], { input: readFileSync(out, 'utf8') }),
  ).json<ImportReport>();
  assert.deepEqual(
    skipped.skipped.map((s) => s.name),
    ['prod-eu'],
  );
  const bad = await cli(['profiles', 'import', out, '--on-conflict', 'merge', '--json']);
  assert.equal(bad.code, 2);
  assert.match(
    bad.json<{ error: { message: string } }>().error.message,
    /^--on-conflict must be one of skip, rename, replace/,
  );
  ok(await cli(['profiles', 'remove', 'prod-eu (2)']));
});

test('import --ssh-config PATH creates the SSH part of a profile per Host', async () => {
  const config = join(files, 'ssh_config');
  writeFileSync(join(files, 'included.conf'), 'Host web-staging\n  HostName web.staging.example\n  User deploy\n');
  writeFileSync(
    config,
    `Include ${join(files, 'included.conf')}\nHost bastion\n  HostName b.example\n  Port 2222\nHost db-dev\n  HostName 10.2.0.5\n  ProxyJump bastion\nHost prod-eu\n  HostName x\nHost *\n  User me\n`,
  );
  const report = ok(await cli(['profiles', 'import', '--ssh-config', config, '--json'])).json<ImportReport>();
  assert.deepEqual(report.created.map((p) => p.name).sort(), ['bastion', 'db-dev', 'web-staging']);
  assert.deepEqual(
    report.skipped.map((s) => s.name),
    ['prod-eu'],
    'an existing name is skipped by default',
  );
  const db = ok(await cli(['profiles', 'show', 'db-dev', '--json'])).json<ProfileView>();
  assert.equal(db.environment, 'development');
  assert.deepEqual(db.ssh!.jumps, [{ host: 'b.example', port: 2222, user: 'me', auth: 'agent' }]);
  for (const name of ['bastion', 'db-dev', 'web-staging']) ok(await cli(['profiles', 'remove', name]));
});

test('an unknown --profile is said as profiles show says it, in every command that takes one', async () => {
  const shown = await cli(['profiles', 'show', 'nope', '--json']);
  assert.equal(shown.code, 1);
  const expected = shown.json<{ error: { code: string; message: string } }>().error;
  assert.equal(expected.code, 'not_found');
  assert.match(expected.message, /^No profile named "nope": list them with `opsconsole profiles list`/);
  for (const args of [
    ['sql', 'run', '--profile', 'nope', 'select 1'],
    ['redis', 'run', '--profile', 'nope', '--', 'GET', 'k'],
    ['redis', 'scan', '--profile', 'nope'],
    ['health', '--profile', 'nope'],
  ]) {
    // --json right after the profile, before any --: after it, it would be the Redis command's argument.
    const at = args.indexOf('nope') + 1;
    const run = await cli([...args.slice(0, at), '--json', ...args.slice(at)]);
    assert.equal(run.code, 1, `${args.join(' ')}: ${run.stderr}`);
    assert.deepEqual(run.json<{ error: unknown }>().error, expected, args.join(' '));
  }
});

test('export --out: a folder is refused by name, a missing folder is created, a file is replaced; no temporary file stays', async () => {
  const dir = join(files, 'export-targets');
  mkdirSync(join(dir, 'adir'), { recursive: true });
  const folder = await cli(['profiles', 'export', '--out', join(dir, 'adir'), '--json']);
  assert.equal(folder.code, 2);
  const error = folder.json<{ error: { code: string; message: string } }>().error;
  assert.equal(error.code, 'invalid_input');
  assert.match(error.message, /^--out .*adir is a folder: give the path of the file to write/);
  const deep = join(dir, 'nodir', 'x.json');
  ok(await cli(['profiles', 'export', '--out', deep, '--json']));
  assert.equal(JSON.parse(readFileSync(deep, 'utf8')).format, 'opsconsole.profiles');
  writeFileSync(join(dir, 'old.json'), 'old');
  ok(await cli(['profiles', 'export', '--out', join(dir, 'old.json')]));
  assert.equal(JSON.parse(readFileSync(join(dir, 'old.json'), 'utf8')).format, 'opsconsole.profiles', 'replaced');
  writeFileSync(join(dir, 'file'), '');
  const underFile = await cli(['profiles', 'export', '--out', join(dir, 'file', 'x.json'), '--json']);
  assert.equal(underFile.code, 2);
  assert.match(underFile.json<{ error: { message: string } }>().error.message, /^--out .* cannot be written: /);
  const left = (path: string): string[] =>
    readdirSync(path, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? left(join(path, e.name)) : e.name.endsWith('.tmp') ? [e.name] : [],
    );
  assert.deepEqual(left(dir), []);
});
