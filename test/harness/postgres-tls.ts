import { chmodSync, chownSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isRoot, makeTempDir, removeDir, run } from './processes';
import { postgresBinDir, startPostgres, type PostgresServer } from './postgres';

export interface TlsPostgresServer extends PostgresServer {
  /** The throwaway CA that signed the server's certificate (PEM file). */
  caFile: string;
  /** Another CA, which signed nothing this server presents. */
  wrongCaFile: string;
  /** The name in the certificate (it resolves to 127.0.0.1); "127.0.0.1" itself is not in it. */
  certifiedHost: 'localhost';
}

/**
 * A separate fixture (not part of the default harness): Postgres with TLS on and every TCP
 * connection required to use it (hostssl only, unless asked otherwise), its certificate signed
 * by a CA made at start.
 */
export async function startTlsPostgres(options: { tcp?: 'hostssl' | 'hostnossl' } = {}): Promise<TlsPostgresServer> {
  const certDir = makeTempDir('pg-tls');
  const files = makeCertificates(certDir);
  const server = await startPostgres({
    config: ['ssl = on', `ssl_cert_file = '${files.cert}'`, `ssl_key_file = '${files.key}'`],
  });
  // hostssl (default): a client that does not encrypt is refused by the server itself;
  // hostnossl: TLS is offered, but pg_hba.conf lets only plain connections in.
  const hba = join(server.dataDir, 'pg_hba.conf');
  const rules = readFileSync(hba, 'utf8').replace(/^host(\s)/gm, `${options.tcp ?? 'hostssl'}$1`);
  writeFileSync(hba, rules);
  run(join(postgresBinDir(), 'pg_ctl'), ['-D', server.dataDir, 'reload'], { asUser: isRoot ? 'postgres' : undefined });
  await new Promise((resolve) => setTimeout(resolve, 300));
  return {
    ...server,
    caFile: files.ca,
    wrongCaFile: files.wrongCa,
    certifiedHost: 'localhost',
    async stop() {
      try {
        await server.stop();
      } finally {
        removeDir(certDir);
      }
    },
  };
}

function makeCertificates(dir: string): { ca: string; wrongCa: string; cert: string; key: string } {
  const path = (name: string) => join(dir, name);
  const selfSigned = (name: string, subject: string) =>
    run('openssl', [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '2',
      '-subj',
      subject,
      '-keyout',
      path(`${name}.key`),
      '-out',
      path(`${name}.crt`),
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ]);
  selfSigned('ca', '/CN=Ops Console test CA');
  selfSigned('wrong-ca', '/CN=Some other CA');
  run('openssl', [
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    '/CN=localhost',
    '-keyout',
    path('server.key'),
    '-out',
    path('server.csr'),
  ]);
  writeFileSync(path('server.ext'), 'subjectAltName=DNS:localhost\nextendedKeyUsage=serverAuth\n');
  run('openssl', [
    'x509',
    '-req',
    '-in',
    path('server.csr'),
    '-CA',
    path('ca.crt'),
    '-CAkey',
    path('ca.key'),
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    path('server.ext'),
    '-out',
    path('server.crt'),
  ]);
  // Postgres refuses a key others can read; under root the server runs as "postgres".
  chmodSync(path('server.key'), 0o600);
  if (isRoot) {
    const [uid, gid] = [Number(run('id', ['-u', 'postgres'])), Number(run('id', ['-g', 'postgres']))];
    for (const file of ['server.key', 'server.crt']) chownSync(path(file), uid, gid);
  }
  return { ca: path('ca.crt'), wrongCa: path('wrong-ca.crt'), cert: path('server.crt'), key: path('server.key') };
}
