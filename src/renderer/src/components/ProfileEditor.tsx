import { useEffect, useMemo, useState } from 'react';
import { environmentKinds, jumpSecretName, safetyLevels, type ProfileView } from '../../../shared/profile';
import { useApp } from '../store';
import { SelectField, TextField } from './profile/fields';
import { HopFields } from './profile/HopFields';
import { PgTlsFields } from './profile/PgTlsFields';
import { SavePreview } from './profile/SavePreview';
import { ConnectionTest } from './profile/ConnectionTest';
import type { ProfileSavePreview } from '../../../shared/contract/profile-edit';
import { draftOf, emptyHop, inputOf, validate, type HopDraft, type ProfileDraft } from './profile/profile-draft';

const safetyLabels = {
  standard: 'Standard: writes after preview and confirmation',
  production: 'Production: type the profile name to write',
  'read-only': 'Read-only: no writes at all',
} as const;

/** Every field of a profile, validated inline with the core's own schema; secrets never shown. */
export function ProfileEditor({ profile }: { profile?: ProfileView }) {
  const settings = useApp((s) => s.settings);
  const [draft, setDraft] = useState<ProfileDraft>(() =>
    draftOf(profile, { rowCap: settings.defaultRowCap, statementTimeoutMs: settings.defaultStatementTimeoutMs }),
  );
  const [touched, setTouched] = useState(false);
  const [serverError, setServerError] = useState<string>();
  const [preview, setPreview] = useState<ProfileSavePreview>();
  const profileSubmitted = useApp((s) => s.profileSubmitted);
  const profileSavePreviewed = useApp((s) => s.profileSavePreviewed);
  const editorOpened = useApp((s) => s.editorOpened);
  const draftTestRequested = useApp((s) => s.draftTestRequested);
  const connectionTestCleared = useApp((s) => s.connectionTestCleared);
  const testKey = `draft:${profile?.id ?? 'new'}`;
  useEffect(() => connectionTestCleared(testKey), [connectionTestCleared, testKey]); // a result from an earlier draft describes another form
  const input = useMemo(() => inputOf(draft, profile), [draft, profile]);
  const allErrors = useMemo(() => validate(input), [input]);
  const errors = touched ? allErrors : {};
  const update = (change: Partial<ProfileDraft>) => {
    setPreview(undefined); // the preview and the test result described the draft before this change
    connectionTestCleared(testKey);
    setDraft((d) => ({ ...d, ...change }));
  };
  const text = (
    label: string,
    key: keyof ProfileDraft,
    path: string,
    extra: { type?: string; placeholder?: string; autoFocus?: boolean } = {},
  ) => (
    <TextField
      label={label}
      value={String(draft[key])}
      onChange={(v) => update({ [key]: v } as Partial<ProfileDraft>)}
      error={errors[path]}
      testId={`profile-${key}`}
      {...extra}
    />
  );
  const setJump = (index: number, change: Partial<HopDraft>) =>
    update({ jumps: draft.jumps.map((h, i) => (i === index ? { ...h, ...change } : h)) });

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (Object.keys(allErrors).length) return;
    // An edit that moves the route or touches safety is shown, field by field, and asked first.
    const asked = profile && (await profileSavePreviewed(profile.id, input));
    if (typeof asked === 'string') return setServerError(asked);
    if (asked) return setPreview(asked);
    setServerError(await profileSubmitted(input, profile?.id));
  };
  const generalError = touched ? allErrors[''] : undefined;
  // Tests what the form holds now, unsaved; an invalid draft shows its field errors instead.
  const testDraft = () => {
    setTouched(true);
    if (!Object.keys(allErrors).length) void draftTestRequested(profile?.id, input);
  };

  return (
    <form className="editor" onSubmit={submit} aria-label="Profile editor" noValidate>
      <h2>{profile ? `Edit ${profile.name}` : 'New profile'}</h2>
      <fieldset>
        <legend>General</legend>
        {text('Name (typed to confirm production writes)', 'name', 'name', { autoFocus: true, placeholder: 'prod-eu' })}
        <SelectField
          label="Environment"
          value={draft.environment}
          options={environmentKinds.map((k) => ({ value: k, label: k }))}
          onChange={(environment) => update({ environment, safety: '' })}
          testId="profile-environment"
        />
        <SelectField
          label="Safety"
          value={draft.safety}
          options={[
            { value: '', label: 'Default for the environment' },
            ...safetyLevels.map((s) => ({ value: s, label: safetyLabels[s] })),
          ]}
          onChange={(safety) => update({ safety })}
          testId="profile-safety"
          error={errors.safety}
        />
        <label className={draft.allowAssistants && draft.environment === 'production' ? 'field-danger' : undefined}>
          <input
            type="checkbox"
            checked={draft.allowAssistants}
            onChange={(e) => update({ allowAssistants: e.target.checked })}
            data-testid="profile-allowAssistants"
          />{' '}
          Allow AI assistants to read it (opsconsole mcp; changes only as proposals)
          {draft.environment === 'production' ? ' — a production profile' : ''}
        </label>
        {text('Tags (comma separated)', 'tags', 'tags')}
        <label className="field">
          <span>Notes</span>
          <textarea
            rows={2}
            value={draft.notes}
            onChange={(e) => update({ notes: e.target.value })}
            data-testid="profile-notes"
          />
        </label>
      </fieldset>
      <fieldset>
        <legend>
          <label>
            <input
              type="checkbox"
              checked={draft.sshEnabled}
              onChange={(e) => update({ sshEnabled: e.target.checked })}
              data-testid="profile-sshEnabled"
            />{' '}
            SSH
          </label>
        </legend>
        {draft.sshEnabled && (
          <>
            <HopFields
              hop={draft.ssh}
              onChange={(c) => update({ ssh: { ...draft.ssh, ...c } })}
              errors={errors}
              path="ssh"
              testPrefix="profile-ssh"
              secretStored={Boolean(
                draft.ssh.auth === 'password' ? profile?.secrets.sshPassword : profile?.secrets.sshPassphrase,
              )}
            />
            {draft.jumps.map((hop, i) => (
              <fieldset key={i} className="hop">
                <legend>
                  ProxyJump hop {i + 1} (reached {i === 0 ? 'first' : `through hop ${i}`})
                </legend>
                <HopFields
                  hop={hop}
                  onChange={(c) => setJump(i, c)}
                  errors={errors}
                  path={`ssh.jumps.${i}`}
                  testPrefix={`profile-jump${i + 1}`}
                  secretStored={Boolean(
                    profile?.secrets[jumpSecretName(i, hop.auth === 'password' ? 'Password' : 'Passphrase')],
                  )}
                />
                <button type="button" onClick={() => update({ jumps: draft.jumps.filter((_, j) => j !== i) })}>
                  Remove hop {i + 1}
                </button>
              </fieldset>
            ))}
            {errors['ssh.jumps'] && (
              <small className="field-error" role="alert">
                {errors['ssh.jumps']}
              </small>
            )}
            <button
              type="button"
              onClick={() => update({ jumps: [...draft.jumps, { ...emptyHop }] })}
              data-testid="profile-add-jump"
            >
              + ProxyJump hop
            </button>
            <label className={draft.sshLegacyAlgorithms ? 'field-danger' : undefined}>
              <input
                type="checkbox"
                checked={draft.sshLegacyAlgorithms}
                onChange={(e) => update({ sshLegacyAlgorithms: e.target.checked })}
                data-testid="profile-sshLegacyAlgorithms"
              />{' '}
              Legacy algorithms: also accept ssh-rsa (SHA-1) host keys and hmac-sha1 (old servers only; weaker)
            </label>
          </>
        )}
      </fieldset>
      <fieldset>
        <legend>
          <label>
            <input
              type="checkbox"
              checked={draft.pgEnabled}
              onChange={(e) => update({ pgEnabled: e.target.checked })}
              data-testid="profile-pgEnabled"
            />{' '}
            Postgres
          </label>
        </legend>
        {draft.pgEnabled && (
          <>
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
              Legacy password auth: answer cleartext or MD5 password requests (anyone on the route can read or replay
              them; only for old servers you trust)
            </label>
          </>
        )}
      </fieldset>
      <fieldset>
        <legend>
          <label>
            <input
              type="checkbox"
              checked={draft.redisEnabled}
              onChange={(e) => update({ redisEnabled: e.target.checked })}
              data-testid="profile-redisEnabled"
            />{' '}
            Redis
          </label>
        </legend>
        {draft.redisEnabled && (
          <>
            {text('Host (as seen from the last hop)', 'redisHost', 'redis.host')}
            {text('Port', 'redisPort', 'redis.port')}
            {text('Database number', 'redisDb', 'redis.db')}
            {text('ACL user (optional)', 'redisUsername', 'redis.username')}
            {text('Password', 'redisPassword', '', {
              type: 'password',
              placeholder: profile?.secrets.redisPassword ? 'stored — type to replace' : '',
            })}
            <label>
              <input
                type="checkbox"
                checked={draft.redisTls}
                onChange={(e) => update({ redisTls: e.target.checked })}
              />{' '}
              TLS
            </label>
          </>
        )}
      </fieldset>
      <ConnectionTest profileId={testKey} run={testDraft} />
      {generalError && (
        <p className="form-error" role="alert">
          {generalError}
        </p>
      )}
      {serverError && (
        <p className="form-error" role="alert" data-testid="profile-save-error">
          {serverError}
        </p>
      )}
      {preview && profile ? (
        <SavePreview
          name={profile.name}
          preview={preview}
          onBack={() => setPreview(undefined)}
          onSave={async () => setServerError(await profileSubmitted(input, profile.id))}
        />
      ) : (
        <div className="actions">
          <button type="submit" className="primary" data-testid="profile-save">
            Save profile
          </button>
          <button type="button" onClick={() => editorOpened({ mode: 'closed' })}>
            Cancel
          </button>
        </div>
      )}
    </form>
  );
}
