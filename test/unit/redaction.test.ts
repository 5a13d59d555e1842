import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { maskRedisArgv, maskRedisReply, maskSqlPasswords, redactPayload, Redactor } from '../../src/main/redaction';
import { RedisClassifier } from '../../src/main/redis/redis-classifier';
import { loadSqlParser } from '../../src/main/sql/split';

before(() => loadSqlParser());

describe('SQL passwords, from the parse tree', () => {
  const spellings: [sql: string, secret: string][] = [
    ["ALTER ROLE app PASSWORD 'canary-plain'", 'canary-plain'],
    ["ALTER ROLE app PASSWORD'canary-nospace'", 'canary-nospace'],
    ["ALTER ROLE app PASSWORD E'canary-\\x45scape'", 'canary-'],
    ["CREATE USER app WITH LOGIN PASSWORD /* why */ 'canary-comment'", 'canary-comment'],
    ['CREATE ROLE app PASSWORD $$canary-dollar$$', 'canary-dollar'],
    ['CREATE ROLE app PASSWORD $tag$canary-tagged$tag$ LOGIN', 'canary-tagged'],
    ["ALTER USER app WITH ENCRYPTED PASSWORD 'canary-enc''quoted'", 'canary-enc'],
    ["ALTER USER MAPPING FOR app SERVER s OPTIONS (SET password 'canary-mapping')", 'canary-mapping'],
    ["SELECT dblink_connect('host=db port=5432 password=canary-conninfo user=app')", 'canary-conninfo'],
    ["SELECT dblink_connect('c', 'host=db password=''canary quoted'' user=app')", 'canary quoted'],
    ["SELECT * FROM dblink('postgresql://app:canary-uri@db/app', 'select 1') AS t(x int)", 'canary-uri'],
    ['ALTER ROLE app PASSWORD$$canary-glued$$', 'canary-glued'],
    [
      "CREATE SUBSCRIPTION s CONNECTION 'host=db password=canary-subscription dbname=app' PUBLICATION p",
      'canary-subscription',
    ],
    [
      "CREATE SERVER remote FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host 'db', password 'canary-server')",
      'canary-server',
    ],
    ["ALTER ROLE app PASSWORD 'canary-broken' NONSENSE(", 'canary-broken'],
  ];
  for (const [sql, secret] of spellings) {
    test(sql, () => {
      const masked = maskSqlPasswords(sql);
      assert.equal(masked.value.includes(secret), false, masked.value);
      assert.match(masked.value, /\[redacted\]/);
      assert.ok(
        masked.secrets.some((s) => s.includes(secret)),
        `found ${JSON.stringify(masked.secrets)}`,
      );
    });
  }

  test('text without a password is left as it was, word for word', () => {
    for (const sql of [
      "SELECT 'password' AS word",
      'SELECT * FROM users WHERE password_hash IS NULL',
      "ALTER ROLE app PASSWORD NULL; SELECT 'not a password'",
      "SELECT 1 -- password 'x' in a comment? no string token",
    ]) {
      const masked = maskSqlPasswords(sql);
      assert.equal(masked.value, sql);
    }
  });

  test('the password column of a table is data, not a secret option', () => {
    const sql = "UPDATE users SET password = 'new-hash-value' WHERE id = 1";
    assert.equal(maskSqlPasswords(sql).value, sql);
  });
});

describe('Redis secrets in argv and replies', () => {
  const cases: [argv: string[], masked: string[]][] = [
    [
      ['AUTH', 'canary-a'],
      ['AUTH', '[redacted]'],
    ],
    [
      ['AUTH', 'user', 'canary-b'],
      ['AUTH', 'user', '[redacted]'],
    ],
    [
      ['HELLO', '3', 'AUTH', 'user', 'canary-c', 'SETNAME', 'x'],
      ['HELLO', '3', 'AUTH', 'user', '[redacted]', 'SETNAME', 'x'],
    ],
    [
      ['CONFIG', 'SET', 'requirepass', 'canary-d'],
      ['CONFIG', 'SET', 'requirepass', '[redacted]'],
    ],
    [
      ['config', 'set', 'maxmemory', '1', 'MASTERAUTH', 'canary-e'],
      ['config', 'set', 'maxmemory', '1', 'MASTERAUTH', '[redacted]'],
    ],
    [
      [
        'ACL',
        'SETUSER',
        'mallory',
        'on',
        '>canary-f',
        '<canary-g',
        '#' + 'a'.repeat(64),
        '!' + 'b'.repeat(64),
        '+@all',
        '~*',
      ],
      ['ACL', 'SETUSER', 'mallory', 'on', '>[redacted]', '<[redacted]', '#[redacted]', '![redacted]', '+@all', '~*'],
    ],
    [
      ['MIGRATE', 'h', '6379', '', '0', '5000', 'AUTH', 'canary-h', 'KEYS', 'a'],
      ['MIGRATE', 'h', '6379', '', '0', '5000', 'AUTH', '[redacted]', 'KEYS', 'a'],
    ],
    [
      ['MIGRATE', 'h', '6379', 'k', '0', '5000', 'AUTH2', 'user', 'canary-i'],
      ['MIGRATE', 'h', '6379', 'k', '0', '5000', 'AUTH2', 'user', '[redacted]'],
    ],
    [
      ['SET', 'password', 'value'],
      ['SET', 'password', 'value'],
    ],
  ];
  for (const [argv, masked] of cases) {
    test(argv.join(' '), () => assert.deepEqual(maskRedisArgv(argv).value, masked));
  }

  test('CONFIG GET requirepass/masterauth (and patterns) replies are masked', () => {
    const reply = {
      type: 'array' as const,
      total: 4,
      items: [
        { type: 'string' as const, value: 'requirepass' },
        { type: 'string' as const, value: 'canary-reply' },
        { type: 'string' as const, value: 'maxmemory' },
        { type: 'string' as const, value: '0' },
      ],
    };
    const masked = maskRedisReply(['CONFIG', 'GET', '*'], reply);
    assert.deepEqual(
      masked.value.type === 'array' && masked.value.items.map((i) => (i.type === 'string' ? i.value : '')),
      ['requirepass', '[redacted]', 'maxmemory', '0'],
    );
    assert.deepEqual(masked.secrets, ['canary-reply']);
  });

  test('ACL GENPASS: the generated password is a secret', () => {
    const masked = maskRedisReply(['acl', 'genpass'], { type: 'string', value: 'f'.repeat(64) });
    assert.deepEqual([masked.value, masked.secrets], [{ type: 'string', value: '[redacted]' }, ['f'.repeat(64)]]);
  });

  test('ACL LIST hides password hashes', () => {
    const hash = 'c'.repeat(64);
    const reply = {
      type: 'array' as const,
      total: 1,
      items: [{ type: 'string' as const, value: `user ops on #${hash} ~* +@all` }],
    };
    assert.equal(JSON.stringify(maskRedisReply(['ACL', 'LIST'], reply).value).includes(hash), false);
  });
});

describe('the one redactor', () => {
  test('remembers secrets from every source and masks them in any later text', () => {
    const redactor = new Redactor((text) => text.replaceAll('vault-secret', '[redacted]'));
    redactor.remember(['tpl-canary-1', null, 'ab']);
    assert.equal(
      redactor.text('invalid input syntax for type integer: "tpl-canary-1"'),
      'invalid input syntax for type integer: "[redacted]"',
    );
    assert.equal(redactor.text('ab stays: too short to mask'), 'ab stays: too short to mask');
    assert.equal(redactor.text('vault-secret'), '[redacted]');
    assert.deepEqual(redactor.redisArgv(['AUTH', 'argv-canary-2']), ['AUTH', '[redacted]']);
    assert.equal(redactor.text('WRONGPASS argv-canary-2'), 'WRONGPASS [redacted]');
    assert.equal(redactor.sql("ALTER ROLE a PASSWORD 'sql-canary-3'"), "ALTER ROLE a PASSWORD '[redacted]'");
    assert.equal(redactor.text('role password sql-canary-3'), 'role password [redacted]');
  });

  test('a payload: SQL and argv masked, and their secrets wherever else they appear', () => {
    const sql = redactPayload(
      'sql.run',
      {
        sql: "ALTER ROLE a PASSWORD 'payload-canary'",
        error: 'something about payload-canary',
        parameters: [{ name: 'p', value: 'param-canary', secret: true }],
        note: 'param-canary',
      },
      (t) => t,
    );
    assert.equal(JSON.stringify(sql).includes('canary'), false, JSON.stringify(sql));
    const redis = redactPayload(
      'redis.run',
      { command: ['CONFIG', 'SET', 'requirepass', 'redis-canary'], error: 'ERR redis-canary' },
      (t) => t,
    );
    assert.equal(JSON.stringify(redis).includes('canary'), false, JSON.stringify(redis));
    for (const [kind, payload] of [
      ['refusal', { action: "ACL SETUSER m on '>acl-canary' +@all", reason: 'read-only' }],
      ['confirmation', { action: 'AUTH admin auth-canary', risk: 'dangerous' }],
      ['preview', { target: 'redis', text: 'HELLO 3 AUTH default hello-canary', risk: 'dangerous' }],
    ] as const) {
      const out = redactPayload(kind, payload, (t) => t);
      assert.equal(JSON.stringify(out).includes('canary'), false, JSON.stringify(out));
    }
  });
});

describe('Redis secrets the review found leaking', () => {
  test('HELLO AUTH user pass without a protocol version', () => {
    assert.deepEqual(maskRedisArgv(['HELLO', 'AUTH', 'admin', 'S3cretPw1']).value, [
      'HELLO',
      'AUTH',
      'admin',
      '[redacted]',
    ]);
    assert.deepEqual(maskRedisArgv(['HELLO', '3', 'SETNAME', 'auth']).value, ['HELLO', '3', 'SETNAME', 'auth']);
  });

  test("CONFIG SET and CONFIG GET of Valkey 8's primaryauth and primaryuser", () => {
    assert.deepEqual(maskRedisArgv(['CONFIG', 'SET', 'primaryauth', 'S3cretPw2']).value, [
      'CONFIG',
      'SET',
      'primaryauth',
      '[redacted]',
    ]);
    const reply = maskRedisReply(['CONFIG', 'GET', 'primary*'], {
      type: 'array',
      total: 4,
      items: [
        { type: 'string', value: 'primaryauth' },
        { type: 'string', value: 'S3cretPw3' },
        { type: 'string', value: 'primaryuser' },
        { type: 'string', value: 'replicator' },
      ],
    });
    assert.equal(JSON.stringify(reply.value).includes('S3cretPw3'), false);
    assert.equal(JSON.stringify(reply.value).includes('replicator'), false);
  });

  test('a URL with its password in an argument or a reply', () => {
    const masked = maskRedisArgv(['SET', 'cache:dsn', 'redis://app:S3cretPw4@cache.internal:6379/0']);
    assert.deepEqual(masked.value, ['SET', 'cache:dsn', 'redis://app:[redacted]@cache.internal:6379/0']);
    assert.deepEqual(masked.secrets, ['S3cretPw4']);
    const reply = maskRedisReply(['GET', 'cache:dsn'], {
      type: 'string',
      value: 'rediss://app:S3cretPw4@cache.internal:6380',
    });
    assert.deepEqual(reply.value, { type: 'string', value: 'rediss://app:[redacted]@cache.internal:6380' });
    const nested = maskRedisReply(['HGETALL', 'cfg'], {
      type: 'array',
      total: 2,
      items: [
        { type: 'string', value: 'dsn' },
        { type: 'string', value: 'postgres://u:S3cretPw6@db/app' },
      ],
    });
    assert.equal(JSON.stringify(nested.value).includes('S3cretPw6'), false);
  });

  test('ACL SETUSER selectors are masked, and the bare password is remembered', () => {
    const masked = maskRedisArgv(['ACL', 'SETUSER', 'bob', 'on', '(>S3cretPw5 ~x +get)', '>S3cretPw7']);
    assert.deepEqual(masked.value, ['ACL', 'SETUSER', 'bob', 'on', '(>[redacted] ~x +get)', '>[redacted]']);
    assert.deepEqual(masked.secrets, ['S3cretPw5', 'S3cretPw7']);
    const redactor = new Redactor();
    redactor.redisArgv(['ACL', 'SETUSER', 'bob', 'on', '>S3cretPw8']);
    assert.equal(redactor.text('AUTH bob S3cretPw8 failed'), 'AUTH bob [redacted] failed');
  });

  test('redis.classify answers with the argv masked', async () => {
    const classifier = new RedisClassifier(new Redactor());
    assert.deepEqual((await classifier.classify({ argv: ['AUTH', 'S3cretPw9'] })).argv, ['AUTH', '[redacted]']);
    assert.deepEqual((await classifier.classify({ line: 'AUTH admin S3cretPw9' })).argv, [
      'AUTH',
      'admin',
      '[redacted]',
    ]);
  });
});
