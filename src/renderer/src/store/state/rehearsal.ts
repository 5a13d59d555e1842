import type { RehearsalReport, SandboxInfo } from '../../../../shared/contract';

/** A rehearsal asked for from the break-glass dialog, keyed by the pending run it rehearses. */
export interface RehearsalState {
  runId: string;
  busy: boolean;
  report?: RehearsalReport;
  error?: string;
}

export interface RehearsalSlice {
  rehearsal?: RehearsalState;
  /** "Rehearse first": the pending write's SQL in the profile's sandbox (nothing reaches the server). */
  rehearsalRequested(runId: string, profileId: string): Promise<void>;
  sandboxes: SandboxInfo[];
  sandboxesRequested(): Promise<void>;
  /** Drops one sandbox (Settings → Sandboxes); the profile stays. */
  sandboxDropped(profileId: string, kind: SandboxInfo['kind']): Promise<void>;
}
