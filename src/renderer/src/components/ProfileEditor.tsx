import { useEffect, useMemo, useState } from 'react';
import type { ProfileInput, ProfileView } from '../../../shared/profile';
import { describeChange, newProfileDowngrades } from '../../../shared/profile-diff';
import { useApp } from '../store';
import { TextField } from './profile/fields';
import { GeneralSection } from './profile/GeneralSection';
import { PostgresSection } from './profile/PostgresSection';
import { RedisSection } from './profile/RedisSection';
import type { SectionProps, TextFieldOf } from './profile/section-props';
import { SshSection } from './profile/SshSection';
import { SavePreview } from './profile/SavePreview';
import { ConnectionTest } from './profile/ConnectionTest';
import type { ProfileSavePreview } from '../../../shared/contract/profile-edit';
import { draftOf, inputOf, validate, type ProfileDraft } from './profile/profile-draft';

/**
 * A new production profile less safe than the defaults (assistants allowed, row samples, fewer
 * masks, legacy algorithms or password auth) is shown and asked first, as an edit's downgrades
 * are: the core refuses it otherwise.
 */
function newProfilePreview(input: ProfileInput): ProfileSavePreview | undefined {
  const changes = newProfileDowngrades(input);
  return changes.length ? { changes, secretsDropped: [], downgrades: changes.map(describeChange) } : undefined;
}

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
  const text: TextFieldOf = (label, key, path, extra = {}) => (
    <TextField
      label={label}
      value={String(draft[key])}
      onChange={(v) => update({ [key]: v } as Partial<ProfileDraft>)}
      error={errors[path]}
      testId={`profile-${key}`}
      {...extra}
    />
  );
  /** What saving the form needs shown first (an edit: the core's preview; a new profile: its downgrades), or the error. */
  const previewOf = async () => (profile ? profileSavePreviewed(profile.id, input) : newProfilePreview(input));
  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (Object.keys(allErrors).length) return;
    // An edit that moves the route or touches safety, or a new production profile less safe than the
    // defaults, is shown field by field and asked first.
    const asked = await previewOf();
    if (typeof asked === 'string') return setServerError(asked);
    if (asked) return setPreview(asked);
    setServerError(await profileSubmitted(input, profile));
  };
  const section: SectionProps = { draft, update, errors, profile, text };
  const generalError = touched ? allErrors[''] : undefined;
  // Tests what the form holds now, unsaved; an invalid draft shows its field errors instead.
  const testDraft = () => {
    setTouched(true);
    if (!Object.keys(allErrors).length) void draftTestRequested(profile?.id, input);
  };

  return (
    <form className="editor" onSubmit={submit} aria-label="Profile editor" noValidate>
      <h2>{profile ? `Edit ${profile.name}` : 'New profile'}</h2>
      <GeneralSection {...section} />
      <SshSection {...section} />
      <PostgresSection {...section} />
      <RedisSection {...section} />
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
      {preview ? (
        <SavePreview
          // A preview replaced by one with other downgrades asks again: a tick given for the first
          // list must not carry over to the second.
          key={JSON.stringify(preview.downgrades)}
          name={profile?.name ?? input.name}
          preview={preview}
          onBack={() => setPreview(undefined)}
          onSave={async () => {
            // The downgrades allowed are the ones on screen: an edit made meanwhile is shown first.
            const now = await previewOf();
            if (typeof now === 'string') return setServerError(now);
            if (JSON.stringify(now?.downgrades ?? []) !== JSON.stringify(preview.downgrades)) return setPreview(now);
            setServerError(await profileSubmitted(input, profile, preview.downgrades.length > 0));
          }}
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
