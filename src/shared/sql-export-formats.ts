// The formats a result set exports to. Below both the contract and the incident timeline (which
// records exports), so neither has to import the other.
export const sqlExportFormats = ['csv', 'jsonl'] as const;
export type SqlExportFormat = (typeof sqlExportFormats)[number];
