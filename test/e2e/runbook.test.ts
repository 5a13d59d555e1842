import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import {
  passwordUser,
  startPostgres,
  startRedis,
  startSshd,
  type PostgresServer,
  type RedisServer,
  type SshdServer,
} from '../harness/index';
import { openApp, type AppUnderTest } from '../support/app-under-test';
import { seriousViolations } from '../support/axe';
import { harnessProfile } from '../support/profiles';
import type { IncidentEvent } from '../../src/shared/incident';

let pgServer: PostgresServer;
let sshd: SshdServer;
let redisServer: RedisServer;
/** A runbook written by others (../shared/corpus), opened from a folder the operator added. */
const seed = fileURLToPath(new URL('../../../shared/corpus/seeds/scroll-novels-runbook.md', import.meta.url));
let app: AppUnderTest;
let incidentId: string;

before(async () => {
  // A bare interactive bash as the bastion's shell (as test/integration/terminal-remote.test.ts does): the
  // machine's own rc files may take a minute, and a terminal step's end mark comes from the shell.
  [pgServer, redisServer, sshd] = await Promise.all([
    startPostgres(),
    startRedis(),
    startSshd({ config: ['ForceCommand exec /bin/bash --noprofile --norc -i'] }),
  ]);
  const direct = new pg.Client({ connectionString: pgServer.connectionString() });
  await direct.connect();
  for (const name of ['orders', 'customers', 'invoices', 'events'])
    await direct.query(`CREATE TABLE ${name} (id int PRIMARY KEY, body text)`);
  await direct.query("INSERT INTO orders SELECT g, repeat('x', 200) FROM generate_series(1, 2000) g");
  await direct.end();
  app = await openApp({ hostKeyPrompter: { ask: async () => true } });
  const profile = harnessProfile('staging-eu', { sshd, pg: pgServer, redis: redisServer });
  const account = passwordUser();
  if (account)
    Object.assign(profile, {
      ssh: { host: sshd.host, port: sshd.port, user: account.user, auth: 'password' },
      secrets: { ...profile.secrets, sshPassword: { set: account.password } },
    });
  await app.temp.core.invoke('profiles.save', { profile });
  incidentId = (await app.temp.core.invoke('incidents.start', { title: 'Checkout is slow', severity: 'P2' })).id;
  await app.page.reload();
  await app.page.getByTestId('profile-item-staging-eu').click();
  await app.page.getByTestId('open-runbooks').click();
});
after(async () => {
  await app?.close();
  await Promise.all([pgServer?.stop(), redisServer?.stop(), sshd?.dispose()]);
});

const step = (id: string) => app.page.locator(`[data-testid="runbook-step"][data-step-id="${id}"]`);

test('the library lists the bundled runbooks; one opens as a guided panel', async () => {
  const { page } = app;
  await page.getByTestId('runbook-item').first().waitFor();
  await page.getByTestId('runbook-search').fill('redis');
  assert.deepEqual(await page.getByTestId('runbook-item').locator('.runbook-item-title').allTextContents(), [
    'Redis on call',
  ]);
  await page.getByTestId('runbook-search').fill('');
  await page.locator('[data-testid="runbook-item"][data-path$="postgres-on-call.md"]').click();
  await page.getByTestId('runbook-title').filter({ hasText: 'Postgres on call' }).waitFor();
  assert.equal(await step('terminate-backend').getByTestId('runbook-step-risk').textContent(), 'dangerous');
  assert.match(
    (await step('terminate-backend').locator('.reasons').textContent()) ?? '',
    /\S/,
    'a dangerous step shows its reasons',
  );
  assert.match((await step('host-disk').getByTestId('runbook-step-why').textContent()) ?? '', /No terminal is open/);
  assert.deepEqual(await seriousViolations(page), [], 'the panel passes axe');
});

test('a parameter is validated, filled, and the SQL step runs on the profile and shows rows', async () => {
  const largest = step('largest-relations');
  await largest.getByTestId('runbook-param-row_limit').fill('three');
  assert.match(
    (await largest.getByTestId('runbook-param-error').textContent()) ?? '',
    /row_limit must be a whole number/,
  );
  await largest.getByTestId('runbook-step-run').click();
  await largest.getByTestId('runbook-step-status').filter({ hasText: 'Failed' }).waitFor();
  await largest.getByTestId('runbook-param-row_limit').fill('3');
  assert.equal(await largest.getByTestId('runbook-param-error').count(), 0);
  await largest.getByTestId('runbook-step-run').click();
  await largest.getByTestId('runbook-step-status').filter({ hasText: 'Done' }).waitFor({ timeout: 20_000 });
  const rows = largest.getByTestId('runbook-sql-result').locator('tbody tr');
  assert.equal(await rows.count(), 3);
  assert.match(
    (await rows.first().locator('td').first().textContent()) ?? '',
    /orders/,
    'the biggest relation comes first',
  );
  // One duration per step: on the step's status line, none on its statements.
  assert.match((await largest.getByTestId('runbook-step-duration').textContent()) ?? '', /^ · \d+ ms$/);
  assert.doesNotMatch((await largest.getByTestId('sql-statement-count').allTextContents()).join('\n'), /\bms\b/);
});

test('"Run all" runs the read-only steps of a section and skips the dangerous one', async () => {
  const section = app.page.locator('[data-testid="runbook-section"][data-slug="connections"]');
  await section.getByTestId('runbook-runall-start').click();
  await section.getByTestId('runbook-runall-status').filter({ hasText: 'all done' }).waitFor({ timeout: 20_000 });
  assert.match((await section.getByTestId('runbook-runall-status').textContent()) ?? '', /^2\/2/);
  assert.equal(
    await step('connections-by-state')
      .getByTestId('runbook-step-status')
      .textContent()
      .then((t) => t?.startsWith('Done')),
    true,
  );
  assert.equal(
    await step('terminate-backend').getByTestId('runbook-step-status').count(),
    0,
    'the dangerous step did not run',
  );
});

test('a checklist tick and the step are in the incident timeline', async () => {
  const { page } = app;
  const item = page
    .locator('[data-testid="runbook-checklist"] li')
    .filter({ hasText: 'The cause is written in the incident timeline' });
  await item.getByTestId('runbook-check').check();
  const deadline = Date.now() + 5000;
  let events = await app.temp.core.invoke('incidents.events', { id: incidentId });
  while (!events.some((e) => e.kind === 'checklist.tick') && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    events = await app.temp.core.invoke('incidents.events', { id: incidentId });
  }
  const tick = events.find((e) => e.kind === 'checklist.tick');
  assert.ok(tick, 'the tick is recorded');
  assert.equal((tick.payload as { checked: boolean }).checked, true);
  assert.match((tick.payload as { runbook: string }).runbook, /postgres-on-call\.md$/);
  const ran = events.filter(
    (e) => e.kind === 'runbook.step' && (e.payload as { step: string }).step === 'largest-relations',
  );
  assert.deepEqual(
    ran.map((e) => (e.payload as { outcome: string }).outcome),
    ['ok'],
    'the step ran once (the invalid value never reached the server)',
  );
  assert.deepEqual((ran[0]!.payload as { parameters: unknown[] }).parameters, [
    { name: 'row_limit', value: '3', secret: false },
  ]);
  assert.equal((ran[0]!.payload as { profileName: string }).profileName, 'staging-eu');
  assert.ok(
    events.some((e) => e.kind === 'sql.run' && /LIMIT/.test((e.payload as { sql: string }).sql)),
    'the SQL itself is recorded by sql.run',
  );
});

test('a dangerous SQL step waits in the break-glass dialog and is rolled back', async () => {
  const { page } = app;
  const terminate = step('terminate-backend');
  await terminate.getByTestId('runbook-param-pid').fill('999999');
  await terminate.getByTestId('runbook-step-run').click();
  const dialog = page.getByTestId('sql-confirm-dialog');
  await dialog.waitFor({ timeout: 20_000 });
  await page.getByTestId('sql-rollback').click();
  await terminate.getByTestId('runbook-step-status').filter({ hasText: 'Not kept' }).waitFor();
});

test("a Redis step runs on the profile's Redis and shows its reply", async () => {
  const { page } = app;
  await page.locator('[data-testid="runbook-item"][data-path$="redis-on-call.md"]').click();
  await page.getByTestId('runbook-title').filter({ hasText: 'Redis on call' }).waitFor();
  const info = page.getByTestId('runbook-step').filter({ hasText: 'INFO memory' }).first();
  await info.getByTestId('runbook-step-run').click();
  await info.getByTestId('runbook-step-status').filter({ hasText: 'Done' }).waitFor({ timeout: 20_000 });
  assert.match((await info.getByTestId('runbook-redis-result').allTextContents()).join('\n'), /used_memory/);
  assert.equal(await info.getByTestId('runbook-step-duration').count(), 1, 'one duration for the step');
  assert.doesNotMatch(
    (await info.locator('.redis-result .result-meta').allTextContents()).join('\n'),
    /\bms\b/,
    'none per command',
  );
});

test(
  'a corpus runbook from an added folder opens; its SQL and redis-cli steps run',
  { skip: existsSync(seed) ? false : `the corpus file ${seed} is absent` },
  async () => {
    const { page } = app;
    await app.temp.core.invoke('settings.update', { patch: { runbookFolders: [dirname(seed)] } });
    await page.getByTestId('runbook-refresh').click();
    await page.locator('[data-testid="runbook-item"][data-path$="scroll-novels-runbook.md"]').click();
    await page.getByTestId('runbook-title').filter({ hasText: 'Scroll Novels' }).waitFor();
    const version = step('1-verify-system-health-1');
    await version.getByTestId('runbook-step-run').click();
    await version.getByTestId('runbook-step-status').filter({ hasText: 'Done' }).waitFor({ timeout: 20_000 });
    assert.match(
      (await version.getByTestId('runbook-sql-result').locator('td').first().textContent()) ?? '',
      /PostgreSQL/,
    );
    const ping = step('1-verify-system-health-2');
    await ping.getByTestId('runbook-step-run').click();
    await ping.getByTestId('runbook-redis-result').filter({ hasText: 'PONG' }).waitFor({ timeout: 20_000 });
    // HTTP steps are shown, not run; their bearer token is a secret parameter, typed masked.
    const http = step('2-manual-patreon-reconciliation-1');
    assert.equal(await http.getByTestId('runbook-step-run').count(), 0);
    assert.equal(await http.getByTestId('runbook-param-admin_token').getAttribute('type'), 'password');
  },
);

test('a shell step opens its terminal from the card, runs there, and its output and exit status land in the card and the timeline', async () => {
  const { page } = app;
  await page.locator('[data-testid="runbook-item"][data-path$="postgres-on-call.md"]').click();
  await page.getByTestId('runbook-title').filter({ hasText: 'Postgres on call' }).waitFor();
  const disk = step('host-disk');
  assert.equal(await disk.getByTestId('runbook-step-open-terminal').textContent(), 'Open a terminal on staging-eu');
  await disk.getByTestId('runbook-step-open-terminal').click();
  await page.getByTestId('terminal-tab').waitFor();
  await disk.getByTestId('runbook-step-send-run').click();
  // Whether du finds a pg_wal depends on the machine: the card says what the shell's own status was.
  await disk.getByTestId('runbook-terminal-result').waitFor({ timeout: 20_000 });
  const exit = Number(await disk.getByTestId('runbook-terminal-exit').textContent());
  assert.equal(
    await disk
      .getByTestId('runbook-step-status')
      .textContent()
      .then((t) => t?.split(' ·')[0]),
    exit === 0 ? 'Done' : 'Failed',
  );
  assert.match(
    (await disk.getByTestId('runbook-terminal-output').textContent()) ?? '',
    /Filesystem|No such file or directory/,
  );
  // The card settles first; the step's record follows it (one more round trip to the core).
  let ran: IncidentEvent | undefined;
  for (
    const started = Date.now();
    !ran && Date.now() - started < 10_000;
    await new Promise((r) => setTimeout(r, 200))
  ) {
    const events = await app.temp.core.invoke('incidents.events', { id: incidentId });
    ran = events.find((e) => e.kind === 'runbook.step' && (e.payload as { step: string }).step === 'host-disk');
  }
  assert.ok(ran, 'the run is recorded as a runbook step');
  assert.equal(ran.payload.exitStatus, exit);
  assert.equal(ran.payload.outcome, exit === 0 ? 'ok' : 'error');
  assert.match(String(ran.payload.output), /Filesystem|No such file or directory/);
  assert.doesNotMatch(String(ran.payload.output), /__opsconsole_/, 'the sentinel is not part of the output');
  assert.ok(
    typeof ran.payload.terminal === 'string' && ran.payload.terminal.length > 0,
    'the terminal it ran in is named',
  );
  assert.deepEqual(
    await seriousViolations(page),
    [],
    'the panel with the terminal dock open (tabs, text size) passes axe',
  );
});

test('values are data: the card shows a hostile default and a typed value quoted, exactly as they are pasted', async () => {
  const { page } = app;
  const folder = mkdtempSync(join(tmpdir(), 'opsconsole-quoting-'));
  chmodSync(folder, 0o777); // the bastion's shell user writes here
  const marker = (n: number) => join(folder, `owned-${n}`);
  const out = join(folder, 'out.txt');
  const label = `$(touch ${marker(1)})\nx' && touch ${marker(2)} && echo '`;
  const note = `"; touch ${marker(3)}; echo " \`touch ${marker(4)}\` && touch ${marker(5)}`;
  writeFileSync(
    join(folder, 'quoting.md'),
    `---\ntitle: Quoting check\nparameters:\n  - name: label\n    type: string\n    default: ${JSON.stringify(label)}\n  - name: note\n    type: string\n---\n\n# Quoting\n\n\`\`\`bash title=write\nprintf '%s|%s' {{label}} "{{note}}" > ${out}\n\`\`\`\n`,
  );
  await app.temp.core.invoke('settings.update', { patch: { runbookFolders: [folder] } });
  await page.getByTestId('runbook-refresh').click();
  await page.locator('[data-testid="runbook-item"][data-path$="quoting.md"]').click();
  await page.getByTestId('runbook-title').filter({ hasText: 'Quoting check' }).waitFor();
  const write = page.getByTestId('runbook-step').first();
  await write.getByTestId('runbook-param-note').fill(note);
  const shown = (await write.getByTestId('runbook-step-text').textContent()) ?? '';
  assert.ok(
    shown.includes(`printf '%s|%s' '$(touch ${marker(1)})\nx'\\''`),
    `the card shows the quoted text: ${shown}`,
  );
  // What the shell then does with it is checked against a real bastion in test/integration/terminal-quoting.test.ts.
  assert.equal(shown, `printf '%s|%s' '${label.replace(/'/g, "'\\''")}' ""'${note}'"" > ${out}`);
  await write.getByTestId('runbook-step-send-run').click();
  // It writes a file on the bastion: not a plain read, so the terminal asks first, saying why.
  const ask = page.getByTestId('terminal-send-confirm');
  await ask.waitFor();
  assert.ok(((await ask.textContent()) ?? '').includes(`writes to ${out}`), 'the dialog says why');
  await page.getByTestId('terminal-send-confirm-yes').click();
  await write.getByTestId('runbook-step-status').filter({ hasText: 'Done' }).waitFor({ timeout: 20_000 });
  await new Promise((r) => setTimeout(r, 500));
  for (let n = 1; n <= 5; n++) assert.equal(existsSync(marker(n)), false, `marker ${n}`);
  rmSync(folder, { recursive: true, force: true });
});

test('a markdown file opened from disk reads as a panel; its plain SQL runs, a parameterised one says why not', async () => {
  const { page } = app;
  const markdown =
    '# Pasted check\n\n## Check\n\n```sql\nSELECT 41 + 1 AS answer;\n```\n\n```sql\nSELECT * FROM orders WHERE id = :order_id;\n```\n\nSee <script>alert(1)</script> and [docs](javascript:alert(1)) and [ok](https://example.com).\n';
  await page
    .getByTestId('runbook-file')
    .setInputFiles({ name: 'pasted.md', mimeType: 'text/markdown', buffer: Buffer.from(markdown) });
  await page.getByTestId('runbook-title').filter({ hasText: 'Pasted check' }).waitFor();
  const [plain, withParam] = [page.getByTestId('runbook-step').nth(0), page.getByTestId('runbook-step').nth(1)];
  await plain.getByTestId('runbook-step-run').click();
  await plain.getByTestId('runbook-step-status').filter({ hasText: 'Done' }).waitFor({ timeout: 20_000 });
  assert.equal(await plain.getByTestId('runbook-sql-result').locator('td').first().textContent(), '42');
  assert.match((await withParam.getByTestId('runbook-step-why').textContent()) ?? '', /pasted|library folder/);
  const prose = page.locator('.runbook-prose').filter({ hasText: 'See' });
  assert.equal(await prose.locator('script').count(), 0, 'raw HTML is shown as text');
  assert.match((await prose.textContent()) ?? '', /<script>alert\(1\)<\/script>/);
  assert.deepEqual(
    await prose.locator('a').evaluateAll((links) => links.map((a) => a.getAttribute('href'))),
    ['https://example.com'],
    'only https links survive',
  );
});

test("a runbook written in others' habits: the step cards say where a step runs, what it should print, why it is risky, and what is only for reference", async () => {
  const { page } = app;
  const markdown = [
    '# Worker cleanup',
    '',
    '## Clean',
    '',
    'Stop them with `kubectl -n shop scale deploy/worker --replicas=0` first.',
    '',
    '```console',
    '$ kubectl -n shop get pods',
    'NAME       READY',
    'worker-0   1/1',
    '```',
    '',
    '```bash',
    'kubectl get pods -o name | xargs kubectl delete',
    '```',
    '',
    '```bash',
    'kubectl exec -it db-0 -- bash',
    'du -sh /var/lib/postgresql',
    '```',
    '',
    '```python',
    'cur.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity")',
    '```',
    '',
  ].join('\n');
  await page
    .getByTestId('runbook-file')
    .setInputFiles({ name: 'others.md', mimeType: 'text/markdown', buffer: Buffer.from(markdown) });
  await page.getByTestId('runbook-title').filter({ hasText: 'Worker cleanup' }).waitFor();
  const card = (text: string) =>
    page
      .getByTestId('runbook-step')
      .filter({ has: page.locator('.runbook-code', { hasText: text }) })
      .first();
  assert.equal(
    await card('kubectl -n shop scale').getByTestId('runbook-step-mentioned').count(),
    1,
    'the inline command is offered, marked optional',
  );
  const listing = card('kubectl -n shop get pods');
  await listing.getByTestId('runbook-step-expected').locator('summary').click();
  assert.match((await listing.getByTestId('runbook-step-expected').textContent()) ?? '', /worker-0 +1\/1/);
  const deletion = card('xargs kubectl delete');
  assert.equal(await deletion.getByTestId('runbook-step-risk').textContent(), 'dangerous');
  assert.match((await deletion.getByTestId('runbook-step-commands').textContent()) ?? '', /xargs → kubectl delete/);
  assert.match(
    (await card('du -sh').getByTestId('runbook-step-runs-in').textContent()) ?? '',
    /kubectl exec db-0 \(bash\)/,
  );
  const reference = card('pg_terminate_backend');
  assert.equal(await reference.getByTestId('runbook-step-risk').textContent(), 'dangerous');
  assert.match(
    (await reference.getByTestId('runbook-step-why').textContent()) ?? '',
    /python block shown for reference/,
  );
  assert.equal(await reference.getByTestId('runbook-step-run').count(), 0);
  // Only the runbook's own elements: the terminal dock an earlier test opened is judged elsewhere.
  const onCards = (await seriousViolations(page)).filter((v) => v.targets.some((t) => /runbook/.test(t)));
  assert.deepEqual(onCards, [], 'the cards pass axe');
});

test('offline: with no profile the runbook still reads and each step says why it cannot run', async () => {
  const { page } = app;
  await page.locator('[data-testid="runbook-item"][data-path$="redis-on-call.md"]').click();
  await page.getByTestId('runbook-title').filter({ hasText: 'Redis on call' }).waitFor();
  await page.getByTestId('runbook-profile').selectOption('');
  const first = page
    .getByTestId('runbook-step')
    .filter({ has: page.getByTestId('runbook-step-run') })
    .first();
  assert.match((await first.getByTestId('runbook-step-why').textContent()) ?? '', /No profile selected/);
  assert.equal(await first.getByTestId('runbook-step-run').isDisabled(), true);
  assert.deepEqual(app.consoleErrors, [], 'no console errors (CSP included)');
});
