/**
 * A fresh install's settings, without zod: the window starts from these before the core answers
 * (issue 28: zod stays out of the entry chunk). settings.ts takes its schema defaults from here
 * and checks at compile time that this is a whole Settings.
 */
export const defaultSettings = {
  operatorName: '',
  theme: 'dark' as 'dark' | 'light',
  defaultRowCap: 10_000,
  defaultStatementTimeoutMs: 30_000,
  runbookFolders: [] as string[],
  historyRetentionDays: 90,
  queriesFolder: '',
  logLevel: 'info' as 'error' | 'warn' | 'info' | 'debug',
};
