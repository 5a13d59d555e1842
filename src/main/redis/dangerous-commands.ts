/**
 * Commands that are always `dangerous`, whatever the server's flags say: they destroy data, stop or
 * reconfigure the server, cut clients off, change replication, or block the whole server.
 * Keys are lower case, subcommands as `container|sub` like the server names them.
 */
export const dangerousCommands: ReadonlySet<string> = new Set([
  'flushall',
  'flushdb',
  'swapdb',
  'keys',
  'shutdown',
  'debug',
  'config|set',
  'config|rewrite',
  'config|resetstat',
  'client|kill',
  'client|pause',
  'script|flush',
  'function|flush',
  'replicaof',
  'slaveof',
  'failover',
  'cluster|reset',
  'cluster|failover',
  'migrate',
  // Beyond the list: SAVE blocks the server for the whole dump; SYNC/PSYNC turn the
  // connection into a replication stream; MODULE LOAD/UNLOAD run native code inside the server.
  'save',
  'sync',
  'psync',
  'module|load',
  'module|loadex',
  'module|unload',
]);

/** Commands that deliver messages to other clients (the server gives them no write flag). */
export const publishCommands: ReadonlySet<string> = new Set(['publish', 'spublish']);
