import type { StateCreator } from 'zustand';
import type { ExplainResult } from '../../../shared/contract';
import { noticeFrom } from './notice-slice';
import { paneOf, runnableText } from './sql-slice';
import { transport } from './transport-ref';
import type { AppState } from './index';

export interface ExplainPane {
  busy: boolean;
  result?: ExplainResult;
  error?: string;
  /** Plain text instead of the tree. */
  asText: boolean;
  /** Set once the plan was attached to the timeline. */
  attached?: boolean;
}

export interface ExplainSlice {
  explainPanes: Record<string, ExplainPane>;
  /** Explains what Run would run (the selection, the statement at the cursor, or the text). */
  explainRequested(profileId: string, analyze: boolean): Promise<void>;
  explainTextToggled(profileId: string): void;
  explainAttachRequested(profileId: string): Promise<void>;
  explainClosed(profileId: string): void;
}

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
