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
  /** The desktop app asks where to save files with the system's dialog; the browser host types a path. */
  nativeDialogs: boolean;
  /** Entries of the data folder that could not be made private (folder 0700, files 0600), each with what to do. */
  fileWarnings: string[];
}

export interface SavePathChoice {
  /** The absolute path the operator chose, or null when they closed the dialog. */
  path: string | null;
  /** Redeemed once by an export operation (sql.export, incidents.export) to write to `path`; 15 minutes. */
  saveToken?: string;
}

export const appOperations = {
  /** Version, data folder and how the vault key is kept, for the status bar and Settings. */
  'app.info': operation<AppInfo>()(z.object({}).strict(), 'Describe this installation'),
  /**
   * Where to save an export: the system's save dialog in the desktop app (it asks before replacing
   * a file); in the browser host, a fresh file name in the data folder's exports/ (never replacing).
   * The answer carries the save token the export operation needs.
   */
  'app.chooseSavePath': operation<SavePathChoice>()(
    z
      .object({
        title: z.string().trim().min(1, 'is empty: say what is being saved').max(200),
        /** File name proposed in the dialog (no folders). */
        defaultName: z
          .string()
          .min(1)
          .max(255)
          .regex(/^[^/\\\0]+$/, 'must be a file name without folders')
          .refine((name) => name !== '.' && name !== '..', 'must be a file name without folders'),
        filters: z
          .array(
            z
              .object({
                name: z.string().min(1).max(100),
                extensions: z
                  .array(z.string().regex(/^[A-Za-z0-9]{1,10}$/, 'must be an extension without the dot'))
                  .min(1)
                  .max(10),
              })
              .strict(),
          )
          .max(10)
          .default([]),
      })
      .strict(),
    'Ask where to save a file',
  ),
};
