import { pgSslModes, type PgSslMode } from '../../../../shared/profile';
import { SelectField, TextField } from './fields';

/** Each mode as libpq documents it, saying plainly what is and is not checked. */
const modeLabels: Record<PgSslMode, string> = {
  disable: 'disable: never encrypted',
  prefer: 'prefer: TLS when the server offers it, server not verified',
  require: 'require: always TLS, server not verified',
  'verify-ca': 'verify-ca: TLS, certificate signed by the CA',
  'verify-full': 'verify-full: TLS, CA and host name checked',
};

/** sslmode and CA file; modes that do not authenticate the server say so under the choice. */
export function PgTlsFields(props: {
  sslmode: string;
  sslCa: string;
  onChange: (change: { pgSslmode?: string; pgSslCa?: string }) => void;
  caError?: string;
}) {
  const mode = props.sslmode as PgSslMode;
  const verifies = mode === 'verify-ca' || mode === 'verify-full' || (mode === 'require' && props.sslCa.trim() !== '');
  return (
    <>
      <SelectField
        label="SSL mode"
        value={mode}
        options={pgSslModes.map((m) => ({ value: m, label: modeLabels[m] }))}
        onChange={(pgSslmode) => props.onChange({ pgSslmode })}
        testId="profile-pgSslmode"
      />
      {!verifies && (
        <small className="field-warning" data-testid="profile-pgSslmode-warning">
          {mode === 'disable'
            ? 'Passwords and rows cross the network in clear text.'
            : 'The server is not authenticated: anyone on the path can pose as it. Use verify-full with the CA file.'}
        </small>
      )}
      <TextField
        label="CA certificate file (PEM; empty: the system's CAs)"
        value={props.sslCa}
        onChange={(pgSslCa) => props.onChange({ pgSslCa })}
        error={props.caError}
        testId="profile-pgSslCa"
        placeholder="/etc/ssl/certs/db-ca.pem"
      />
    </>
  );
}
