import {
  defaultSafety,
  jumpSecretName,
  profileInputSchema,
  type PostgresSettings,
  type ProfileInput,
  type ProfileView,
  type SafetyLevel,
} from '../../../../shared/profile';

/** One SSH hop as the form edits it: text fields, converted and validated on save. */
export interface HopDraft {
  host: string;
  port: string;
  user: string;
  auth: 'agent' | 'key' | 'password';
  keyPath: string;
  secret: string;
}

/** The editor's state: strings as typed; `inputOf` turns it into the contract's input. */
export interface ProfileDraft {
  name: string;
  environment: string;
  safety: SafetyLevel | '';
  /** AI assistants may read it through `opsconsole mcp`. */
  allowAssistants: boolean;
  tags: string;
  notes: string;
  sshEnabled: boolean;
  sshLegacyAlgorithms: boolean;
  ssh: HopDraft;
  jumps: HopDraft[];
  pgEnabled: boolean;
  pgHost: string;
  pgPort: string;
  pgDatabase: string;
  pgUser: string;
  pgPassword: string;
  /** The optional second user reads run as, and its password. */
  pgReadUser: string;
  pgReadPassword: string;
  pgSslmode: string;
  pgSslCa: string;
  pgStatementTimeoutMs: string;
  pgRowCap: string;
  /** Masking patterns, comma separated (empty: the defaults); and whether rehearsals may sample rows. */
  maskPatterns: string;
  rehearsalSample: boolean;
  pgLegacyPasswordAuth: boolean;
  redisEnabled: boolean;
  redisHost: string;
  redisPort: string;
  redisDb: string;
  redisUsername: string;
  redisPassword: string;
  redisTls: boolean;
}

export const emptyHop: HopDraft = { host: '', port: '22', user: '', auth: 'key', keyPath: '', secret: '' };

/** The form's start: the profile's values, or Settings' query defaults for a new profile. */
export function draftOf(
  profile?: ProfileView,
  defaults: { rowCap: number; statementTimeoutMs: number } = { rowCap: 10000, statementTimeoutMs: 30000 },
): ProfileDraft {
  const ssh = profile?.ssh;
  return {
    name: profile?.name ?? '',
    environment: profile?.environment ?? 'development',
    safety: profile?.safety ?? '',
    allowAssistants: profile?.allowAssistants ?? false,
    tags: profile?.tags.join(', ') ?? '',
    notes: profile?.notes ?? '',
    sshEnabled: profile ? Boolean(ssh) : true,
    sshLegacyAlgorithms: ssh?.legacyAlgorithms ?? false,
    ssh: ssh
      ? {
          host: ssh.host,
          port: String(ssh.port),
          user: ssh.user,
          auth: ssh.auth,
          keyPath: ssh.keyPath ?? '',
          secret: '',
        }
      : { ...emptyHop },
    jumps: (ssh?.jumps ?? []).map((h) => ({
      host: h.host,
      port: String(h.port),
      user: h.user,
      auth: h.auth,
      keyPath: h.keyPath ?? '',
      secret: '',
    })),
    pgEnabled: profile ? Boolean(profile.postgres) : true,
    pgHost: profile?.postgres?.host ?? '127.0.0.1',
    pgPort: String(profile?.postgres?.port ?? 5432),
    pgDatabase: profile?.postgres?.database ?? '',
    pgUser: profile?.postgres?.user ?? '',
    pgPassword: '',
    pgReadUser: profile?.postgres?.readUser ?? '',
    maskPatterns: profile?.maskPatterns?.join(', ') ?? '',
    rehearsalSample: profile?.rehearsalSample ?? false,
    pgReadPassword: '',
    pgSslmode: profile?.postgres?.sslmode ?? 'prefer',
    pgSslCa: profile?.postgres?.sslCa ?? '',
    pgStatementTimeoutMs: String(profile?.postgres?.statementTimeoutMs ?? defaults.statementTimeoutMs),
    pgRowCap: String(profile?.postgres?.rowCap ?? defaults.rowCap),
    pgLegacyPasswordAuth: profile?.postgres?.legacyPasswordAuth ?? false,
    redisEnabled: Boolean(profile?.redis),
    redisHost: profile?.redis?.host ?? '127.0.0.1',
    redisPort: String(profile?.redis?.port ?? 6379),
    redisDb: String(profile?.redis?.db ?? 0),
    redisUsername: profile?.redis?.username ?? '',
    redisPassword: '',
    redisTls: profile?.redis?.tls ?? false,
  };
}

const num = (text: string) => (text.trim() === '' ? Number.NaN : Number(text));
const hopOf = (hop: HopDraft) => ({
  host: hop.host,
  port: num(hop.port),
  user: hop.user,
  auth: hop.auth,
  keyPath: hop.auth === 'key' ? hop.keyPath : undefined,
});

/** The contract input; secrets left blank keep what is stored. */
export function inputOf(draft: ProfileDraft, existing?: ProfileView): ProfileInput {
  const secrets: NonNullable<ProfileInput['secrets']> = {};
  if (draft.sshEnabled) {
    if (draft.ssh.secret && draft.ssh.auth !== 'agent')
      secrets[draft.ssh.auth === 'password' ? 'sshPassword' : 'sshPassphrase'] = { set: draft.ssh.secret };
    draft.jumps.forEach((hop, i) => {
      if (hop.secret && hop.auth !== 'agent')
        secrets[jumpSecretName(i, hop.auth === 'password' ? 'Password' : 'Passphrase')] = { set: hop.secret };
    });
  }
  if (draft.pgEnabled && draft.pgPassword) secrets.pgPassword = { set: draft.pgPassword };
  if (draft.pgEnabled && draft.pgReadUser.trim() && draft.pgReadPassword)
    secrets.pgReadPassword = { set: draft.pgReadPassword };
  if (draft.redisEnabled && draft.redisPassword) secrets.redisPassword = { set: draft.redisPassword };
  const environment = draft.environment as ProfileInput['environment'];
  return {
    name: draft.name,
    environment,
    color: existing && existing.environment === environment ? existing.color : undefined,
    safety: draft.safety || (existing ? undefined : defaultSafety(environment)),
    tags: draft.tags
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean),
    notes: draft.notes,
    allowAssistants: draft.allowAssistants,
    ssh: draft.sshEnabled
      ? {
          ...hopOf(draft.ssh),
          jumps: draft.jumps.map(hopOf),
          keepaliveIntervalMs: existing?.ssh?.keepaliveIntervalMs,
          legacyAlgorithms: draft.sshLegacyAlgorithms || undefined,
        }
      : undefined,
    postgres: draft.pgEnabled
      ? {
          ...existing?.postgres,
          host: draft.pgHost,
          port: num(draft.pgPort),
          database: draft.pgDatabase,
          user: draft.pgUser,
          readUser: draft.pgReadUser.trim() || undefined,
          sslmode: draft.pgSslmode as PostgresSettings['sslmode'],
          sslCa: draft.pgSslCa.trim() || undefined,
          statementTimeoutMs: num(draft.pgStatementTimeoutMs),
          rowCap: num(draft.pgRowCap),
          legacyPasswordAuth: draft.pgLegacyPasswordAuth,
        }
      : undefined,
    redis: draft.redisEnabled
      ? {
          ...existing?.redis,
          host: draft.redisHost,
          port: num(draft.redisPort),
          db: num(draft.redisDb),
          username: draft.redisUsername.trim() || undefined,
          tls: draft.redisTls,
        }
      : undefined,
    maskPatterns: draft.maskPatterns.trim()
      ? draft.maskPatterns
          .split(',')
          .map((p) => p.trim())
          .filter(Boolean)
      : undefined,
    rehearsalSample: draft.rehearsalSample || undefined,
    // Not editable here: a demo profile stays a demo (its Postgres is the embedded one).
    ...(existing?.demo ? { demo: true } : {}),
    secrets,
  };
}

/** Field path ("ssh.jumps.0.host") → message, from the same zod schema the core uses. */
export function validate(input: ProfileInput): Record<string, string> {
  const parsed = profileInputSchema.safeParse(input);
  if (parsed.success) return {};
  return Object.fromEntries(parsed.error.issues.map((i) => [i.path.join('.'), i.message]));
}
