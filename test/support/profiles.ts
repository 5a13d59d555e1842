import type { EnvironmentKind, ProfileInput } from '../../src/shared/profile';
import type { PostgresServer, RedisServer, SshdServer } from '../harness/index';

/**
 * A profile over the harness's servers: the bastion is `sshd` (key auth), and Postgres and Redis
 * are reached from it on 127.0.0.1, as an operator's profile would name them.
 */
export function harnessProfile(
  name: string,
  servers: { sshd?: SshdServer; pg?: PostgresServer; redis?: RedisServer },
  environment: EnvironmentKind = 'staging',
): ProfileInput {
  const { sshd, pg, redis } = servers;
  return {
    name,
    environment,
    ssh: sshd && { host: sshd.host, port: sshd.port, user: sshd.user, auth: 'key', keyPath: sshd.clientKeyPath },
    postgres: pg && { host: '127.0.0.1', port: pg.port, database: pg.database, user: pg.user },
    redis: redis && { host: '127.0.0.1', port: redis.port },
    secrets: pg ? { pgPassword: { set: pg.password } } : {},
  };
}
