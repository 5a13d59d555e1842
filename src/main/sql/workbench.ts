import type { Handlers } from '../../shared/contract';
import type { IncidentEvent } from '../../shared/incident';
import type { RecordEvent } from '../postgres/run-recording';
import type { SettingsRepository } from '../settings/settings-repository';
import type { Db } from '../store/database';
import { sqlHistoryHandlers } from './history/handlers';
import { HistoryRepository } from './history/history-repository';
import { tapSqlHistory } from './history/history-tap';

export interface SqlWorkbenchDeps {
  db: Db;
  settings: Pick<SettingsRepository, 'get'>;
  /** The incident recorder's `record`: the timeline every SQL run is written to. */
  record: (...args: Parameters<RecordEvent>) => IncidentEvent;
  onError(error: unknown): void;
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
  return { history, record, handlers: handlers as ReturnType<typeof sqlHistoryHandlers> };
}
