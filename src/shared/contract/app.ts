import { z } from 'zod';
import { operation } from './define';

export interface AppInfo {
  version: string;
  /** How secrets are protected: by the OS keychain, or (no keychain here) by a 0600 key file. */
  vaultProtection: 'keychain' | 'file';
  dataDir: string;
  operator: string;
  /** The rotating log file (secrets are scrubbed before anything is written). */
  logFile: string;
}

export const appOperations = {
  /** Version, data folder and how the vault key is kept, for the status bar and Settings. */
  'app.info': operation<AppInfo>()(z.object({}).strict(), 'Describe this installation'),
};
