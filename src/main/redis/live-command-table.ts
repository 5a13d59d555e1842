import { OpsError } from '../errors';
import { builtinCommandTable } from './builtin-command-table';
import { commandTableFromReply, type CommandReplyEntry, type CommandTable } from './command-table';

/** What fetching the table needs from a client: ioredis's `call` fits. */
export interface RedisCaller {
  call(command: string, ...args: string[]): Promise<unknown>;
}

/**
 * Reads the connected server's own command metadata (`COMMAND`: flags, ACL categories,
 * subcommands) into a table for `classifyRedis`. Fetch it once per connection and keep it: the
 * reply does not change while the server runs (modules aside). A server that refuses COMMAND (an
 * ACL user without +command) gets the built-in table with a notice saying so: restricted users
 * still work, classified from the Redis 7 table. A lost connection is an error, not a fallback.
 */
export async function fetchCommandTable(client: RedisCaller): Promise<CommandTable> {
  let reply: unknown;
  try {
    reply = await client.call('COMMAND');
  } catch (error) {
    if (!(error instanceof Error) || error.name !== 'ReplyError')
      throw new OpsError(
        'redis_error',
        `COMMAND did not complete (${(error as Error).message}): check the connection.`,
        { cause: error },
      );
    return {
      ...builtinCommandTable(),
      notice: `The server refused COMMAND (${error.message.split('\n')[0]}): commands are classified from the built-in Redis 7 table. Grant the user +command to classify from the server's own metadata.`,
    };
  }
  if (!Array.isArray(reply))
    throw new OpsError(
      'redis_error',
      'The Redis server answered COMMAND with something that is not a list: is it Redis 7 or later?',
    );
  const info = await client.call('INFO', 'server').catch(() => '');
  const version = typeof info === 'string' ? info.match(/redis_version:(\S+)/)?.[1] : undefined;
  return withBuiltinSubcommands(commandTableFromReply(reply as (CommandReplyEntry | null)[], 'server', version));
}

/**
 * Redis 6 lists containers (CLIENT, MEMORY, CONFIG …) without their subcommands, with one set of
 * flags for all of them (MEMORY is readonly, so MEMORY PURGE would read as a read; CLIENT REPLY OFF
 * would miss its connection-state rule). A container the server lists bare takes its subcommands
 * from the built-in table.
 */
function withBuiltinSubcommands(table: CommandTable): CommandTable {
  for (const [name, builtin] of builtinCommandTable().commands) {
    const live = table.commands.get(name);
    if (live && !live.subcommands?.size && builtin.subcommands?.size) live.subcommands = builtin.subcommands;
  }
  return table;
}

/**
 * Caches one command table per client, so live classification costs one COMMAND round trip per
 * connection. `forget` it when the connection closes.
 */
export class CommandTableCache {
  private readonly tables = new WeakMap<RedisCaller, Promise<CommandTable>>();

  get(client: RedisCaller): Promise<CommandTable> {
    let table = this.tables.get(client);
    if (!table) {
      table = fetchCommandTable(client);
      table.catch(() => this.tables.delete(client));
      this.tables.set(client, table);
    }
    return table;
  }

  forget(client: RedisCaller): void {
    this.tables.delete(client);
  }
}
