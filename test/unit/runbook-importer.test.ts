import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { defaultSqlClassifier } from '../../src/main/runbooks/classifier';
import { importRunbook } from '../../src/main/runbooks/importer';
import type { RunbookPlan, RunbookStep } from '../../src/shared/runbook';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/runbooks/${name}`, import.meta.url), 'utf8');
const load = (text: string, path = 'test.md') => importRunbook(text, { path, classify: defaultSqlClassifier });
const at = (plan: RunbookPlan, line: number): RunbookStep => {
  const step = plan.steps.find((s) => s.line === line);
  assert.ok(step, `a step on line ${line}; steps are on ${plan.steps.map((s) => s.line).join(', ')}`);
  return step;
};

describe('runbook importer: patterns of runbooks written for people', async () => {
  const plan = await load(fixture('real-world-patterns.md'), 'real-world-patterns.md');

  it('takes the title from the H1 and sections below it', () => {
    assert.equal(plan.title, 'Billing API runbook');
    assert.deepEqual(at(plan, 9).section, ['Health checks']);
    assert.equal(at(plan, 9).id, 'health-checks-1');
    assert.equal(at(plan, 12).id, 'health-checks-2');
  });

  it('reads psql -c one-liners as SQL for the profile, flags understood and not used', () => {
    const step = at(plan, 9);
    assert.equal(step.kind, 'sql');
    assert.equal(step.target, 'postgres');
    assert.equal(step.text, 'SELECT now();');
    assert.deepEqual(step.connection?.flags, { host: 'db.internal', user: 'billing', dbname: 'billing' });
    assert.equal(step.risk, 'read');
  });

  it('unescapes shell quoting and maps $DATABASE_URL to the profile instead of a parameter', () => {
    const step = at(plan, 12);
    assert.equal(step.text, "SELECT count(*) FROM invoices WHERE status = 'open';");
    assert.deepEqual(step.parameters, []);
    assert.ok(step.connection?.profileVariables.includes('DATABASE_URL'));
  });

  it('sees through docker exec and notes the pipe', () => {
    const step = at(plan, 15);
    assert.equal(step.kind, 'sql');
    assert.deepEqual(step.connection?.via, { tool: 'docker exec', container: 'billing-db' });
    assert.ok(
      step.notes.some((n) => n.includes('grep active')),
      step.notes.join('; '),
    );
  });

  it('parses redis-cli argv, also inside docker exec', () => {
    assert.deepEqual(at(plan, 17).redis, [['INFO', 'memory']]);
    assert.deepEqual(at(plan, 17).connection?.flags, { host: 'cache.internal', port: '6380', db: '2' });
    const queued = at(plan, 18);
    assert.equal(queued.kind, 'redis');
    assert.deepEqual(queued.redis, [['LLEN', 'bull:invoices:wait']]);
    assert.equal(queued.statements[0]!.text, 'LLEN bull:invoices:wait');
  });

  it('turns raw SQL pasted in a bash fence into one SQL step, and the next command into a shell step', () => {
    const sql = at(plan, 25);
    assert.equal(sql.kind, 'sql');
    assert.equal(sql.endLine, 27);
    assert.equal(sql.title, 'Stuck invoices');
    assert.equal(at(plan, 30).kind, 'shell');
    assert.equal(at(plan, 30).risk, 'write');
  });

  it('sends lines after a bare psql to that prompt: meta-commands and SQL with :variables', () => {
    assert.equal(at(plan, 37).text, '\\x');
    const select = at(plan, 38);
    assert.equal(select.kind, 'sql');
    assert.deepEqual(select.parameters, [{ name: 'customer_id', type: 'int', secret: false }]);
    assert.equal(select.template?.sql, 'SELECT id, total::numeric(10,2) FROM invoices WHERE customer_id = $1;');
    assert.equal(at(plan, 39).target, 'terminal', '\\dt runs in psql');
    assert.deepEqual(at(plan, 9).template, { sql: 'SELECT now();', parameters: [] });
    assert.ok(!plan.steps.some((s) => s.text === '\\q'));
  });

  it('sends lines after a bare redis-cli to Redis, each command classified', () => {
    const step = at(plan, 45);
    assert.equal(step.kind, 'redis');
    assert.deepEqual(step.redis, [
      ['LLEN', 'bull:emails:wait'],
      ['DEL', 'bull:emails:stalled-check'],
    ]);
    assert.deepEqual(
      step.statements.map((s) => s.risk),
      ['read', 'write'],
    );
    assert.equal(step.risk, 'write');
  });

  it('reads a heredoc into psql as SQL, classified with its placeholder bound', () => {
    const step = at(plan, 52);
    assert.equal(step.text, "UPDATE invoices SET status = 'void' WHERE id = <invoice_id>;");
    assert.equal(step.risk, 'write');
    assert.equal(step.template?.sql, "UPDATE invoices SET status = 'void' WHERE id = $1;");
    assert.equal(step.statements[0]!.text, "UPDATE invoices SET status = 'void' WHERE id = <invoice_id>");
  });

  it('turns curl into an HTTP step whose bearer token is a secret parameter', () => {
    const step = at(plan, 60);
    assert.equal(step.kind, 'http');
    assert.equal(step.http?.method, 'POST');
    assert.equal(step.http?.url, 'https://billing.example.com/api/admin/invoices/[invoice_id]/resend');
    assert.deepEqual(step.http?.headers[0], { name: 'Authorization', value: 'Bearer <admin_token>' });
    assert.equal(step.http?.body, '{"reason": "customer asked"}');
    assert.deepEqual(step.parameters, [
      { name: 'invoice_id', type: 'int', secret: false },
      { name: 'admin_token', type: 'string', secret: true },
    ]);
  });

  it('never keeps a literal API key: it becomes a secret parameter', () => {
    const step = at(plan, 67);
    assert.ok(!JSON.stringify(step).includes('sk_live_abc123'));
    assert.deepEqual(step.parameters, [{ name: 'api_key', type: 'string', secret: true }]);
  });

  it('classifies SQL for other engines but never targets the Postgres profile', () => {
    const d1 = at(plan, 73);
    assert.equal(d1.kind, 'sql');
    assert.equal(d1.target, 'terminal');
    assert.equal(d1.engine, 'd1');
    assert.equal(d1.risk, 'write');
    assert.equal(at(plan, 74).engine, 'mysql');
    assert.equal(at(plan, 74).target, 'terminal');
  });

  it('gives shell commands risk from tables; a pipeline carries its worst', () => {
    assert.equal(at(plan, 80).risk, 'dangerous');
    assert.equal(at(plan, 80).confirm, true);
    assert.equal(at(plan, 81).risk, 'dangerous');
    assert.equal(at(plan, 83).risk, 'write', 'tail | grep > file writes a file');
    assert.equal(at(plan, 84).risk, 'dangerous', 'find -delete');
  });

  it('leaves $HOME, $USER and command substitutions out of the parameters', () => {
    assert.deepEqual(at(plan, 82).parameters, []);
  });

  it('finds {{name}} and your_… placeholders', () => {
    assert.deepEqual(
      at(plan, 90).parameters.map((p) => p.name),
      ['region', 'your_account_id'],
    );
  });

  it('keeps tables, callouts and checklists', () => {
    const thresholds = plan.sections.find((s) => s.heading === 'Thresholds')!;
    const table = thresholds.blocks.find((b) => b.type === 'table');
    assert.deepEqual(table?.type === 'table' && table.header, ['Metric', 'Warning', 'Critical']);
    assert.ok(thresholds.blocks.some((b) => b.type === 'callout' && b.kind === 'warning'));
    const items = plan.steps.filter((s) => s.kind === 'checklist');
    assert.deepEqual(
      items.map((s) => [s.text, s.checked, s.target]),
      [
        ['Write down the invoice ids you touched', false, null],
        ['Tell the finance team', true, null],
      ],
    );
  });

  it('is stable: the same text gives the same plan', async () => {
    assert.deepEqual(await load(fixture('real-world-patterns.md'), 'real-world-patterns.md'), plan);
  });
});

describe('runbook importer: authoring syntax', () => {
  it('reads fence attributes, frontmatter metadata and typed parameters', async () => {
    const plan = await load(fixture('authoring.md'));
    assert.equal(plan.title, 'Checkout on call');
    assert.equal(plan.metadata.service, 'checkout');
    assert.deepEqual(plan.metadata.tags, ['postgres', 'payments']);
    const top = plan.steps.find((s) => s.id === 'top-balances')!;
    assert.equal(top.confirm, true);
    assert.equal(top.target, 'postgres');
    assert.deepEqual(top.parameters, [{ name: 'min_balance', type: 'number', secret: false }]);
    assert.equal(
      top.template?.sql,
      'SELECT account_id, balance FROM balances WHERE balance > $1 ORDER BY balance DESC LIMIT 10;',
    );
    const declared = plan.parameters.find((p) => p.name === 'min_balance')!;
    assert.equal(declared.default, 100);
    assert.equal(declared.source, 'frontmatter');
    assert.equal(
      plan.steps.find((s) => s.id === 'no-cast-parameter')!.parameters.length,
      0,
      '::int is a cast, not a parameter',
    );
    assert.equal(plan.steps.find((s) => s.id === 'show-in-terminal')!.target, 'terminal');
  });

  it('reports bad frontmatter, unknown attributes and SQL that does not parse, without throwing', async () => {
    const plan = await load('---\nowners: [a\n---\n# T\n\n```sql {nme=x}\nSELEC 1;\n```\n');
    const codes = plan.diagnostics.map((d) => [d.line, d.severity, d.code]);
    assert.deepEqual(codes, [
      [2, 'error', 'frontmatter'],
      [6, 'error', 'unknown-fence-attribute'],
      [7, 'error', 'sql-parse'],
    ]);
  });

  it('names a frontmatter field of the wrong type', async () => {
    const plan = await load('---\ntags: 3\nparameters:\n  - name: x\n    type: float\n---\n# T\n');
    assert.equal(plan.diagnostics[0]?.code, 'frontmatter');
    assert.match(plan.diagnostics[0]!.message, /tags/);
    assert.match(plan.diagnostics[0]!.message, /parameters\.0\.type/);
  });

  it('binds values as $n and table-name placeholders as identifiers, numbered alike', async () => {
    const plan = await load(
      '# T\n```sql\nSELECT count(*) FROM :"table_name" WHERE id > :min_id;\n```\n```sql\nVACUUM ANALYZE <relation>;\n```\n',
    );
    assert.deepEqual(
      plan.steps.map((s) => s.template),
      [
        { sql: 'SELECT count(*) FROM param_table_name WHERE id > $2;', parameters: ['table_name', 'min_id'] },
        { sql: 'VACUUM ANALYZE param_relation;', parameters: ['relation'] },
      ],
    );
    assert.deepEqual(
      plan.parameters.map((p) => [p.name, p.type]),
      [
        ['table_name', 'identifier'],
        ['min_id', 'int'],
        ['relation', 'identifier'],
      ],
    );
    assert.deepEqual(plan.diagnostics, []);
  });

  it('takes ids from section slugs, deduplicated like GitHub anchors', async () => {
    const plan = await load('# T\n## Diagnosis\n```bash\nuptime\n```\n## Diagnosis\n```bash\nuptime\n```\n');
    assert.deepEqual(
      plan.steps.map((s) => s.id),
      ['diagnosis-1', 'diagnosis-1-1'],
    );
  });
});

describe('runbook importer: more shell forms', () => {
  const block = (body: string) => load(`# T\n## S\n\`\`\`bash\n${body}\n\`\`\`\n`);

  it('reads echo | psql, here-strings, kubectl exec -- psql and psql -v defaults', async () => {
    const plan = await block(
      [
        'echo "SELECT 1;" | psql -d app',
        'psql -d app <<< "SELECT 2;"',
        'kubectl exec -n db pg-0 -- psql -U app -c "SELECT 3;"',
        "psql -v pid=42 -c 'SELECT pg_cancel_backend(:pid);'",
      ].join('\n'),
    );
    assert.deepEqual(
      plan.steps.map((s) => [s.kind, s.text]),
      [
        ['sql', 'SELECT 1;'],
        ['sql', 'SELECT 2;'],
        ['sql', 'SELECT 3;'],
        ['sql', 'SELECT pg_cancel_backend(:pid);'],
      ],
    );
    assert.deepEqual(plan.steps[2]!.connection?.via, { tool: 'kubectl exec', container: 'pg-0' });
    assert.equal(plan.parameters.find((p) => p.name === 'pid')?.default, '42');
  });

  it('keeps line continuations and loops whole, one step each', async () => {
    const plan = await block(
      ['for h in a b; do', '  ssh "$h" uptime', 'done', 'docker compose logs \\', '  --tail 50 api'].join('\n'),
    );
    assert.deepEqual(
      plan.steps.map((s) => [s.line, s.endLine]),
      [
        [4, 6],
        [7, 8],
      ],
    );
    assert.deepEqual(plan.steps[0]!.parameters, [], 'the loop variable is not a parameter');
    assert.equal(plan.steps[1]!.risk, 'read');
  });

  it('rates shell commands from the tables', async () => {
    const plan = await block(
      [
        'systemctl status nginx',
        'journalctl -u api --since today',
        'kubectl -n prod get pods',
        'systemctl restart nginx',
        'git push --force origin main',
        'dropdb app',
        'kubectl delete pod api-1',
        'frobnicate --now',
      ].join('\n'),
    );
    assert.deepEqual(
      plan.steps.map((s) => s.risk),
      ['read', 'read', 'read', 'write', 'dangerous', 'dangerous', 'dangerous', 'unknown'],
    );
  });

  it('ends a psql session at the next shell command even without \\q', async () => {
    const plan = await block(['sudo -u postgres psql', 'SELECT 1;', 'systemctl restart app'].join('\n'));
    assert.deepEqual(
      plan.steps.map((s) => [s.kind, s.text]),
      [
        ['sql', 'SELECT 1;'],
        ['shell', 'systemctl restart app'],
      ],
    );
  });

  it('does not turn shell commands that look like SQL keywords into SQL', async () => {
    const plan = await block(['set -euo pipefail', 'truncate -s 0 /var/log/app.log', 'show_usage'].join('\n'));
    // `set -e` changes how the next lines run: the block is one script, and shell, not SQL.
    assert.deepEqual(
      plan.steps.map((s) => [s.kind, s.script]),
      [['shell', true]],
    );
  });
});

describe('runbook importer: literal credentials', () => {
  it('removes passwords and tokens from every field, warning where they were', async () => {
    const text = [
      '# C',
      '```bash',
      'PGPASSWORD=hunter2 psql -h db -U app -c "SELECT 1;"',
      'redis-cli -h cache -a s3cr3t INFO',
      'psql postgres://app:pa55word@db:5432/app -c "SELECT 2;"',
      'export API_TOKEN=abc123xyz',
      '```',
    ].join('\n');
    const plan = await load(text);
    const json = JSON.stringify(plan);
    for (const secret of ['hunter2', 's3cr3t', 'pa55word', 'abc123xyz'])
      assert.ok(!json.includes(secret), `${secret} is gone`);
    assert.deepEqual(
      plan.diagnostics.map((d) => [d.line, d.code]),
      [
        [3, 'literal-credential'],
        [4, 'literal-credential'],
        [5, 'literal-credential'],
        [6, 'literal-credential'],
      ],
    );
    assert.deepEqual(plan.steps[0]!.parameters, [], "the profile's password answers a psql step");
    assert.deepEqual(plan.steps[3]!.parameters, [{ name: 'api_token', type: 'string', secret: true }]);
    assert.equal(plan.steps[3]!.text, 'export API_TOKEN={{api_token}}');
  });
});
