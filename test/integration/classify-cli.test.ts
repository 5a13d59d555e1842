import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runCli, runCliInProcess } from '../support/cli';

let home: string;
before(() => {
  home = mkdtempSync(join(tmpdir(), 'opsconsole-classify-cli-'));
});
after(() => rmSync(home, { recursive: true, force: true }));

interface SqlDoc {
  risk: string;
  statements: { text: string; risk: string; reasons: string[]; start: number; end: number }[];
}

describe('opsconsole sql classify (spawned)', () => {
  test('--json prints exactly the promised document and exits 0', async () => {
    const sql = 'SELECT 1; -- note\n  DELETE FROM users ;';
    const run = await runCli(home, ['sql', 'classify', sql, '--json']);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(run.json(), {
      risk: 'dangerous',
      statements: [
        { text: 'SELECT 1', risk: 'read', reasons: [], start: 0, end: 8 },
        { text: 'DELETE FROM users', risk: 'dangerous', reasons: ['no_where'], start: 20, end: 37 },
      ],
    });
    assert.equal(run.stdout.trim().split('\n').length, 1, 'one JSON document on one line');
  });

  test('reads stdin when no SQL is given; the readable form names risk and reasons', async () => {
    const run = await runCli(home, ['sql', 'classify'], { input: 'TRUNCATE t' });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^risk: dangerous \(1 statement\)/);
    assert.match(run.stdout, /truncate: TRUNCATE empties tables/);
  });

  test('the classifier touches no data folder', () => {
    assert.deepEqual(readdirSync(home), []);
  });
});

describe('opsconsole sql classify (in process)', () => {
  test('--file F', async () => {
    const file = join(home, 'q.sql');
    writeFileSync(file, "UPDATE t SET a = 1 WHERE id = 2;\nSELECT 'é';\n");
    const run = await runCliInProcess(home, ['sql', 'classify', '--file', file, '--json']);
    assert.equal(run.code, 0, run.stderr);
    const doc = run.json<SqlDoc>();
    assert.equal(doc.risk, 'write');
    assert.deepEqual(
      doc.statements.map((s) => s.text),
      ['UPDATE t SET a = 1 WHERE id = 2', "SELECT 'é'"],
    );
    rmSync(file);
  });

  test('--file - reads stdin', async () => {
    const run = await runCliInProcess(home, ['sql', 'classify', '--file', '-', '--json'], { input: 'VACUUM t' });
    assert.equal(run.json<SqlDoc>().risk, 'admin');
  });

  test('a parse error is a classification (unknown, exit 0) with message and position', async () => {
    const run = await runCliInProcess(home, ['sql', 'classify', 'SELEC 1', '--json']);
    assert.equal(run.code, 0);
    assert.deepEqual(run.json(), {
      risk: 'unknown',
      statements: [
        {
          text: 'SELEC 1',
          risk: 'unknown',
          reasons: ['parse_error'],
          start: 0,
          end: 7,
          error: { message: 'syntax error at or near "SELEC"', position: 0 },
        },
      ],
    });
  });

  test('bad input exits 2 with {ok:false,error}', async () => {
    const missing = await runCliInProcess(home, ['sql', 'classify', '--file', join(home, 'nope.sql'), '--json']);
    assert.equal(missing.code, 2);
    assert.equal(missing.json<{ ok: boolean; error: { code: string; message: string } }>().error.code, 'invalid_input');
    assert.match(
      missing.json<{ error: { message: string } }>().error.message,
      /--file .*nope\.sql cannot be read \(ENOENT\)/,
    );

    const both = await runCliInProcess(home, ['sql', 'classify', 'SELECT 1', '--file', 'x.sql', '--json']);
    assert.equal(both.code, 2);
    const empty = await runCliInProcess(home, ['sql', 'classify', '--json'], { input: '  \n' });
    assert.equal(empty.code, 2);
    assert.deepEqual(Object.keys(empty.json<object>()), ['ok', 'error']);
    const unknownFlag = await runCliInProcess(home, ['sql', 'classify', '--nope', 'SELECT 1']);
    assert.equal(unknownFlag.code, 2);
  });
});

describe('opsconsole redis classify', () => {
  test('spawned: -- CMD ARG… --json prints {risk, reasons, argv}', async () => {
    const run = await runCli(home, ['redis', 'classify', '--', 'CONFIG', 'SET', 'maxmemory', '1gb', '--json']);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(run.json(), {
      risk: 'dangerous',
      reasons: ['server_change:CONFIG SET', 'dangerous_command:CONFIG SET', 'admin_command'],
      argv: ['CONFIG', 'SET', 'maxmemory', '1gb'],
    });
  });

  test('spawned: a password the command carries is never printed back, in JSON or text', async () => {
    const json = await runCli(home, ['redis', 'classify', '--', 'AUTH', 'admin', 'hunter22secret', '--json']);
    assert.equal(json.code, 0, json.stderr);
    assert.deepEqual(json.json<{ argv: string[] }>().argv, ['AUTH', 'admin', '[redacted]']);
    const text = await runCli(home, ['redis', 'classify', '--', 'CONFIG', 'SET', 'requirepass', 'hunter22secret']);
    assert.equal(text.code, 0, text.stderr);
    assert.doesNotMatch(text.stdout + text.stderr, /hunter22secret/);
  });

  test('--json before -- and arguments that look like flags', async () => {
    const run = await runCliInProcess(home, ['redis', 'classify', '--json', '--', 'SET', 'k', '--nx']);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(run.json(), { risk: 'write', reasons: ['write_command'], argv: ['SET', 'k', '--nx'] });
  });

  test("after --, -h, --help and --json are the command's arguments, not the CLI's flags", async () => {
    for (const help of ['-h', '--help']) {
      const run = await runCliInProcess(home, ['redis', 'classify', '--json', '--', 'SET', 'flag', help]);
      assert.equal(run.code, 0, run.stderr);
      assert.deepEqual(run.json(), { risk: 'write', reasons: ['write_command'], argv: ['SET', 'flag', help] });
    }
    const spawned = await runCli(home, ['redis', 'classify', '--', 'SET', 'flag', '-h']);
    assert.equal(spawned.code, 0, spawned.stderr);
    assert.doesNotMatch(spawned.stdout, /Usage:/);
    assert.match(spawned.stdout, /risk: write/);
    // Not last, so not the flag that `-- CMD … --json` has always allowed: the output stays text.
    const echo = await runCliInProcess(home, ['redis', 'classify', '--', 'ECHO', '--json', 'x']);
    assert.equal(echo.code, 0, echo.stderr);
    assert.throws(() => JSON.parse(echo.stdout));
    assert.match(echo.stdout, /ECHO --json x/);
  });

  test('--line uses redis-cli quoting', async () => {
    const run = await runCliInProcess(home, ['redis', 'classify', '--line', "SET \"my key\" 'it\\'s'", '--json']);
    assert.deepEqual(run.json<{ argv: string[] }>().argv, ['SET', 'my key', "it's"]);
  });

  test('readable form', async () => {
    const run = await runCliInProcess(home, ['redis', 'classify', '--', 'KEYS', '*']);
    assert.equal(run.code, 0);
    assert.match(run.stdout, /^risk: dangerous {3}KEYS \*/);
    assert.match(run.stdout, /keys_use_scan: .*SCAN/);
  });

  test('no command, or a bad quote, exits 2', async () => {
    const none = await runCliInProcess(home, ['redis', 'classify', '--json']);
    assert.equal(none.code, 2);
    assert.equal(none.json<{ ok: boolean }>().ok, false);
    const badQuote = await runCliInProcess(home, ['redis', 'classify', '--line', 'GET "k', '--json']);
    assert.equal(badQuote.code, 2);
    assert.match(badQuote.json<{ error: { message: string } }>().error.message, /unterminated quote/);
  });
});

describe('contract: sql.classify and redis.classify through core.invoke', () => {
  test('validated inputs, same answers as the CLI', async () => {
    const { tempCore } = await import('../support/temp-core');
    const temp = tempCore();
    try {
      const sql = await temp.core.invoke('sql.classify', { sql: 'SELECT 1; SET ROLE admin' });
      assert.equal(sql.risk, 'dangerous');
      assert.deepEqual(sql.statements[1]!.reasons, ['identity_change']);
      assert.deepEqual(await temp.core.invoke('sql.classify', { sql: '' }), { risk: 'read', statements: [] });

      const redis = await temp.core.invoke('redis.classify', { line: 'FLUSHDB' });
      assert.deepEqual([redis.risk, redis.source], ['dangerous', 'builtin']);
      assert.equal((await temp.core.invoke('redis.classify', { argv: ['GET', 'k'] })).risk, 'read');

      const invalid = (error: unknown) => (error as { code?: string }).code === 'invalid_input';
      await assert.rejects(temp.core.invoke('redis.classify', { argv: ['GET'], line: 'GET k' }), invalid);
      await assert.rejects(temp.core.invoke('redis.classify', {}), invalid);
      await assert.rejects(temp.core.invoke('redis.classify', { argv: [] }), invalid);
      await assert.rejects(temp.core.invoke('sql.classify', { sql: 42 } as never), invalid);
    } finally {
      await temp.dispose();
    }
  });
});
