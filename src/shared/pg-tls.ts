import type { PgSslMode } from './profile';

/** What a Postgres connection actually got, as opposed to what its sslmode asked for. */
export interface PgTlsState {
  sslmode: PgSslMode;
  encrypted: boolean;
  /** e.g. TLSv1.3, when encrypted. */
  protocol?: string;
  /** none: encrypted but anyone could be on the other end; ca: signed by the CA; full: and issued for this host name. */
  verified: 'none' | 'ca' | 'full';
}

/** One line for the connection panel and `profiles test`. */
export function describePgTls(state: PgTlsState): string {
  if (!state.encrypted) {
    return state.sslmode === 'disable'
      ? 'not encrypted (sslmode disable)'
      : `not encrypted: the server does not offer TLS (sslmode ${state.sslmode} fell back)`;
  }
  const checked = {
    none: 'certificate not verified: encrypted, but the server is not authenticated',
    ca: 'certificate verified against the CA (host name not checked)',
    full: 'certificate verified against the CA and the host name',
  }[state.verified];
  return `TLS${state.protocol ? ` (${state.protocol})` : ''}, ${checked} (sslmode ${state.sslmode})`;
}
