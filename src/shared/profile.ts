import { z } from 'zod';
import { maskPatternSchema } from './mask-patterns';

import {
  environmentKinds,
  pgSslModes,
  safetyLevels,
  type EnvironmentKind,
  type FieldChange,
  type SafetyLevel,
} from './profile-constants';

export * from './profile-constants';

const hostName = z
  .string({ error: 'must be a host name or IP address (text)' })
  .trim()
  .min(1, 'is empty: give a host name or IP address')
  .max(255, 'is longer than 255 characters: give a host name or IP address')
  .regex(
    /^[^\s/@]+$/,
    'must be a bare host name or IP address (no spaces, "/" or "@"): put the user in the user field and the port in the port field',
  );

const port = z
  .number({ error: 'must be a number between 1 and 65535' })
  .int('must be a whole number between 1 and 65535')
  .min(1, 'must be between 1 and 65535 (0 is not a port)')
  .max(65535, 'must be between 1 and 65535');

const userName = z
  .string({ error: 'must be a user name (text)' })
  .trim()
  .min(1, 'is empty: give the user name')
  .max(128, 'is longer than 128 characters')
  .regex(/^[^\s@]+$/, 'must be a bare user name (no spaces or "@")');

/** A secret as the renderer sends it: a new value, or a request to clear; absent means "keep". */
export const secretInputSchema = z.union(
  [
    z
      .object({
        set: z
          .string()
          .min(1, 'is empty: give the secret or use clear')
          .max(64 * 1024, 'is longer than 64 KB'),
      })
      .strict(),
    z.object({ clear: z.literal(true) }).strict(),
  ],
  { error: 'must be {"set": "…"} to replace the secret or {"clear": true} to remove it' },
);
export type SecretInput = z.infer<typeof secretInputSchema>;

export const sshAuthKinds = ['agent', 'key', 'password'] as const;
export type SshAuthKind = (typeof sshAuthKinds)[number];

/** The longest ProxyJump chain accepted (OpenSSH has no limit; past this it is a mistake). */
export const maxJumps = 8;

const hopFields = {
  host: hostName,
  port: port.default(22),
  user: userName,
  auth: z.enum(sshAuthKinds, { error: 'must be one of agent, key, password' }).default('agent'),
  /** Path of the private key file, for auth "key" (~ is the home folder). */
  keyPath: z.string().trim().min(1, 'is empty: choose the private key file').max(4096).optional(),
};

function requireKeyPath(hop: { auth: SshAuthKind; keyPath?: string }, ctx: z.RefinementCtx): void {
  if (hop.auth === 'key' && !hop.keyPath) {
    ctx.addIssue({
      code: 'custom',
      path: ['keyPath'],
      message: 'is missing: auth "key" needs the path of the private key file (or choose auth agent or password)',
    });
  }
}

/** One ProxyJump hop, with its own host, port, user and authentication. */
export const sshHopSchema = z.object(hopFields).strict().superRefine(requireKeyPath);
export type SshHop = z.infer<typeof sshHopSchema>;

export const sshSettingsSchema = z
  .object({
    ...hopFields,
    /** ProxyJump chain, first hop first; the target host is reached through the last one. */
    jumps: z
      .array(sshHopSchema)
      .max(maxJumps, `has more than ${maxJumps} hops: shorten the ProxyJump chain`)
      .default([]),
    keepaliveIntervalMs: z
      .number({ error: 'must be a number of milliseconds' })
      .int('must be a whole number of milliseconds')
      .min(1000, 'must be at least 1000 ms')
      .max(300_000, 'must be at most 300000 ms (5 minutes)')
      .default(5000),
    /** Opt-in for old servers, on every hop: ssh-rsa (SHA-1) host-key signatures and hmac-sha1 are offered too. Absent: off. */
    legacyAlgorithms: z.boolean({ error: 'must be true or false' }).optional(),
  })
  .strict()
  .superRefine((ssh, ctx) => {
    requireKeyPath(ssh, ctx);
    // A chain that visits the same sshd twice loops: ssh(1) would recurse forever on it.
    const seen = new Map<string, string>();
    const hops = [
      ...ssh.jumps.map((hop, i) => ({ hop, path: ['jumps', i], label: `jump ${i + 1}` })),
      { hop: ssh, path: [], label: 'the target host' },
    ];
    for (const { hop, path, label } of hops) {
      const key = `${hop.host.toLowerCase()}:${hop.port}`;
      const earlier = seen.get(key);
      if (earlier) {
        ctx.addIssue({
          code: 'custom',
          path: [...path, 'host'],
          message: `makes a ProxyJump loop: ${label} (${key}) is the same host as ${earlier}. Remove the repeated hop`,
        });
      } else seen.set(key, label);
    }
  });
export type SshSettings = z.infer<typeof sshSettingsSchema>;

export const postgresSettingsSchema = z
  .object({
    /** Host and port as seen from the last SSH hop (or from this machine without SSH). */
    host: hostName,
    port: port.default(5432),
    database: z
      .string({ error: 'must be a database name (text)' })
      .trim()
      .min(1, 'is empty: give the database name')
      .max(63, 'is longer than 63 characters (the Postgres limit)'),
    user: userName,
    sslmode: z
      .enum(pgSslModes, { error: 'must be one of disable, prefer, require, verify-ca, verify-full' })
      .default('prefer'),
    /** PEM file of the CA(s) the server's certificate must chain to (libpq's sslrootcert); without it, the system's CAs. */
    sslCa: z
      .string({ error: 'must be the path of a PEM file' })
      .trim()
      .min(1, 'is empty: give the path of the CA certificate (PEM), or leave the field out')
      .max(4096, 'is longer than 4096 characters')
      .refine(
        (path) => path.startsWith('/') || path.startsWith('~') || /^[A-Za-z]:[\\/]/.test(path),
        'must be an absolute path (a relative one would depend on where the app was started)',
      )
      .optional(),
    applicationName: z.string().max(63, 'is longer than 63 characters (the Postgres limit)').default('ops-console'),
    statementTimeoutMs: z
      .number({ error: 'must be a number of milliseconds' })
      .int()
      .min(100, 'must be at least 100 ms')
      .max(3_600_000, 'must be at most 3600000 ms (1 hour)')
      .default(30_000),
    rowCap: z
      .number({ error: 'must be a number of rows' })
      .int()
      .min(1, 'must be at least 1')
      .max(10_000_000, 'must be at most 10000000')
      .default(10_000),
    readOnlyByDefault: z.boolean({ error: 'must be true or false' }).default(true),
    /**
     * A second Postgres user for reads (e.g. one with default_transaction_read_only = on and no
     * pg_signal_backend), with its own password (`pgReadPassword`): reads run as it, confirmed
     * writes as `user`. Absent: everything runs as `user`.
     */
    readUser: userName.optional(),
    /**
     * Answer a server's cleartext or MD5 password request. Off: only SCRAM gets the password, so
     * a server (or a man in the middle) that merely asks never receives it. For legacy servers.
     */
    legacyPasswordAuth: z.boolean({ error: 'must be true or false' }).default(false),
  })
  .strict();
export type PostgresSettings = z.infer<typeof postgresSettingsSchema>;

export const redisSettingsSchema = z
  .object({
    /** Host and port as seen from the last SSH hop (or from this machine without SSH). */
    host: hostName,
    port: port.default(6379),
    db: z
      .number({ error: 'must be a database number' })
      .int('must be a whole number')
      .min(0, 'must be 0 or more')
      .max(10_000, 'must be at most 10000')
      .default(0),
    /** ACL user (Redis 6+); absent means the "default" user. */
    username: z.string().trim().min(1, 'is empty: give the ACL user name or leave it out').max(128).optional(),
    tls: z.boolean({ error: 'must be true or false' }).default(false),
    /** Check the server certificate against the system CAs and tlsServerName (or host). */
    tlsVerify: z.boolean({ error: 'must be true or false' }).default(true),
    /** The name the certificate must carry, when it differs from host (SNI). */
    tlsServerName: hostName.optional(),
  })
  .strict();
export type RedisSettings = z.infer<typeof redisSettingsSchema>;

export const profileNameSchema = z
  .string({ error: 'must be a name (text)' })
  .trim()
  .min(1, 'is empty: give the profile a name')
  .max(80, 'is longer than 80 characters')
  .regex(/^[^\x00-\x1f\x7f]+$/, 'must not contain control characters');

export { defaultMaskPatterns, isMaskedColumn as columnIsMasked } from './mask-patterns';

const profileFields = {
  name: profileNameSchema,
  environment: z.enum(environmentKinds, {
    error: 'must be one of production, staging, development, custom',
  }),
  color: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour like #d9480f')
    .optional(),
  tags: z
    .array(z.string().trim().min(1, 'has an empty tag: remove it').max(40, 'has a tag longer than 40 characters'))
    .max(20, 'has more than 20 tags')
    .default([]),
  notes: z.string().max(10_000, 'is longer than 10000 characters').default(''),
  ssh: sshSettingsSchema.optional(),
  postgres: postgresSettingsSchema.optional(),
  redis: redisSettingsSchema.optional(),
  safety: z.enum(safetyLevels, { error: 'must be one of standard, production, read-only' }).optional(),
  /**
   * Column-name patterns (case-insensitive substrings, or /regex/) whose values are masked wherever
   * the console copies or shows rows on the operator's behalf (rehearsal samples, assistants).
   */
  maskPatterns: z.array(maskPatternSchema).max(100, 'has more than 100 patterns').optional(),
  /** Rehearsals may copy a masked sample of the rows a write would touch (off unless set). */
  rehearsalSample: z.boolean({ error: 'must be true or false' }).optional(),
  /** The demo environment: its Postgres is an embedded database in the data folder, not a server. */
  demo: z.boolean({ error: 'must be true or false' }).optional(),
  /** Whether AI assistants may read through `opsconsole mcp` (off unless the owner says so). */
  allowAssistants: z.boolean({ error: 'must be true or false' }).default(false),
};

/** The secrets of the target and of each ProxyJump hop (jump1… is the first hop). */
const jumpSecretNames = Array.from(
  { length: maxJumps },
  (_, i) => [`jump${i + 1}Password`, `jump${i + 1}Passphrase`] as const,
).flat();
export type JumpSecretName = `jump${number}${'Password' | 'Passphrase'}`;
export const secretNames = [
  'sshPassword',
  'sshPassphrase',
  'pgPassword',
  'redisPassword',
  ...jumpSecretNames,
  'pgReadPassword',
] as unknown as readonly [
  'sshPassword',
  'sshPassphrase',
  'pgPassword',
  'redisPassword',
  ...(JumpSecretName | 'pgReadPassword')[],
];
export type SecretName =
  'sshPassword' | 'sshPassphrase' | 'pgPassword' | 'redisPassword' | JumpSecretName | 'pgReadPassword';

export function jumpSecretName(hopIndex: number, kind: 'Password' | 'Passphrase'): JumpSecretName {
  return `jump${hopIndex + 1}${kind}`;
}

/** The secrets a profile of this shape can use; any other stored secret is an orphan. */
export function secretsInUse(profile: {
  ssh?: SshSettings;
  postgres?: { readUser?: string };
  redis?: unknown;
}): SecretName[] {
  const names: SecretName[] = [];
  if (profile.ssh) {
    names.push('sshPassword', 'sshPassphrase');
    profile.ssh.jumps.forEach((_, i) => names.push(jumpSecretName(i, 'Password'), jumpSecretName(i, 'Passphrase')));
  }
  if (profile.postgres) names.push('pgPassword');
  if (profile.postgres?.readUser) names.push('pgReadPassword');
  if (profile.redis) names.push('redisPassword');
  return names;
}

/** Rules across sections: a production profile never drops to the standard safety level. */
function crossFieldRules(profile: { environment: EnvironmentKind; safety?: SafetyLevel }, ctx: z.RefinementCtx): void {
  if (profile.environment === 'production' && profile.safety === 'standard') {
    ctx.addIssue({
      code: 'custom',
      path: ['safety'],
      message: 'cannot be "standard" on a production profile: use "production" (typed confirmation) or "read-only"',
    });
  }
}

const secretsField = z
  .partialRecord(
    z.enum(secretNames as unknown as [SecretName, ...SecretName[]], { error: 'is not a secret this profile can hold' }),
    secretInputSchema,
  )
  .default({});

export const profileInputSchema = z
  .object({ ...profileFields, secrets: secretsField })
  .strict()
  .superRefine(crossFieldRules);
export type ProfileInput = z.input<typeof profileInputSchema>;
export type ProfileInputParsed = z.infer<typeof profileInputSchema>;

/** A profile as files carry it (export, import, `--file`): every field, never a secret. */
export const profileDocumentSchema = z.object(profileFields).strict().superRefine(crossFieldRules);
export type ProfileDocument = z.input<typeof profileDocumentSchema>;

/** What the renderer sees of a profile: every field, and only whether each secret is set. */
export interface ProfileView {
  id: string;
  name: string;
  environment: EnvironmentKind;
  color: string;
  tags: string[];
  notes: string;
  ssh?: SshSettings;
  postgres?: PostgresSettings;
  redis?: RedisSettings;
  safety: SafetyLevel;
  allowAssistants: boolean;
  maskPatterns?: string[];
  rehearsalSample?: boolean;
  demo?: boolean;
  /** For each secret this profile's shape can use: whether one is stored. */
  secrets: Partial<Record<SecretName, boolean>>;
  createdAt: string;
  updatedAt: string;
}

/** The editable fields of a stored profile, as a document: no secrets, ids or timestamps. */
export function profileToDocument(view: ProfileView): z.output<typeof profileDocumentSchema> {
  const {
    name,
    environment,
    color,
    tags,
    notes,
    ssh,
    postgres,
    redis,
    safety,
    allowAssistants,
    maskPatterns,
    rehearsalSample,
    demo,
  } = view;
  return {
    name,
    environment,
    color,
    tags,
    notes,
    safety,
    allowAssistants,
    ...(ssh ? { ssh } : {}),
    ...(postgres ? { postgres } : {}),
    ...(redis ? { redis } : {}),
    ...(maskPatterns ? { maskPatterns } : {}),
    ...(rehearsalSample !== undefined ? { rehearsalSample } : {}),
    ...(demo ? { demo } : {}),
  };
}

/**
 * What a write (break-glass SQL, a dangerous Redis command) needs on this profile: refused
 * outright (read-only), the profile's name typed (production), or a plain confirmation.
 */
export type WritePolicy = 'forbidden' | 'type-profile-name' | 'confirm';

export function writePolicy(profile: { safety: SafetyLevel }): WritePolicy {
  switch (profile.safety) {
    case 'read-only':
      return 'forbidden';
    case 'production':
      return 'type-profile-name';
    case 'standard':
      return 'confirm';
  }
}

export const defaultColors: Record<EnvironmentKind, string> = {
  production: '#e03131',
  staging: '#f08c00',
  development: '#2f9e44',
  custom: '#1c7ed6',
};

export function defaultSafety(environment: EnvironmentKind): SafetyLevel {
  return environment === 'production' ? 'production' : 'standard';
}

/** The versioned export file: profiles without secrets. */
export const profilesExportFormat = 'opsconsole.profiles';
export const profilesExportVersion = 1;
export const importConflictStrategies = ['skip', 'rename', 'replace'] as const;
export type ImportConflictStrategy = (typeof importConflictStrategies)[number];

export interface ProfilesExport {
  format: typeof profilesExportFormat;
  version: typeof profilesExportVersion;
  exportedAt: string;
  profiles: z.output<typeof profileDocumentSchema>[];
}

/** A replaced profile: what changed field by field, and which stored secrets the new route dropped. */
export interface ReplacedProfile {
  id: string;
  name: string;
  changes: FieldChange[];
  secretsDropped: SecretName[];
}

/** What an import did (or, with dryRun, would do), profile by profile. */
export interface ImportReport {
  dryRun: boolean;
  created: { id: string; name: string }[];
  replaced: ReplacedProfile[];
  renamed: { id: string; from: string; to: string }[];
  skipped: { name: string; reason: string }[];
  /**
   * Safety downgrades among the replacements ("prod-eu: environment: production → development").
   * Without allowDowngrade an import that has any is refused (a dry run reports them and would be).
   */
  downgrades: string[];
  /** True when the operator allowed the downgrades above (--allow-downgrade); the log records it. */
  downgradesAllowed: boolean;
  /** ssh config import: hosts imported without some settings (ProxyCommand, Match exec, LocalCommand…). */
  dropped?: { name: string; settings: string[] }[];
  /**
   * New profiles that come with settings less safe than the defaults (assistants, row samples,
   * fewer masks, legacy auth), each as a change from the default. On a production profile they
   * are also listed in `downgrades` (refused without allowDowngrade).
   */
  permissive?: { name: string; environment: EnvironmentKind; changes: FieldChange[] }[];
}
