import type { ExplainPane, ExplainSlice } from './state/explain';
import type { StateCreator } from 'zustand';
import { noticeFrom } from './notice-slice';
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
      try {
        patch(profileId, {
          busy: false,
          result: await transport().invoke('sql.explain', { profileId, sql, analyze }),
          attached: false,
        });
      } catch (error) {
        patch(profileId, { busy: false, result: undefined, error: noticeFrom(error).message });
      }
    },
    explainTextToggled(profileId) {
      patch(profileId, { asText: !pane(profileId).asText });
    },
    async explainAttachRequested(profileId) {
      const result = pane(profileId).result;
      if (!result) return;
      try {
        await transport().invoke('sql.attachPlan', { explainId: result.explainId });
        patch(profileId, { attached: true });
      } catch (error) {
        patch(profileId, { error: noticeFrom(error).message });
      }
    },
    explainClosed(profileId) {
      patch(profileId, { result: undefined, error: undefined });
    },
  };
};
