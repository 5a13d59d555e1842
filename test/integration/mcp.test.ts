import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { Redis } from 'ioredis';
import pg from 'pg';
import { startPostgres, startRedis, type PostgresServer, type RedisServer } from '../harness/index';
import { runCliInProcess } from '../support/cli';
import { tempCore, type TempCore } from '../support/temp-core';

const root = fileURLToPath(new URL('../..', import.meta.url));
const agentName = 'test-assistant';

let pgServer: PostgresServer;
let redisServer: RedisServer;
let temp: TempCore;
let direct: pg.Client;
let redisDirect: Redis;
let incidentId: string;
let assistant: Client;

/** Starts `opsconsole mcp ARGS` as an assistant would, and connects the SDK's own client to it. */
async function connect(args: string[] = [], name = agentName): Promise<Client> {
  const transport = new StdioClientTransport({
    command: `${root}node_modules/.bin/node`,
    args: [`${root}bin/opsconsole.mjs`, 'mcp', ...args],
    cwd: root,
    env: { ...(process.env as Record<string, string>), OPSCONSOLE_HOME: temp.dataDir, OPSCONSOLE_VAULT: 'file' },
    stderr: 'ignore',
  });
  const client = new Client({ name, version: '1.0.0' });
  await client.connect(transport);
  return client;
}

const call = (name: string, args: Record<string, unknown> = {}, client = assistant) =>
  client.callTool({ name, arguments: args }) as Promise<CallToolResult>;
const textOf = (result: CallToolResult) => result.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');
const itemCount = async () => Number((await direct.query('SELECT count(*) AS n FROM customers')).rows[0].n);

before(async () => {
  [pgServer, redisServer] = await Promise.all([startPostgres(), startRedis(['--requirepass', 'redis-secret'])]);
  temp = tempCore();
  direct = new pg.Client({ connectionString: pgServer.connectionString() });
  await direct.connect();
  await direct.query('CREATE TABLE customers (id int PRIMARY KEY, name text, email text)');
  await direct.query(
    "INSERT INTO customers SELECT g, 'name ' || g, 'user' || g || '@example.com' FROM generate_series(1, 10) g",
  );
  redisDirect = new Redis({ host: redisServer.host, port: redisServer.port, password: 'redis-secret' });
  await redisDirect.set('queue:len', '7');
  const servers = {
    postgres: { host: '127.0.0.1', port: pgServer.port, database: pgServer.database, user: pgServer.user },
    redis: { host: '127.0.0.1', port: redisServer.port },
  };
  const secrets = { pgPassword: { set: pgServer.password }, redisPassword: { set: 'redis-secret' } };
  await temp.core.invoke('profiles.save', {
    profile: { name: 'staging', environment: 'staging', allowAssistants: true, ...servers, secrets },
  });
  await temp.core.invoke('profiles.save', {
    profile: { name: 'prod-eu', environment: 'production', ...servers, secrets },
  });
  await temp.core.invoke('profiles.save', {
    profile: {
      name: 'offline',
      environment: 'staging',
      allowAssistants: true,
      postgres: { ...servers.postgres, port: 1 },
      secrets: { pgPassword: { set: pgServer.password } },
    },
  });
  incidentId = (await temp.core.invoke('incidents.start', { title: 'checkout errors', severity: 'P2' })).id;
  assistant = await connect(['--incident', incidentId]);
});

after(async () => {
  await assistant?.close();
  redisDirect?.disconnect();
  await direct?.end();
  await temp?.dispose();
  await Promise.all([pgServer?.stop(), redisServer?.stop()]);
});

test('tools/list: every tool with a zod-derived input schema and a description', async () => {
  const { tools } = await assistant.listTools();
  const names = tools.map((t) => t.name).sort();
  assert.deepEqual(names, [
    'health_run',
    'incident_note',
    'incident_show',
    'profiles_list',
    'propose_change',
    'redis_read',
    'runbook_inspect',
    'runbook_list',
    'runbook_run_reads',
    'schema_describe',
    'sql_classify',
    'sql_explain',
    'sql_read',
  ]);
  const sqlRead = tools.find((t) => t.name === 'sql_read')!;
  assert.deepEqual(Object.keys(sqlRead.inputSchema.properties ?? {}).sort(), ['profile', 'sql']);
  assert.deepEqual([...(sqlRead.inputSchema.required ?? [])].sort(), ['profile', 'sql']);
  for (const tool of tools)
    assert.ok((tool.description ?? '').length > 30, `${tool.name} has a description an assistant can act on`);
});

test('profiles_list: only profiles that allow assistants, no secrets', async () => {
  const result = await call('profiles_list');
  const profiles = (result.structuredContent as { profiles: { name: string }[] }).profiles;
  assert.deepEqual(
    profiles.map((p) => p.name),
    ['offline', 'staging'],
  );
  assert.ok(!JSON.stringify(result).includes(pgServer.password));
});

test('sql_read: rows as structured content and a text table; the email column masked', async () => {
  const result = await call('sql_read', {
    profile: 'staging',
    sql: 'SELECT id, name, email FROM customers ORDER BY id LIMIT 3',
  });
  assert.equal(result.isError, undefined, textOf(result));
  const data = result.structuredContent as { columns: string[]; rows: unknown[][]; maskedColumns: string[] };
  assert.deepEqual(data.columns, ['id', 'name', 'email']);
  assert.deepEqual(data.rows, [
    ['1', 'name 1', '[masked]'],
    ['2', 'name 2', '[masked]'],
    ['3', 'name 3', '[masked]'],
  ]);
  assert.deepEqual(data.maskedColumns, ['email']);
  assert.match(textOf(result), /id \| name \| email\n1 \| name 1 \| \[masked\]/);
  assert.ok(!JSON.stringify(result).includes('@example.com'));
});

test('sql_read: the row cap (200) cuts and says so', async () => {
  const result = await call('sql_read', { profile: 'staging', sql: 'SELECT g FROM generate_series(1, 500) g' });
  const data = result.structuredContent as { rows: unknown[][]; truncated: boolean; notes: string[] };
  assert.equal(data.rows.length, 200);
  assert.equal(data.truncated, true);
  assert.match(data.notes.join(' '), /Rows cut at 200/);
});

test('sql_read: a DELETE is refused with the reason, and the table is unchanged', async () => {
  const before = await itemCount();
  const result = await call('sql_read', { profile: 'staging', sql: 'DELETE FROM customers' });
  assert.equal(result.isError, true);
  assert.match(
    textOf(result),
    /Refused: Only reads run here: this text is dangerous \(no_where\)\. Nothing was sent to the server\..*propose_change/s,
  );
  assert.equal(await itemCount(), before);
  // A write hidden in a CTE or behind a function fares no better.
  for (const sql of [
    'WITH gone AS (DELETE FROM customers RETURNING id) SELECT count(*) FROM gone',
    'SELECT pg_terminate_backend(pg_backend_pid())',
    'SELECT 1; DELETE FROM customers',
  ]) {
    const sneaky = await call('sql_read', { profile: 'staging', sql });
    assert.equal(sneaky.isError, true, sql);
  }
  assert.equal(await itemCount(), before);
});

test('propose_change: classified and recorded as a proposal, nothing sent; the CLI lists it', async () => {
  const before = await itemCount();
  const result = await call('propose_change', {
    profile: 'staging',
    sql: 'DELETE FROM customers WHERE id = 10',
    why: 'customer 10 is a duplicate',
  });
  assert.equal(result.isError, undefined, textOf(result));
  const data = result.structuredContent as { proposalId: string; risk: string; sent: boolean };
  assert.equal(data.risk, 'write');
  assert.equal(data.sent, false);
  assert.equal(await itemCount(), before);
  const redis = await call('propose_change', { profile: 'staging', argv: ['DEL', 'queue:len'], why: 'stale counter' });
  assert.equal(redis.isError, undefined, textOf(redis));
  assert.equal(await redisDirect.get('queue:len'), '7');
  const listed = await runCliInProcess(temp.dataDir, ['incident', 'proposals', incidentId, '--json']);
  assert.equal(listed.code, 0, listed.stderr);
  const proposals = listed.json<{
    proposals: { proposalId: string; agent: string; risk: string; why: string; target: string }[];
  }>().proposals;
  const proposal = proposals.find((p) => p.proposalId === data.proposalId);
  assert.deepEqual(
    { agent: proposal?.agent, risk: proposal?.risk, why: proposal?.why, target: proposal?.target },
    { agent: agentName, risk: 'write', why: 'customer 10 is a duplicate', target: 'sql' },
  );
  assert.ok(proposals.some((p) => p.target === 'redis'));
});

test('a production profile without consent is refused, with how to allow it', async () => {
  const result = await call('sql_read', { profile: 'prod-eu', sql: 'SELECT 1' });
  assert.equal(result.isError, true);
  assert.match(
    textOf(result),
    /"prod-eu" does not allow assistants\. It is a production profile\. .*--allow-assistants true --allow-downgrade/,
  );
  const proposal = await call('propose_change', { profile: 'prod-eu', sql: 'DELETE FROM customers', why: 'x' });
  assert.equal(proposal.isError, true);
});

test('secrets never reach a reply: the database and Redis passwords', async () => {
  const sql = await call('sql_read', { profile: 'staging', sql: `SELECT '${pgServer.password}' AS echoed` });
  assert.equal(sql.isError, undefined, textOf(sql));
  assert.equal((sql.structuredContent as { rows: unknown[][] }).rows.length, 1);
  assert.ok(!JSON.stringify(sql).includes(pgServer.password), 'the Postgres password was masked');
  const redis = await call('redis_read', { profile: 'staging', argv: ['CONFIG', 'GET', 'requirepass'] });
  assert.equal(redis.isError, undefined, textOf(redis));
  assert.ok(!JSON.stringify(redis).includes('redis-secret'), 'the Redis password was masked');
  const read = await call('redis_read', { profile: 'staging', argv: ['GET', 'queue:len'] });
  assert.deepEqual((read.structuredContent as { reply: unknown }).reply, { type: 'string', value: '7' });
  const write = await call('redis_read', { profile: 'staging', argv: ['SET', 'queue:len', '0'] });
  assert.equal(write.isError, true);
  assert.equal(await redisDirect.get('queue:len'), '7');
});

test('bad input gets an MCP error that names the fix, and the server keeps serving', async () => {
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ['sql_read', { profile: 'staging', sql: 'SELECT 1; SELECT 2' }, /2 statements: send exactly one/],
    ['sql_read', { profile: 'staging', sql: 'SELECT \u0000 1' }, /NUL byte/],
    ['sql_read', { profile: 'staging', sql: `SELECT '${'x'.repeat(1_100_000)}'` }, /longer than 100000 characters/],
    ['sql_read', { profile: 'staging' }, /sql/],
    ['sql_read', { profile: 'nowhere', sql: 'SELECT 1' }, /No profile named "nowhere": call profiles_list/],
    ['no_such_tool', {}, /no_such_tool not found/],
    [
      'sql_read',
      { profile: 'offline', sql: 'SELECT 1' },
      /On "offline": Postgres at 127\.0\.0\.1:1 .*refused the connection.*Check host and port/s,
    ],
  ];
  for (const [name, args, expected] of cases) {
    const result = await call(name, args).catch((error: Error) => ({
      isError: true,
      content: [{ type: 'text' as const, text: error.message }],
    }));
    assert.equal(result.isError, true, name);
    assert.match(textOf(result as CallToolResult), expected);
  }
  const still = await call('sql_read', { profile: 'staging', sql: 'SELECT 41 + 1 AS answer' });
  assert.deepEqual((still.structuredContent as { rows: unknown[][] }).rows, [['42']]);
});

test('the call budget: past N calls a minute on a profile, a clear MCP error; the server keeps serving', async () => {
  const limited = await connect(['--incident', incidentId, '--calls-per-minute', '3'], 'looping-agent');
  try {
    for (let i = 0; i < 3; i++)
      assert.equal((await call('sql_read', { profile: 'staging', sql: 'SELECT 1' }, limited)).isError, undefined);
    const refused = await call('sql_read', { profile: 'staging', sql: 'SELECT 1' }, limited);
    assert.equal(refused.isError, true);
    assert.match(textOf(refused), /Call budget spent: 3 calls a minute on "staging"\. Wait \d+ s/);
    assert.equal((await call('profiles_list', {}, limited)).isError, undefined);
  } finally {
    await limited.close();
  }
});

test("every call is on the incident timeline with the assistant's name, tool, redacted arguments and size", async () => {
  await call('incident_note', { text: 'lock wait on customers' });
  await call('sql_read', { profile: 'staging', sql: "ALTER ROLE someone PASSWORD 'typed-by-the-agent'" });
  await call('redis_read', { profile: 'staging', argv: ['AUTH', 'typed-by-the-agent'] });
  // A person's read on a profile that does not allow assistants: recorded, but not shown to them.
  const prod = await temp.core.invoke('profiles.get', { name: 'prod-eu' });
  await temp.core.invoke('sql.run', { profileId: prod.id, sql: 'SELECT 12345 AS prod_only', incidentId });
  const shown = await call('incident_show');
  assert.equal(shown.isError, undefined, textOf(shown));
  assert.ok(((shown.structuredContent as { hiddenEvents?: number }).hiddenEvents ?? 0) >= 1);
  assert.ok(!JSON.stringify(shown).includes('prod_only'), 'events of prod-eu left out');
  const seen = (shown.structuredContent as { events: { kind: string; summary: string }[] }).events;
  assert.ok(
    !seen.some((e) => e.kind !== 'assistant.call' && e.summary.includes('prod-eu')),
    'only its own refused calls name prod-eu',
  );
  assert.match(textOf(shown), /Proposal by test-assistant on staging \[write\], not run/);
  const events = await temp.core.invoke('incidents.events', { id: incidentId, limit: 10_000 });
  const calls = events.filter((e) => e.kind === 'assistant.call');
  const mine = calls.filter((e) => (e.payload.author as { agent: string }).agent === agentName);
  for (const tool of ['profiles_list', 'sql_read', 'propose_change', 'redis_read', 'incident_note', 'incident_show'])
    assert.ok(
      mine.some((e) => e.payload.tool === tool),
      `${tool} recorded`,
    );
  const author = mine[0]!.payload.author as Record<string, string>;
  assert.deepEqual(Object.keys(author).sort(), ['agent', 'displayName', 'osUser']);
  const refusedDelete = mine.find(
    (e) => e.payload.tool === 'sql_read' && (e.payload.arguments as { sql: string }).sql === 'DELETE FROM customers',
  );
  assert.equal(refusedDelete?.payload.outcome, 'refused');
  assert.ok(mine.every((e) => typeof e.payload.bytes === 'number' && (e.payload.bytes as number) > 0));
  assert.ok(
    calls.some(
      (e) => (e.payload.author as { agent: string }).agent === 'looping-agent' && e.payload.outcome === 'refused',
    ),
  );
  assert.ok(!JSON.stringify(events).includes(pgServer.password), 'no secret on the record');
  assert.ok(
    !JSON.stringify(events).includes('typed-by-the-agent'),
    'a password the assistant typed is masked in the recorded arguments',
  );
  assert.ok(
    events.some((e) => e.kind === 'note' && String(e.payload.text) === `[${agentName}] lock wait on customers`),
  );
});

test('a reply never exceeds 256 kB: rows are cut from the end, and the reply says so', async () => {
  const result = await call('sql_read', {
    profile: 'staging',
    sql: "SELECT g, repeat('x', 1900) AS filler FROM generate_series(1, 200) g",
  });
  assert.equal(result.isError, undefined, textOf(result));
  assert.ok(Buffer.byteLength(JSON.stringify(result)) <= 256 * 1024);
  const data = result.structuredContent as { rows: unknown[][]; replyCut: string };
  assert.ok(data.rows.length > 0 && data.rows.length < 200);
  assert.match(data.replyCut, /Reply cut to \d+ of 200 rows to stay under 256 kB/);
});

test('health_run, runbook_list and runbook_inspect answer on a profile that allows assistants', async () => {
  const health = await call('health_run', { profile: 'staging' });
  assert.equal(health.isError, undefined, textOf(health));
  const checks = (health.structuredContent as { checks: { id: string; status: string }[] }).checks;
  assert.ok(checks.some((c) => c.id.startsWith('pg.')) && checks.some((c) => c.id.startsWith('redis.')));
  const list = await call('runbook_list');
  const runbooks = (list.structuredContent as { runbooks: { path: string }[] }).runbooks;
  assert.ok(runbooks.length > 0);
  const inspected = await call('runbook_inspect', { path: runbooks[0]!.path });
  assert.equal(inspected.isError, undefined, textOf(inspected));
  assert.ok((inspected.structuredContent as { steps: unknown[] }).steps.length > 0);
  const outside = await call('runbook_inspect', { path: '/etc/passwd' });
  assert.equal(outside.isError, true);
  assert.match(textOf(outside), /not a runbook of the library: take a path from runbook_list/);
});

test("no argument reaches the write path: the core's reads-only run refuses what is not a read, before sending", async () => {
  const before = await itemCount();
  const run = await temp.core.invoke('sql.run', {
    profileId: (await temp.core.invoke('profiles.get', { name: 'staging' })).id,
    sql: 'UPDATE customers SET name = NULL',
    readsOnly: true,
  });
  assert.equal(run.outcome, 'refused');
  assert.equal(run.statements[0]!.ran, false);
  assert.match(run.message ?? '', /Only reads run here: this text is dangerous/);
  // Every tool, given a change in every text argument it takes: nothing changes on either server.
  const attempts: [string, Record<string, unknown>][] = [
    ['sql_classify', { profile: 'staging', sql: 'TRUNCATE customers' }],
    ['sql_read', { profile: 'staging', sql: 'UPDATE customers SET name = NULL' }],
    ['sql_read', { profile: 'staging', sql: "SELECT set_config('default_transaction_read_only', 'off', false)" }],
    ['sql_read', { profile: 'staging', sql: 'COMMIT; DELETE FROM customers' }],
    ['redis_read', { profile: 'staging', argv: ['FLUSHALL'] }],
    ['redis_read', { profile: 'staging', argv: ['EVAL_RO', "return redis.call('del', 'queue:len')", '0'] }],
    ['propose_change', { profile: 'staging', sql: 'TRUNCATE customers', why: 'try' }],
    ['propose_change', { profile: 'staging', argv: ['FLUSHALL'], why: 'try' }],
    ['incident_note', { text: "'); DELETE FROM customers; --" }],
  ];
  for (const [name, args] of attempts) await call(name, args);
  assert.equal(await itemCount(), before);
  assert.equal(await redisDirect.get('queue:len'), '7');
});

test("consent is the owner's: profiles edit --allow-assistants true --allow-downgrade opens a profile to the running server; a wrong value is refused", async () => {
  const wrong = await runCliInProcess(temp.dataDir, [
    'profiles',
    'edit',
    'prod-eu',
    '--allow-assistants',
    'maybe',
    '--json',
  ]);
  assert.equal(wrong.code, 2);
  assert.match(wrong.stdout, /allow-assistants/);
  assert.equal((await call('sql_read', { profile: 'prod-eu', sql: 'SELECT 1 AS one' })).isError, true);
  const allow = ['profiles', 'edit', 'prod-eu', '--allow-assistants', 'true', '--json'];
  const unacknowledged = await runCliInProcess(temp.dataDir, allow);
  assert.notEqual(unacknowledged.code, 0, 'letting assistants in lowers safety: it needs --allow-downgrade');
  assert.match(unacknowledged.stdout, /allowAssistants: .*→ true \(DOWNGRADE: lets AI assistants read/);
  assert.equal((await call('sql_read', { profile: 'prod-eu', sql: 'SELECT 1 AS one' })).isError, true);
  const allowed = await runCliInProcess(temp.dataDir, [...allow, '--allow-downgrade']);
  assert.equal(allowed.code, 0, allowed.stderr);
  const read = await call('sql_read', { profile: 'prod-eu', sql: 'SELECT 1 AS one' });
  assert.equal(read.isError, undefined, textOf(read));
  assert.deepEqual((read.structuredContent as { rows: unknown[][] }).rows, [['1']]);
  const before = await itemCount();
  assert.equal(
    (await call('sql_read', { profile: 'prod-eu', sql: 'DELETE FROM customers WHERE id = 1' })).isError,
    true,
  );
  assert.equal(await itemCount(), before);
});

test("sql_explain gives plans, ANALYZE only for reads; schema_describe gives a table's columns", async () => {
  const plan = await call('sql_explain', { profile: 'staging', sql: 'SELECT * FROM customers WHERE id = 1' });
  assert.equal(plan.isError, undefined, textOf(plan));
  assert.match(String((plan.structuredContent as { plan: string }).plan), /Scan/);
  const analyzed = await call('sql_explain', {
    profile: 'staging',
    sql: 'SELECT count(*) FROM customers',
    analyze: true,
  });
  assert.match(String((analyzed.structuredContent as { plan: string }).plan), /actual time/);
  const before = await itemCount();
  const write = await call('sql_explain', { profile: 'staging', sql: 'DELETE FROM customers', analyze: true });
  assert.equal(write.isError, true);
  assert.equal(await itemCount(), before);
  await direct.query(
    "CREATE INDEX IF NOT EXISTS customers_lower_email ON customers (lower(email)); ALTER TABLE customers DROP CONSTRAINT IF EXISTS name_set; ALTER TABLE customers ADD CONSTRAINT name_set CHECK (name <> '')",
  );
  const described = await call('schema_describe', { profile: 'staging', object: 'customers' });
  assert.equal(described.isError, undefined, textOf(described));
  const table = described.structuredContent as {
    columns: { name: string }[];
    indexes: { name: string; definition: string; primary: boolean; unique: boolean; valid: boolean }[];
    constraints: { name: string; kind: string; definition: string }[];
  };
  assert.deepEqual(
    table.columns.map((c) => c.name),
    ['id', 'name', 'email'],
  );
  assert.deepEqual(
    table.indexes.map((i) => [i.name, i.primary, i.unique, i.valid]),
    [
      ['customers_pkey', true, true, true],
      ['customers_lower_email', false, false, true],
    ],
  );
  assert.match(table.indexes[1]!.definition, /USING btree \(lower\(email\)\)/);
  assert.deepEqual(
    table.constraints.map((c) => [c.name, c.kind]),
    [
      ['name_set', 'check'],
      ['customers_pkey', 'primary key'],
    ],
  );
  assert.match(textOf(described), /indexes:\n {2}CREATE UNIQUE INDEX customers_pkey/);
  const missing = await call('schema_describe', { profile: 'staging', object: 'nope' });
  assert.match(textOf(missing), /No table or view "nope"/);
});

test('runbook_run_reads: the read steps of a library runbook run, masked; the write, the Redis write and the shell step are skipped, nothing changes', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'mcp-runbooks-'));
  const path = join(folder, 'customers.md');
  writeFileSync(
    path,
    [
      '# Customers',
      '',
      '```sql {name=recent-customers}',
      'SELECT id, email FROM customers WHERE id <= {{max_id}} ORDER BY id',
      '```',
      '',
      '```sql {name=wipe}',
      'DELETE FROM customers',
      '```',
      '',
      '```redis {name=queue}',
      'GET queue:len',
      '```',
      '',
      '```redis {name=drop-queue}',
      'DEL queue:len',
      '```',
      '',
      '```sh {name=host}',
      'touch /tmp/should-not-exist-mcp',
      '```',
      '',
    ].join('\n'),
  );
  await temp.core.invoke('settings.update', { patch: { runbookFolders: [folder] } });
  try {
    const before = await itemCount();
    const result = await call('runbook_run_reads', { profile: 'staging', path, params: { max_id: '3' } });
    assert.equal(result.isError, undefined, textOf(result));
    const steps = (
      result.structuredContent as {
        steps: { id: string; outcome: string; rows: unknown[][]; maskedColumns: string[] }[];
      }
    ).steps;
    assert.deepEqual(
      steps.map((s) => [s.id, s.outcome]),
      [
        ['recent-customers', 'ok'],
        ['wipe', 'skipped'],
        ['queue', 'ok'],
        ['drop-queue', 'skipped'],
        ['host', 'skipped'],
      ],
    );
    assert.deepEqual(steps[0]!.rows, [
      ['1', '[masked]'],
      ['2', '[masked]'],
      ['3', '[masked]'],
    ]);
    assert.deepEqual(steps[0]!.maskedColumns, ['email']);
    assert.ok(!JSON.stringify(result).includes('@example.com'));
    assert.equal(await itemCount(), before);
    assert.equal(await redisDirect.get('queue:len'), '7');
    const outside = await call('runbook_run_reads', { profile: 'staging', path: '/etc/passwd' });
    assert.match(textOf(outside), /not a runbook of the library/);
    const events = await temp.core.invoke('incidents.events', { id: incidentId, limit: 10_000 });
    assert.ok(
      events.some((e) => e.kind === 'assistant.call' && e.payload.tool === 'runbook_run_reads' && e.payload.rows === 4),
    );
    assert.ok(events.some((e) => e.kind === 'runbook.step' && e.payload.step === 'recent-customers'));
  } finally {
    await temp.core.invoke('settings.update', { patch: { runbookFolders: [] } });
    rmSync(folder, { recursive: true, force: true });
  }
});

test('the row budget: past N rows a minute on a profile, replies are cut to what is left, then refused; the server keeps serving', async () => {
  const limited = await connect(['--incident', incidentId, '--rows-per-minute', '15'], 'row-hungry-agent');
  try {
    const first = await call('sql_read', { profile: 'staging', sql: 'SELECT id FROM customers ORDER BY id' }, limited);
    assert.equal((first.structuredContent as { rows: unknown[][] }).rows.length, 10);
    const second = await call('sql_read', { profile: 'staging', sql: 'SELECT id FROM customers ORDER BY id' }, limited);
    assert.equal((second.structuredContent as { rows: unknown[][] }).rows.length, 5);
    assert.match(textOf(second), /row budget/);
    const refused = await call('sql_read', { profile: 'staging', sql: 'SELECT id FROM customers' }, limited);
    assert.equal(refused.isError, true);
    assert.match(textOf(refused), /Row budget spent: 15 rows a minute on "staging"\. Wait \d+ s/);
    assert.equal((await call('profiles_list', {}, limited)).isError, undefined);
  } finally {
    await limited.close();
  }
});

test('the server answers initialize and tools/list before its core loads; an --incident that does not exist is said on every call', async () => {
  const wrong = await connect(['--incident', 'no-such-incident'], 'misconfigured-agent');
  try {
    assert.ok((await wrong.listTools()).tools.length > 10);
    const result = await call('profiles_list', {}, wrong);
    assert.equal(result.isError, true);
    assert.match(textOf(result), /no-such-incident/);
  } finally {
    await wrong.close();
  }
});

test('a dismissal is its own event, a dismissed proposal cannot be run, and the assistant reads both with incident_show', async () => {
  const proposed = await call('propose_change', {
    profile: 'staging',
    sql: 'DELETE FROM customers WHERE id = 10',
    why: 'duplicate row',
  });
  const { proposalId } = proposed.structuredContent as { proposalId: string };
  const event = await temp.core.invoke('assistants.dismissProposal', {
    incidentId,
    proposalId,
    reason: 'the row is not a duplicate',
  });
  assert.equal(event.kind, 'proposal.dismissed');
  assert.equal(event.payload.agent, agentName);
  await assert.rejects(temp.core.invoke('assistants.dismissProposal', { incidentId, proposalId }), /already dismissed/);
  await assert.rejects(
    temp.core.invoke('assistants.runProposal', { incidentId, proposalId }),
    /was dismissed: it is not run/,
  );
  await assert.rejects(
    temp.core.invoke('assistants.runProposal', { incidentId, proposalId: 'no-such-proposal' }),
    /No proposal no-such-proposal/,
  );
  const listed = await runCliInProcess(temp.dataDir, ['incident', 'proposals', incidentId, '--json']);
  assert.equal(
    listed
      .json<{ proposals: { proposalId: string; state: string }[] }>()
      .proposals.find((p) => p.proposalId === proposalId)?.state,
    'dismissed',
  );
  const shown = await call('incident_show');
  assert.match(
    textOf(shown),
    new RegExp(`Dismissed proposal ${proposalId} by ${agentName} on staging, not run: the row is not a duplicate`),
  );
});
