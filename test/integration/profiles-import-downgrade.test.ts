import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { ImportReport, ProfilesExport, ProfileView } from '../../src/shared/profile';
import { makeTempDir, removeDir } from '../harness/index';
import { runCliInProcess } from '../support/cli';
import { storeSnapshot } from '../support/store-snapshot';

const home = makeTempDir('cli-downgrade');
after(() => removeDir(home));
process.env.OPSCONSOLE_VAULT = 'file';
const cli = (args: string[], input?: string) => runCliInProcess(home, args, { input });

test('a replace that lowers safety is shown field by field, refused, then accepted with --allow-downgrade and logged', async () => {
  const added = await cli(
    [
      'profiles',
      'add',
      '--name',
      'prod-eu',
      '--environment',
      'production',
      '--pg-host',
      'db.internal',
      '--pg-database',
      'app',
      '--pg-user',
      'ops',
      '--pg-sslmode',
      'require',
      '--pg-password-stdin',
      '--json',
    ],
    'pg-secret\n',
  );
  assert.equal(added.code, 0, added.stderr);
  const exported = (await cli(['profiles', 'export', '--json'])).json<ProfilesExport>();
  const shared = structuredClone(exported);
  shared.profiles[0]!.environment = 'development';
  shared.profiles[0]!.safety = 'standard';
  shared.profiles[0]!.postgres!.sslmode = 'disable';
  shared.profiles[0]!.notes = 'from a colleague';
  const file = join(home, 'shared.json');
  writeFileSync(file, JSON.stringify(shared));
  const before = storeSnapshot(home);

  const dry = await cli(['profiles', 'import', file, '--on-conflict', 'replace', '--dry-run']);
  assert.equal(dry.code, 1, 'a dry run that would be refused says so by its exit status');
  assert.match(dry.stdout, /replaced {2}prod-eu\n/);
  assert.match(dry.stdout, /environment: production → development \(DOWNGRADE: less protected environment\)/);
  assert.match(dry.stdout, /postgres\.sslmode: require → disable \(DOWNGRADE: weaker Postgres TLS\)/);
  assert.match(dry.stdout, /notes: \(empty\) → from a colleague/);
  assert.match(dry.stdout, /stored secrets dropped \(the route changed, you will be asked again\): pgPassword/);
  assert.match(dry.stdout, /would be REFUSED.*--allow-downgrade/);
  assert.equal(storeSnapshot(home), before);

  const refused = await cli(['profiles', 'import', file, '--on-conflict', 'replace', '--json']);
  assert.equal(refused.code, 1);
  const error = refused.json<{ ok: false; error: { code: string; message: string } }>().error;
  assert.equal(error.code, 'refused');
  assert.match(
    error.message,
    /Nothing imported: the file lowers the safety of existing profiles:\n {2}prod-eu: environment: production → development/,
  );
  assert.equal(storeSnapshot(home), before, 'a refused import changes nothing');

  const allowed = await cli(['profiles', 'import', file, '--on-conflict', 'replace', '--allow-downgrade', '--json']);
  assert.equal(allowed.code, 0, allowed.stderr);
  const report = allowed.json<ImportReport>();
  assert.equal(report.downgradesAllowed, true);
  assert.equal(report.downgrades.length, 3);
  const now = (await cli(['profiles', 'show', 'prod-eu', '--json'])).json<ProfileView>();
  assert.equal(now.environment, 'development');
  assert.equal(now.secrets.pgPassword, false, 'weaker TLS drops the stored password');
  const log = readFileSync(join(home, 'logs', 'opsconsole.log'), 'utf8');
  assert.match(log, /safety downgrade allowed by the operator.*prod-eu: environment: production → development/);
});
