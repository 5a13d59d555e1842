import type { HopDraft } from './profile-draft';
import { SelectField, TextField } from './fields';

const authOptions = [
  { value: 'agent', label: 'ssh-agent' },
  { value: 'key', label: 'Key file' },
  { value: 'password', label: 'Password' },
] as const;

/** Host, port, user and auth of one SSH hop (the target or a ProxyJump hop). */
export function HopFields({
  hop,
  onChange,
  errors,
  path,
  testPrefix,
  secretStored,
}: {
  hop: HopDraft;
  onChange: (change: Partial<HopDraft>) => void;
  errors: Record<string, string>;
  /** Path of this hop in the profile input ("ssh" or "ssh.jumps.0"). */
  path: string;
  testPrefix: string;
  secretStored: boolean;
}) {
  return (
    <>
      <TextField
        label="Host"
        value={hop.host}
        onChange={(host) => onChange({ host })}
        error={errors[`${path}.host`]}
        testId={`${testPrefix}Host`}
        placeholder="bastion.example.com"
      />
      <TextField
        label="Port"
        value={hop.port}
        onChange={(port) => onChange({ port })}
        error={errors[`${path}.port`]}
        testId={`${testPrefix}Port`}
        inputMode="numeric"
      />
      <TextField
        label="User"
        value={hop.user}
        onChange={(user) => onChange({ user })}
        error={errors[`${path}.user`]}
        testId={`${testPrefix}User`}
      />
      <SelectField
        label="Authentication"
        value={hop.auth}
        options={authOptions}
        onChange={(auth) => onChange({ auth })}
        testId={`${testPrefix}Auth`}
      />
      {hop.auth === 'key' && (
        <TextField
          label="Key file"
          value={hop.keyPath}
          onChange={(keyPath) => onChange({ keyPath })}
          error={errors[`${path}.keyPath`]}
          testId={`${testPrefix}KeyPath`}
          placeholder="~/.ssh/id_ed25519"
        />
      )}
      {hop.auth !== 'agent' && (
        <TextField
          label={hop.auth === 'password' ? 'Password' : 'Key passphrase (optional)'}
          type="password"
          value={hop.secret}
          onChange={(secret) => onChange({ secret })}
          testId={`${testPrefix}Secret`}
          placeholder={secretStored ? 'stored — type to replace' : ''}
        />
      )}
    </>
  );
}
