import type { CommandReplyEntry } from './command-table';

/**
 * Commands added after the Redis 7.0 release the generated table comes from (Debian ships 7.0),
 * entered by hand from the Redis 7.2 and 7.4 COMMAND replies. Subcommands here are merged into
 * their container.
 */
export const redis7LaterCommands: CommandReplyEntry[] = [
  // 7.2
  ['waitaof', 4, ['noscript'], 0, 0, 0, ['@slow', '@connection']],
  [
    'client',
    -2,
    [],
    0,
    0,
    0,
    ['@slow'],
    [],
    [],
    [
      ['client|no-touch', 3, ['noscript', 'loading', 'stale'], 0, 0, 0, ['@slow', '@connection']],
      ['client|setinfo', 4, ['noscript', 'loading', 'stale'], 0, 0, 0, ['@slow', '@connection']],
    ],
  ],
  ['cluster', -2, [], 0, 0, 0, ['@slow'], [], [], [['cluster|myshardid', 2, ['loading', 'stale'], 0, 0, 0, ['@slow']]]],
  // 7.4: hash field expiration
  ['hexpire', -6, ['write', 'denyoom', 'fast'], 1, 1, 1, ['@write', '@hash', '@fast']],
  ['hpexpire', -6, ['write', 'denyoom', 'fast'], 1, 1, 1, ['@write', '@hash', '@fast']],
  ['hexpireat', -6, ['write', 'denyoom', 'fast'], 1, 1, 1, ['@write', '@hash', '@fast']],
  ['hpexpireat', -6, ['write', 'denyoom', 'fast'], 1, 1, 1, ['@write', '@hash', '@fast']],
  ['hpersist', -5, ['write', 'fast'], 1, 1, 1, ['@write', '@hash', '@fast']],
  ['httl', -5, ['readonly', 'fast'], 1, 1, 1, ['@read', '@hash', '@fast']],
  ['hpttl', -5, ['readonly', 'fast'], 1, 1, 1, ['@read', '@hash', '@fast']],
  ['hexpiretime', -5, ['readonly', 'fast'], 1, 1, 1, ['@read', '@hash', '@fast']],
  ['hpexpiretime', -5, ['readonly', 'fast'], 1, 1, 1, ['@read', '@hash', '@fast']],
];
