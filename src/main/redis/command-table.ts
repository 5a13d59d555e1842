/**
 * Redis command metadata as the server describes it in `COMMAND` / `COMMAND INFO` (Redis 7):
 * flags (write, readonly, admin, blocking, …) and ACL categories (@write, @dangerous, …),
 * with container commands (CONFIG, CLIENT, …) carrying their subcommands.
 */
export interface CommandMeta {
  /** Lower case; a subcommand as `container|sub` (`config|set`). */
  name: string;
  /** Redis's arity: positive = exact argument count (command included), negative = at least. */
  arity: number;
  flags: string[];
  /** ACL categories without the `@` (write, dangerous, admin, …). */
  categories: string[];
  subcommands?: Map<string, CommandMeta>;
}

export interface CommandTable {
  /** Where the metadata came from. */
  source: 'server' | 'builtin';
  /** Redis version the table describes, when known. */
  version?: string;
  /** Why the built-in table stands in for the server's (the server refused COMMAND). */
  notice?: string;
  commands: Map<string, CommandMeta>;
}

/**
 * The command and (for a container) subcommand that `argv` names, or undefined when unknown.
 * A container given a subcommand it does not list (CONFIG FOO) is `unknownSubcommand`: falling
 * back to the container's empty flags would call it a read.
 */
export function lookupCommand(
  table: CommandTable,
  argv: readonly string[],
): CommandMeta | { unknownSubcommand: string } | undefined {
  const command = table.commands.get((argv[0] ?? '').toLowerCase());
  if (!command?.subcommands?.size || argv.length < 2) return command;
  return (
    command.subcommands.get(`${command.name}|${argv[1]!.toLowerCase()}`) ?? {
      unknownSubcommand: `${command.name}|${argv[1]!.toLowerCase()}`,
    }
  );
}

/** One entry of the `COMMAND` reply: [name, arity, flags, firstKey, lastKey, step, categories, tips, keySpecs, subcommands]. */
export type CommandReplyEntry = [
  string,
  number,
  string[],
  number,
  number,
  number,
  string[]?,
  unknown?,
  unknown?,
  CommandReplyEntry[]?,
];

/** Builds a table from the raw `COMMAND` (or `COMMAND INFO …`) reply; null entries (unknown names) are skipped. */
export function commandTableFromReply(
  reply: (CommandReplyEntry | null)[],
  source: CommandTable['source'],
  version?: string,
): CommandTable {
  const commands = new Map<string, CommandMeta>();
  for (const entry of reply) {
    if (entry) commands.set(String(entry[0]).toLowerCase(), metaFromEntry(entry));
  }
  return { source, version, commands };
}

function metaFromEntry(entry: CommandReplyEntry): CommandMeta {
  const [name, arity, flags, , , , categories = [], , , subcommands = []] = entry;
  const meta: CommandMeta = {
    name: String(name).toLowerCase(),
    arity: Number(arity),
    flags: flags.map((flag) => String(flag).toLowerCase()),
    categories: categories.map((category) => String(category).replace(/^@/, '').toLowerCase()),
  };
  if (subcommands.length)
    meta.subcommands = new Map(subcommands.map((sub) => [String(sub[0]).toLowerCase(), metaFromEntry(sub)]));
  return meta;
}
