import { commandTableFromReply, type CommandTable } from './command-table';
import { redis7LaterCommands } from './redis7-later-commands';
import { redis7Commands, redis7Version } from './redis7-commands';

let builtin: CommandTable | undefined;

/** The offline table: Redis 7.0's own COMMAND reply plus the commands 7.2 and 7.4 added. */
export function builtinCommandTable(): CommandTable {
  if (builtin) return builtin;
  const table = commandTableFromReply(redis7Commands, 'builtin', redis7Version);
  const later = commandTableFromReply(redis7LaterCommands, 'builtin');
  for (const [name, meta] of later.commands) {
    const existing = table.commands.get(name);
    if (existing && meta.subcommands) {
      existing.subcommands ??= new Map();
      for (const [subName, sub] of meta.subcommands)
        if (!existing.subcommands.has(subName)) existing.subcommands.set(subName, sub);
    } else if (!existing) {
      table.commands.set(name, meta);
    }
  }
  return (builtin = table);
}
