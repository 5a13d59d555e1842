import type { ExplainResult } from '../../../../shared/contract';

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
