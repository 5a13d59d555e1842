import type { Db } from './database';

export interface TrustedHostKey {
  host: string;
  port: number;
  keyType: string;
  keyBase64: string;
  fingerprint: string;
  trustedAt: string;
}

/** Host keys the operator accepted in the app (the app's own known_hosts). */
export class TrustedHostKeyRepository {
  private readonly statements;

  constructor(db: Db) {
    this.statements = {
      forHost: db.prepare<[string, number], TrustedHostKey>(
        'SELECT host, port, key_type AS keyType, key_base64 AS keyBase64, fingerprint, trusted_at AS trustedAt FROM trusted_host_keys WHERE host = ? AND port = ?',
      ),
      all: db.prepare<[], TrustedHostKey>(
        'SELECT host, port, key_type AS keyType, key_base64 AS keyBase64, fingerprint, trusted_at AS trustedAt FROM trusted_host_keys ORDER BY host, port',
      ),
      trust: db.prepare(
        'INSERT INTO trusted_host_keys (host, port, key_type, key_base64, fingerprint, trusted_at) VALUES (@host, @port, @keyType, @keyBase64, @fingerprint, @trustedAt) ON CONFLICT (host, port, key_type) DO UPDATE SET key_base64 = excluded.key_base64, fingerprint = excluded.fingerprint, trusted_at = excluded.trusted_at',
      ),
      forget: db.prepare('DELETE FROM trusted_host_keys WHERE host = ? AND port = ? AND key_type = ?'),
    };
  }

  forHost(host: string, port: number): TrustedHostKey[] {
    return this.statements.forHost.all(host, port);
  }

  list(): TrustedHostKey[] {
    return this.statements.all.all();
  }

  trust(entry: TrustedHostKey): void {
    this.statements.trust.run(entry);
  }

  forget(host: string, port: number, keyType: string): boolean {
    return this.statements.forget.run(host, port, keyType).changes > 0;
  }
}
