import type { TemplateParam } from '../../../shared/contract';
import type { AppState, SetState } from './app-state';
import { noticeFrom } from './notice-slice';
import { attempt, noticeBar } from './request';
import type { SqlSlice, TemplateDraft } from './state/sql';
import { transport } from './transport-ref';

type TemplateActions = Pick<
  SqlSlice,
  | 'templateEditor'
  | 'templates'
  | 'templatesRequested'
  | 'templateEditorOpened'
  | 'templateDraftEdited'
  | 'templateDraftParamEdited'
  | 'templateDraftParamAdded'
  | 'templateDraftParamRemoved'
  | 'templateSaveRequested'
  | 'templateRemoveRequested'
  | 'templateEditorClosed'
>;

const newParam = (index: number): TemplateParam => ({
  name: `p${index + 1}`,
  type: 'text',
  list: false,
  required: true,
  secret: false,
});

/** A new template starts as a working example: one typed parameter bound as $1. */
const exampleDraft = (): TemplateDraft => ({
  name: '',
  description: '',
  sql: 'SELECT * FROM pg_stat_activity WHERE pid = $1',
  params: [{ ...newParam(0), name: 'pid', type: 'int' }],
});

/** The stored query templates and the editor that writes them. */
export function createTemplateActions(set: SetState, get: () => AppState): TemplateActions {
  const patchDraft = (change: (draft: TemplateDraft) => TemplateDraft) =>
    set((s) =>
      s.templateEditor
        ? { templateEditor: { ...s.templateEditor, draft: change(s.templateEditor.draft), error: undefined } }
        : {},
    );
  return {
    templateEditor: undefined,
    templates: [],
    async templatesRequested() {
      await attempt(noticeBar(get), async () => {
        set({ templates: await transport().invoke('templates.list', {}) });
      });
    },
    templateEditorOpened(name) {
      const found = get().templates.find((t) => t.name === name);
      const draft: TemplateDraft = found
        ? { id: found.id, name: found.name, description: found.description, sql: found.sql, params: found.params }
        : exampleDraft();
      set({ templateEditor: { draft, saving: false } });
    },
    templateDraftEdited: (change) => patchDraft((draft) => ({ ...draft, ...change })),
    templateDraftParamEdited: (index, change) =>
      patchDraft((draft) => ({
        ...draft,
        params: draft.params.map((p, i) => (i === index ? { ...p, ...change } : p)),
      })),
    templateDraftParamAdded: () =>
      patchDraft((draft) => ({ ...draft, params: [...draft.params, newParam(draft.params.length)] })),
    templateDraftParamRemoved: (index) =>
      patchDraft((draft) => ({ ...draft, params: draft.params.filter((_, i) => i !== index) })),
    async templateSaveRequested() {
      const editor = get().templateEditor;
      if (!editor) return;
      set({ templateEditor: { ...editor, saving: true } });
      try {
        await transport().invoke('templates.save', { template: editor.draft });
        set({ templateEditor: undefined });
        await get().templatesRequested();
      } catch (error) {
        set({ templateEditor: { ...editor, saving: false, error: noticeFrom(error) } });
      }
    },
    async templateRemoveRequested() {
      const editor = get().templateEditor;
      if (!editor?.draft.id) return;
      try {
        await transport().invoke('templates.remove', { id: editor.draft.id });
        set({ templateEditor: undefined });
        await get().templatesRequested();
      } catch (error) {
        set({ templateEditor: { ...editor, error: noticeFrom(error) } });
      }
    },
    templateEditorClosed: () => set({ templateEditor: undefined }),
  };
}
