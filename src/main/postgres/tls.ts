import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { checkServerIdentity, TLSSocket, type ConnectionOptions, type PeerCertificate } from 'node:tls';
import type pg from 'pg';
import type { PgTlsState } from '../../shared/pg-tls';
import type { PostgresSettings } from '../../shared/profile';
import { OpsError } from '../errors';

type TlsSettings = Pick<PostgresSettings, 'host' | 'sslmode' | 'sslCa'>;

/**
 * The pg `ssl` option for one attempt, following libpq's sslmode table: prefer and require
 * encrypt without authenticating the server (require with a CA file verifies the CA, as libpq
 * does), verify-ca checks the chain, verify-full the chain and the host name. Node's own
 * fallback name for an IP host is "localhost", so the host is always passed explicitly.
 */
export function pgSslOption(settings: TlsSettings, attempt: 'tls' | 'plain' = 'tls'): false | ConnectionOptions {
  if (settings.sslmode === 'disable' || attempt === 'plain') return false;
  const verify = verification(settings);
  if (verify === 'none') return { rejectUnauthorized: false };
  const ca = settings.sslCa ? readCa(settings.sslCa) : undefined;
  return {
    rejectUnauthorized: true,
    ...(ca ? { ca } : {}),
    checkServerIdentity: (_servername: string, cert: PeerCertificate) =>
      verify === 'full' ? checkServerIdentity(settings.host, cert) : undefined,
  };
}

function verification(settings: TlsSettings): PgTlsState['verified'] {
  if (settings.sslmode === 'verify-full') return 'full';
  if (settings.sslmode === 'verify-ca' || (settings.sslmode === 'require' && settings.sslCa)) return 'ca';
  return 'none';
}

function readCa(path: string): string {
  const file = path.startsWith('~') ? homedir() + path.slice(1) : path;
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (error) {
    throw new OpsError(
      'invalid_input',
      `postgres.sslCa (--pg-ssl-ca): the CA file ${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}). Point it at the PEM file of the CA that signed the server's certificate.`,
    );
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----'))
    throw new OpsError(
      'invalid_input',
      `postgres.sslCa (--pg-ssl-ca): ${path} holds no PEM certificate (no "-----BEGIN CERTIFICATE-----" line).`,
    );
  return pem;
}

/**
 * When prefer tries again without TLS, as libpq does: the server answered the SSLRequest with
 * "N", the TLS handshake itself failed, or pg_hba.conf has no entry for an encrypted connection
 * (hostnossl only). Any other failure (a wrong password, a missing database) is the answer.
 */
function tlsAttemptRefused(error: unknown): boolean {
  const { message = '', code = '' } = error as { message?: string; code?: string };
  return (
    /does not support SSL/i.test(message) ||
    /^(ERR_SSL_|EPROTO$)/.test(code) ||
    /no pg_hba\.conf entry .*SSL encryption/i.test(message)
  );
}

/**
 * Connects a client built by `make` for the profile's sslmode. Under prefer, a server that does
 * not take TLS gets a second, plain connection (libpq does the same); under every other mode a
 * failure is the answer. The client that connected is returned with what it got.
 */
export async function connectWithSslMode(
  settings: TlsSettings,
  make: (ssl: false | ConnectionOptions) => pg.Client,
): Promise<{ client: pg.Client; tls: PgTlsState }> {
  const attempt = async (ssl: false | ConnectionOptions) => {
    const client = make(ssl);
    try {
      await client.connect();
      return { client, tls: tlsStateOf(client, settings) };
    } catch (error) {
      await endWithin(client, 2_000);
      throw error;
    }
  };
  try {
    return await attempt(pgSslOption(settings));
  } catch (error) {
    if (settings.sslmode !== 'prefer' || !tlsAttemptRefused(error)) throw error;
  }
  return attempt(pgSslOption(settings, 'plain'));
}

/**
 * Ends a failed attempt without waiting on the server: pg's end() waits for the other side to
 * close, and a server that says 'N' to TLS (or a hostile one) may keep its end open forever.
 */
export async function endWithin(client: pg.Client, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms).unref()));
  await Promise.race([client.end().catch(() => undefined), late]);
  clearTimeout(timer);
  (client as unknown as { connection?: { stream?: { destroy?(): void } } }).connection?.stream?.destroy?.();
}

/** What the connected client's socket is: TLS (and which version) or plain. */
export function tlsStateOf(client: pg.Client, settings: TlsSettings): PgTlsState {
  const stream = (client as unknown as { connection?: { stream?: unknown } }).connection?.stream;
  const encrypted = stream instanceof TLSSocket && stream.encrypted;
  const protocol = encrypted ? ((stream as TLSSocket).getProtocol() ?? undefined) : undefined;
  return {
    sslmode: settings.sslmode,
    encrypted,
    ...(protocol ? { protocol } : {}),
    verified: encrypted ? verification(settings) : 'none',
  };
}

/** What to check after a failed connection, given the sslmode and pg's own words. */
export function pgConnectHint(sslmode: PostgresSettings['sslmode'], reason: string): string {
  if (/self[- ]signed|unable to (get|verify)|certificate/i.test(reason) && !/altnames|host ?name/i.test(reason)) {
    return `The server's certificate is not signed by a trusted CA (sslmode ${sslmode}): set the CA file (--pg-ssl-ca) to the CA that signed it.`;
  }
  if (/altnames|host ?name|does not match/i.test(reason))
    return `The certificate was not issued for this host name (sslmode ${sslmode}): connect by the name in the certificate, or use verify-ca.`;
  if (/does not support SSL/i.test(reason))
    return `sslmode ${sslmode} needs TLS and the server does not offer it: enable ssl on the server, or choose prefer.`;
  if (/no encryption|hostssl|SSL off/i.test(reason))
    return 'The server accepts only encrypted connections: choose sslmode require or verify-full.';
  if (/pg_hba\.conf entry .*SSL encryption/i.test(reason))
    return `The server admits only unencrypted connections for this user (pg_hba.conf hostnossl), which sslmode ${sslmode} does not allow: ask for a hostssl entry, or choose prefer.`;
  return 'Check host and port (as seen from the last SSH hop), database, user and password.';
}
