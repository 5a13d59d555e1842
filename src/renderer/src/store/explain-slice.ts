import type { ExplainPane, ExplainSlice } from './state/explain';
import type { StateCreator } from 'zustand';
import { attempt, request, type ShowNotice } from './request';
import { paneOf, runnableText } from './sql-panes';
import { transport } from './transport-ref';
import type { AppState } from './app-state';

export const createExplainSlice: StateCreator<AppState, [], [], ExplainSlice> = (set, get) => {
  const pane = (profileId: string): ExplainPane => get().explainPanes[profileId] ?? { busy: false, asText: false };
  const patch = (profileId: string, change: Partial<ExplainPane>) =>
    set((s) => ({ explainPanes: { ...s.explainPanes, [profileId]: { ...pane(profileId), ...change } } }));
  return {
    explainPanes: {},
    async explainRequested(profileId, analyze) {
      const sql = runnableText(paneOf(get(), profileId));
      patch(profileId, { busy: true, error: undefined });
      const failed: ShowNotice = (error) => patch(profileId, { busy: false, result: undefined, error: error.message });
      const result = await request(failed, 'sql.explain', { profileId, sql, analyze });
      if (result) patch(profileId, { busy: false, result, attached: false });
    },
    explainTextToggled(profileId) {
      patch(profileId, { asText: !pane(profileId).asText });
    },
    async explainAttachRequested(profileId) {
      const result = pane(profileId).result;
      if (!result) return;
      const failed: ShowNotice = (error) => patch(profileId, { error: error.message });
      if (await attempt(failed, () => transport().invoke('sql.attachPlan', { explainId: result.explainId })))
        patch(profileId, { attached: true });
    },
    explainClosed(profileId) {
      patch(profileId, { result: undefined, error: undefined });
    },
  };
};
