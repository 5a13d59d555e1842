import type { RedisReply } from '../../shared/contract';
import { redactedMark } from './mark';
import type { Masked } from './sql-passwords';

const secretConfigNames = /^(requirepass|masterauth|masteruser|tls-key-file-pass|tls-client-key-file-pass)$/i;

/**
 * Masks the secrets a Redis command carries in its arguments: AUTH [user] pass, HELLO … AUTH user
 * pass, CONFIG SET requirepass/masterauth x, ACL SETUSER rules that set or remove a password
 * (`>pw`, `<pw`, `#hash`, `!hash`), MIGRATE … AUTH pass / AUTH2 user pass. Returns the masked argv
 * and the secrets, so the same values are masked in error texts and logs too.
 */
export function maskRedisArgv(argv: readonly string[]): Masked<string[]> {
  const secretAt = secretPositions(argv);
  const secrets = [...secretAt].map((i) => argv[i]!);
  const value = argv.map((arg, i) =>
    !secretAt.has(i) ? arg : isAclRule(argv, i) ? `${arg[0]}${redactedMark}` : redactedMark,
  );
  return { value, secrets };
}

function secretPositions(argv: readonly string[]): Set<number> {
  const lower = argv.map((a) => a.toLowerCase());
  const at = new Set<number>();
  const [name, sub] = lower;
  if (name === 'auth' && argv.length > 1) at.add(argv.length - 1);
  if (name === 'config' && sub === 'set')
    for (let i = 3; i < argv.length; i += 2) if (secretConfigNames.test(argv[i - 1]!)) at.add(i);
  if (name === 'acl' && sub === 'setuser') for (let i = 3; i < argv.length; i++) if (isAclRule(argv, i)) at.add(i);
  if (name === 'hello') lower.forEach((a, i) => a === 'auth' && i > 1 && at.add(i + 2));
  if (name === 'migrate') {
    lower.forEach((a, i) => {
      if (a === 'auth') at.add(i + 1);
      if (a === 'auth2') at.add(i + 2);
    });
  }
  for (const i of at) if (i >= argv.length) at.delete(i);
  return at;
}

function isAclRule(argv: readonly string[], i: number): boolean {
  return argv[0]?.toLowerCase() === 'acl' && i >= 3 && /^[<>#!]/.test(argv[i] ?? '');
}

/**
 * Masks secrets in a reply: the values of requirepass/masterauth… in CONFIG GET (patterns
 * included: CONFIG GET * lists them), the password hashes ACL LIST and ACL GETUSER show, the
 * password ACL GENPASS generates.
 */
export function maskRedisReply(argv: readonly string[], reply: RedisReply): Masked<RedisReply> {
  const [name, sub] = argv.map((a) => a.toLowerCase());
  const secrets: string[] = [];
  if (name === 'config' && sub === 'get' && reply.type === 'array') {
    const items = reply.items.map((item, i, all) => {
      const key = all[i - 1];
      if (
        i % 2 === 1 &&
        key?.type === 'string' &&
        secretConfigNames.test(key.value) &&
        item.type === 'string' &&
        item.value
      ) {
        secrets.push(item.value);
        return { type: 'string' as const, value: redactedMark };
      }
      return item;
    });
    return { value: { ...reply, items }, secrets };
  }
  if (name === 'acl' && (sub === 'list' || sub === 'getuser')) return { value: maskHashes(reply, secrets), secrets };
  // ACL GENPASS answers a fresh password, made to be used as one.
  if (name === 'acl' && sub === 'genpass' && reply.type === 'string')
    return { value: { type: 'string', value: redactedMark }, secrets: [reply.value] };
  return { value: reply, secrets };
}

function maskHashes(reply: RedisReply, secrets: string[]): RedisReply {
  if (reply.type === 'array') return { ...reply, items: reply.items.map((item) => maskHashes(item, secrets)) };
  if (reply.type !== 'string') return reply;
  const value = reply.value.replace(
    /(^|\s)#([0-9a-f]{64})/g,
    (_m, lead: string, hash: string) => (secrets.push(hash), `${lead}#${redactedMark}`),
  );
  return /^[0-9a-f]{64}$/.test(value)
    ? (secrets.push(value), { type: 'string', value: redactedMark })
    : { type: 'string', value };
}
