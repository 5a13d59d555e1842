import type { StateCreator } from 'zustand';
import type { ConnectionTestStep } from '../../../shared/contract';
import type { ImportConflictStrategy, ImportReport } from '../../../shared/profile';
import { transport } from './transport-ref';
import { noticeFrom } from './notice-slice';
import type { AppState } from './index';

export interface ProfileIoSlice {
  /** Steps of the connection test in progress or last run, by profile id. */
  connectionTests: Record<string, { testId: string; running: boolean; steps: ConnectionTestStep[]; ok?: boolean }>;
  connectionTestRequested(profileId: string): Promise<void>;
  connectionTestStepReceived(step: ConnectionTestStep): void;
  /** The profiles export as JSON text (no secrets), for a download. */
  profilesExportRequested(): Promise<string | undefined>;
  /** Imports (or, with dryRun, previews) a profiles file; a downgrade is refused unless allowDowngrade. */
  profilesImportRequested(text: string, onConflict?: ImportConflictStrategy, options?: { dryRun?: boolean; allowDowngrade?: boolean }): Promise<ImportReport | string>;
  sshConfigImportRequested(input: { path?: string; hosts?: string[]; dryRun: boolean }): Promise<ImportReport | string>;
}

export const createProfileIoSlice: StateCreator<AppState, [], [], ProfileIoSlice> = (set, get) => ({
  connectionTests: {},
  async connectionTestRequested(profileId) {
    const testId = crypto.randomUUID();
    set((s) => ({ connectionTests: { ...s.connectionTests, [profileId]: { testId, running: true, steps: [] } } }));
    try {
      const result = await transport().invoke('profiles.testConnection', { id: profileId, testId });
      set((s) => ({ connectionTests: { ...s.connectionTests, [profileId]: { testId, running: false, steps: result.steps, ok: result.ok } } }));
    } catch (error) {
      set((s) => ({ connectionTests: { ...s.connectionTests, [profileId]: { ...s.connectionTests[profileId]!, running: false, ok: false } } }));
      get().noticeShown(noticeFrom(error));
    }
  },
  connectionTestStepReceived(step) {
    const current = get().connectionTests[step.profileId];
    if (!current || current.testId !== step.testId || !current.running) return;
    const steps = current.steps.filter((s) => !(s.stage === step.stage && s.hop === step.hop));
    set((s) => ({ connectionTests: { ...s.connectionTests, [step.profileId]: { ...current, steps: [...steps, step] } } }));
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
