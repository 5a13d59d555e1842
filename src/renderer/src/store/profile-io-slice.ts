import type { ProfileIoSlice } from './state/profile-io';
import type { StateCreator } from 'zustand';
import type { ConnectionTestResult } from '../../../shared/contract';
import { transport } from './transport-ref';
import { noticeFrom } from './notice-slice';
import type { AppState, SetState } from './app-state';

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

/** Runs one connection test under `key`: live steps arrive as events, the result replaces them. */
async function runTest(
  set: SetState,
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
