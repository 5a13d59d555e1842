import { operations, type RedisScanPage } from '../../shared/contract';
import { OpsError } from '../../main/errors';
import { defineCommand, sharedOptions } from '../command';
import { parseFlags } from '../flag-input';
import { profileOf } from './sql-run';

function readable(page: RedisScanPage): string {
  // Keys come escaped (redis-cli style) when they hold control bytes or are not UTF-8: safe to print.
  const rows = page.keys.map(
    (k) =>
      `${k.type.padEnd(7)} ${String(k.ttlMs < 0 ? (k.ttlMs === -1 ? '-' : 'gone') : `${Math.round(k.ttlMs / 1000)}s`).padStart(9)}  ${k.key.binary ? `"${k.key.text}"` : k.key.text}`,
  );
  const next = page.done ? 'scan complete' : `next cursor ${page.cursor} (continue with --cursor ${page.cursor})`;
  return [...rows, `${page.keys.length} keys · ${next} · ${page.durationMs} ms`].join('\n');
}

export const redisScanCommand = defineCommand({
  path: ['redis', 'scan'],
  summary: 'List one page of keys by SCAN (never KEYS) with type and TTL',
  usage:
    '--profile NAME [--match PATTERN] [--type string|hash|list|set|zset|stream] [--cursor N] [--page-size N] [--json]',
  options: {
    profile: sharedOptions.profile,
    match: { type: 'string', value: 'PATTERN', description: 'only keys matching this glob (SCAN MATCH)' },
    type: { type: 'string', value: 'TYPE', description: 'only keys of this type: string|hash|list|set|zset|stream' },
    cursor: {
      type: 'string',
      value: 'N',
      description: 'continue from the cursor the previous page returned (default 0)',
    },
    'page-size': { type: 'string', value: 'N', description: 'keys asked for per page' },
  },
  help: 'Output (--json): {"cursor", "done", "keys": [{"key", "binary", "b64", "type", "ttlMs"}]}; "key" is shown with redis-cli \\xHH escapes when "binary", "b64" holds its exact bytes; ttlMs -1 means no expiry. Continue with --cursor until "done".',
  async run(context) {
    const pageSize = context.values['page-size'] === undefined ? undefined : Number(context.values['page-size']);
    if (pageSize !== undefined && !Number.isInteger(pageSize))
      throw new OpsError('invalid_input', '--page-size must be a whole number, e.g. --page-size 500.');
    // Checked by the operation's own schema, the refusal naming the flag.
    const { type } = parseFlags(operations['redis.scan'].input.pick({ type: true }), {
      type: ['--type', context.values.type || undefined],
    });
    const profile = await profileOf(context);
    const page = await context.core().invoke('redis.scan', {
      profileId: profile.id,
      cursor: context.values.cursor ?? '0',
      ...(context.values.match ? { match: context.values.match } : {}),
      ...(type ? { type } : {}),
      ...(pageSize !== undefined ? { pageSize } : {}),
    });
    const keys = page.keys.map((k) => ({
      key: k.key.text,
      binary: k.key.binary,
      b64: k.key.b64,
      type: k.type,
      ttlMs: k.ttlMs,
    }));
    return { value: { cursor: page.cursor, done: page.done, keys }, text: readable(page) };
  },
});
