import {
  pgSslModes,
  jumpSecretName,
  type PostgresSettings,
  type RedisSettings,
  type SecretName,
  type SshHop,
  type SshSettings,
} from '../../shared/profile';

/** The parts of a profile that decide where its secrets are sent. */
export interface RouteProfile {
  ssh?: SshSettings;
  postgres?: PostgresSettings;
  redis?: RedisSettings;
}

/**
 * Who a hop is. The host key is not a profile field: it is pinned per host:port in known_hosts and
 * the trust store, and a changed key is refused, so the same host:port means the same key.
 */
const hopKey = (hop: Pick<SshHop, 'host' | 'port' | 'user'>) => `${hop.user}@${hop.host.toLowerCase()}:${hop.port}`;

/** The SSH hops, first jump first and the target last. */
function hops(ssh: SshSettings | undefined): SshHop[] {
  return ssh ? [...ssh.jumps, ssh] : [];
}

/** The whole SSH route up to and including hop `index` (all of it when omitted). */
function routeTo(ssh: SshSettings | undefined, index?: number): string {
  const all = hops(ssh);
  return JSON.stringify(all.slice(0, index === undefined ? all.length : index + 1).map(hopKey));
}

const sslRank = (mode: PostgresSettings['sslmode']) => pgSslModes.indexOf(mode);

/**
 * Same server, same logins, TLS no weaker (mode, and the CA the certificate must chain to), and
 * no newly accepted cleartext/MD5 request. The CA and the read user are read by name so the rule
 * covers them wherever the profile has them.
 */
function samePostgres(before: PostgresSettings, after: PostgresSettings): boolean {
  const extra = (p: PostgresSettings) => p as PostgresSettings & { sslCa?: string; readUser?: string };
  const where = (p: PostgresSettings) =>
    `${p.user}/${extra(p).readUser ?? ''}@${p.host.toLowerCase()}:${p.port}/${p.database}`;
  const caKept = (extra(before).sslCa ?? '') === (extra(after).sslCa ?? '');
  return (
    where(before) === where(after) &&
    caKept &&
    sslRank(after.sslmode) >= sslRank(before.sslmode) &&
    (before.legacyPasswordAuth || !after.legacyPasswordAuth)
  );
}

function sameRedis(before: RedisSettings, after: RedisSettings): boolean {
  const where = (r: RedisSettings) => `${r.username ?? ''}@${r.host.toLowerCase()}:${r.port}`;
  const tlsKept =
    (!before.tls || after.tls) &&
    (!before.tlsVerify || after.tlsVerify || !after.tls) &&
    (before.tlsServerName ?? before.host) === (after.tlsServerName ?? after.host);
  return where(before) === where(after) && tlsKept;
}

/**
 * The stored secrets that may no longer be sent where they were meant to go: a database secret
 * survives only when every SSH hop, the server's address and login, and TLS (no weaker) are
 * unchanged, since the database address is relative to the last hop and a new hop can be anyone's.
 * A hop's own secrets survive when the route up to and including that hop is unchanged.
 */
export function secretsOffRoute(before: RouteProfile, after: RouteProfile): SecretName[] {
  const dropped: SecretName[] = [];
  const beforeHops = hops(before.ssh);
  const afterHops = hops(after.ssh);
  beforeHops.forEach((hop, i) => {
    const last = i === beforeHops.length - 1;
    const [password, passphrase]: SecretName[] = last
      ? ['sshPassword', 'sshPassphrase']
      : [jumpSecretName(i, 'Password'), jumpSecretName(i, 'Passphrase')];
    const same = beforeHops.length === afterHops.length && routeTo(before.ssh, i) === routeTo(after.ssh, i);
    if (!same) dropped.push(password!, passphrase!);
    else if ((hop.keyPath ?? '') !== (afterHops[i]!.keyPath ?? '')) dropped.push(passphrase!); // a passphrase belongs to its key file
  });
  const sameRoute = routeTo(before.ssh) === routeTo(after.ssh);
  if (before.postgres && !(sameRoute && after.postgres && samePostgres(before.postgres, after.postgres))) {
    dropped.push('pgPassword');
    if ((before.postgres as { readUser?: string }).readUser) dropped.push('pgReadPassword' as SecretName);
  }
  if (before.redis && !(sameRoute && after.redis && sameRedis(before.redis, after.redis)))
    dropped.push('redisPassword');
  return dropped;
}
