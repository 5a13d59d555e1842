import type { ImportReport } from '../../../../shared/profile';
import { ChangesTable } from './ChangesTable';

/**
 * What an import would change in the profiles it replaces, field by field, before anything is
 * written: a shared file must not quietly move a production profile or its stored passwords.
 */
export function ImportPreview({
  report,
  onImport,
  onCancel,
}: {
  report: ImportReport;
  onImport: (allowDowngrade: boolean) => void;
  onCancel: () => void;
}) {
  const downgrades = report.downgrades.length > 0;
  return (
    <section className="import-preview" aria-label="What the import would change" data-testid="import-preview">
      <p className="hint">
        {report.created.length + report.renamed.length} new, {report.replaced.length} replaced, {report.skipped.length}{' '}
        skipped.
      </p>
      {report.replaced.map((profile) => (
        <div key={profile.name} data-testid="import-preview-profile">
          <h4>Replaces {profile.name}</h4>
          <ChangesTable changes={profile.changes} afterLabel="After import" />
          {profile.secretsDropped.length > 0 && (
            <p className="hint">
              Stored secrets dropped, since they would go somewhere new: {profile.secretsDropped.join(', ')}. You will
              be asked for them again.
            </p>
          )}
        </div>
      ))}
      {(report.permissive ?? []).map((profile) => (
        <div key={profile.name} data-testid="import-preview-permissive">
          <h4>
            New {profile.name} ({profile.environment}) comes with settings less safe than the defaults
          </h4>
          <ChangesTable changes={profile.changes} afterLabel="In the file" />
        </div>
      ))}
      <div className="actions">
        {downgrades ? (
          <button className="danger" onClick={() => onImport(true)} data-testid="import-accept-downgrade">
            Import and lower safety
          </button>
        ) : (
          <button className="primary" onClick={() => onImport(false)} data-testid="import-confirm">
            Import
          </button>
        )}
        <button onClick={onCancel} data-testid="import-cancel">
          Cancel
        </button>
      </div>
    </section>
  );
}
