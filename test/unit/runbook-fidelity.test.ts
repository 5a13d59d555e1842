import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runCliInProcess } from '../support/cli';

/** Runbooks written in the habits of other teams, one per docs dialect: original fixtures of this project. */
const dialects = fileURLToPath(new URL('../fixtures/runbooks/dialects/', import.meta.url));

interface Step {
  line: number;
  kind: string;
  target: string | null;
  text: string;
  risk: string;
  statements: { text: string; risk: string; reasons: string[] }[];
  parameters: { name: string; type: string; secret: boolean }[];
  notes: string[];
  expectedOutput?: string;
  runsIn?: string;
  script?: boolean;
  mentioned?: boolean;
  sniffed?: { language: string; confidence: number };
  redis?: string[][];
  template?: { sql: string; parameters: string[] };
  commands?: { text: string; risk: string }[];
}
interface Doc {
  title: string;
  steps: Step[];
  parameters: { name: string; secret: boolean; type: string }[];
  diagnostics: { line: number; code: string; message: string }[];
}

// `runbook inspect|lint` in this process: these tests judge what the commands say; the spawned command
// from the build is tested in cli-built.test.ts (a process start here costs seconds, a call milliseconds).
let home: string;
const docs = new Map<string, Doc>();
const inspect = async (file: string): Promise<Doc> => {
  const run = await runCliInProcess(home, ['runbook', 'inspect', join(dialects, file), '--json']);
  assert.equal(run.code, 0, run.stderr || run.stdout);
  return run.json<Doc>();
};
const at = (doc: Doc, line: number): Step => {
  const step = doc.steps.find((s) => s.line === line);
  assert.ok(step, `a step on line ${line}; steps are on ${doc.steps.map((s) => s.line).join(', ')}`);
  return step;
};
const mk = () => docs.get('mkdocs-sessions.md')!;
const hugo = () => docs.get('hugo-database.md')!;
const dx = () => docs.get('docusaurus-workers.mdx')!;
const gh = () => docs.get('github-readme.md')!;
/** The step's reasons must name the command that made it risky. */
const reasonNames = (step: Step, fragment: RegExp) =>
  assert.ok(
    step.statements[0]!.reasons.some((r) => fragment.test(r)),
    `${fragment} in ${JSON.stringify(step.statements[0]!.reasons)}`,
  );

before(async () => {
  home = mkdtempSync(join(tmpdir(), 'opsconsole-fidelity-'));
  for (const file of ['mkdocs-sessions.md', 'hugo-database.md', 'docusaurus-workers.mdx', 'github-readme.md'])
    docs.set(file, await inspect(file));
});
after(() => rmSync(home, { recursive: true, force: true }));

describe('runbook fidelity: shell judged by its worst command (runbook inspect --json)', () => {
  it('a scan piped into xargs redis-cli unlink is judged by the unlink, also inside sh -c', () => {
    for (const line of [14, 18]) {
      const step = at(mk(), line);
      assert.equal(step.kind, 'shell');
      assert.equal(step.risk, 'write', `line ${line}`);
      reasonNames(step, /xargs → redis-cli -n 2 unlink/);
    }
    reasonNames(at(mk(), 18), /^sh -c → /);
  });

  it('xargs kubectl delete, find -delete, $(…), find -exec rm are dangerous and say which command', () => {
    reasonNames(at(dx(), 17), /xargs → kubectl delete/);
    assert.equal(at(dx(), 18).risk, 'dangerous');
    reasonNames(at(dx(), 18), /find -delete removes every file/);
    assert.equal(at(dx(), 19).risk, 'dangerous');
    reasonNames(at(dx(), 19), /kubectl -n shop delete pod worker-0/);
    reasonNames(at(dx(), 26), /find -exec → rm -f/);
    for (const line of [17, 26]) assert.equal(at(dx(), line).risk, 'dangerous');
  });

  it('psql -c behind sudo, env, kubectl exec -- and docker compose exec is SQL classified as SQL', () => {
    assert.deepEqual(
      [20, 23, 24, 25].map((line) => [at(dx(), line).kind, at(dx(), line).risk]),
      [
        ['sql', 'dangerous'],
        ['sql', 'dangerous'],
        ['sql', 'dangerous'],
        ['sql', 'dangerous'],
      ],
    );
    assert.equal(at(dx(), 25).text, 'DELETE FROM jobs');
  });

  it('timeout and watch carry the command they run', () => {
    assert.equal(at(dx(), 21).risk, 'write');
    reasonNames(at(dx(), 21), /timeout → kubectl -n shop rollout restart/);
    assert.equal(at(dx(), 22).risk, 'read');
  });

  it('kubectl wait, top and auth can-i are read; a program in no table is unknown, never read', () => {
    assert.deepEqual(
      [33, 34, 35].map((line) => at(dx(), line).risk),
      ['read', 'read', 'read'],
    );
    assert.equal(at(dx(), 36).risk, 'unknown');
    reasonNames(at(dx(), 36), /frobnicate is not in the console's tables/);
  });

  it("redis-cli's client modes run in the terminal, never as a command sent to the server", () => {
    for (const line of [24, 25, 26]) {
      const step = at(mk(), line);
      assert.deepEqual(
        [step.kind, step.target, step.risk, step.redis],
        ['shell', 'terminal', 'read', undefined],
        `line ${line}`,
      );
    }
    assert.equal(at(mk(), 27).risk, 'dangerous');
    reasonNames(at(mk(), 27), /--pipe/);
  });
});

describe('runbook fidelity: prompts, output and scripts', () => {
  it('a pasted session: prompted lines are steps, the rest is their expected output', () => {
    assert.deepEqual(
      mk()
        .steps.filter((s) => s.line >= 44)
        .map((s) => s.text),
      ['df -h /var/lib/redis', 'kubectl -n cache get pods', 'du -sh /data'],
    );
    assert.match(at(mk(), 44).expectedOutput!, /\/dev\/nvme1n1 +100G/);
    assert.match(at(mk(), 47).expectedOutput!, /^NAME +READY/);
    assert.equal(at(mk(), 50).runsIn, 'redis-0 (from the prompt)');
  });

  it('a sql block keeps the statement; the psql result table is expected output', () => {
    const step = at(hugo(), 23);
    assert.equal(step.text, "SELECT pid, usename, state FROM pg_stat_activity WHERE state <> 'idle';");
    assert.equal(step.risk, 'read');
    assert.match(step.expectedOutput!, /\(1 row\)$/);
    assert.ok(step.template, 'the statement parses and can run');
  });

  it('psql prompts: meta-commands are never sent as SQL, output is kept', () => {
    assert.deepEqual(
      [31, 33].map((line) => [at(hugo(), line).text, at(hugo(), line).risk]),
      [
        ['\\x', 'read'],
        ['\\d events', 'read'],
      ],
    );
    assert.equal(at(hugo(), 31).template, undefined);
    assert.match(at(hugo(), 34).expectedOutput!, /1200/);
  });

  it('an "Output:" block is the expected output of the step before it', () => {
    assert.equal(at(hugo(), 52).expectedOutput, 'DELETE 120');
    assert.equal(hugo().steps.filter((s) => s.line > 52 && s.line < 60).length, 0);
  });

  it('a script with a shebang, set -e, variables, a function, a loop and a heredoc is one step, judged by its worst command', () => {
    const script = at(gh(), 6);
    assert.equal(script.script, true);
    assert.equal(gh().steps.filter((s) => s.line > 6 && s.line < 20).length, 0);
    assert.match(
      script.text,
      /^#!\/usr\/bin\/env bash\nset -euo pipefail\nsrc=\$1[\s\S]*done\ncat <<EOF > \/etc\/logrotate.d\/worker/,
    );
    assert.equal(script.risk, 'write');
    reasonNames(script, /writes to \/etc\/logrotate.d\/worker/);
  });

  it('commands after kubectl exec -it … -- bash run inside the pod, until exit', () => {
    assert.equal(at(dx(), 45).risk, 'read');
    assert.equal(at(dx(), 46).runsIn, 'kubectl exec db-0 (bash)');
    assert.equal(at(dx(), 47).runsIn, 'kubectl exec db-0 (bash)');
    assert.equal(at(dx(), 49).runsIn, undefined);
  });
});

describe('runbook fidelity: nothing dropped in silence, placeholders, bad input', () => {
  it('a bare Redis command in an unlabelled fence is a Redis step, with the guess and its confidence', () => {
    const step = at(mk(), 33);
    assert.deepEqual(
      [step.kind, step.target, step.redis],
      ['redis', 'redis', [['CONFIG', 'SET', 'latency-monitor-threshold', '100']]],
    );
    assert.deepEqual(step.sniffed, { language: 'redis', confidence: 1 });
  });

  it('a python block is a reference step whose SQL is classified and flagged', () => {
    const step = at(hugo(), 44);
    assert.deepEqual([step.kind, step.target, step.risk], ['reference', null, 'dangerous']);
    assert.ok(step.statements.some((s) => s.text.includes('pg_terminate_backend') && s.risk === 'dangerous'));
    const yaml = at(gh(), 31);
    assert.equal(yaml.kind, 'reference');
    assert.ok(yaml.notes.some((n) => n.startsWith('yaml block shown for reference')));
  });

  it('inline commands of known CLIs in the prose are optional steps, classified', () => {
    const scale = at(dx(), 14);
    assert.deepEqual(
      [scale.mentioned, scale.text, scale.risk],
      [true, 'kubectl -n shop scale deploy/worker --replicas=0', 'write'],
    );
    const curl = at(hugo(), 61);
    assert.equal(curl.mentioned, true);
    assert.deepEqual(curl.parameters, [{ name: 'admin_token', type: 'string', secret: true }]);
  });

  it('[RETENTION_DAYS] inside a literal is a parameter, bound and never pasted', () => {
    const step = at(hugo(), 17);
    assert.deepEqual(step.parameters, [{ name: 'RETENTION_DAYS', type: 'int', secret: false }]);
    assert.equal(step.template?.sql, "DELETE FROM events WHERE created_at < now() - ($1 || ' days')::interval;");
  });

  it('a token in a connection string, an Authorization header or token= is a secret parameter', () => {
    const byName = new Map(gh().parameters.map((p) => [p.name, p]));
    for (const name of ['db_password', 'api_token', 'replace_me']) assert.equal(byName.get(name)?.secret, true, name);
  });

  it('unterminated quotes and heredocs are steps that say so, at least unknown', () => {
    for (const line of [38, 42]) {
      assert.equal(at(gh(), line).risk, 'unknown');
      reasonNames(at(gh(), line), /does not parse as shell/);
    }
  });

  it('front matter in TOML and YAML, MDX imports and components, tab-indented fences in lists: titles and steps come through', () => {
    assert.deepEqual(
      [...docs.values()].map((d) => d.title),
      ['Session store overflow', 'Database cleanup', 'Worker backlog', 'Rotate logs on the workers'],
    );
    assert.ok(!dx().steps.some((s) => s.text.includes('import Tabs')));
    assert.deepEqual(
      (hugo() as Doc & { metadata: { tags: string[] } }).metadata.tags,
      ['postgres', 'cleanup'],
      'TOML front matter is read',
    );
  });

  it('a 5 MB runbook, a 10,000-line block, a 10,000-line script and 500 pipes import; more than 10 MB is refused with its size', async () => {
    const line = 'kubectl get pods | grep worker | wc -l\n';
    const pipes = Array.from({ length: 500 }, (_, i) => `cat f${i}`).join(' | ');
    const script = `#!/bin/bash\nset -e\n${'kubectl -n shop get pods | grep worker || true\n'.repeat(10_000)}`;
    const big = `# Big\n\n\`\`\`bash\n${line.repeat(10_000)}\`\`\`\n\n\`\`\`bash\n${pipes} | xargs rm\n\`\`\`\n\n${'Prose about the incident. '.repeat(200_000)}\n\n\`\`\`bash\n${script}\`\`\`\n`;
    const file = join(home, 'big.md');
    writeFileSync(file, big);
    const run = await runCliInProcess(home, ['runbook', 'inspect', file, '--json']);
    assert.equal(run.code, 0, run.stderr);
    const doc = run.json<Doc>();
    assert.equal(doc.steps.length, 10_002);
    assert.equal(doc.steps[10_000]!.risk, 'dangerous', 'the 500-pipe line ends in xargs rm');
    assert.deepEqual(
      [doc.steps.at(-1)!.script, doc.steps.at(-1)!.risk],
      [true, 'read'],
      'a 10,000-line script is one step',
    );
    writeFileSync(file, 'x'.repeat(10 * 1024 * 1024 + 1));
    const refused = await runCliInProcess(home, ['runbook', 'inspect', file, '--json']);
    assert.equal(refused.code, 2);
    assert.match(
      refused.json<{ error: { message: string } }>().error.message,
      /is 10\.0 MB, more than the 10 MB a runbook can be/,
    );
  });
});

describe('runbook fidelity: lint names each guess with its line and the fix', () => {
  const lint = async (file: string) => {
    const run = await runCliInProcess(home, ['runbook', 'lint', join(dialects, file), '--json']);
    assert.equal(run.code, 0, run.stderr || run.stdout);
    return run
      .json<{ files: { findings: { line: number; code: string; message: string }[] }[] }>()
      .files[0]!.findings.map((f) => [f.line, f.code, f.message] as const);
  };

  it('output in a sql block, unlabelled fences, a risky python block, placeholders in odd spellings, inline commands', async () => {
    const findings = await lint('hugo-database.md');
    const byCode = (code: string) => findings.filter((f) => f[1] === code);
    assert.deepEqual(
      byCode('sql-output-mixed').map((f) => f[0]),
      [24],
    );
    assert.match(byCode('sql-output-mixed')[0]![2], /move them into a ```text block after "Output:"/);
    assert.deepEqual(
      byCode('unlabelled-fence').map((f) => f[0]),
      [31],
    );
    assert.match(byCode('unlabelled-fence')[0]![2], /label the fence ```sql/);
    assert.deepEqual(
      byCode('risky-reference').map((f) => f[0]),
      [44],
    );
    assert.deepEqual(
      byCode('placeholder-spelling').map((f) => f[0]),
      [17],
    );
    assert.match(byCode('placeholder-spelling')[0]![2], /write it as \{\{RETENTION_DAYS\}\}/);
    assert.deepEqual(
      byCode('mentioned-command').map((f) => f[0]),
      [61],
    );
  });

  it('commands typed inside a hop, shell that does not parse, dangerous pipelines without a warning', async () => {
    const workers = await lint('docusaurus-workers.mdx');
    assert.deepEqual(
      workers.filter((f) => f[1] === 'runs-inside-hop').map((f) => f[0]),
      [46, 47],
    );
    assert.ok(
      workers.some(
        (f) => f[0] === 17 && f[1] === 'dangerous-without-warning' && f[2].includes('xargs → kubectl delete'),
      ),
    );
    const readme = await lint('github-readme.md');
    assert.deepEqual(
      readme.filter((f) => f[1] === 'shell-parse').map((f) => f[0]),
      [38, 42],
    );
  });

  it('mixed output in an unlabelled shell block is reported on its first output line, asking for prompts', async () => {
    const file = join(home, 'mixed.md');
    writeFileSync(file, '# Mixed\n\n```\nkubectl get pods\nNAME  READY\nweb-0 1/1\n```\n');
    const run = await runCliInProcess(home, ['runbook', 'lint', file, '--json']);
    const findings = run.json<{ files: { findings: { line: number; code: string; message: string }[] }[] }>().files[0]!
      .findings;
    const mixed = findings.find((f) => f.code === 'output-mixed');
    assert.equal(mixed?.line, 5);
    assert.match(mixed!.message, /add a "\$ " prompt before each command/);
  });
});

describe('runbook fidelity: verb tables of the CLIs runbooks use', () => {
  it('judges each command by its verb (a file with CRLF line ends)', async () => {
    const cases: [string, string][] = [
      ['psql -f restore.sql', 'dangerous'],
      ['pg_restore -d app dump.custom', 'write'],
      ['pg_restore --clean -d app dump.custom', 'dangerous'],
      ['pg_restore -l dump.custom', 'read'],
      ['helm rollback web 3', 'dangerous'],
      ['helm history web', 'read'],
      ['aws s3 rm s3://bucket/x --recursive', 'dangerous'],
      ['aws ec2 describe-instances', 'read'],
      ['gcloud compute instances delete vm-1', 'dangerous'],
      ['az vm list', 'read'],
      ['systemctl stop nginx', 'dangerous'],
      ['systemctl is-active nginx', 'read'],
      ['wget --method=DELETE https://api.internal/x', 'dangerous'],
      ['git push --force origin main', 'dangerous'],
      ['git log -5', 'read'],
      ['patronictl switchover', 'dangerous'],
      ['patronictl list', 'read'],
      ['pg_ctl stop -D /data', 'dangerous'],
      ['docker compose logs web', 'read'],
      ['docker system prune -f', 'dangerous'],
      ['ssh bastion "sudo systemctl restart api"', 'write'],
      ['parallel -j 4 redis-cli del ::: a b c', 'write'],
      ['kubectl rollout undo deploy/web', 'dangerous'],
      ['kubectl frobnicate', 'unknown'],
      ['git config --get user.name', 'read'],
      ['git config user.name ops', 'write'],
      ['git fsck', 'read'],
      ['tar -tzf logs.tgz', 'read'],
      ['tar -xzf logs.tgz', 'write'],
      ['envdir /etc/gitlab/env kubectl delete pod web-0', 'dangerous'],
      ['sudo gitlab-psql', 'read'],
    ];
    const file = join(home, 'verbs.md');
    writeFileSync(file, `# Verbs\r\n\r\n\`\`\`bash\r\n${cases.map(([command]) => command).join('\r\n')}\r\n\`\`\`\r\n`);
    const run = await runCliInProcess(home, ['runbook', 'inspect', file, '--json']);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(
      run.json<Doc>().steps.map((s) => [s.text, s.risk]),
      cases,
    );
  });
});

describe('runbook fidelity: commands fed through here-documents', () => {
  it('redis-cli and psql reading a heredoc are judged by what they read, also inside a script', async () => {
    const file = join(home, 'heredocs.md');
    writeFileSync(
      file,
      '# Heredocs\n\n```bash\nredis-cli -n 2 <<EOF\nFLUSHALL\nEOF\n```\n\n```bash\nset -e\nN=5\nredis-cli <<< "FLUSHDB"\npsql <<SQL\nDELETE FROM jobs;\nSQL\necho $N\n```\n',
    );
    const run = await runCliInProcess(home, ['runbook', 'inspect', file, '--json']);
    const [redis, script] = run.json<Doc>().steps;
    assert.deepEqual([redis!.kind, redis!.risk, redis!.redis], ['redis', 'dangerous', [['FLUSHALL']]]);
    assert.deepEqual([script!.script, script!.risk], [true, 'dangerous']);
    assert.deepEqual(script!.statements[0]!.reasons.slice(0, 2), [
      'psql: DELETE FROM jobs: no_where',
      'redis-cli: dangerous_command:FLUSHDB',
    ]);
  });
});

describe('runbook fidelity: output pasted into a labelled block', () => {
  it("a sentence a program printed is the command's expected output, not a command", async () => {
    const file = join(home, 'keygen.md');
    writeFileSync(
      file,
      '# Keys\n\n```bash\nssh-keygen -t ed25519 -f /tmp/key\nYour identification has been saved in /tmp/key\nKey fingerprint is SHA256:abc\n```\n',
    );
    const steps = (await runCliInProcess(home, ['runbook', 'inspect', file, '--json'])).json<Doc>().steps;
    assert.deepEqual(
      steps.map((s) => s.text),
      ['ssh-keygen -t ed25519 -f /tmp/key'],
    );
    assert.equal(
      steps[0]!.expectedOutput,
      'Your identification has been saved in /tmp/key\nKey fingerprint is SHA256:abc',
    );
  });
});

describe('runbook fidelity: psql meta-commands and other prompts', () => {
  it('\\watch is judged by its statement, \\gexec is dangerous, a mysql> session is MySQL SQL with its output', async () => {
    const file = join(home, 'meta.md');
    writeFileSync(
      file,
      "# Meta\n\n```sql\nSELECT count(*) FROM jobs;\n\\watch 5\n```\n\n```sql\nSELECT format('DROP TABLE %I', tablename) FROM pg_tables\n\\gexec\n```\n\n```\nmysql> SELECT * FROM users;\n+----+\n| id |\n+----+\n```\n",
    );
    const [watch, gexec, mysql] = (await runCliInProcess(home, ['runbook', 'inspect', file, '--json'])).json<Doc>()
      .steps;
    assert.deepEqual(
      watch!.statements.map((s) => [s.text, s.risk]),
      [
        ['\\watch 5', 'read'],
        ['SELECT count(*) FROM jobs', 'read'],
      ],
    );
    assert.equal(gexec!.risk, 'dangerous');
    assert.ok(gexec!.statements.some((s) => s.reasons.some((r) => r.includes('\\gexec runs every cell'))));
    assert.deepEqual(
      [mysql!.kind, mysql!.target, mysql!.text, mysql!.expectedOutput],
      ['sql', 'terminal', 'SELECT * FROM users;', '+----+\n| id |\n+----+'],
    );
  });
});

describe('runbook fidelity: interactive hops', () => {
  it('docker exec -it, ssh host and sudo -i open a session the next commands run in, nested until exit', async () => {
    const file = join(home, 'hops.md');
    writeFileSync(
      file,
      '# Hops\n\n```bash\nssh bastion.internal\ndocker exec -it web-1 sh\nrm -rf /tmp/cache\nexit\nsudo -i\nsystemctl restart web\n```\n',
    );
    const steps = (await runCliInProcess(home, ['runbook', 'inspect', file, '--json'])).json<Doc>().steps;
    assert.deepEqual(
      steps.map((s) => [s.text, s.risk, s.runsIn]),
      [
        ['ssh bastion.internal', 'read', undefined],
        ['docker exec -it web-1 sh', 'read', 'ssh bastion.internal'],
        ['rm -rf /tmp/cache', 'dangerous', 'ssh bastion.internal → docker exec web-1 (sh)'],
        ['sudo -i', 'read', 'ssh bastion.internal'],
        ['systemctl restart web', 'write', 'ssh bastion.internal → sudo -i'],
      ],
    );
  });
});
