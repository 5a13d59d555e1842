import { templateParamTypes, type TemplateParam } from '../../../../shared/contract';
import { useApp } from '../../store';
import { Modal } from '../Modal';

function ParamRow({ param, index }: { param: TemplateParam; index: number }) {
  const { templateDraftParamEdited: edit, templateDraftParamRemoved: remove } = useApp.getState();
  const id = (field: string) => `template-draft-${index}-${field}`;
  return (
    <fieldset className="param-row" data-testid={`template-draft-param-${index}`}>
      <legend>${index + 1}</legend>
      <label htmlFor={id('name')}>Name</label>
      <input
        id={id('name')}
        value={param.name}
        onChange={(e) => edit(index, { name: e.target.value })}
        data-testid={id('name')}
      />
      <label htmlFor={id('type')}>Type</label>
      <select
        id={id('type')}
        value={param.type}
        onChange={(e) => edit(index, { type: e.target.value as TemplateParam['type'] })}
        data-testid={id('type')}
      >
        {templateParamTypes.map((t) => (
          <option key={t} value={t}>
            {t}
          </option>
        ))}
      </select>
      <label htmlFor={id('default')}>Default</label>
      <input
        id={id('default')}
        value={param.default ?? ''}
        onChange={(e) => edit(index, { default: e.target.value || undefined })}
      />
      <label htmlFor={id('pattern')}>Pattern</label>
      <input
        id={id('pattern')}
        value={param.pattern ?? ''}
        onChange={(e) => edit(index, { pattern: e.target.value || undefined })}
      />
      {param.type === 'enum' && (
        <>
          <label htmlFor={id('enum')}>Values (comma-separated)</label>
          <input
            id={id('enum')}
            value={(param.enum ?? []).join(', ')}
            onChange={(e) =>
              edit(index, {
                enum: e.target.value
                  .split(',')
                  .map((v) => v.trim())
                  .filter(Boolean),
              })
            }
          />
          <label htmlFor={id('enumQuery')}>…or a read-only query</label>
          <input
            id={id('enumQuery')}
            value={param.enumQuery ?? ''}
            onChange={(e) => edit(index, { enumQuery: e.target.value || undefined })}
          />
        </>
      )}
      {param.type === 'identifier' && (
        <>
          <label htmlFor={id('kind')}>Names a</label>
          <select
            id={id('kind')}
            value={param.identifierKind ?? 'table'}
            onChange={(e) => edit(index, { identifierKind: e.target.value as TemplateParam['identifierKind'] })}
          >
            <option value="table">table or view</option>
            <option value="column">column</option>
            <option value="schema">schema</option>
          </select>
        </>
      )}
      <label>
        <input type="checkbox" checked={param.list} onChange={(e) => edit(index, { list: e.target.checked })} /> list
      </label>
      <label>
        <input type="checkbox" checked={param.required} onChange={(e) => edit(index, { required: e.target.checked })} />{' '}
        required
      </label>
      <label>
        <input type="checkbox" checked={param.secret} onChange={(e) => edit(index, { secret: e.target.checked })} />{' '}
        secret
      </label>
      <button type="button" onClick={() => remove(index)} aria-label={`Remove parameter ${param.name}`}>
        Remove
      </button>
    </fieldset>
  );
}

/** Writes a library template: SQL with $n markers, one typed parameter per marker. */
export function TemplateEditor() {
  const editor = useApp((s) => s.templateEditor);
  const actions = useApp.getState();
  if (!editor) return null;
  const { draft } = editor;
  return (
    <Modal
      className="modal template-editor"
      testId="template-editor"
      title={{ id: 'template-editor-title', level: 3, text: draft.id ? `Edit template ${draft.name}` : 'New template' }}
      onEscape={() => actions.templateEditorClosed()}
      onSubmit={() => void actions.templateSaveRequested()}
      actions={
        <>
          {draft.id && (
            <button
              type="button"
              className="danger"
              onClick={() => actions.templateRemoveRequested()}
              data-testid="template-remove"
            >
              Delete
            </button>
          )}
          <button type="button" onClick={() => actions.templateEditorClosed()}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={editor.saving} data-testid="template-save">
            Save
          </button>
        </>
      }
    >
      <label htmlFor="template-draft-name">Name</label>
      <input
        id="template-draft-name"
        value={draft.name}
        onChange={(e) => actions.templateDraftEdited({ name: e.target.value })}
        data-testid="template-draft-name"
      />
      <label htmlFor="template-draft-description">Description</label>
      <input
        id="template-draft-description"
        value={draft.description}
        onChange={(e) => actions.templateDraftEdited({ description: e.target.value })}
      />
      <label htmlFor="template-draft-sql">
        SQL ($1 is the first parameter, $2 the second…: values are bound, never pasted in)
      </label>
      <textarea
        id="template-draft-sql"
        value={draft.sql}
        spellCheck="false"
        onChange={(e) => actions.templateDraftEdited({ sql: e.target.value })}
        data-testid="template-draft-sql"
      />
      {draft.params.map((param, i) => (
        <ParamRow key={i} param={param} index={i} />
      ))}
      <button type="button" onClick={() => actions.templateDraftParamAdded()} data-testid="template-draft-add-param">
        Add parameter
      </button>
      {editor.error && (
        <p className="form-error" role="alert" data-testid="template-editor-error">
          {editor.error.message}
        </p>
      )}
    </Modal>
  );
}
