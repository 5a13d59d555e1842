import type { StateCreator } from 'zustand';
import type { SqlRunEnded, SqlRunResult } from '../../../shared/contract';
import type { AppState } from './app-state';
import { createRedisConsoleActions } from './redis-console-actions';
import { attempt, noticeBar, request, type ShowNotice } from './request';
import { createExportActions } from './sql-export-actions';
import { createGridActions } from './sql-grid';
import { paneOf, runnableText, type PaneSource } from './sql-panes';
import type { SqlPane, SqlSlice } from './state/sql';
import type { Notice } from './state/notice';
import { createTemplateActions } from './template-editor-actions';
import { transport } from './transport-ref';
import { firstOf } from './workbench-slice';

const classifyTimers = new Map<string, ReturnType<typeof setTimeout>>();

/** What the operator is told when a run they could not watch (the window reloaded) ends. */
function endedNotice(profileName: string, ended: SqlRunEnded): Notice {
  const said = ended.message ? ` ${ended.message}` : '';
  const timeline = ' The incident timeline has the whole record.';
  if (ended.outcome === 'unknown')
    return {
      kind: 'error',
      message: `The change on ${profileName} was being committed when the connection was lost: whether it was kept is unknown.${ended.xid ? ` Check transaction ${ended.xid} with pg_xact_status before retrying.` : ' Check before retrying.'}${said}${timeline}`,
    };
  if (ended.outcome === 'failed')
    return {
      kind: 'error',
      message:
        ended.phase === 'confirmed'
          ? `The confirmed run on ${profileName} failed (${ended.code ?? 'error'}) while it ran: statements before the failure may have been kept. Check before retrying.${timeline}`
          : `The run on ${profileName} that was still running failed (${ended.code ?? 'error'}); nothing was kept.${timeline}`,
    };
  return {
    kind: 'info',
    message: `The run on ${profileName} that was still running ended: ${ended.outcome.replace('_', ' ')}.${said}${timeline}`,
  };
}

/** The SQL console of each profile (text or template, run, confirm, cancel), its grid, the templates, the Redis console. */
export const createSqlSlice: StateCreator<AppState, [], [], SqlSlice> = (set, get) => {
  const patch = (profileId: string, change: Partial<SqlPane>) =>
    set((s) => ({ sqlPanes: { ...s.sqlPanes, [profileId]: { ...paneOf(s, profileId), ...change } } }));
  /** A failure shows in the console it came from, not the notice bar. */
  const inPane =
    (profileId: string, change: Partial<SqlPane> = {}): ShowNotice =>
    (error) =>
      patch(profileId, { ...change, error });
  /** A run came back: pending ones wait for the decision, the rest are shown as settled. */
  const landed = (profileId: string, result: SqlRunResult) =>
    patch(
      profileId,
      result.outcome === 'pending'
        ? { running: false, pending: result, typedName: '' }
        : { running: false, result, pending: undefined },
    );
  const start = async (profileId: string, input: PaneSource) => {
    patch(profileId, { running: true, error: undefined, result: undefined });
    const result = await request(inPane(profileId, { running: false }), 'sql.run', { profileId, ...input });
    if (!result) return;
    landed(profileId, result);
    if (!paneOf(get(), profileId).catalog) void get().sqlCatalogRequested(profileId);
  };
  /** Puts a profile's SQL tab in front (a run of it needs the operator's eyes). */
  const inFront = (profileId: string) => {
    get().profileSelected(profileId);
    const bound = get().workbenchBound[profileId]?.sql ?? firstOf(get(), profileId, 'sql');
    if (bound) get().workbenchTabChosen(profileId, bound);
  };
  /** What a stream or an export reads: the picked template with its values, else the text. */
  const source = (profileId: string) => {
    const pane = paneOf(get(), profileId);
    return pane.templateName
      ? { template: { name: pane.templateName }, params: pane.params }
      : { sql: runnableText(pane) };
  };
  return {
    ...createGridActions(set, get, patch, (s, profileId) => paneOf(s, profileId).grid, source),
    ...createExportActions(get, patch, source),
    ...createTemplateActions(set, get),
    ...createRedisConsoleActions(set, get),
    sqlPanes: {},
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
      await attempt(noticeBar(get), async () => {
        patch(profileId, { catalog: await transport().invoke('sql.catalog', { profileId, refresh }) });
      });
    },
    sqlConfirmNameTyped: (profileId, typedName) => patch(profileId, { typedName }),
    async sqlDecided(profileId, decision) {
      const { pending, typedName } = paneOf(get(), profileId);
      if (!pending) return;
      patch(profileId, { running: true });
      const typed = decision === 'commit' && pending.confirmation?.policy === 'type-profile-name' ? { typedName } : {};
      const result = await request(inPane(profileId, { running: false, pending: undefined }), 'sql.confirm', {
        runId: pending.runId,
        decision,
        ...typed,
      });
      if (result) landed(profileId, result);
    },
    async sqlCancelRequested(profileId) {
      await request(inPane(profileId), 'sql.cancel', { profileId });
    },
    sqlRunSettled(result) {
      const pane = paneOf(get(), result.profileId);
      if (pane.pending?.runId === result.runId) patch(result.profileId, { pending: undefined, running: false, result });
    },
    async sqlPendingRequested() {
      await attempt(noticeBar(get), async () => {
        const waiting = await transport().invoke('sql.pending', {});
        const first = waiting[0];
        if (!first) return;
        // The first one is put in front: its profile, its SQL tab, its dialog.
        inFront(first.profileId);
        for (const result of waiting)
          if (paneOf(get(), result.profileId).pending?.runId !== result.runId) landed(result.profileId, result);
        const names = waiting.map((r) => r.confirmation?.profileName ?? r.profileId).join(', ');
        const deadline = first.confirmation?.expiresAt.slice(11, 19);
        get().noticeShown({
          kind: 'info',
          message:
            waiting.length === 1
              ? `A change on ${names} is still waiting for your confirmation: commit or roll it back. Without an answer it rolls back at ${deadline} UTC.`
              : `${waiting.length} changes (${names}) are still waiting for your confirmation: commit or roll each back. Without an answer they roll back.`,
        });
      });
    },
    async sqlRunningRequested() {
      await attempt(noticeBar(get), async () => {
        const running = (await transport().invoke('sql.running', {})).filter(
          (run) => !paneOf(get(), run.profileId).running,
        );
        const first = running[0];
        if (!first) return;
        for (const run of running) patch(run.profileId, { running: true, elsewhere: run, error: undefined });
        inFront(first.profileId); // a run waiting for a decision, asked for next, goes in front of it
        const since = first.startedAt.slice(11, 19);
        get().noticeShown({
          kind: 'info',
          message:
            running.length === 1
              ? first.phase === 'confirmed'
                ? `The ${first.risk} change confirmed on ${first.profileName} before this window reloaded is still being committed (since ${since} UTC): wait for its outcome. It goes to the incident timeline.`
                : `The ${first.risk} run started on ${first.profileName} before this window reloaded is still running (since ${since} UTC): cancel it, or wait. Its outcome goes to the incident timeline.`
              : `${running.length} runs started before this window reloaded are still running (${running.map((r) => r.profileName).join(', ')}): cancel each, or wait. Their outcomes go to the incident timeline.`,
        });
      });
    },
    sqlRunEnded(ended) {
      const pane = paneOf(get(), ended.profileId);
      if (pane.elsewhere?.runId !== ended.runId) return;
      const { profileName } = pane.elsewhere;
      patch(ended.profileId, { running: false, elsewhere: undefined });
      if (ended.outcome === 'pending') {
        void get().sqlPendingRequested();
        return;
      }
      get().noticeShown(endedNotice(profileName, ended));
    },
    async templatePicked(profileId, templateName) {
      const template = get().templates.find((t) => t.name === templateName);
      const params = Object.fromEntries((template?.params ?? []).map((p) => [p.name, p.default ?? '']));
      patch(profileId, { templateName, params, enumOptions: {}, error: undefined });
      for (const param of template?.params ?? []) {
        if (param.type !== 'enum') continue;
        const values = await request(inPane(profileId), 'templates.enumValues', {
          profileId,
          template: { name: template!.name },
          param: param.name,
        });
        if (values)
          patch(profileId, { enumOptions: { ...paneOf(get(), profileId).enumOptions, [param.name]: values } });
      }
    },
    templateParamEdited: (profileId, name, value) =>
      patch(profileId, { params: { ...paneOf(get(), profileId).params, [name]: value } }),
    templateRunRequested(profileId) {
      const { templateName, params } = paneOf(get(), profileId);
      if (!templateName) return Promise.resolve();
      return start(profileId, { template: { name: templateName }, params });
    },
  };
};
