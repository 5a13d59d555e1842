import type { StateCreator } from 'zustand';
import type { ConnectionTestResult, ConnectionTestStep } from '../../../shared/contract';
import type { ImportConflictStrategy, ImportReport, ProfileInput } from '../../../shared/profile';
import { transport } from './transport-ref';
import { noticeFrom } from './notice-slice';
import type { AppState } from './index';

export interface ProfileIoSlice {
  /** Steps of the connection test in progress or last run, by profile id. */
  connectionTests: Record<string, { testId: string; running: boolean; steps: ConnectionTestStep[]; ok?: boolean }>;
  connectionTestRequested(profileId: string): Promise<void>;
  /** Tests the editor's unsaved draft (nothing saved); its steps are kept under "draft:<id>" or "draft:new". */
  draftTestRequested(id: string | undefined, profile: ProfileInput): Promise<void>;
  /** Forgets a test's result (the draft it described was changed). */
  connectionTestCleared(key: string): void;
  connectionTestStepReceived(step: ConnectionTestStep): void;
  /** The profiles export as JSON text (no secrets), for a download. */
  profilesExportRequested(): Promise<string | undefined>;
  /** Imports (or, with dryRun, previews) a profiles file; a downgrade is refused unless allowDowngrade. */
  profilesImportRequested(
    text: string,
    onConflict?: ImportConflictStrategy,
    options?: { dryRun?: boolean; allowDowngrade?: boolean },
  ): Promise<ImportReport | string>;
  sshConfigImportRequested(input: { path?: string; hosts?: string[]; dryRun: boolean }): Promise<ImportReport | string>;
}

export const createProfileIoSlice: StateCreator<AppState, [], [], ProfileIoSlice> = (set, get) => ({
  connectionTests: {},
  async connectionTestRequested(profileId) {
    await runTest(set, get, profileId, (testId) =>
      transport().invoke('profiles.testConnection', { id: profileId, testId }),
    );
  },
  async draftTestRequested(id, profile) {
    // The same key the core puts on the draft's steps, so they land on this test as they arrive.
    await runTest(set, get, `draft:${id ?? 'new'}`, (testId) =>
      transport().invoke('profiles.testDraft', { ...(id ? { id } : {}), profile, testId }),
    );
  },
  connectionTestCleared(key) {
    if (!get().connectionTests[key]) return;
    set((s) => ({ connectionTests: Object.fromEntries(Object.entries(s.connectionTests).filter(([k]) => k !== key)) }));
  },
  connectionTestStepReceived(step) {
    const current = get().connectionTests[step.profileId];
    if (!current || current.testId !== step.testId || !current.running) return;
    const steps = current.steps.filter((s) => !(s.stage === step.stage && s.hop === step.hop));
    set((s) => ({
      connectionTests: { ...s.connectionTests, [step.profileId]: { ...current, steps: [...steps, step] } },
    }));
  },
  async profilesExportRequested() {
    try {
      return JSON.stringify(await transport().invoke('profiles.export', {}), null, 2);
    } catch (error) {
      get().noticeShown(noticeFrom(error));
      return undefined;
    }
  },
  async profilesImportRequested(text, onConflict, options = {}) {
    try {
      const report = await transport().invoke('profiles.import', { text, onConflict, ...options });
      if (!options.dryRun) await get().profilesRequested();
      return report;
    } catch (error) {
      return noticeFrom(error).message;
    }
  },
  async sshConfigImportRequested(input) {
    try {
      const report = await transport().invoke('profiles.importSshConfig', input);
      if (!input.dryRun) await get().profilesRequested();
      return report;
    } catch (error) {
      return noticeFrom(error).message;
    }
  },
});

type SliceSet = Parameters<StateCreator<AppState, [], [], ProfileIoSlice>>[0];

/** Runs one connection test under `key`: live steps arrive as events, the result replaces them. */
async function runTest(
  set: SliceSet,
  get: () => AppState,
  key: string,
  invoke: (testId: string) => Promise<ConnectionTestResult>,
): Promise<void> {
  const testId = crypto.randomUUID();
  set((s) => ({ connectionTests: { ...s.connectionTests, [key]: { testId, running: true, steps: [] } } }));
  try {
    const result = await invoke(testId);
    set((s) => ({
      connectionTests: { ...s.connectionTests, [key]: { testId, running: false, steps: result.steps, ok: result.ok } },
    }));
  } catch (error) {
    set((s) => ({
      connectionTests: { ...s.connectionTests, [key]: { ...s.connectionTests[key]!, running: false, ok: false } },
    }));
    get().noticeShown(noticeFrom(error));
  }
}
