import type { ConnectionTestStep } from '../../../../shared/contract';
import type { ImportConflictStrategy, ImportReport, ProfileInput } from '../../../../shared/profile';

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
