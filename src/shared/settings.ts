import { z } from 'zod';
import { defaultSettings as defaults } from './settings-defaults';

export const themes = ['dark', 'light'] as const;

/** Operator settings, with the defaults a fresh install starts from. */
export const settingsSchema = z.object({
  /** Recorded on every incident event; the OS user name when empty. */
  operatorName: z.string().trim().max(80, 'is longer than 80 characters').default(defaults.operatorName),
  theme: z.enum(themes, { error: 'must be dark or light' }).default(defaults.theme),
  defaultRowCap: z
    .number({ error: 'must be a number' })
    .int()
    .min(1, 'must be at least 1')
    .max(10_000_000, 'must be at most 10,000,000')
    .default(defaults.defaultRowCap),
  defaultStatementTimeoutMs: z
    .number({ error: 'must be a number' })
    .int()
    .min(100, 'must be at least 100 ms')
    .max(3_600_000, 'must be at most one hour')
    .default(defaults.defaultStatementTimeoutMs),
  /** Extra folders whose markdown files are offered as runbooks. */
  runbookFolders: z
    .array(z.string().trim().min(1, 'is empty: remove the line or give a folder'))
    .max(20)
    .default(defaults.runbookFolders),
  /** How long the query history keeps a run (days); older entries are pruned when the store opens and as runs are added. */
  historyRetentionDays: z
    .number({ error: 'must be a number' })
    .int()
    .min(1, 'must be at least 1 day')
    .max(3650, 'must be at most 3650 days (ten years)')
    .default(defaults.historyRetentionDays),
  /** The folder of saved query files (.sql); the data folder's queries/ when empty (OPSCONSOLE_QUERIES overrides both). */
  queriesFolder: z.string().trim().max(4096, 'is longer than 4096 characters').default(defaults.queriesFolder),
  logLevel: z
    .enum(['error', 'warn', 'info', 'debug'], { error: 'must be error, warn, info or debug' })
    .default(defaults.logLevel),
});
export type Settings = z.infer<typeof settingsSchema>;

export const settingsPatchSchema = settingsSchema.partial().strict();
export type SettingsPatch = z.input<typeof settingsPatchSchema>;

/** A field added to the schema without its default in settings-defaults.ts fails to compile here. */
export const defaultSettings: Settings = defaults;
