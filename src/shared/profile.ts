import { z } from 'zod';

/** Environment kinds; production is the one every safety rule keys on. */
export const environmentKinds = ['production', 'staging', 'development', 'custom'] as const;
export type EnvironmentKind = (typeof environmentKinds)[number];

const hostName = z
  .string()
  .trim()
  .min(1, 'is empty: give a host name or IP address')
  .max(255, 'is longer than 255 characters')
  .regex(/^[^\s/@]+$/, 'must be a bare host name or IP address (no spaces, "/" or "@")');

const port = z
  .number({ error: 'must be a number between 1 and 65535' })
  .int('must be a whole number between 1 and 65535')
  .min(1, 'must be between 1 and 65535')
  .max(65535, 'must be between 1 and 65535');

const userName = z.string().trim().min(1, 'is empty: give the user name').max(128);

/** A secret as the renderer sends it: a new value, or a request to clear; absent means "keep". */
export const secretInputSchema = z.union([
  z.object({ set: z.string().min(1, 'is empty: give the secret or use clear') }),
  z.object({ clear: z.literal(true) }),
]);
export type SecretInput = z.infer<typeof secretInputSchema>;

export const sshAuthKinds = ['agent', 'key', 'password'] as const;

export const sshHopSchema = z.object({
  host: hostName,
  port: port.default(22),
  user: userName,
  auth: z.enum(sshAuthKinds, { error: 'must be one of agent, key, password' }).default('agent'),
  /** Path of the private key file, for auth "key". */
  keyPath: z.string().trim().min(1).optional(),
});
export type SshHop = z.infer<typeof sshHopSchema>;

export const sshSettingsSchema = sshHopSchema.extend({
  /** ProxyJump chain, first hop first; the target host is reached through the last one. */
  jumps: z.array(sshHopSchema).max(8, 'has more than 8 hops').default([]),
  keepaliveIntervalMs: z.number().int().min(1000).max(300_000).default(5000),
});
export type SshSettings = z.infer<typeof sshSettingsSchema>;

export const postgresSettingsSchema = z.object({
  /** Host and port as seen from the last SSH hop (or from this machine without SSH). */
  host: hostName,
  port: port.default(5432),
  database: z.string().trim().min(1, 'is empty: give the database name').max(63),
  user: userName,
  sslmode: z.enum(['disable', 'prefer', 'require', 'verify-full']).default('prefer'),
  applicationName: z.string().max(63).default('ops-console'),
  statementTimeoutMs: z.number().int().min(100).max(3_600_000).default(30_000),
  rowCap: z.number().int().min(1).max(10_000_000).default(10_000),
  readOnlyByDefault: z.boolean().default(true),
});
export type PostgresSettings = z.infer<typeof postgresSettingsSchema>;

export const redisSettingsSchema = z.object({
  host: hostName,
  port: port.default(6379),
  db: z.number().int().min(0).max(255).default(0),
  username: z.string().trim().max(128).optional(),
  tls: z.boolean().default(false),
});
export type RedisSettings = z.infer<typeof redisSettingsSchema>;

export const safetyLevels = ['standard', 'production', 'read-only'] as const;
export type SafetyLevel = (typeof safetyLevels)[number];

const profileFields = {
  name: z
    .string()
    .trim()
    .min(1, 'is empty: give the profile a name')
    .max(80, 'is longer than 80 characters')
    .regex(/^[^\x00-\x1f]+$/, 'must not contain control characters'),
  environment: z.enum(environmentKinds, {
    error: 'must be one of production, staging, development, custom',
  }),
  color: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour like #d9480f')
    .optional(),
  tags: z.array(z.string().trim().min(1).max(40)).max(20).default([]),
  notes: z.string().max(10_000).default(''),
  ssh: sshSettingsSchema.optional(),
  postgres: postgresSettingsSchema.optional(),
  redis: redisSettingsSchema.optional(),
  safety: z.enum(safetyLevels, { error: 'must be one of standard, production, read-only' }).optional(),
};

/** The secrets a profile can hold; each is sealed by the vault, never stored or sent in clear. */
export const secretNames = ['sshPassword', 'sshPassphrase', 'pgPassword', 'redisPassword'] as const;
export type SecretName = (typeof secretNames)[number];

export const profileInputSchema = z
  .object({
    ...profileFields,
    secrets: z.partialRecord(z.enum(secretNames), secretInputSchema).default({}),
  })
  .strict();
export type ProfileInput = z.input<typeof profileInputSchema>;
export type ProfileInputParsed = z.infer<typeof profileInputSchema>;

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
  secrets: Record<SecretName, boolean>;
  createdAt: string;
  updatedAt: string;
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
