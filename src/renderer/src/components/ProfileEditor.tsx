import { useMemo, useState } from 'react';
import { environmentKinds, profileInputSchema, type ProfileInput, type ProfileView } from '../../../shared/profile';
import { useApp } from '../store';

interface Draft {
  name: string;
  environment: string;
  sshEnabled: boolean;
  sshHost: string;
  sshPort: string;
  sshUser: string;
  sshAuth: 'agent' | 'key' | 'password';
  sshKeyPath: string;
  sshSecret: string;
  pgEnabled: boolean;
  pgHost: string;
  pgPort: string;
  pgDatabase: string;
  pgUser: string;
  pgPassword: string;
}

function draftOf(profile?: ProfileView): Draft {
  return {
    name: profile?.name ?? '',
    environment: profile?.environment ?? 'development',
    sshEnabled: profile ? Boolean(profile.ssh) : true,
    sshHost: profile?.ssh?.host ?? '',
    sshPort: String(profile?.ssh?.port ?? 22),
    sshUser: profile?.ssh?.user ?? '',
    sshAuth: profile?.ssh?.auth ?? 'key',
    sshKeyPath: profile?.ssh?.keyPath ?? '',
    sshSecret: '',
    pgEnabled: profile ? Boolean(profile.postgres) : true,
    pgHost: profile?.postgres?.host ?? '127.0.0.1',
    pgPort: String(profile?.postgres?.port ?? 5432),
    pgDatabase: profile?.postgres?.database ?? '',
    pgUser: profile?.postgres?.user ?? '',
    pgPassword: '',
  };
}

const toPort = (text: string) => (text.trim() === '' ? Number.NaN : Number(text));

/** Builds the contract input; secrets left blank keep what is stored. */
function inputOf(draft: Draft, existing?: ProfileView): ProfileInput {
  const secrets: NonNullable<ProfileInput['secrets']> = {};
  if (draft.pgEnabled && draft.pgPassword) secrets.pgPassword = { set: draft.pgPassword };
  if (draft.sshEnabled && draft.sshSecret) secrets[draft.sshAuth === 'password' ? 'sshPassword' : 'sshPassphrase'] = { set: draft.sshSecret };
  return {
    name: draft.name,
    environment: draft.environment as ProfileInput['environment'],
    tags: existing?.tags ?? [],
    notes: existing?.notes ?? '',
    ssh: draft.sshEnabled
      ? { host: draft.sshHost, port: toPort(draft.sshPort), user: draft.sshUser, auth: draft.sshAuth, keyPath: draft.sshAuth === 'key' ? draft.sshKeyPath : undefined, jumps: existing?.ssh?.jumps ?? [] }
      : undefined,
    postgres: draft.pgEnabled
      ? { ...existing?.postgres, host: draft.pgHost, port: toPort(draft.pgPort), database: draft.pgDatabase, user: draft.pgUser }
      : undefined,
    redis: existing?.redis,
    secrets,
  };
}

/** Field path → message, from the same zod schema the core uses. */
function validate(input: ProfileInput): Record<string, string> {
  const parsed = profileInputSchema.safeParse(input);
  if (parsed.success) return {};
  return Object.fromEntries(parsed.error.issues.map((i) => [i.path.join('.'), i.message]));
}

export function ProfileEditor({ profile }: { profile?: ProfileView }) {
  const [draft, setDraft] = useState<Draft>(() => draftOf(profile));
  const [touched, setTouched] = useState(false);
  const [serverError, setServerError] = useState<string>();
  const profileSubmitted = useApp((s) => s.profileSubmitted);
  const editorOpened = useApp((s) => s.editorOpened);
  const input = useMemo(() => inputOf(draft, profile), [draft, profile]);
  const errors = useMemo(() => validate(input), [input]);
  const update = (change: Partial<Draft>) => setDraft((d) => ({ ...d, ...change }));

  const field = (label: string, key: keyof Draft, path: string, props: React.InputHTMLAttributes<HTMLInputElement> = {}) => (
    <label className="field">
      <span>{label}</span>
      <input
        value={String(draft[key])}
        onChange={(e) => update({ [key]: e.target.value } as Partial<Draft>)}
        aria-invalid={touched && Boolean(errors[path])}
        data-testid={`profile-${key}`}
        {...props}
      />
      {touched && errors[path] && <small className="field-error" role="alert">{errors[path]}</small>}
    </label>
  );

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (Object.keys(errors).length) return;
    setServerError(await profileSubmitted(input, profile?.id));
  };

  return (
    <form className="editor" onSubmit={submit} aria-label="Profile editor" noValidate>
      <h2>{profile ? `Edit ${profile.name}` : 'New profile'}</h2>
      <fieldset>
        <legend>General</legend>
        {field('Name', 'name', 'name', { autoFocus: true, placeholder: 'prod-eu' })}
        <label className="field">
          <span>Environment</span>
          <select value={draft.environment} onChange={(e) => update({ environment: e.target.value })} data-testid="profile-environment">
            {environmentKinds.map((kind) => (
              <option key={kind} value={kind}>{kind}</option>
            ))}
          </select>
        </label>
      </fieldset>
      <fieldset>
        <legend>
          <label><input type="checkbox" checked={draft.sshEnabled} onChange={(e) => update({ sshEnabled: e.target.checked })} /> SSH</label>
        </legend>
        {draft.sshEnabled && (
          <>
            {field('Host', 'sshHost', 'ssh.host', { placeholder: 'bastion.example.com' })}
            {field('Port', 'sshPort', 'ssh.port', { inputMode: 'numeric' })}
            {field('User', 'sshUser', 'ssh.user')}
            <label className="field">
              <span>Authentication</span>
              <select value={draft.sshAuth} onChange={(e) => update({ sshAuth: e.target.value as Draft['sshAuth'] })} data-testid="profile-sshAuth">
                <option value="agent">ssh-agent</option>
                <option value="key">Key file</option>
                <option value="password">Password</option>
              </select>
            </label>
            {draft.sshAuth === 'key' && field('Key file', 'sshKeyPath', 'ssh.keyPath', { placeholder: '~/.ssh/id_ed25519' })}
            {draft.sshAuth !== 'agent' &&
              field(draft.sshAuth === 'password' ? 'Password' : 'Key passphrase (optional)', 'sshSecret', '', {
                type: 'password',
                autoComplete: 'off',
                placeholder: (draft.sshAuth === 'password' ? profile?.secrets.sshPassword : profile?.secrets.sshPassphrase) ? 'stored — type to replace' : '',
              })}
          </>
        )}
      </fieldset>
      <fieldset>
        <legend>
          <label><input type="checkbox" checked={draft.pgEnabled} onChange={(e) => update({ pgEnabled: e.target.checked })} /> Postgres</label>
        </legend>
        {draft.pgEnabled && (
          <>
            {field('Host (as seen from the bastion)', 'pgHost', 'postgres.host')}
            {field('Port', 'pgPort', 'postgres.port', { inputMode: 'numeric' })}
            {field('Database', 'pgDatabase', 'postgres.database')}
            {field('User', 'pgUser', 'postgres.user')}
            {field('Password', 'pgPassword', '', { type: 'password', autoComplete: 'off', placeholder: profile?.secrets.pgPassword ? 'stored — type to replace' : '' })}
          </>
        )}
      </fieldset>
      {serverError && <p className="form-error" role="alert" data-testid="profile-save-error">{serverError}</p>}
      <div className="actions">
        <button type="submit" className="primary" data-testid="profile-save">Save profile</button>
        <button type="button" onClick={() => editorOpened({ mode: 'closed' })}>Cancel</button>
      </div>
    </form>
  );
}
