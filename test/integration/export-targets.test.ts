import assert from 'node:assert/strict';
import {
  existsSync,
  lstatSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startPostgres, type PostgresServer } from '../harness/index';
import { runCliInProcess } from '../support/cli';
import { harnessProfile } from '../support/profiles';
import { tempCore, type TempCore } from '../support/temp-core';

// A window (the Electron renderer or the browser host's page) never names where a file is
// written: it asks app.chooseSavePath and passes the save token back. Only the CLI's --out is a path.

let pg: PostgresServer;
let window: TempCore;
let dir: string;
let profileId: string;

before(async () => {
  pg = await startPostgres();
  window = tempCore({ acceptExportPaths: false });
  dir = mkdtempSync(join(tmpdir(), 'opsconsole-export-targets-'));
  profileId = (await window.core.invoke('profiles.save', { profile: harnessProfile('staging', { pg }) })).id;
});
after(async () => {
  await window?.dispose();
  await pg?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const refusedPath = {
  code: 'refused',
  message: /named by the window, which may not choose where files are written: choose the file with the save dialog/,
};

test('a path named by the window is refused for every export, ~/.bashrc included; nothing is written', async () => {
  const incident = await window.core.invoke('incidents.start', { title: 'Paths', severity: 'P3' });
  const bashrc = join(homedir(), '.bashrc');
  const before = existsSync(bashrc) ? readFileSync(bashrc) : undefined;
  await assert.rejects(
    window.core.invoke('incidents.export', { id: incident.id, format: 'md', path: bashrc, overwrite: true }),
    refusedPath,
  );
  await assert.rejects(
    window.core.invoke('sql.export', {
      profileId,
      sql: 'SELECT 1',
      format: 'csv',
      path: join(dir, 'named.csv'),
      overwrite: true,
    }),
    refusedPath,
  );
  assert.deepEqual(existsSync(bashrc) ? readFileSync(bashrc) : undefined, before);
  assert.equal(existsSync(join(dir, 'named.csv')), false);
  await assert.rejects(window.core.invoke('sql.export', { profileId, sql: 'SELECT 1', format: 'csv' } as never), {
    code: 'invalid_input',
    message: /exactly one of saveToken .* or path/,
  });
});

test('the browser host writes into <data>/exports/, never replacing a file; a save token serves one export', async () => {
  const incident = await window.core.invoke('incidents.start', { title: 'Tokens', severity: 'P3' });
  const first = await window.core.invoke('app.chooseSavePath', { title: 'Export', defaultName: 'report.md' });
  assert.equal(first.path, join(window.dataDir, 'exports', 'report.md'));
  const written = await window.core.invoke('incidents.export', {
    id: incident.id,
    format: 'md',
    saveToken: first.saveToken,
  });
  assert.equal(written.path, first.path);
  assert.match(readFileSync(first.path!, 'utf8'), /^# Tokens/);
  assert.equal(statSync(first.path!).mode & 0o777, 0o600);
  assert.equal(statSync(join(window.dataDir, 'exports')).mode & 0o777, 0o700);

  await assert.rejects(
    window.core.invoke('incidents.export', { id: incident.id, format: 'md', saveToken: first.saveToken }),
    { code: 'refused', message: /saveToken is unknown, used or expired/ },
  );
  await assert.rejects(
    window.core.invoke('incidents.export', { id: incident.id, format: 'md', saveToken: 'made-up' }),
    { code: 'refused' },
  );

  const second = await window.core.invoke('app.chooseSavePath', { title: 'Export', defaultName: 'report.md' });
  assert.equal(second.path, join(window.dataDir, 'exports', 'report-2.md'), 'a taken name gets a number');
  const csv = await window.core.invoke('app.chooseSavePath', { title: 'Export', defaultName: 'rows.csv' });
  const exported = await window.core.invoke('sql.export', {
    profileId,
    sql: 'SELECT g FROM generate_series(1, 3) g',
    format: 'csv',
    saveToken: csv.saveToken,
  });
  assert.equal(exported.path, csv.path);
  assert.equal(readFileSync(csv.path!, 'utf8'), 'g\n1\n2\n3\n');
  await assert.rejects(window.core.invoke('app.chooseSavePath', { title: 'Export', defaultName: '..' }), {
    code: 'invalid_input',
  });
});

test("the desktop dialog's token allows replacing the file the operator confirmed there", async () => {
  const target = join(dir, 'confirmed.md');
  writeFileSync(target, 'older report\n');
  const desktop = tempCore({ acceptExportPaths: false, chooseSavePath: async () => target });
  try {
    const incident = await desktop.core.invoke('incidents.start', { title: 'Replace', severity: 'P3' });
    const choice = await desktop.core.invoke('app.chooseSavePath', { title: 'Export', defaultName: 'x.md' });
    await desktop.core.invoke('incidents.export', {
      id: incident.id,
      format: 'md',
      saveToken: choice.saveToken,
      attachments: 'none',
    });
    assert.match(readFileSync(target, 'utf8'), /^# Replace/);
  } finally {
    await desktop.dispose();
  }
});

test('incident export --out refuses an existing file unless --overwrite', async () => {
  const home = mkdtempSync(join(dir, 'cli-'));
  const started = await runCliInProcess(home, [
    'incident',
    'start',
    '--title',
    'CLI export',
    '--severity',
    'P3',
    '--json',
  ]);
  const id = started.json<{ id: string }>().id;
  const out = join(dir, 'cli-report.md');
  writeFileSync(out, 'keep me\n');
  const refused = await runCliInProcess(home, ['incident', 'export', id, '--format', 'md', '--out', out, '--json']);
  assert.equal(refused.code, 1);
  assert.match(
    refused.json<{ error: { code: string; message: string } }>().error.message,
    /already exists: .*--overwrite/,
  );
  assert.equal(readFileSync(out, 'utf8'), 'keep me\n');
  assert.equal(existsSync(`${out}.partial`), false);
  const replaced = await runCliInProcess(home, [
    'incident',
    'export',
    id,
    '--format',
    'md',
    '--out',
    out,
    '--overwrite',
    '--json',
  ]);
  assert.equal(replaced.code, 0, replaced.stdout);
  assert.match(readFileSync(out, 'utf8'), /^# CLI export/);
});

test('a symlink planted at the .partial name is refused and its target left untouched (sql.export and incident export)', async () => {
  const victim = join(dir, 'victim.txt');
  writeFileSync(victim, 'precious\n');
  const cli = tempCore();
  try {
    const cliProfile = (await cli.core.invoke('profiles.save', { profile: harnessProfile('cli-staging', { pg }) })).id;
    const csvPath = join(dir, 'linked.csv');
    symlinkSync(victim, `${csvPath}.partial`);
    await assert.rejects(
      cli.core.invoke('sql.export', { profileId: cliProfile, sql: 'SELECT 1', format: 'csv', path: csvPath }),
      { code: 'conflict', message: /linked\.csv\.partial already exists .* left untouched/ },
    );
    const incident = await cli.core.invoke('incidents.start', { title: 'Links', severity: 'P3' });
    const mdPath = join(dir, 'linked.md');
    symlinkSync(victim, `${mdPath}.partial`);
    await assert.rejects(cli.core.invoke('incidents.export', { id: incident.id, format: 'md', path: mdPath }), {
      code: 'conflict',
    });
    assert.equal(readFileSync(victim, 'utf8'), 'precious\n');
    for (const link of [`${csvPath}.partial`, `${mdPath}.partial`]) {
      assert.equal(lstatSync(link).isSymbolicLink(), true, 'the link itself is left as it was');
      assert.equal(readlinkSync(link), victim);
    }
    assert.equal(existsSync(csvPath) || existsSync(mdPath), false);
  } finally {
    await cli.dispose();
  }
});
