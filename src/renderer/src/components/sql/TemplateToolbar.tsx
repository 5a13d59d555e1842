import { useApp } from '../../store';

/** Free SQL or a stored template, and the template editor's New / Edit. */
export function TemplateToolbar({ profileId, templateName }: { profileId: string; templateName?: string }) {
  const templates = useApp((s) => s.templates);
  const { templatePicked, templateEditorOpened } = useApp.getState();
  const template = templates.find((t) => t.name === templateName);
  return (
    <div className="sql-toolbar">
      <label htmlFor={`template-picker-${profileId}`}>Template</label>
      <select
        id={`template-picker-${profileId}`}
        value={templateName ?? ''}
        onChange={(e) => templatePicked(profileId, e.target.value || undefined)}
        data-testid="template-picker"
      >
        <option value="">Free SQL</option>
        {templates.map((t) => (
          <option key={t.id} value={t.name}>
            {t.name}
          </option>
        ))}
      </select>
      <button type="button" onClick={() => templateEditorOpened()} data-testid="template-new">
        New template
      </button>
      {template && (
        <button type="button" onClick={() => templateEditorOpened(template.name)} data-testid="template-edit">
          Edit template
        </button>
      )}
    </div>
  );
}
