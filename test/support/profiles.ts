import type { EnvironmentKind, ProfileInput } from '../../src/shared/profile';
import type { PostgresServer, RedisServer, SshdServer } from '../harness/index';

type PostgresInput = NonNullable<ProfileInput['postgres']>;
type RedisInput = NonNullable<ProfileInput['redis']>;
/** SSH settings to the harness's sshd: its client key, or a password account. */
type HarnessSsh = { host: string; port: number; user: string } & (
  { auth: 'key'; keyPath: string } | { auth: 'password' }
);

/** What a profile needs of an sshd: the harness's own, or its address handed to a child process. */
type SshdLogin = Pick<SshdServer, 'port' | 'user' | 'clientKeyPath'> & { host: string };

/** What a profile needs of a Postgres server: the harness's own, or the team server's login. */
type PostgresLogin = Pick<PostgresServer, 'port' | 'database' | 'user' | 'password'>;

/** Variants of the harness profile a test asks for; every field is laid over the defaults. */
interface HarnessProfileOptions {
  /** Sign in to sshd with this account's password instead of the harness's client key. */
  sshAccount?: { user: string; password: string };
  /** Another user for the key sign-in (an account of the sshd that accepts the client key). */
  sshUser?: string;
  postgres?: Partial<PostgresInput>;
  redis?: Partial<RedisInput>;
  safety?: ProfileInput['safety'];
  /** Added to the secrets the servers give (pgPassword, sshPassword). */
  secrets?: ProfileInput['secrets'];
}

/** The SSH settings of a profile whose bastion is the harness's sshd (key auth unless an account is given). */
export function harnessSsh(
  sshd: SshdLogin,
  options: Pick<HarnessProfileOptions, 'sshAccount' | 'sshUser'> = {},
): HarnessSsh {
  const { host, port } = sshd;
  if (options.sshAccount) return { host, port, user: options.sshAccount.user, auth: 'password' };
  return { host, port, user: options.sshUser ?? sshd.user, auth: 'key', keyPath: sshd.clientKeyPath };
}

/**
 * A profile over the harness's servers: the bastion is `sshd` (key auth), and Postgres and Redis
 * are reached from it on 127.0.0.1, as an operator's profile would name them.
 */
export function harnessProfile(
  name: string,
  servers: { sshd?: SshdLogin; pg?: PostgresLogin; redis?: RedisServer },
  environment: EnvironmentKind = 'staging',
  options: HarnessProfileOptions = {},
): ProfileInput {
  const { sshd, pg, redis } = servers;
  return {
    name,
    environment,
    ...(options.safety ? { safety: options.safety } : {}),
    ssh: sshd && harnessSsh(sshd, options),
    postgres: pg && { host: '127.0.0.1', port: pg.port, database: pg.database, user: pg.user, ...options.postgres },
    redis: redis && { host: '127.0.0.1', port: redis.port, ...options.redis },
    secrets: {
      ...(pg ? { pgPassword: { set: pg.password } } : {}),
      ...(sshd && options.sshAccount ? { sshPassword: { set: options.sshAccount.password } } : {}),
      ...options.secrets,
    },
  };
}
