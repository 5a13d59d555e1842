import type { Handlers } from '../../shared/contract';
import type { IncidentEvent } from '../../shared/incident';
import type { RecordEvent } from '../postgres/run-recording';
import type { SettingsRepository } from '../settings/settings-repository';
import type { Db } from '../store/database';
import { join } from 'node:path';
import { sqlHistoryHandlers } from './history/handlers';
import { HistoryRepository } from './history/history-repository';
import { tapSqlHistory } from './history/history-tap';
import { loadQueryFolder } from '../templates/query-folder';

export interface SqlWorkbenchDeps {
  db: Db;
  settings: Pick<SettingsRepository, 'get'>;
  /** The incident recorder's `record`: the timeline every SQL run is written to. */
  record: (...args: Parameters<RecordEvent>) => IncidentEvent;
  onError(error: unknown): void;
  /** The saved query folder given from outside (OPSCONSOLE_QUERIES), which Settings does not override. */
  queriesDir?: string;
  now: () => Date;
}

/**
 * The workbench's services (issue #25, SQL half): the query history fed from the timeline, and the
 * handlers of its operations. One construction and one spread in the composition root.
 */
export function createSqlWorkbench(deps: SqlWorkbenchDeps) {
  const history = new HistoryRepository(deps.db, () => deps.settings.get().historyRetentionDays, deps.now);
  const record = tapSqlHistory(deps.record, (entry) => history.append(entry), deps.onError);
  const handlers: Partial<Handlers> = { ...sqlHistoryHandlers(history) };
  /** The saved query folder: OPSCONSOLE_QUERIES, else the one set in Settings, else the data folder's queries/. */
  const queriesFolder = (dataDir: string) => deps.queriesDir || deps.settings.get().queriesFolder || join(dataDir, 'queries');
  const queryFiles = (dataDir: string) => loadQueryFolder(queriesFolder(dataDir));
  return { history, record, queryFiles, queriesFolder, handlers: handlers as ReturnType<typeof sqlHistoryHandlers> };
}
