import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startPostgres, startSshd, type PostgresServer, type SshdServer } from '../harness/index';
import { tempCore, type TempCore } from '../support/temp-core';
import { harnessProfile } from '../support/profiles';
import { readSql } from '../support/sql';

let pg: PostgresServer;
let sshd: SshdServer;
let temp: TempCore;
let profileId: string;

before(async () => {
  [pg, sshd] = await Promise.all([startPostgres(), startSshd()]);
  temp = tempCore({ hostKeyPrompter: { ask: async () => true } });
  const profile = await temp.core.invoke('profiles.save', { profile: harnessProfile('runbook-staging', { sshd, pg }) });
  profileId = profile.id;
});
after(async () => {
  await temp?.dispose();
  await Promise.all([pg?.stop(), sshd?.dispose()]);
});

test("every read SQL step of the bundled Postgres runbook without parameters runs on the profile's Postgres", async () => {
  const path = fileURLToPath(new URL('../../runbooks/postgres-on-call.md', import.meta.url));
  const plan = await temp.core.invoke('runbooks.open', { path });
  // pg_stat_statements is an extension the harness does not load.
  const steps = plan.steps.filter(
    (s) =>
      s.kind === 'sql' &&
      s.target === 'postgres' &&
      s.risk === 'read' &&
      s.parameters.length === 0 &&
      !s.text.includes('pg_stat_statements'),
  );
  assert.ok(steps.length >= 6, steps.map((s) => s.id).join(', '));
  for (const step of steps) {
    const result = await readSql(temp.core, { profileId, sql: step.template?.sql ?? step.text });
    assert.ok(result.fields.length > 0, `${step.id} returned columns`);
  }
});

const seed = fileURLToPath(new URL('../../../shared/corpus/seeds/spilt-tea-runbook.md', import.meta.url));
test(
  'read steps of a corpus runbook that touch only the catalog run too',
  { skip: existsSync(seed) ? false : `the corpus file ${seed} is absent` },
  async () => {
    const { readFileSync } = await import('node:fs');
    const plan = await temp.core.invoke('runbooks.open', {
      text: readFileSync(seed, 'utf8'),
      name: 'spilt-tea-runbook.md',
    });
    const catalogReads = plan.steps.filter(
      (s) => s.kind === 'sql' && s.risk === 'read' && /pg_stat_activity/.test(s.text),
    );
    assert.ok(catalogReads.length >= 2);
    for (const step of catalogReads) {
      const result = await readSql(temp.core, { profileId, sql: step.template?.sql ?? step.text });
      assert.ok(result.fields.length > 0, `${step.id} ran`);
    }
  },
);
