import { userInfo } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import type { z } from 'zod';
import {
  profileDocumentSchema,
  secretsInUse,
  type ProfileDocument,
  type SecretInput,
  type SecretName,
} from '../../shared/profile';
import { OpsError } from '../../main/errors';
import type { CliContext, OptionSpec } from '../command';

type FlagType = 'string' | 'number' | 'boolean';

/**
 * A flag named after the field it sets (DESIGN.md: `--pg-host` sets postgres.host), with what
 * `profiles add --help` says of it.
 */
const fieldFlags: { flag: string; path: string[]; type: FlagType; value?: string; description?: string }[] = [
  {
    flag: 'name',
    path: ['name'],
    type: 'string',
    value: 'NAME',
    description: 'unique; typed to confirm a production write',
  },
  {
    flag: 'environment',
    path: ['environment'],
    type: 'string',
    value: 'KIND',
    description: 'production | staging | development | custom',
  },
  { flag: 'color', path: ['color'], type: 'string', value: '#RRGGBB' },
  { flag: 'notes', path: ['notes'], type: 'string', value: 'TEXT' },
  {
    flag: 'safety',
    path: ['safety'],
    type: 'string',
    value: 'LEVEL',
    description: 'standard | production (type the name to write) | read-only (no writes)',
  },
  {
    flag: 'allow-assistants',
    path: ['allowAssistants'],
    type: 'boolean',
    value: 'BOOL',
    description: 'AI assistants may read it through opsconsole mcp (default false)',
  },
  { flag: 'ssh-host', path: ['ssh', 'host'], type: 'string', value: 'H' },
  { flag: 'ssh-port', path: ['ssh', 'port'], type: 'number', value: 'P' },
  { flag: 'ssh-user', path: ['ssh', 'user'], type: 'string', value: 'U' },
  { flag: 'ssh-auth', path: ['ssh', 'auth'], type: 'string', value: 'agent|key|password' },
  { flag: 'ssh-key', path: ['ssh', 'keyPath'], type: 'string', value: 'PATH' },
  { flag: 'ssh-keepalive-interval-ms', path: ['ssh', 'keepaliveIntervalMs'], type: 'number', value: 'MS' },
  {
    flag: 'ssh-legacy-algorithms',
    path: ['ssh', 'legacyAlgorithms'],
    type: 'boolean',
    value: 'true|false',
    description: 'also offer ssh-rsa (SHA-1) host keys and hmac-sha1 (old servers only)',
  },
  { flag: 'pg-host', path: ['postgres', 'host'], type: 'string', value: 'H' },
  { flag: 'pg-port', path: ['postgres', 'port'], type: 'number', value: 'P' },
  { flag: 'pg-database', path: ['postgres', 'database'], type: 'string', value: 'D' },
  { flag: 'pg-user', path: ['postgres', 'user'], type: 'string', value: 'U' },
  {
    flag: 'pg-sslmode',
    path: ['postgres', 'sslmode'],
    type: 'string',
    value: 'MODE',
    description:
      'disable | prefer (TLS when offered) | require (always TLS, server not verified) | verify-ca | verify-full (certificate checked)',
  },
  {
    flag: 'pg-ssl-ca',
    path: ['postgres', 'sslCa'],
    type: 'string',
    value: 'FILE',
    description: "PEM of the CA that signed the server's certificate (default: system CAs)",
  },
  { flag: 'pg-application-name', path: ['postgres', 'applicationName'], type: 'string', value: 'N' },
  { flag: 'pg-statement-timeout-ms', path: ['postgres', 'statementTimeoutMs'], type: 'number', value: 'MS' },
  { flag: 'pg-row-cap', path: ['postgres', 'rowCap'], type: 'number', value: 'N' },
  { flag: 'pg-read-only-by-default', path: ['postgres', 'readOnlyByDefault'], type: 'boolean', value: 'true|false' },
  {
    flag: 'pg-read-user',
    path: ['postgres', 'readUser'],
    type: 'string',
    value: 'U',
    description: 'a second Postgres user that reads run as (confirmed writes use --pg-user)',
  },
  {
    flag: 'pg-legacy-password-auth',
    path: ['postgres', 'legacyPasswordAuth'],
    type: 'boolean',
    value: 'true|false',
    description: 'answer cleartext/MD5 password requests (default false: SCRAM only)',
  },
  { flag: 'redis-host', path: ['redis', 'host'], type: 'string', value: 'H' },
  { flag: 'redis-port', path: ['redis', 'port'], type: 'number', value: 'P' },
  { flag: 'redis-db', path: ['redis', 'db'], type: 'number', value: 'N' },
  { flag: 'redis-username', path: ['redis', 'username'], type: 'string', value: 'U', description: 'the ACL user' },
  { flag: 'redis-tls', path: ['redis', 'tls'], type: 'boolean', value: 'true|false' },
  { flag: 'redis-tls-verify', path: ['redis', 'tlsVerify'], type: 'boolean', value: 'true|false' },
  { flag: 'redis-tls-server-name', path: ['redis', 'tlsServerName'], type: 'string', value: 'NAME' },
  {
    flag: 'rehearsal-sample',
    path: ['rehearsalSample'],
    type: 'boolean',
    value: 'true|false',
    description: 'rehearsals may copy a masked sample of the rows a write touches',
  },
];

/** Secrets: read from stdin (one per command) or from the environment, never from a plain flag. */
const secretSources: { secret: SecretName; stdinFlag?: string; clearFlag?: string; env: string; plainFlag?: string }[] =
  [
    {
      secret: 'pgPassword',
      stdinFlag: 'pg-password-stdin',
      clearFlag: 'clear-pg-password',
      env: 'OPSCONSOLE_PG_PASSWORD',
      plainFlag: 'pg-password',
    },
    {
      secret: 'pgReadPassword',
      stdinFlag: 'pg-read-password-stdin',
      clearFlag: 'clear-pg-read-password',
      env: 'OPSCONSOLE_PG_READ_PASSWORD',
      plainFlag: 'pg-read-password',
    },
    {
      secret: 'redisPassword',
      stdinFlag: 'redis-password-stdin',
      clearFlag: 'clear-redis-password',
      env: 'OPSCONSOLE_REDIS_PASSWORD',
      plainFlag: 'redis-password',
    },
    {
      secret: 'sshPassphrase',
      stdinFlag: 'ssh-passphrase-stdin',
      clearFlag: 'clear-ssh-passphrase',
      env: 'OPSCONSOLE_SSH_PASSPHRASE',
      plainFlag: 'ssh-passphrase',
    },
    {
      secret: 'sshPassword',
      stdinFlag: 'ssh-password-stdin',
      clearFlag: 'clear-ssh-password',
      env: 'OPSCONSOLE_SSH_PASSWORD',
      plainFlag: 'ssh-password',
    },
    ...Array.from({ length: 8 }, (_, i) => [
      { secret: `jump${i + 1}Password` as SecretName, env: `OPSCONSOLE_SSH_JUMP${i + 1}_PASSWORD` },
      { secret: `jump${i + 1}Passphrase` as SecretName, env: `OPSCONSOLE_SSH_JUMP${i + 1}_PASSPHRASE` },
    ]).flat(),
  ];

/** The flags of `profiles add` and `profiles edit`; their --help lists them from here. */
export const profileFlagOptions: OptionSpec = {
  // Field flags are strings whatever the field's type: "--redis-tls false" is converted, then validated.
  ...Object.fromEntries(
    fieldFlags.map(({ flag, value, description }) => [flag, { type: 'string' as const, value, description }]),
  ),
  tag: { type: 'string', multiple: true, value: 'TAG', description: 'a tag (repeat it)' },
  'ssh-jump': {
    type: 'string',
    multiple: true,
    value: '[user@]host[:port][,key=PATH][,auth=agent|key|password]',
    description: 'a ProxyJump hop (repeat it, first hop first)',
  },
  'redis-user': { type: 'string', value: 'U', description: 'the same as --redis-username' },
  'mask-columns': {
    type: 'string',
    value: 'PATTERN,…',
    description:
      'column names masked wherever rows are copied (substrings or /regex/; default: password,secret,token,email,phone,ssn,card,iban,address)',
  },
  'no-ssh': { type: 'boolean', description: 'edit: remove the SSH section' },
  'no-postgres': { type: 'boolean', description: 'edit: remove the Postgres section' },
  'no-redis': { type: 'boolean', description: 'edit: remove the Redis section' },
  file: { type: 'string', value: 'profile.json', description: 'the fields as JSON (no secrets); flags apply on top' },
  ...Object.fromEntries(
    secretSources.flatMap((s) => [
      ...(s.stdinFlag ? [[s.stdinFlag, { type: 'boolean' as const, description: `read ${s.secret} from stdin` }]] : []),
      ...(s.clearFlag
        ? [[s.clearFlag, { type: 'boolean' as const, description: `forget the stored ${s.secret}` }]]
        : []),
      ...(s.plainFlag
        ? [
            [
              s.plainFlag,
              {
                type: 'string' as const,
                description: `refused (it would stay in shell history): pipe it to --${s.stdinFlag}`,
              },
            ],
          ]
        : []),
    ]),
  ),
};

export const profileFlagUsage = '[--file profile.json] [--name N --environment KIND --ssh-… --pg-… --redis-…] [--json]';

/** What `profiles add --help` and `profiles edit --help` say after the flags (listed from profileFlagOptions). */
export const profileFlagHelp = `Each field flag sets the field it is named after.

Secrets, never as flags (shell history): pipe ONE of them to its --…-stdin flag,
or set OPSCONSOLE_PG_PASSWORD, OPSCONSOLE_PG_READ_PASSWORD, OPSCONSOLE_REDIS_PASSWORD, OPSCONSOLE_SSH_PASSWORD,
OPSCONSOLE_SSH_PASSPHRASE, OPSCONSOLE_SSH_JUMP<N>_PASSWORD / _PASSPHRASE (hop N, from 1).

Example:
  printf %s "$PW" | opsconsole profiles add --name prod-eu --environment production \\
    --ssh-host db1.internal --ssh-user deploy --ssh-jump alice@bastion.example.com:22 \\
    --pg-host 127.0.0.1 --pg-database app --pg-user ops_ro --pg-password-stdin`;

/** A key or CA path typed on the command line is relative to where it was typed: stored absolute (~ kept). */
function keyPath(value: string): string {
  return value === '' || value.startsWith('~') || isAbsolute(value) ? value : resolve(value);
}

function convert(value: string, type: FlagType): unknown {
  if (type === 'number') return /^-?\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : value;
  if (type === 'boolean') {
    if (/^(true|yes|on|1)$/i.test(value)) return true;
    if (/^(false|no|off|0)$/i.test(value)) return false;
    return value;
  }
  return value;
}

/** `[user@]host[:port][,key=PATH][,auth=agent|key|password]` → one ProxyJump hop. */
export function parseJumpSpec(spec: string, index: number): Record<string, unknown> {
  const [address = '', ...options] = spec.split(',');
  const match = /^(?:([^@\s]+)@)?(\[[^\]]+\]|[^:@\s]+)(?::([^:]*))?$/.exec(address.trim());
  if (!match)
    throw new OpsError(
      'invalid_input',
      `--ssh-jump "${spec}" (hop ${index + 1}) is not user@host:port: write it like deploy@bastion.example.com:22.`,
    );
  const hop: Record<string, unknown> = {
    host: match[2]!.replace(/^\[|\]$/g, ''),
    user: match[1] ?? userInfo().username,
  };
  if (match[3] !== undefined) hop.port = convert(match[3], 'number');
  for (const option of options) {
    const [key, ...rest] = option.split('=');
    const value = rest.join('=');
    if (key === 'key') Object.assign(hop, { keyPath: keyPath(value), auth: hop.auth ?? 'key' });
    else if (key === 'auth') hop.auth = value;
    else
      throw new OpsError(
        'invalid_input',
        `--ssh-jump "${spec}" has an unknown option "${key}": use key=PATH or auth=agent|key|password.`,
      );
  }
  return hop;
}

/** Applies the field flags on top of a base document (the stored profile, a --file, or nothing). */
export function applyFlags(base: Record<string, unknown>, values: CliContext['values']): Record<string, unknown> {
  const document = structuredClone(base);
  for (const section of ['ssh', 'postgres', 'redis'] as const) if (values[`no-${section}`]) delete document[section];
  const set = (path: string[], value: unknown) => {
    let node = document;
    for (const key of path.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
    node[path.at(-1)!] = value;
  };
  for (const { flag, path, type } of fieldFlags) {
    const value = values[flag];
    if (typeof value === 'string')
      set(path, flag === 'ssh-key' || flag === 'pg-ssl-ca' ? keyPath(value) : convert(value, type));
  }
  // Moving a profile to production lifts "standard" safety to the production default (never lowers read-only).
  if (values.environment === 'production' && values.safety === undefined && document.safety === 'standard')
    delete document.safety;
  if (typeof values['redis-user'] === 'string') set(['redis', 'username'], values['redis-user']);
  // --ssh-key alone means key auth, as ssh -i does.
  if (typeof values['ssh-key'] === 'string' && typeof values['ssh-auth'] !== 'string') set(['ssh', 'auth'], 'key');
  if (Array.isArray(values.tag)) document.tags = values.tag;
  if (typeof values['mask-columns'] === 'string')
    document.maskPatterns = values['mask-columns']
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean);
  if (Array.isArray(values['ssh-jump']))
    set(
      ['ssh', 'jumps'],
      values['ssh-jump'].map((spec, i) => parseJumpSpec(String(spec), i)),
    );
  return document;
}

const flagOfPath = new Map(fieldFlags.map((f) => [f.path.join('.'), `--${f.flag}`]));

/** Validates the merged document; each error names the field and the flag that sets it. */
export function validateDocument(document: unknown): z.output<typeof profileDocumentSchema> {
  const parsed = profileDocumentSchema.safeParse(document);
  if (parsed.success) return parsed.data;
  const message = parsed.error.issues
    .map((issue) => {
      const path = issue.path.map(String).join('.');
      const flag =
        flagOfPath.get(path) ??
        (path.startsWith('ssh.jumps')
          ? '--ssh-jump'
          : path === 'tags' || path.startsWith('tags.')
            ? '--tag'
            : undefined);
      const text =
        issue.code === 'unrecognized_keys'
          ? `has unknown field(s) ${issue.keys.join(', ')}: remove them`
          : issue.message;
      return `${path || 'profile'}${flag ? ` (${flag})` : ''} ${text}`;
    })
    .join('; ');
  throw new OpsError('invalid_input', message);
}

/** The secret changes asked for: stdin flags (one per command), clear flags, and the environment. */
export async function secretChanges(
  context: CliContext,
  document: ProfileDocument,
): Promise<Partial<Record<SecretName, SecretInput>>> {
  for (const { plainFlag, stdinFlag, env } of secretSources) {
    if (plainFlag && context.values[plainFlag] !== undefined) {
      throw new OpsError(
        'invalid_input',
        `--${plainFlag} is refused: a secret on the command line stays in shell history and process lists. Pipe it to --${stdinFlag} or set ${env}.`,
      );
    }
  }
  const fromStdin = secretSources.filter((s) => s.stdinFlag && context.values[s.stdinFlag]);
  if (fromStdin.length > 1) {
    throw new OpsError(
      'invalid_input',
      `${fromStdin.map((s) => `--${s.stdinFlag}`).join(' and ')}: standard input holds one secret per command. Pass the others through their environment variables (${fromStdin
        .slice(1)
        .map((s) => s.env)
        .join(', ')}).`,
    );
  }
  const usable = new Set<string>(secretsInUse(document as Parameters<typeof secretsInUse>[0]));
  const changes: Partial<Record<SecretName, SecretInput>> = {};
  for (const source of secretSources) {
    const fromEnv = context.env[source.env];
    // The environment is ambient: a variable for a section this profile lacks is ignored.
    if (fromEnv && usable.has(source.secret)) changes[source.secret] = { set: fromEnv };
    if (source.clearFlag && context.values[source.clearFlag]) changes[source.secret] = { clear: true };
  }
  if (fromStdin[0]) {
    const secret = (await context.readStdin()).replace(/\r?\n$/, '');
    if (!secret)
      throw new OpsError(
        'invalid_input',
        `--${fromStdin[0].stdinFlag} read nothing from standard input: pipe the secret in, e.g. printf %s "$PW" | opsconsole profiles … --${fromStdin[0].stdinFlag}.`,
      );
    changes[fromStdin[0].secret] = { set: secret };
  }
  return changes;
}
