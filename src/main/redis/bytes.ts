import { keyLabel, plainText, escapeRedisBytes, type RedisBytes } from '../../shared/redis-bytes';

/** A key or value for the contract: exact bytes (base64) plus the form the console shows. */
export function toRedisBytes(buffer: Buffer, kind: 'key' | 'value', size = buffer.length): RedisBytes {
  const text = plainText(buffer);
  const shown = kind === 'key' ? keyLabel(buffer) : (text ?? escapeRedisBytes(buffer));
  return {
    b64: buffer.toString('base64'),
    text: shown,
    binary: text === undefined,
    size,
    ...(size > buffer.length ? { truncated: true } : {}),
  };
}

/** An argument as shown and classified: its text when it is plain UTF-8, else its redis-cli escape. */
export function argText(buffer: Buffer): string {
  return plainText(buffer) ?? escapeRedisBytes(buffer);
}

/** The exact bytes a contract value names, from its base64. */
export function keyBytes(b64: string): Buffer {
  return Buffer.from(b64, 'base64');
}
