import type { RedisPane, SqlPane, SqlSlice, TemplateDraft } from './state/sql';
import type { StateCreator } from 'zustand';
import type { SqlRunResult, TemplateParam } from '../../../shared/contract';
import type { SqlStatementClassification } from '../../../shared/risk';
import { transport } from './transport-ref';
import { noticeFrom } from './notice-slice';
import type { AppState } from './app-state';
import { createGridActions } from './sql-grid';

const emptyPane: SqlPane = { text: 'SELECT version();', running: false, typedName: '', params: {}, enumOptions: {} };
const emptyRedis: RedisPane = { line: '', running: false, typedName: '' };

export function paneOf(state: Pick<AppState, 'sqlPanes'>, profileId: string): SqlPane {
  return state.sqlPanes[profileId] ?? emptyPane;
}

/** The statement the cursor is in (or just after), from the live classification. */
export function statementAtCursor(pane: SqlPane): SqlStatementClassification | undefined {
  const statements = pane.classification?.statements ?? [];
  const cursor = pane.selection?.from ?? 0;
  return (
    statements.find((s) => cursor >= s.start && cursor <= s.end) ??
    statements.filter((s) => s.end <= cursor).at(-1) ??
    statements[0]
  );
}

/** What Run runs: the selection if any, else the statement under the cursor when there are several, else all of it. */
export function runnableText(pane: SqlPane): string {
  const { selection, text } = pane;
  if (selection && selection.to > selection.from && text.slice(selection.from, selection.to).trim())
    return text.slice(selection.from, selection.to);
  const statements = pane.classification?.statements ?? [];
  const at = statements.length > 1 ? statementAtCursor(pane) : undefined;
  return at ? text.slice(at.start, at.end) : text;
}

export function redisPaneOf(state: Pick<AppState, 'redisPanes'>, profileId: string): RedisPane {
  return state.redisPanes[profileId] ?? emptyRedis;
}

const newParam = (index: number): TemplateParam => ({
  name: `p${index + 1}`,
  type: 'text',
  list: false,
  required: true,
  secret: false,
});

const classifyTimers = new Map<string, ReturnType<typeof setTimeout>>();

export const createSqlSlice: StateCreator<AppState, [], [], SqlSlice> = (set, get) => {
  const patch = (profileId: string, change: Partial<SqlPane>) =>
    set((s) => ({ sqlPanes: { ...s.sqlPanes, [profileId]: { ...paneOf(s, profileId), ...change } } }));
  const patchRedis = (profileId: string, change: Partial<RedisPane>) =>
    set((s) => ({ redisPanes: { ...s.redisPanes, [profileId]: { ...redisPaneOf(s, profileId), ...change } } }));
  /** A run came back: pending ones wait for the decision, the rest are shown as settled. */
  const landed = (profileId: string, result: SqlRunResult) =>
    patch(
      profileId,
      result.outcome === 'pending'
        ? { running: false, pending: result, typedName: '' }
        : { running: false, result, pending: undefined },
    );
  const start = async (
    profileId: string,
    input: { sql: string } | { template: { name: string }; params: Record<string, string> },
  ) => {
    patch(profileId, { running: true, error: undefined, result: undefined });
    try {
      landed(profileId, await transport().invoke('sql.run', { profileId, ...input }));
      if (!paneOf(get(), profileId).catalog) void get().sqlCatalogRequested(profileId);
    } catch (error) {
      patch(profileId, { running: false, error: noticeFrom(error) });
    }
  };
  const patchDraft = (change: (draft: TemplateDraft) => TemplateDraft) =>
    set((s) =>
      s.templateEditor
        ? { templateEditor: { ...s.templateEditor, draft: change(s.templateEditor.draft), error: undefined } }
        : {},
    );
  /** What a stream or an export reads: the picked template with its values, else the text. */
  const source = (profileId: string) => {
    const pane = paneOf(get(), profileId);
    return pane.templateName
      ? { template: { name: pane.templateName }, params: pane.params }
      : { sql: runnableText(pane) };
  };
  return {
    ...createGridActions(set, get, patch, (s, profileId) => paneOf(s, profileId).grid, source),
    templateEditor: undefined,
    templateEditorOpened(name) {
      const found = get().templates.find((t) => t.name === name);
      const draft: TemplateDraft = found
        ? { id: found.id, name: found.name, description: found.description, sql: found.sql, params: found.params }
        : {
            name: '',
            description: '',
            sql: 'SELECT * FROM pg_stat_activity WHERE pid = $1',
            params: [{ ...newParam(0), name: 'pid', type: 'int' }],
          };
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
    sqlPanes: {},
    redisPanes: {},
    templates: [],
    sqlEdited(profileId, text) {
      patch(profileId, { text });
      clearTimeout(classifyTimers.get(profileId));
      classifyTimers.set(
        profileId,
        setTimeout(() => {
          transport()
            .invoke('sql.classify', { sql: text })
            .then((classification) => paneOf(get(), profileId).text === text && patch(profileId, { classification }))
            .catch(() => undefined);
        }, 200),
      );
    },
    sqlRunRequested: (profileId) => start(profileId, { sql: runnableText(paneOf(get(), profileId)) }),
    sqlSelectionMoved: (profileId, from, to) => patch(profileId, { selection: { from, to } }),
    async sqlCatalogRequested(profileId, refresh = false) {
      try {
        patch(profileId, { catalog: await transport().invoke('sql.catalog', { profileId, refresh }) });
      } catch (error) {
        get().noticeShown(noticeFrom(error));
      }
    },
    sqlConfirmNameTyped: (profileId, typedName) => patch(profileId, { typedName }),
    async sqlDecided(profileId, decision) {
      const { pending, typedName } = paneOf(get(), profileId);
      if (!pending) return;
      patch(profileId, { running: true });
      try {
        const typed =
          decision === 'commit' && pending.confirmation?.policy === 'type-profile-name' ? { typedName } : {};
        landed(profileId, await transport().invoke('sql.confirm', { runId: pending.runId, decision, ...typed }));
      } catch (error) {
        patch(profileId, { running: false, pending: undefined, error: noticeFrom(error) });
      }
    },
    async sqlCancelRequested(profileId) {
      try {
        await transport().invoke('sql.cancel', { profileId });
      } catch (error) {
        patch(profileId, { error: noticeFrom(error) });
      }
    },
    sqlRunSettled(result) {
      const pane = paneOf(get(), result.profileId);
      if (pane.pending?.runId === result.runId) patch(result.profileId, { pending: undefined, running: false, result });
    },
    async templatesRequested() {
      try {
        set({ templates: await transport().invoke('templates.list', {}) });
      } catch (error) {
        get().noticeShown(noticeFrom(error));
      }
    },
    async templatePicked(profileId, templateName) {
      const template = get().templates.find((t) => t.name === templateName);
      const params = Object.fromEntries((template?.params ?? []).map((p) => [p.name, p.default ?? '']));
      patch(profileId, { templateName, params, enumOptions: {}, error: undefined });
      for (const param of template?.params ?? []) {
        if (param.type !== 'enum') continue;
        try {
          const values = await transport().invoke('templates.enumValues', {
            profileId,
            template: { name: template!.name },
            param: param.name,
          });
          patch(profileId, { enumOptions: { ...paneOf(get(), profileId).enumOptions, [param.name]: values } });
        } catch (error) {
          patch(profileId, { error: noticeFrom(error) });
        }
      }
    },
    templateParamEdited: (profileId, name, value) =>
      patch(profileId, { params: { ...paneOf(get(), profileId).params, [name]: value } }),
    templateRunRequested(profileId) {
      const { templateName, params } = paneOf(get(), profileId);
      if (!templateName) return Promise.resolve();
      return start(profileId, { template: { name: templateName }, params });
    },
    redisLineEdited: (profileId, line) => patchRedis(profileId, { line }),
    async redisRunRequested(profileId, argv) {
      const { line } = redisPaneOf(get(), profileId);
      const sent = argv ? { argv } : { line };
      patchRedis(profileId, {
        running: true,
        error: undefined,
        pending: undefined,
        sent,
        ...(argv ? { line: argv.join(' ') } : {}),
      });
      try {
        const result = await transport().invoke('redis.run', { profileId, ...sent });
        patchRedis(
          profileId,
          result.outcome === 'confirmation_required'
            ? { running: false, pending: result, typedName: '', result: undefined }
            : { running: false, result },
        );
      } catch (error) {
        patchRedis(profileId, { running: false, error: noticeFrom(error) });
      }
    },
    redisConfirmNameTyped: (profileId, typedName) => patchRedis(profileId, { typedName }),
    async redisConfirmed(profileId) {
      const { pending, typedName, sent } = redisPaneOf(get(), profileId);
      if (!pending) return;
      patchRedis(profileId, { running: true, pending: undefined });
      try {
        const confirm = pending.confirmation?.policy === 'type-profile-name' ? { typedName } : {};
        patchRedis(profileId, {
          running: false,
          result: await transport().invoke('redis.run', { profileId, ...(sent ?? { argv: pending.argv }), confirm }),
        });
      } catch (error) {
        patchRedis(profileId, { running: false, error: noticeFrom(error) });
      }
    },
    redisDismissed: (profileId) => patchRedis(profileId, { pending: undefined }),
  };
};
