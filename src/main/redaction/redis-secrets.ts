import type { RedisReply } from '../../shared/contract';
import { redactedMark } from './mark';
import { maskConninfo, type Masked } from './sql-passwords';

// primaryauth/primaryuser: Valkey 8's names for masterauth/masteruser.
const secretConfigNames =
  /^(requirepass|masterauth|masteruser|primaryauth|primaryuser|tls-key-file-pass|tls-client-key-file-pass)$/i;

/**
 * Masks the secrets a Redis command carries in its arguments: AUTH [user] pass, HELLO … AUTH user
 * pass (the protocol version may be left out), CONFIG SET requirepass/masterauth/primaryauth x,
 * ACL SETUSER rules that set or remove a password (`>pw`, `<pw`, `#hash`, `!hash`, also inside a
 * selector `(…)`), MIGRATE … AUTH pass / AUTH2 user pass, and the password of a URL in any
 * argument (`redis://app:pw@host`). Returns the masked argv and the bare secrets, so the same
 * values are masked in error texts, replies and logs too.
 */
export function maskRedisArgv(argv: readonly string[]): Masked<string[]> {
  const secretAt = secretPositions(argv);
  const aclSetuser = argv[0]?.toLowerCase() === 'acl' && argv[1]?.toLowerCase() === 'setuser';
  const secrets: string[] = [];
  const value = argv.map((arg, i) => {
    if (aclSetuser && i >= 3) return maskAclRule(arg, secrets);
    if (secretAt.has(i)) {
      secrets.push(arg);
      return redactedMark;
    }
    const url = maskConninfo(arg);
    secrets.push(...url.secrets);
    return url.value;
  });
  return { value, secrets };
}

function secretPositions(argv: readonly string[]): Set<number> {
  const lower = argv.map((a) => a.toLowerCase());
  const at = new Set<number>();
  const [name, sub] = lower;
  if (name === 'auth' && argv.length > 1) at.add(argv.length - 1);
  if (name === 'config' && sub === 'set')
    for (let i = 3; i < argv.length; i += 2) if (secretConfigNames.test(argv[i - 1]!)) at.add(i);
  // HELLO [protover] AUTH user pass [SETNAME name]: AUTH may come first.
  if (name === 'hello') lower.forEach((a, i) => a === 'auth' && i >= 1 && lower[i - 1] !== 'setname' && at.add(i + 2));
  if (name === 'migrate') {
    lower.forEach((a, i) => {
      if (a === 'auth') at.add(i + 1);
      if (a === 'auth2') at.add(i + 2);
    });
  }
  for (const i of at) if (i >= argv.length) at.delete(i);
  return at;
}

/**
 * One ACL SETUSER argument with its password rules masked: a rule (`>pw`, `<pw`, `#hash`, `!hash`)
 * keeps its first character; in a selector `(>pw ~x +get)` or an argument with spaces (the server
 * echoes a malformed one in its error) each such word is masked. The bare passwords go to `secrets`.
 */
function maskAclRule(arg: string, secrets: string[]): string {
  if (/^[<>#!]/.test(arg)) {
    secrets.push(arg.slice(1));
    return `${arg[0]}${redactedMark}`;
  }
  if (!/^\(|\s/.test(arg)) return arg;
  return arg.replace(/(^\(?|\s)([<>#!])(\S+?)(?=\)?$|\s)/g, (_m, lead: string, kind: string, secret: string) => {
    secrets.push(secret);
    return `${lead}${kind}${redactedMark}`;
  });
}

/**
 * Masks secrets in a reply: the values of requirepass/masterauth… in CONFIG GET (patterns
 * included: CONFIG GET * lists them), the password hashes ACL LIST and ACL GETUSER show, the
 * password ACL GENPASS generates.
 */
export function maskRedisReply(argv: readonly string[], reply: RedisReply): Masked<RedisReply> {
  const masked = maskCommandSecrets(argv, reply);
  // A stored value may be a URL with its password (SET cache:dsn redis://app:pw@host; GET cache:dsn).
  return { value: maskUrls(masked.value, masked.secrets), secrets: masked.secrets };
}

function maskUrls(reply: RedisReply, secrets: string[]): RedisReply {
  if (reply.type === 'array') return { ...reply, items: reply.items.map((item) => maskUrls(item, secrets)) };
  if (reply.type !== 'string' && reply.type !== 'error') return reply;
  const masked = maskConninfo(reply.type === 'string' ? reply.value : reply.message);
  if (masked.secrets.length === 0) return reply;
  secrets.push(...masked.secrets);
  return reply.type === 'string' ? { ...reply, value: masked.value } : { ...reply, message: masked.value };
}

function maskCommandSecrets(argv: readonly string[], reply: RedisReply): Masked<RedisReply> {
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
