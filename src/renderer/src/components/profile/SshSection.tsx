import { ToggleSection } from './fields';
import { jumpSecretName } from '../../../../shared/profile';
import { HopFields } from './HopFields';
import { emptyHop, type HopDraft } from './profile-draft';
import type { SectionProps } from './section-props';

/** The SSH route: the host, its ProxyJump hops (reached in order), and the legacy algorithms switch. */
export function SshSection({ draft, update, errors, profile }: SectionProps) {
  const setJump = (index: number, change: Partial<HopDraft>) =>
    update({ jumps: draft.jumps.map((h, i) => (i === index ? { ...h, ...change } : h)) });
  return (
    <ToggleSection label="SSH" flag="sshEnabled" draft={draft} update={update}>
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
    </ToggleSection>
  );
}
