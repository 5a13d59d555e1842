import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { ProfileInput, ProfilesExport } from '../../src/shared/profile';
import { storeSnapshot } from '../support/store-snapshot';
import { readStoredProfiles } from '../support/stored-profiles';
import { tempCore, type TempCore } from '../support/temp-core';

let temp: TempCore;
before(() => {
  temp = tempCore();
});
after(() => temp.dispose());

const full: ProfileInput = {
  name: 'prod-eu',
  environment: 'production',
  tags: ['eu'],
  ssh: {
    host: 'target.example',
    user: 'deploy',
    auth: 'key',
    keyPath: '~/.ssh/id',
    jumps: [{ host: 'bastion.example', user: 'alice', auth: 'password' }],
  },
  postgres: { host: '10.0.0.5', database: 'app', user: 'ro' },
  redis: { host: '10.0.0.6', username: 'ops', tls: true },
  secrets: {
    pgPassword: { set: 'pg-secret-1' },
    redisPassword: { set: 'redis-secret-1' },
    jump1Password: { set: 'jump-secret-1' },
  },
};

type Failure = Error & { code?: string };
async function refused(promise: Promise<unknown>, code: string, message: RegExp): Promise<void> {
  const before = storeSnapshot(temp.dataDir);
  await assert.rejects(promise, (error: Failure) => {
    assert.equal(error.code, code, error.message);
    assert.match(error.message, message);
    return true;
  });
  assert.equal(storeSnapshot(temp.dataDir), before, 'the store is unchanged');
}

test('save, edit and secrets: the view says only whether each secret is set', async () => {
  const saved = await temp.core.invoke('profiles.save', { profile: full });
  assert.equal(saved.safety, 'production');
  assert.deepEqual(saved.secrets, {
    sshPassword: false,
    sshPassphrase: false,
    jump1Password: true,
    jump1Passphrase: false,
    pgPassword: true,
    redisPassword: true,
  });
  assert.equal(JSON.stringify(saved).includes('secret-1'), false);
  assert.equal(
    readStoredProfiles(temp.dataDir, (profiles) => profiles.secret(saved.id, 'jump1Password')),
    'jump-secret-1',
  );

  const byName = await temp.core.invoke('profiles.get', { name: 'PROD-EU' });
  assert.equal(byName.id, saved.id);

  // Removing the Redis section drops its secret; absent secrets are kept.
  const { redis: _redis, secrets: _secrets, ...withoutRedis } = full;
  const edited = await temp.core.invoke('profiles.save', {
    id: saved.id,
    profile: { ...withoutRedis, notes: 'edited' },
  });
  assert.equal(edited.secrets.redisPassword, undefined);
  assert.equal(
    readStoredProfiles(temp.dataDir, (profiles) => profiles.secret(saved.id, 'redisPassword')),
    undefined,
  );
  assert.equal(edited.secrets.pgPassword, true);
  const cleared = await temp.core.invoke('profiles.save', {
    id: saved.id,
    profile: { ...withoutRedis, secrets: { pgPassword: { clear: true } } },
  });
  assert.equal(cleared.secrets.pgPassword, false);
});

test('bad saves are refused with the field named, and the store is unchanged', async () => {
  await refused(
    temp.core.invoke('profiles.save', { profile: { ...full, name: 'Prod-EU' } }),
    'conflict',
    /name "Prod-EU" is already used/,
  );
  await refused(
    temp.core.invoke('profiles.save', {
      profile: { name: 'x', environment: 'staging', secrets: { pgPassword: { set: 'p' } } },
    }),
    'invalid_input',
    /secrets\.pgPassword cannot be set: this profile has no Postgres section/,
  );
  await refused(
    temp.core.invoke('profiles.save', {
      profile: { name: 'x', environment: 'staging', ssh: { host: 'h', user: 'u', port: 0 } },
    }),
    'invalid_input',
    /input\.profile\.ssh\.port must be between 1 and 65535/,
  );
  await refused(
    temp.core.invoke('profiles.save', {
      profile: { name: 'x', environment: 'staging', ssh: { host: 'h', user: 'u', port: 70000 } },
    }),
    'invalid_input',
    /ssh\.port must be between 1 and 65535/,
  );
  await refused(
    temp.core.invoke('profiles.save', { profile: { name: 'x', environment: 'staging', ssh: { host: '', user: 'u' } } }),
    'invalid_input',
    /ssh\.host is empty/,
  );
  await refused(
    temp.core.invoke('profiles.save', { profile: { name: 'x', environment: 'qa' as 'custom' } }),
    'invalid_input',
    /environment must be one of production, staging, development, custom/,
  );
  await refused(
    temp.core.invoke('profiles.save', {
      profile: {
        name: 'x',
        environment: 'staging',
        ssh: {
          host: 'h',
          user: 'u',
          jumps: [
            { host: 'j', user: 'u' },
            { host: 'j', user: 'v' },
          ],
        },
      },
    }),
    'invalid_input',
    /ssh\.jumps\.1\.host makes a ProxyJump loop/,
  );
  await refused(
    temp.core.invoke('profiles.save', {
      profile: {
        name: 'x',
        environment: 'staging',
        postgres: { host: 'h', database: 'd', user: 'u', port: '5432' as unknown as number },
      },
    }),
    'invalid_input',
    /postgres\.port must be a number/,
  );
  await refused(
    temp.core.invoke('profiles.save', { id: 'no-such-id', profile: { name: 'y', environment: 'staging' } }),
    'not_found',
    /No profile with id no-such-id/,
  );
  const current = await temp.core.invoke('profiles.get', { name: 'prod-eu' });
  await refused(
    temp.core.invoke('profiles.save', {
      id: current.id,
      expectedUpdatedAt: '2000-01-01T00:00:00.000Z',
      profile: { name: 'prod-eu', environment: 'production' },
    }),
    'conflict',
    /Profile "prod-eu" was changed elsewhere .* reload it and make the change again/,
  );
});

test("an edit that lowers a profile's safety is refused unless the operator allowed it, and an allowed one is logged", async () => {
  const { secrets: _none, ...rest } = full;
  const fields: ProfileInput = { ...rest, name: 'prod-ap' };
  const current = await temp.core.invoke('profiles.save', { profile: fields });
  const lowered: ProfileInput = { ...fields, environment: 'staging' };
  await refused(
    temp.core.invoke('profiles.save', { id: current.id, profile: lowered }),
    'refused',
    /Nothing saved: this edit lowers the safety of "prod-ap":\n {2}environment: production → staging \(DOWNGRADE: less protected environment\)\n {2}safety: production → standard \(DOWNGRADE: weaker safety level\)\nIf that is intended, save again with --allow-downgrade/,
  );
  const preview = await temp.core.invoke('profiles.previewSave', { id: current.id, profile: lowered });
  assert.equal(preview.downgrades.length, 2, 'the preview lists what the save refuses');

  const tagged = await temp.core.invoke('profiles.save', { id: current.id, profile: { ...fields, tags: ['ap'] } });
  assert.deepEqual(tagged.tags, ['ap'], 'an edit that lowers nothing needs no permission');

  const allowed = await temp.core.invoke('profiles.save', { id: current.id, profile: lowered, allowDowngrade: true });
  assert.equal(allowed.environment, 'staging');
  const log = readFileSync(join(temp.dataDir, 'logs', 'opsconsole.log'), 'utf8');
  assert.match(log, /profiles\.save: safety downgrade allowed by the operator.*environment: production → staging/);

  const raised = await temp.core.invoke('profiles.save', { id: current.id, profile: fields });
  assert.equal(raised.environment, 'production', 'raising it again needs nothing');
  await temp.core.invoke('profiles.remove', { id: current.id });
});

test('a new production profile less safe than the defaults is refused unless allowed, as an import would be', async () => {
  const permissive: ProfileInput = {
    name: 'prod-mcp',
    environment: 'production',
    allowAssistants: true,
    postgres: { host: '10.0.0.5', database: 'app', user: 'ro' },
  };
  await refused(
    temp.core.invoke('profiles.save', { profile: permissive }),
    'refused',
    /Nothing saved: the new production profile "prod-mcp" comes with settings less safe than the defaults:\n {2}allowAssistants: default → true \(DOWNGRADE: lets AI assistants read through opsconsole mcp\)/,
  );
  const staging = await temp.core.invoke('profiles.save', {
    profile: { ...permissive, name: 'staging-mcp', environment: 'staging' },
  });
  assert.equal(staging.allowAssistants, true, "below production it is the owner's call, as for an import");
  const allowed = await temp.core.invoke('profiles.save', { profile: permissive, allowDowngrade: true });
  assert.equal(allowed.allowAssistants, true);
  for (const id of [staging.id, allowed.id]) await temp.core.invoke('profiles.remove', { id });
});

test('export carries no secret; import round-trips into another store', async () => {
  const exported = await temp.core.invoke('profiles.export', {});
  assert.equal(exported.format, 'opsconsole.profiles');
  assert.equal(exported.version, 1);
  assert.equal(/secret-1|"secrets"/.test(JSON.stringify(exported)), false);
  const other = tempCore();
  try {
    const report = await other.core.invoke('profiles.import', { text: JSON.stringify(exported) });
    assert.deepEqual(
      report.created.map((p) => p.name),
      ['prod-eu'],
    );
    const again = await other.core.invoke('profiles.export', {});
    assert.deepEqual(again.profiles, exported.profiles);
  } finally {
    await other.dispose();
  }
});

test('a name clash: refused without a choice, then skip, rename, replace; dry run writes nothing', async () => {
  const exported = await temp.core.invoke('profiles.export', {});
  const text = JSON.stringify(exported);
  await refused(
    temp.core.invoke('profiles.import', { text }),
    'conflict',
    /1 profile\(s\) already exist: prod-eu\. Choose what to do with them: skip, rename or replace/,
  );

  const before = storeSnapshot(temp.dataDir);
  const dry = await temp.core.invoke('profiles.import', { text, onConflict: 'rename', dryRun: true });
  assert.deepEqual(
    dry.renamed.map((r) => [r.to, r.id]),
    [['prod-eu (2)', '']],
  );
  assert.equal(storeSnapshot(temp.dataDir), before, 'a dry run changes nothing');

  const skipped = await temp.core.invoke('profiles.import', { text, onConflict: 'skip' });
  assert.deepEqual(
    skipped.skipped.map((s) => s.name),
    ['prod-eu'],
  );
  assert.equal(storeSnapshot(temp.dataDir), before);

  const renamed = await temp.core.invoke('profiles.import', { text, onConflict: 'rename' });
  assert.deepEqual(
    renamed.renamed.map((r) => [r.from, r.to]),
    [['prod-eu', 'prod-eu (2)']],
  );
  const renamedTwice = await temp.core.invoke('profiles.import', { text, onConflict: 'rename' });
  assert.equal(renamedTwice.renamed[0]!.to, 'prod-eu (3)');

  // Replace: the same endpoint keeps its password, a changed endpoint loses it.
  const original = await temp.core.invoke('profiles.get', { name: 'prod-eu' });
  await temp.core.invoke('profiles.save', {
    id: original.id,
    profile: {
      name: 'prod-eu',
      environment: 'production',
      ssh: original.ssh,
      postgres: original.postgres,
      secrets: { pgPassword: { set: 'pg-secret-2' } },
    },
  });
  const moved: ProfilesExport = structuredClone(exported);
  moved.profiles[0]!.notes = 'replaced';
  const kept = await temp.core.invoke('profiles.import', { text: JSON.stringify(moved), onConflict: 'replace' });
  assert.deepEqual(kept.replaced, [
    {
      id: original.id,
      name: 'prod-eu',
      changes: [
        { field: 'notes', before: '(empty)', after: 'replaced' },
        { field: 'tags', before: '[]', after: '["eu"]' },
      ],
      secretsDropped: [],
    },
  ]);
  assert.equal(
    readStoredProfiles(temp.dataDir, (profiles) => profiles.secret(original.id, 'pgPassword')),
    'pg-secret-2',
  );
  moved.profiles[0]!.postgres!.host = 'elsewhere.example';
  await temp.core.invoke('profiles.import', { text: JSON.stringify(moved), onConflict: 'replace' });
  assert.equal(
    readStoredProfiles(temp.dataDir, (profiles) => profiles.secret(original.id, 'pgPassword')),
    undefined,
    'a password is never sent to a host the file names anew',
  );
  assert.equal((await temp.core.invoke('profiles.get', { id: original.id })).notes, 'replaced');
});

test('bad import files are refused clearly and nothing is imported', async () => {
  const file = (profiles: unknown[], extra: object = {}) =>
    JSON.stringify({ format: 'opsconsole.profiles', version: 1, profiles, ...extra });
  const good = { name: 'new-one', environment: 'staging' };
  const cases: [string, RegExp][] = [
    [
      '{"format": "opsconsole.profiles", "version": 1, "profiles": [',
      /not valid JSON \(the text ends early, line 1 column 62\): fix the file/,
    ],
    [
      '{\n  "format": "opsconsole.profiles",\n  "version": 1,\n  "profiles": [}\n}',
      /not valid JSON \(unexpected "}" at line 4 column 16\)/,
    ],
    ['PGPASSWORD=canary-in-a-dotenv\n', /not valid JSON \(unexpected "P" at line 1 column 1\)/],
    ['', /is empty/],
    [
      file([good, { name: 'b', environment: 'staging', ssh: { host: 'h', user: 'u', port: 0 } }]),
      /profiles\.1\.ssh\.port must be between 1 and 65535/,
    ],
    [
      file([good, { name: 'b', environment: 'staging', ssh: { host: 'h', user: 'u', port: 70000 } }]),
      /profiles\.1\.ssh\.port must be between 1 and 65535/,
    ],
    [file([good, { name: 'b', environment: 'staging', redis: { host: '' } }]), /profiles\.1\.redis\.host is empty/],
    [
      file([good, { name: 'b', environment: 'prod' }]),
      /profiles\.1\.environment must be one of production, staging, development, custom/,
    ],
    [
      file([
        good,
        { name: 'b', environment: 'staging', ssh: { host: 'h', user: 'u', jumps: [{ host: 'h', user: 'x' }] } },
      ]),
      /ProxyJump loop/,
    ],
    [file([good, { name: 'b', environment: 'staging', tags: 'eu' }]), /profiles\.1\.tags/],
    [
      file([good, { name: 'b', environment: 'staging', secrets: { pgPassword: { set: 'x' } } }]),
      /profiles\.1 has unknown field\(s\) secrets/,
    ],
    [file([good, { ...good, name: 'NEW-ONE' }]), /profiles\.1\.name "NEW-ONE" appears twice in the file/],
    [file([good], { format: 'something-else' }), /format must be "opsconsole\.profiles"/],
    [file([good], { version: 2 }), /written by a newer Ops Console/],
    ['[1, 2, 3]', /not a valid profiles export/],
    ['x'.repeat(10 * 1024 * 1024), /is 10\.0 MB, more than the 2 MB a profiles file can be/],
    ['PK\u0003\u0004\u0000\u0000binary', /is a binary file, not JSON text/],
    [Buffer.from([0x7b, 0xff, 0xfe, 0x7d]).toString('utf8'), /is a binary file, not JSON text/],
  ];
  for (const [text, message] of cases) {
    await refused(temp.core.invoke('profiles.import', { text, onConflict: 'skip' }), 'invalid_input', message);
  }
  assert.equal(
    readStoredProfiles(temp.dataDir, (profiles) => profiles.findByName('new-one')),
    undefined,
  );
});
