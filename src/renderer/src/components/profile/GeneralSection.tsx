import { environmentKinds, safetyLevels } from '../../../../shared/profile';
import { SelectField } from './fields';
import type { SectionProps } from './section-props';

const safetyLabels = {
  standard: 'Standard: writes after preview and confirmation',
  production: 'Production: type the profile name to write',
  'read-only': 'Read-only: no writes at all',
} as const;

/** Name, environment and safety, who may read it, tags and notes. */
export function GeneralSection({ draft, update, errors, text }: SectionProps) {
  return (
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
  );
}
