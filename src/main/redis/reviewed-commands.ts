/**
 * The reviewed table of Redis commands whose ACL categories cannot tell what they do. In Redis 7
 * `CONFIG GET` and `CONFIG SET` are both `@admin @slow @dangerous`, `EVAL_RO` is flagged
 * `readonly` although a looping script blocks every client, and `SELECT` is a harmless-looking
 * `@fast @connection` that silently moves every later command of a shared client to another
 * database. So every command in the @admin, @dangerous, @connection, @scripting, @transaction and
 * @pubsub categories is listed here by hand with what it does; a command of those categories that
 * is missing (a newer server, a module) classifies as `unknown` and asks first.
 *
 * A test checks that every such command of the harness's live server is in this table
 * (test/integration/redis-gate.test.ts): a Redis upgrade that adds one fails it until reviewed.
 *
 * - `reads`: only reads server state: runs ungated (the list the issue asks to keep explicit).
 * - `changes`: changes server state (configuration, users, persistence, replication, cluster,
 *   other clients, statistics): needs confirmation, refused on a read-only profile.
 * - `data`: a keyspace command judged by its own flags (write) and the dangerous list.
 * - `connection`: changes the state of the connection itself (database, user, protocol, reply
 *   mode, transaction, subscription): never sent on the client the profile shares.
 * - `script`: runs a script or function, `_RO` variants included: its cost cannot be known, a
 *   loop blocks the server; confirmation, and refused on a read-only profile even if confirmed.
 */
export type ReviewedKind = 'reads' | 'changes' | 'data' | 'connection' | 'script';

const reads = [
  'info',
  'ping',
  'echo',
  'lastsave',
  'role',
  'time',
  'dbsize',
  'config|get',
  'config|help',
  'slowlog|get',
  'slowlog|len',
  'slowlog|help',
  'latency|doctor',
  'latency|graph',
  'latency|histogram',
  'latency|history',
  'latency|latest',
  'latency|help',
  'memory|usage',
  'memory|stats',
  'memory|doctor',
  'memory|malloc-stats',
  'memory|help',
  'client|list',
  'client|info',
  'client|id',
  'client|getname',
  'client|getredir',
  'client|trackinginfo',
  'client|help',
  'acl|whoami',
  'acl|list',
  'acl|users',
  'acl|getuser',
  'acl|cat',
  'acl|log',
  'acl|dryrun',
  'acl|genpass',
  'acl|help',
  'cluster|info',
  'cluster|nodes',
  'cluster|slots',
  'cluster|shards',
  'cluster|myid',
  'cluster|myshardid',
  'cluster|links',
  'cluster|replicas',
  'cluster|slaves',
  'cluster|count-failure-reports',
  'cluster|countkeysinslot',
  'cluster|getkeysinslot',
  'cluster|keyslot',
  'cluster|help',
  'module|list',
  'module|help',
  'command',
  'command|count',
  'command|docs',
  'command|getkeys',
  'command|getkeysandflags',
  'command|help',
  'command|info',
  'command|list',
  'pubsub|channels',
  'pubsub|numpat',
  'pubsub|numsub',
  'pubsub|shardchannels',
  'pubsub|shardnumsub',
  'pubsub|help',
  'function|dump',
  'function|list',
  'function|stats',
  'function|help',
  'script|exists',
  'script|help',
  // Block only this connection until replicas acknowledge: no state changes.
  'wait',
  'waitaof',
] as const;

const changes = [
  'config|set',
  'config|rewrite',
  'config|resetstat',
  'acl|setuser',
  'acl|deluser',
  'acl|load',
  'acl|save',
  'bgsave',
  'bgrewriteaof',
  'save',
  'shutdown',
  'debug',
  'failover',
  'replicaof',
  'slaveof',
  'slowlog|reset',
  'latency|reset',
  'memory|purge',
  'client|kill',
  'client|pause',
  'client|unpause',
  'client|unblock',
  'cluster|addslots',
  'cluster|addslotsrange',
  'cluster|bumpepoch',
  'cluster|delslots',
  'cluster|delslotsrange',
  'cluster|failover',
  'cluster|flushslots',
  'cluster|forget',
  'cluster|meet',
  'cluster|replicate',
  'cluster|reset',
  'cluster|saveconfig',
  'cluster|set-config-epoch',
  'cluster|setslot',
  'module|load',
  'module|loadex',
  'module|unload',
  'pfselftest',
  // Script and function management: load code into the server, or kill the one running.
  'script|load',
  'script|flush',
  'script|kill',
  'script|debug',
  'function|load',
  'function|delete',
  'function|flush',
  'function|restore',
  'function|kill',
] as const;

// PUBLISH/SPUBLISH carry no write flag: the `publish` reason gates them as writes.
const data = [
  'flushall',
  'flushdb',
  'keys',
  'migrate',
  'restore',
  'restore-asking',
  'sort',
  'sort_ro',
  'swapdb',
  'pfdebug',
  'publish',
  'spublish',
] as const;

const connection = [
  'select',
  'auth',
  'hello',
  'reset',
  'quit',
  'readonly',
  'readwrite',
  'asking',
  'client|reply',
  'client|setname',
  'client|setinfo',
  'client|tracking',
  'client|caching',
  'client|no-evict',
  'client|no-touch',
  'multi',
  'exec',
  'discard',
  'watch',
  'unwatch',
  'subscribe',
  'psubscribe',
  'ssubscribe',
  'unsubscribe',
  'punsubscribe',
  'sunsubscribe',
  'monitor',
  // Replication handshake: turn the connection into a replication stream.
  'sync',
  'psync',
  'replconf',
] as const;

const script = ['eval', 'evalsha', 'eval_ro', 'evalsha_ro', 'fcall', 'fcall_ro'] as const;

/** Command (lower case, subcommands as `container|sub`) → what it does. */
export const reviewedCommands: ReadonlyMap<string, ReviewedKind> = new Map<string, ReviewedKind>([
  ...reads.map((name) => [name, 'reads'] as const),
  ...changes.map((name) => [name, 'changes'] as const),
  ...data.map((name) => [name, 'data'] as const),
  ...connection.map((name) => [name, 'connection'] as const),
  ...script.map((name) => [name, 'script'] as const),
]);

/** The categories whose commands must be in the reviewed table to be anything but `unknown`. */
export const reviewedCategories: readonly string[] = [
  'admin',
  'dangerous',
  'connection',
  'scripting',
  'transaction',
  'pubsub',
];
