import { ToggleSection } from './fields';
import { PgTlsFields } from './PgTlsFields';
import type { SectionProps } from './section-props';

/** The profile's Postgres: where, who (a read user for reads), TLS, limits, masking and legacy auth. */
export function PostgresSection({ draft, update, errors, profile, text }: SectionProps) {
  return (
    <ToggleSection label="Postgres" flag="pgEnabled" draft={draft} update={update}>
      {text('Host (as seen from the last hop)', 'pgHost', 'postgres.host')}
      {text('Port', 'pgPort', 'postgres.port')}
      {text('Database', 'pgDatabase', 'postgres.database')}
      {text('User', 'pgUser', 'postgres.user')}
      {text('Password', 'pgPassword', '', {
        type: 'password',
        placeholder: profile?.secrets.pgPassword ? 'stored — type to replace' : '',
      })}
      {text('Read user (optional: reads run as it)', 'pgReadUser', 'postgres.readUser')}
      {draft.pgReadUser.trim() &&
        text('Read user password', 'pgReadPassword', '', {
          type: 'password',
          placeholder: profile?.secrets.pgReadPassword ? 'stored — type to replace' : '',
        })}
      <PgTlsFields
        sslmode={draft.pgSslmode}
        sslCa={draft.pgSslCa}
        onChange={update}
        caError={errors['postgres.sslCa']}
      />
      {text('Statement timeout (ms)', 'pgStatementTimeoutMs', 'postgres.statementTimeoutMs')}
      {text('Row cap', 'pgRowCap', 'postgres.rowCap')}
      {text(
        'Masked columns (comma separated; empty: password, secret, token, email, phone, ssn, card, iban, address)',
        'maskPatterns',
        'maskPatterns',
      )}
      <label className="check">
        <input
          type="checkbox"
          checked={draft.rehearsalSample}
          onChange={(e) => update({ rehearsalSample: e.target.checked })}
          data-testid="profile-rehearsalSample"
        />
        Rehearsals may copy a masked sample of the rows a write touches (off: synthetic rows only)
      </label>
      <label className={draft.pgLegacyPasswordAuth ? 'legacy-auth on' : 'legacy-auth'}>
        <input
          type="checkbox"
          checked={draft.pgLegacyPasswordAuth}
          onChange={(e) => update({ pgLegacyPasswordAuth: e.target.checked })}
          data-testid="profile-pgLegacyPasswordAuth"
        />{' '}
        Legacy password auth: answer cleartext or MD5 password requests (anyone on the route can read or replay them;
        only for old servers you trust)
      </label>
    </ToggleSection>
  );
}
