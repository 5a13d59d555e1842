import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { classifyRedis } from '../../src/main/redis/classify';
import type { CommandReplyEntry } from '../../src/main/redis/command-table';
import { fetchCommandTable, type RedisCaller } from '../../src/main/redis/live-command-table';

/** A server that answers COMMAND with `reply` and INFO server with `version`: the table is built as for a live one. */
function serverAnswering(reply: CommandReplyEntry[], version: string): RedisCaller {
  return {
    call: async (command: string) => (command === 'COMMAND' ? reply : `# Server\r\nredis_version:${version}\r\n`),
  };
}

const classify = (line: string, table: Awaited<ReturnType<typeof fetchCommandTable>>) => {
  const result = classifyRedis(line.split(' '), table);
  return [result.risk, ...result.reasons];
};

describe("a module's commands", () => {
  // As Redis 7 lists RediSearch's and RedisGears' commands: flagged `module`, readonly or no write flag.
  const reply: CommandReplyEntry[] = [
    ['get', 2, ['readonly', 'fast'], 1, 1, 1, ['@read', '@string', '@fast'], [], [], []],
    ['ft.config', -2, ['readonly', 'module'], 0, 0, 0, [], [], [], []],
    ['ft.search', -3, ['readonly', 'module'], 0, 0, 0, [], [], [], []],
    ['rg.pyexecute', -2, ['module'], 0, 0, 0, [], [], [], []],
    ['json.set', -4, ['write', 'denyoom', 'module'], 1, 1, 1, [], [], [], []],
    [
      'mod.container',
      -2,
      ['module'],
      0,
      0,
      0,
      [],
      [],
      [],
      [['mod.container|sub', -2, ['readonly'], 0, 0, 0, [], [], [], []]],
    ],
  ];

  test('are unknown (asked first) unless reviewed, whatever flags the module gives them', async () => {
    const table = await fetchCommandTable(serverAnswering(reply, '7.2.4'));
    assert.deepEqual(classify('FT.CONFIG SET TIMEOUT 0', table), ['unknown', 'module_command:FT.CONFIG']);
    assert.deepEqual(classify('RG.PYEXECUTE GB().run()', table), ['unknown', 'module_command:RG.PYEXECUTE']);
    assert.deepEqual(classify('FT.SEARCH idx *', table), ['unknown', 'module_command:FT.SEARCH']);
    assert.deepEqual(classify('JSON.SET k $ 1', table), ['unknown', 'module_command:JSON.SET', 'write_command']);
    assert.deepEqual(classify('MOD.CONTAINER SUB', table), ['unknown', 'module_command:MOD.CONTAINER SUB']);
    assert.deepEqual(classify('GET k', table), ['read'], "the server's own commands are judged as before");
  });
});

describe('Redis 6: containers without subcommand metadata', () => {
  // Redis 6.2's COMMAND reply: seven fields, CLIENT and MEMORY with one set of flags for every subcommand.
  const reply = [
    ['get', 2, ['readonly', 'fast'], 1, 1, 1, ['@read', '@string', '@fast']],
    ['set', -3, ['write', 'denyoom'], 1, 1, 1, ['@write', '@string', '@slow']],
    [
      'client',
      -2,
      ['admin', 'noscript', 'random', 'loading', 'stale'],
      0,
      0,
      0,
      ['@admin', '@slow', '@dangerous', '@connection'],
    ],
    ['memory', -2, ['readonly', 'random', 'movablekeys'], 0, 0, 0, ['@read', '@slow']],
    ['config', -2, ['admin', 'noscript', 'loading', 'stale'], 0, 0, 0, ['@admin', '@slow', '@dangerous']],
  ] as unknown as CommandReplyEntry[];

  test('subcommands are judged from the built-in table', async () => {
    const table = await fetchCommandTable(serverAnswering(reply, '6.2.14'));
    assert.equal(table.version, '6.2.14');
    assert.deepEqual(classify('CLIENT REPLY OFF', table)[1], 'connection_state:CLIENT REPLY');
    assert.deepEqual(classify('CLIENT SETNAME x', table)[1], 'connection_state:CLIENT SETNAME');
    assert.deepEqual(classify('CLIENT TRACKING on', table)[1], 'connection_state:CLIENT TRACKING');
    assert.deepEqual(classify('CLIENT CACHING yes', table)[1], 'connection_state:CLIENT CACHING');
    assert.deepEqual(classify('MEMORY PURGE', table).slice(0, 2), ['dangerous', 'server_change:MEMORY PURGE']);
    assert.equal(classify('MEMORY USAGE k', table)[0], 'read');
    assert.equal(classify('CONFIG SET maxmemory 1', table)[0], 'dangerous');
    assert.equal(classify('CONFIG GET maxmemory', table)[0], 'admin');
    assert.deepEqual(classify('SET k v', table), ['write', 'write_command'], 'plain commands keep the server flags');
  });
});
