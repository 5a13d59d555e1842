import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import pg from 'pg';
import { startPostgres, startSshd, type PostgresServer, type SshdServer } from '../harness/index';
import { openApp, type AppUnderTest } from '../support/app-under-test';
import { harnessProfile } from '../support/profiles';
import { until } from '../support/until';

const root = fileURLToPath(new URL('../..', import.meta.url));
let pgServer: PostgresServer;
let sshd: SshdServer;
let app: AppUnderTest;
let direct: pg.Client;
let profileId: string;

before(async () => {
  [pgServer, sshd] = await Promise.all([startPostgres(), startSshd()]);
  direct = new pg.Client({ connectionString: pgServer.connectionString() });
  await direct.connect();
  await direct.query(
    "CREATE TABLE flags (name text PRIMARY KEY, enabled boolean); INSERT INTO flags VALUES ('checkout_v2', true)",
  );
  app = await openApp({ hostKeyPrompter: { ask: async () => true } });
  profileId = (
    await app.temp.core.invoke('profiles.save', {
      profile: { ...harnessProfile('prod-eu', { sshd, pg: pgServer }, 'production'), allowAssistants: true },
      allowDowngrade: true,
    })
  ).id;
  await app.temp.core.invoke('incidents.start', { title: 'Checkout failing', severity: 'P1' });
  await app.page.reload();
  await app.page.getByTestId('profile-item-prod-eu').click();
  await app.page.getByTestId('toggle-timeline').click();
});
after(async () => {
  await direct?.end();
  await app?.close();
  await Promise.all([pgServer?.stop(), sshd?.dispose()]);
});

test("an assistant's proposal appears in the open incident, a person runs it with break-glass, and the assistant sees the outcome", async () => {
  const { page } = app;
  const first = await app.temp.core.invoke('assistants.propose', {
    agent: 'claude-e2e',
    profileId,
    sql: "UPDATE flags SET enabled = false WHERE name = 'checkout_v2'",
    why: 'checkout_v2 throws on every order',
  });
  const proposal = page.getByTestId('timeline').locator('[data-kind="proposal"]');
  await proposal.getByText(/Proposal by claude-e2e on prod-eu \[write\], not run/).waitFor();
  assert.equal((await direct.query('SELECT enabled FROM flags')).rows[0].enabled, true, 'a proposal runs nothing');
  await proposal.getByTestId('proposal-run').click();
  await page.getByTestId('sql-confirm-dialog').waitFor({ timeout: 20_000 });
  await page.getByTestId('sql-confirm-name').fill('prod-eu');
  await page.getByTestId('sql-commit').click();
  await page.getByTestId('timeline').locator('[data-kind="confirmation"]').waitFor();
  // The confirmation is recorded before the COMMIT is sent: the change lands just after it.
  const enabled = async () => (await direct.query('SELECT enabled FROM flags')).rows[0].enabled;
  await until('the change to be committed', async () => !(await enabled()), 5_000).catch(() => undefined);
  assert.equal(await enabled(), false, 'committed after the typed name');

  const second = await app.temp.core.invoke('assistants.propose', {
    agent: 'claude-e2e',
    profileId,
    sql: 'DELETE FROM flags',
    why: 'start clean',
  });
  const last = proposal.last();
  await last.getByText(/DELETE FROM flags/).waitFor();
  await last.getByTestId('proposal-dismiss').click();
  await last.getByTestId('proposal-dismissed').waitFor();
  assert.equal(Number((await direct.query('SELECT count(*) AS n FROM flags')).rows[0].n), 1);

  const assistant = new Client({ name: 'claude-e2e', version: '1' });
  await assistant.connect(
    new StdioClientTransport({
      command: `${root}node_modules/.bin/node`,
      args: [`${root}bin/opsconsole.mjs`, 'mcp'],
      cwd: root,
      env: { ...(process.env as Record<string, string>), OPSCONSOLE_HOME: app.temp.dataDir, OPSCONSOLE_VAULT: 'file' },
      stderr: 'ignore',
    }),
  );
  try {
    const shown = (await assistant.callTool({ name: 'incident_show', arguments: {} })) as CallToolResult;
    const text = shown.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');
    assert.match(text, /Confirmed on prod-eu \[write\] by typing the profile name — UPDATE flags/);
    assert.match(text, new RegExp(`Dismissed proposal ${second.proposalId} by claude-e2e on prod-eu, not run`));
    assert.match(text, /Break-glass run of proposal \S+ by claude-e2e on prod-eu \[write\], started by a person/);
    // The run is linked to its proposal: its own event, before the confirmation, and in the exported report.
    const events = await app.temp.core.invoke('incidents.events', { id: first.incidentId, limit: 10_000 });
    const taken = events.findIndex((e) => e.kind === 'proposal.run' && e.payload.proposalId === first.proposalId);
    assert.ok(
      taken >= 0 && events.findIndex((e) => e.kind === 'confirmation') > taken,
      'the break-glass run follows its proposal.run event',
    );
    assert.ok(events.some((e) => e.kind === 'proposal.dismissed' && e.payload.proposalId === second.proposalId));
    const states = await app.temp.core.invoke('assistants.proposals', { id: first.incidentId });
    assert.deepEqual(
      states.map((p) => [p.proposalId, p.state]),
      [
        [first.proposalId, 'run'],
        [second.proposalId, 'dismissed'],
      ],
    );
    const report = await app.temp.core.invoke('incidents.export', { id: first.incidentId, format: 'md' });
    assert.match(JSON.stringify(report), new RegExp(`Break-glass run of proposal ${first.proposalId} by claude-e2e`));
  } finally {
    await assistant.close();
  }
});

test('Settings → Assistants: the configuration ready to copy, and the profiles that allow assistants', async () => {
  const { page } = app;
  await page.getByTestId('open-settings').click();
  const snippet = JSON.parse((await page.getByTestId('assistants-snippet').textContent()) ?? '');
  assert.deepEqual(snippet.mcpServers.opsconsole.args, ['opsconsole', 'mcp']);
  assert.equal(await page.getByTestId('assistants-profiles').textContent(), 'prod-eu (production)');
});
