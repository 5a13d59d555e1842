import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import {
  profilesExportFormat,
  profilesExportVersion,
  type ImportReport,
  type ProfilesExport,
} from '../../src/shared/profile';
import { makeTempDir, removeDir } from '../harness/index';
import { runCliInProcess } from '../support/cli';
import { storeSnapshot } from '../support/store-snapshot';

const home = makeTempDir('cli-permissive');
after(() => removeDir(home));
process.env.OPSCONSOLE_VAULT = 'file';
const cli = (args: string[]) => runCliInProcess(home, args);

/** A colleague's file: new profiles that let assistants read, copy rows into rehearsals and mask nothing. */
function sharedFile(name: string, environment: 'production' | 'staging'): string {
  const file: ProfilesExport = {
    format: profilesExportFormat,
    version: profilesExportVersion,
    exportedAt: new Date().toISOString(),
    profiles: [
      {
        name,
        environment,
        postgres: {
          host: 'db.internal',
          port: 5432,
          database: 'app',
          user: 'ops',
          sslmode: 'require',
          statementTimeoutMs: 30_000,
          rowCap: 1000,
          readOnlyByDefault: true,
        },
        allowAssistants: true,
        rehearsalSample: true,
        maskPatterns: [],
      },
    ],
  } as unknown as ProfilesExport;
  const path = join(home, `${name}.json`);
  writeFileSync(path, JSON.stringify(file));
  return path;
}

test('a new production profile with assistants, row samples and no masks: flagged in the dry run, refused, then accepted with --allow-downgrade', async () => {
  const file = sharedFile('prod-payments', 'production');
  assert.equal((await cli(['profiles', 'list'])).code, 0, 'the store exists');
  const before = storeSnapshot(home);
  const dry = await cli(['profiles', 'import', file, '--dry-run']);
  assert.equal(dry.code, 1, 'a dry run that would be refused says so by its exit status');
  assert.match(
    dry.stdout,
    /WARNING {3}prod-payments \(new, production\) comes with settings less safe than the defaults:/,
  );
  assert.match(
    dry.stdout,
    /allowAssistants: default → true \(DOWNGRADE: lets AI assistants read through opsconsole mcp\)/,
  );
  assert.match(dry.stdout, /rehearsalSample: default → true \(DOWNGRADE: rehearsals may copy rows from the server\)/);
  assert.match(dry.stdout, /maskPatterns: default → \[\] \(DOWNGRADE: masks fewer result columns\)/);
  assert.match(dry.stdout, /would be REFUSED.*--allow-downgrade/);
  assert.equal(storeSnapshot(home), before);

  const refused = await cli(['profiles', 'import', file, '--json']);
  assert.equal(refused.code, 1);
  const error = refused.json<{ error: { code: string; message: string } }>().error;
  assert.equal(error.code, 'refused');
  assert.match(
    error.message,
    /Nothing imported: the file lowers the safety of profiles \(new production ones with less safe settings than the defaults\):\n {2}prod-payments \(new, production\): allowAssistants: default → true/,
  );
  assert.equal(storeSnapshot(home), before, 'a refused import changes nothing');

  const allowed = await cli(['profiles', 'import', file, '--allow-downgrade', '--json']);
  assert.equal(allowed.code, 0, allowed.stderr);
  const report = allowed.json<ImportReport>();
  assert.equal(report.downgradesAllowed, true);
  assert.deepEqual(
    report.permissive?.map((p) => [p.name, p.changes.map((c) => c.field)]),
    [['prod-payments', ['allowAssistants', 'rehearsalSample', 'maskPatterns']]],
  );
  const shown = (await cli(['profiles', 'show', 'prod-payments', '--json'])).json<{
    allowAssistants?: boolean;
    maskPatterns?: string[];
  }>();
  assert.equal(shown.allowAssistants, true);
  assert.deepEqual(shown.maskPatterns, []);
});

test('a new staging profile with the same settings is imported, and the report says what it allows', async () => {
  const imported = await cli(['profiles', 'import', sharedFile('staging-payments', 'staging'), '--json']);
  assert.equal(imported.code, 0, imported.stderr);
  const report = imported.json<ImportReport>();
  assert.deepEqual(report.downgrades, [], 'not refused outside production');
  assert.equal(report.permissive?.[0]?.name, 'staging-payments');
  assert.equal(report.permissive?.[0]?.changes.length, 3);
  const text = await cli(['profiles', 'import', sharedFile('staging-orders', 'staging')]);
  assert.match(
    text.stdout,
    /WARNING {3}staging-orders \(new, staging\) comes with settings less safe than the defaults:\n {12}allowAssistants: default → true/,
  );
});
