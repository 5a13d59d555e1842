import { useState } from 'react';
import type { ProfileSavePreview } from '../../../../shared/contract/profile-edit';
import { ChangesTable } from './ChangesTable';

/**
 * Before an edit that moves the route or touches safety is saved: the same diff the import shows,
 * the stored secrets the new route drops, and, for a downgrade, an explicit acknowledgement.
 */
export function SavePreview({
  name,
  preview,
  onSave,
  onBack,
}: {
  name: string;
  preview: ProfileSavePreview;
  onSave: () => void;
  onBack: () => void;
}) {
  const [acknowledged, setAcknowledged] = useState(false);
  const downgrade = preview.downgrades.length > 0;
  return (
    <section className="import-preview" aria-label="What saving would change" data-testid="save-preview">
      <h3>Saving changes {name}</h3>
      <ChangesTable changes={preview.changes} afterLabel="After saving" />
      {preview.secretsDropped.length > 0 && (
        <p className="hint" data-testid="save-preview-secrets">
          The route changes, so the stored secrets {preview.secretsDropped.join(', ')} will be dropped: they would go
          somewhere new. You will be asked for them again.
        </p>
      )}
      {downgrade && (
        <label className="field-danger">
          <input
            type="checkbox"
            checked={acknowledged}
            onChange={(e) => setAcknowledged(e.target.checked)}
            data-testid="save-preview-acknowledge"
          />{' '}
          I mean to lower the safety of {name}: {preview.downgrades.length} change
          {preview.downgrades.length === 1 ? '' : 's'} marked above.
        </label>
      )}
      <div className="actions">
        {downgrade ? (
          <button
            type="button"
            className="danger"
            disabled={!acknowledged}
            onClick={onSave}
            data-testid="save-preview-downgrade"
          >
            Save and lower safety
          </button>
        ) : (
          <button type="button" className="primary" onClick={onSave} data-testid="save-preview-confirm">
            Save
          </button>
        )}
        <button type="button" onClick={onBack} data-testid="save-preview-back">
          Back to the form
        </button>
      </div>
    </section>
  );
}
