import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { builtinCommandTable } from '../../src/main/redis/builtin-command-table';
import { classifyRedis } from '../../src/main/redis/classify';
import { parseRedisCommandLine, parseRedisCommandLineBytes } from '../../src/main/redis/command-line';
import { commandTableFromReply } from '../../src/main/redis/command-table';
import { Redactor } from '../../src/main/redaction';
import { RedisClassifier } from '../../src/main/redis/redis-classifier';
import { OpsError } from '../../src/main/errors';
import { reasonCode, type RiskLevel } from '../../src/shared/risk';

/** [command line, risk, reasons that must be present]. */
type Case = [line: string, risk: RiskLevel, reasons?: string[]];

const cases: Record<string, Case[]> = {
  'always dangerous': [
    ['FLUSHALL', 'dangerous', ['dangerous_command:FLUSHALL']],
    ['flushall async', 'dangerous', ['dangerous_command:FLUSHALL']],
    ['FLUSHDB', 'dangerous', ['dangerous_command:FLUSHDB']],
    ['FLUSHDB SYNC', 'dangerous'],
    ['KEYS *', 'dangerous', ['keys_use_scan']],
    ['keys user:*', 'dangerous', ['keys_use_scan']],
    ['SHUTDOWN NOSAVE', 'dangerous', ['dangerous_command:SHUTDOWN']],
    ['DEBUG SLEEP 10', 'dangerous', ['dangerous_command:DEBUG']],
    ['DEBUG SEGFAULT', 'dangerous'],
    ['CONFIG SET maxmemory 1mb', 'dangerous', ['dangerous_command:CONFIG SET']],
    ['config set save ""', 'dangerous', ['dangerous_command:CONFIG SET']],
    ['CONFIG REWRITE', 'dangerous', ['dangerous_command:CONFIG REWRITE']],
    ['CONFIG RESETSTAT', 'dangerous', ['dangerous_command:CONFIG RESETSTAT']],
    ['CLIENT KILL ID 7', 'dangerous', ['dangerous_command:CLIENT KILL']],
    ['CLIENT KILL TYPE normal', 'dangerous'],
    ['CLIENT PAUSE 10000', 'dangerous', ['dangerous_command:CLIENT PAUSE']],
    ['SCRIPT FLUSH', 'dangerous', ['dangerous_command:SCRIPT FLUSH']],
    ['FUNCTION FLUSH ASYNC', 'dangerous', ['dangerous_command:FUNCTION FLUSH']],
    ['SWAPDB 0 1', 'dangerous', ['dangerous_command:SWAPDB']],
    ['REPLICAOF NO ONE', 'dangerous', ['dangerous_command:REPLICAOF']],
    ['SLAVEOF 10.0.0.1 6379', 'dangerous', ['dangerous_command:SLAVEOF']],
    ['FAILOVER TO 10.0.0.2 6379', 'dangerous', ['dangerous_command:FAILOVER']],
    ['CLUSTER RESET HARD', 'dangerous', ['dangerous_command:CLUSTER RESET']],
    ['CLUSTER FAILOVER FORCE', 'dangerous', ['dangerous_command:CLUSTER FAILOVER']],
    ['MIGRATE 10.0.0.3 6379 key 0 5000', 'dangerous', ['dangerous_command:MIGRATE']],
    ['SAVE', 'dangerous', ['dangerous_command:SAVE']],
    ['MODULE LOAD /tmp/evil.so', 'dangerous', ['dangerous_command:MODULE LOAD']],
  ],
  'diagnostics are read or admin, never dangerous': [
    ['INFO', 'read'],
    ['INFO memory', 'read'],
    ['CLIENT LIST', 'admin', ['admin_command']],
    ['CLIENT INFO', 'read'],
    ['SLOWLOG GET 10', 'admin', ['admin_command']],
    ['SLOWLOG LEN', 'admin'],
    ['MEMORY USAGE user:1', 'read'],
    ['MEMORY STATS', 'read'],
    ['CONFIG GET maxmemory', 'admin', ['admin_command']],
    ['LATENCY LATEST', 'admin'],
    ['DBSIZE', 'read'],
    ['PING', 'read'],
    ['TIME', 'read'],
    ['COMMAND COUNT', 'read'],
    ['OBJECT ENCODING k', 'read'],
    ['SCAN 0 MATCH user:* COUNT 100', 'read'],
    ['ROLE', 'admin'],
    ['LASTSAVE', 'admin'],
    ['ACL WHOAMI', 'read'],
    ['CLUSTER INFO', 'read'],
  ],
  reads: [
    ['GET user:1', 'read'],
    ['MGET a b c', 'read'],
    ['HGETALL session:42', 'read'],
    ['LRANGE queue 0 -1', 'read'],
    ['ZRANGE board 0 10 WITHSCORES', 'read'],
    ['SMEMBERS tags', 'read'],
    ['TTL k', 'read'],
    ['TYPE k', 'read'],
    ['EXISTS a b', 'read'],
    ['XRANGE stream - +', 'read'],
    ['SORT_RO list', 'read'],
    ['HTTL h FIELDS 1 f', 'read'],
  ],
  writes: [
    ['SET k v', 'write', ['write_command']],
    ['SET k v EX 60 NX', 'write'],
    ['DEL a b c', 'write', ['write_command']],
    ['UNLINK a', 'write'],
    ['EXPIRE k 60', 'write'],
    ['HSET h f v', 'write'],
    ['LPUSH q x', 'write'],
    ['INCR counter', 'write'],
    ['ZADD board 1 alice', 'write'],
    ['XADD s * f v', 'write'],
    ['SORT list STORE dst', 'write'],
    ['RENAME a b', 'write'],
    ['RESTORE k 0 payload', 'write'],
    ['PUBLISH channel hello', 'write', ['publish']],
    ['HEXPIRE h 60 FIELDS 1 f', 'write', ['write_command']],
    ['BLPOP queue 5', 'write', ['write_command', 'blocking']],
    ['XREAD BLOCK 1000 STREAMS s $', 'read', ['blocking']],
  ],
  'admin commands that change server state': [
    ['ACL SETUSER mallory on >pw +@all ~*', 'dangerous', ['server_change:ACL SETUSER']],
    ['ACL DELUSER ops', 'dangerous', ['server_change:ACL DELUSER']],
    ['ACL LOG RESET', 'dangerous', ['server_change:ACL LOG']],
    ['ACL SAVE', 'dangerous'],
    ['CONFIG SET requirepass x', 'dangerous', ['server_change:CONFIG SET']],
    ['BGSAVE', 'dangerous', ['server_change:BGSAVE']],
    ['BGREWRITEAOF', 'dangerous', ['server_change:BGREWRITEAOF']],
    ['SLOWLOG RESET', 'dangerous', ['server_change:SLOWLOG RESET']],
    ['LATENCY RESET', 'dangerous', ['server_change:LATENCY RESET']],
    ['MEMORY PURGE', 'dangerous', ['server_change:MEMORY PURGE']],
    ['CLIENT UNPAUSE', 'dangerous'],
    ['CLUSTER REPLICATE abc', 'dangerous', ['server_change:CLUSTER REPLICATE']],
    ['CLUSTER FLUSHSLOTS', 'dangerous', ['server_change:CLUSTER FLUSHSLOTS']],
    ['CLUSTER FORGET abc', 'dangerous'],
    ['CLUSTER MEET 10.0.0.1 6379', 'dangerous'],
    ['CLUSTER SETSLOT 1 NODE abc', 'dangerous'],
    ['SCRIPT KILL', 'dangerous', ['server_change:SCRIPT KILL']],
    ['FUNCTION LOAD "#!lua name=x"', 'dangerous', ['server_change:FUNCTION LOAD']],
  ],
  'connection state: never on the shared client': [
    ['SELECT 1', 'dangerous', ['connection_state:SELECT']],
    ['AUTH user pw', 'dangerous', ['connection_state:AUTH']],
    ['HELLO 3 AUTH user pw', 'dangerous', ['connection_state:HELLO']],
    ['RESET', 'dangerous', ['connection_state:RESET']],
    ['CLIENT REPLY OFF', 'dangerous', ['connection_state:CLIENT REPLY']],
    ['CLIENT NO-EVICT on', 'dangerous', ['connection_state:CLIENT NO-EVICT']],
    ['CLIENT TRACKING on', 'dangerous'],
    ['MULTI', 'dangerous', ['connection_state:MULTI']],
    ['SUBSCRIBE news', 'dangerous', ['connection_state:SUBSCRIBE']],
    ['PSUBSCRIBE *', 'dangerous'],
    ['MONITOR', 'dangerous', ['connection_state:MONITOR']],
    ['QUIT', 'dangerous'],
  ],
  'unknown subcommands ask first': [
    ['CONFIG FOO bar', 'unknown', ['unknown_subcommand:CONFIG FOO']],
    ['ACL NOPE', 'unknown', ['unknown_subcommand:ACL NOPE']],
    ['CLIENT WHATEVER', 'unknown'],
    ['CLUSTER NOPE', 'unknown'],
    ['FUNCTION NOPE', 'unknown'],
    ['SCRIPT NOPE', 'unknown'],
    ['MEMORY NOPE', 'unknown'],
  ],
  'scripts and unknown commands': [
    ['EVAL_RO "return 1" 0', 'unknown', ['script']],
    ['EVALSHA_RO abc123 0', 'unknown', ['script']],
    ['FCALL_RO myfunc 0', 'unknown', ['script']],
    ['EVAL "redis.call(\'flushall\')" 0', 'unknown', ['script']],
    ['EVALSHA abc123 0', 'unknown', ['script']],
    ['FCALL myfunc 0', 'unknown', ['script']],
    ['NOSUCHCOMMAND x', 'unknown', ['unknown_command:NOSUCHCOMMAND']],
    ['FT.SEARCH idx hello', 'unknown', ['unknown_command:FT.SEARCH']],
  ],
};

describe('Redis classification (built-in Redis 7 table)', () => {
  test('the table has at least 60 command lines', () => {
    assert.ok(Object.values(cases).flat().length >= 60);
  });

  for (const [group, list] of Object.entries(cases)) {
    describe(group, () => {
      for (const [line, risk, reasons = []] of list) {
        test(`${risk.padEnd(9)} ${line}`, () => {
          const result = classifyRedis(parseRedisCommandLine(line));
          assert.equal(result.risk, risk, `risk of ${line} (reasons: ${result.reasons.join(', ') || 'none'})`);
          for (const reason of reasons)
            assert.ok(result.reasons.includes(reason as never), `missing ${reason} in [${result.reasons.join(', ')}]`);
          for (const reason of result.reasons)
            assert.ok(reasonCode(reason), `reason ${reason} is listed in src/shared/risk.ts`);
          assert.equal(result.source, 'builtin');
        });
      }
    });
  }

  test('the built-in table describes Redis 7 with its subcommands', () => {
    const table = builtinCommandTable();
    assert.ok(table.commands.size >= 240);
    assert.ok(table.commands.get('config')?.subcommands?.has('config|set'));
    assert.ok(
      table.commands.get('client')?.subcommands?.has('client|no-touch'),
      '7.2 additions are merged into their container',
    );
    assert.ok(table.commands.get('client')?.subcommands?.has('client|list'), 'merging keeps the 7.0 subcommands');
  });

  test('a server table decides instead of the built-in one', () => {
    const server = commandTableFromReply([['get', 2, ['write'], 1, 1, 1, ['@write']]], 'server', '9.9');
    const result = classifyRedis(['GET', 'k'], server);
    assert.deepEqual(
      { risk: result.risk, reasons: result.reasons, source: result.source },
      { risk: 'write', reasons: ['write_command'], source: 'server' },
    );
    assert.equal(
      classifyRedis(['SET', 'k', 'v'], server).risk,
      'unknown',
      'a command the server does not list is unknown',
    );
  });

  test('an empty argv is refused as invalid input', () => {
    assert.throws(
      () => classifyRedis([]),
      (error: unknown) => error instanceof OpsError && error.code === 'invalid_input',
    );
  });

  test('the service classifies a line or an argv', async () => {
    const classifier = new RedisClassifier(new Redactor());
    assert.deepEqual((await classifier.classify({ line: 'CONFIG  SET "maxmemory" 1' })).argv, [
      'CONFIG',
      'SET',
      'maxmemory',
      '1',
    ]);
    assert.equal((await classifier.classify({ argv: ['FLUSHALL'] })).risk, 'dangerous');
    await assert.rejects(
      classifier.classify({ line: '   ' }),
      (error: unknown) => error instanceof OpsError && error.code === 'invalid_input',
    );
  });
});

describe('redis-cli command-line parsing', () => {
  const parses: [string, string[]][] = [
    ['GET key', ['GET', 'key']],
    ['  SET   a   b  ', ['SET', 'a', 'b']],
    ['SET k "hello world"', ['SET', 'k', 'hello world']],
    ["SET k 'hello world'", ['SET', 'k', 'hello world']],
    ['SET k "a\\"b"', ['SET', 'k', 'a"b']],
    ['SET k "line\\nbreak\\ttab\\r\\a\\b"', ['SET', 'k', 'line\nbreak\ttab\r\x07\x08']],
    ['SET k "\\x41\\x42C"', ['SET', 'k', 'ABC']],
    ['SET k "\\xZZ"', ['SET', 'k', 'xZZ']],
    ['SET k "back\\\\slash"', ['SET', 'k', 'back\\slash']],
    ['SET k "\\q"', ['SET', 'k', 'q']],
    ["SET k 'it\\'s'", ['SET', 'k', "it's"]],
    ["SET k 'no \\n escape'", ['SET', 'k', 'no \\n escape']],
    ['SET k ""', ['SET', 'k', '']],
    ["SET k ''", ['SET', 'k', '']],
    ['SET pre"fix mid"', ['SET', 'prefix mid']],
    ['SET k "é 😀"', ['SET', 'k', 'é 😀']],
    ['GET a\tb\nc', ['GET', 'a', 'b', 'c']],
    ['', []],
  ];
  for (const [line, argv] of parses) {
    test(`${JSON.stringify(line)} → ${JSON.stringify(argv)}`, () => {
      assert.deepEqual(parseRedisCommandLine(line), argv);
    });
  }

  test('\\xHH gives raw bytes, not characters', () => {
    const [, , value] = parseRedisCommandLineBytes('SET k "\\xff\\x00\\xe9"');
    assert.deepEqual([...value!], [0xff, 0x00, 0xe9]);
  });

  const errors: [string, RegExp][] = [
    ['SET k "open', /unterminated quote opened at character 7/],
    ["SET k 'open", /unterminated quote/],
    ['SET k "a"b', /closing quote followed by a character/],
    ["SET k 'a'b", /closing quote followed by a character/],
    ['SET k "ends with backslash\\', /unterminated quote/],
  ];
  for (const [line, message] of errors) {
    test(`refuses ${JSON.stringify(line)}`, () => {
      assert.throws(
        () => parseRedisCommandLine(line),
        (error: unknown) => error instanceof OpsError && error.code === 'invalid_input' && message.test(error.message),
      );
    });
  }
});
