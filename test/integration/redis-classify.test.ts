import { Redactor } from '../../src/main/redaction';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Redis from 'ioredis';
import { OpsError } from '../../src/main/errors';
import { builtinCommandTable } from '../../src/main/redis/builtin-command-table';
import { classifyRedis } from '../../src/main/redis/classify';
import type { CommandTable } from '../../src/main/redis/command-table';
import { CommandTableCache, fetchCommandTable } from '../../src/main/redis/live-command-table';
import { RedisClassifier } from '../../src/main/redis/redis-classifier';
import { redis7LaterCommands } from '../../src/main/redis/redis7-later-commands';
import { startRedis, type RedisServer } from '../harness/index';

let server: RedisServer;
let client: Redis;
let live: CommandTable;

before(async () => {
  server = await startRedis();
  client = new Redis({ host: server.host, port: server.port, lazyConnect: true, maxRetriesPerRequest: 1 });
  await client.connect();
  live = await fetchCommandTable(client);
});
after(async () => {
  client?.disconnect();
  await server?.stop();
});

/** Every command and subcommand of a table, as the shortest argv that names it. */
function everyCommand(table: CommandTable): string[][] {
  const out: string[][] = [];
  for (const meta of table.commands.values()) {
    out.push([meta.name]);
    for (const sub of meta.subcommands?.values() ?? []) out.push(sub.name.split('|'));
  }
  return out;
}

describe('live Redis 7 against the built-in table', () => {
  test('the server describes itself as Redis 7 with subcommands', () => {
    assert.equal(live.source, 'server');
    assert.match(live.version ?? '', /^7\./, `harness redis-server is ${live.version}`);
    assert.ok(live.commands.get('config')?.subcommands?.has('config|set'));
  });

  test('every command the server knows is classified the same way from its metadata and offline', () => {
    const builtin = builtinCommandTable();
    const disagreements: string[] = [];
    const argvs = everyCommand(live);
    assert.ok(argvs.length > 350, `${argvs.length} commands and subcommands`);
    for (const argv of argvs) {
      const fromServer = classifyRedis(argv, live);
      const offline = classifyRedis(argv, builtin);
      if (fromServer.risk !== offline.risk || fromServer.reasons.join() !== offline.reasons.join()) {
        disagreements.push(
          `${argv.join(' ')}: server ${fromServer.risk} [${fromServer.reasons}] vs built-in ${offline.risk} [${offline.reasons}]`,
        );
      }
    }
    assert.deepEqual(disagreements, []);
  });

  test('the built-in table only adds commands of later 7.x releases', () => {
    const later = new Set(redis7LaterCommands.flatMap((entry) => [entry[0], ...(entry[9] ?? []).map((sub) => sub[0])]));
    const liveNames = new Set(everyCommand(live).map((argv) => argv.join('|')));
    const extra = everyCommand(builtinCommandTable())
      .map((argv) => argv.join('|'))
      .filter((name) => !liveNames.has(name));
    if (live.version?.startsWith('7.0.')) {
      assert.deepEqual(
        extra.filter((name) => !later.has(name)),
        [],
        'built-in commands unknown to a 7.0 server',
      );
      assert.ok(extra.includes('hexpire'), 'the 7.4 hash-field commands are the known difference with 7.0');
    }
  });

  test('on the live server: flushes, KEYS, shutdown, CONFIG, CLIENT, replication and cluster changes are dangerous; INFO and SLOWLOG GET are not', () => {
    const risk = (line: string) => classifyRedis(line.split(' '), live).risk;
    for (const line of [
      'FLUSHALL',
      'FLUSHDB',
      'KEYS *',
      'SHUTDOWN',
      'DEBUG SLEEP 0',
      'CONFIG SET x y',
      'CONFIG REWRITE',
      'CONFIG RESETSTAT',
      'CLIENT KILL ID 1',
      'CLIENT PAUSE 1',
      'SCRIPT FLUSH',
      'FUNCTION FLUSH',
      'SWAPDB 0 1',
      'REPLICAOF NO ONE',
      'SLAVEOF NO ONE',
      'FAILOVER',
      'CLUSTER RESET',
      'CLUSTER FAILOVER',
      'MIGRATE h 1 k 0 1',
    ]) {
      assert.equal(risk(line), 'dangerous', line);
    }
    for (const line of ['INFO', 'CLIENT LIST', 'SLOWLOG GET', 'MEMORY USAGE k']) {
      assert.ok(['read', 'admin'].includes(risk(line)), `${line} is ${risk(line)}`);
    }
    assert.equal(risk('SET k v'), 'write');
    assert.equal(risk('GET k'), 'read');
  });

  test('a server-side read-only user agrees: what the table calls read runs, what it calls write is refused', async () => {
    await client.call('ACL', 'SETUSER', 'reader', 'on', '>pw', '~*', '&*', '-@all', '+@read', '+command', '+info');
    const reader = new Redis({
      host: server.host,
      port: server.port,
      username: 'reader',
      password: 'pw',
      lazyConnect: true,
      maxRetriesPerRequest: 1,
    });
    await reader.connect();
    try {
      for (const argv of [
        ['GET', 'k'],
        ['HGETALL', 'h'],
        ['SCAN', '0'],
      ]) {
        assert.equal(classifyRedis(argv, live).risk, 'read');
        await reader.call(argv[0]!, ...argv.slice(1));
      }
      for (const argv of [['SET', 'k', 'v'], ['DEL', 'k'], ['FLUSHALL']]) {
        assert.notEqual(classifyRedis(argv, live).risk, 'read');
        await assert.rejects(reader.call(argv[0]!, ...argv.slice(1)), /NOPERM/);
      }
    } finally {
      reader.disconnect();
    }
  });

  test('a user without +command gets the built-in table with a notice saying what to grant', async () => {
    await client.call('ACL', 'SETUSER', 'nocommand', 'on', '>pw', '~*', '+get');
    const limited = new Redis({
      host: server.host,
      port: server.port,
      username: 'nocommand',
      password: 'pw',
      lazyConnect: true,
      maxRetriesPerRequest: 1,
    });
    await limited.connect();
    try {
      const table = await fetchCommandTable(limited);
      assert.equal(table.source, 'builtin');
      assert.match(table.notice ?? '', /refused COMMAND.*NOPERM.*\+command/);
      const verdict = classifyRedis(['CONFIG', 'SET', 'maxmemory', '1'], table);
      assert.deepEqual([verdict.risk, verdict.source, verdict.notice], ['dangerous', 'builtin', table.notice]);
      limited.disconnect();
      await assert.rejects(
        fetchCommandTable(limited),
        (error: unknown) => error instanceof OpsError && error.code === 'redis_error',
        'a lost connection is an error, not a fallback',
      );
    } finally {
      limited.disconnect();
    }
  });

  test('the cache fetches once per client; the service uses the live table for a connected profile', async () => {
    const cache = new CommandTableCache();
    const first = cache.get(client);
    assert.equal(cache.get(client), first);
    const classifier = new RedisClassifier(new Redactor(), async (profileId) =>
      profileId === 'p1' ? cache.get(client) : undefined,
    );
    const connected = await classifier.classify({ line: 'SET k v', profileId: 'p1' });
    assert.deepEqual([connected.risk, connected.source], ['write', 'server']);
    const offline = await classifier.classify({ line: 'SET k v', profileId: 'other' });
    assert.equal(offline.source, 'builtin');
  });
});
